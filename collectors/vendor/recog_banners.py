"""The raw strings nmap's scripts read on one port, each paired with the Recog banner database that reads it.

Why a module of its own: nmap reports what a service volunteered in several shapes (the ``banner`` script escapes
control bytes and wraps long lines, ``http-headers`` indents one header a line, ``ssl-cert``'s subject comes from
its XML table, ``fingerprint-strings`` lists an unrecognised service's raw answers per probe), while Recog's
databases each expect one bare string (an SSH identification's software part, a Server header's value, a page
title, an RFC 4514 subject). Turning one into the other is parsing, kept apart from judging
(:func:`collectors.vendor.recog.banner_evidence`) and tested on real nmap output
(``tests/vendor/test_recog_banners.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from collectors.transports.nmap import SUBJECT_KEY  # the scripts key of ssl-cert's subject, as an RFC 4514 string

#: A raw string longer than this is cut before matching (Recog reads at most 1,024 characters anyway).
MAX_BANNER = 1024


@dataclass(frozen=True)
class Banner:
    """One raw string a port volunteered: the Recog database that reads it, the evidence signal and weight key."""

    database: str  # a key of collectors.vendor.recog.FILES
    text: str
    script: str  # the nmap script it came from

    @property
    def signal(self) -> str:
        return f"nmap.{self.database}"

    @property
    def weight_key(self) -> str:
        """knowledge.yaml's weights: an SSH identification string, or any other service banner."""
        return "ssh_banner" if self.database == "ssh_banner" else "http_banner"


def port_banners(port: Mapping[str, Any]) -> list[Banner]:
    """Every raw string of one ``nmap.host`` port (its ``scripts``) a Recog banner database reads, deduplicated."""
    scripts = port.get("scripts") or {}
    service = str(port.get("service") or "")
    found: list[Banner] = []
    for name, output in scripts.items():
        if isinstance(output, str) and output.strip():
            found += _READERS.get(name, _nothing)(output, service)
    seen: set[tuple[str, str]] = set()
    out = []
    for b in found:
        key = (b.database, b.text)
        if b.text and key not in seen:
            seen.add(key)
            out.append(Banner(b.database, b.text[:MAX_BANNER], b.script))
    return out


def _nothing(output: str, service: str) -> list[Banner]:
    return []


_HEX = re.compile(r"\\x([0-9A-Fa-f]{2})")
_TELNET_IAC = re.compile("\xff[\xfb-\xfe].|\xff\xfa.*?\xff\xf0|\xff[\xf0-\xfa]", re.DOTALL)


def unescape_banner(output: str) -> str:
    """The ``banner`` script's output as the bytes the service sent (read as Latin-1): nmap wraps long output with
    newlines (a real newline is written ``\\x0A``), escapes control bytes as ``\\xHH``; Telnet option negotiation
    (IAC sequences) is dropped."""
    text = _HEX.sub(lambda m: chr(int(m.group(1), 16)), output.replace("\n", ""))
    return _TELNET_IAC.sub("", text)


def _banner(output: str, service: str) -> list[Banner]:
    """``banner``: an SSH identification string's software part ("SSH-2.0-Comware-7.1.045" -> "Comware-7.1.045"),
    an FTP greeting without its reply code, or a Telnet (or unrecognised service's) greeting as sent."""
    text = unescape_banner(output).strip()
    ssh = re.match(r"SSH-\d+\.\d+-([^\r\n]*)", text)
    if ssh:
        return [Banner("ssh_banner", ssh.group(1).strip(), "banner")]
    if service in ("ftp", "ftp-proxy") or (service in ("", "unknown") and re.match(r"220[ -]", text)):
        first = re.sub(r"^220[ -]\s*", "", text.splitlines()[0]) if text else ""
        return [Banner("ftp_banner", first.strip(), "banner")]
    if service in ("telnet", "", "unknown"):
        return [Banner("telnet_banner", text, "banner")]
    return []


_HEADER = re.compile(r"^\s*([A-Za-z][\w-]*):[ \t]*(\S[^\r\n]*?)\s*$", re.MULTILINE)
#: Response headers and the Recog database that reads each value.
_HEADER_DATABASES = {"server": "http_server", "www-authenticate": "http_wwwauth"}


def _http_headers(output: str, service: str) -> list[Banner]:
    """``http-headers``: one header a line, indented ("  Server: App-webs/")."""
    return [Banner(db, value, "http-headers") for name, value in _HEADER.findall(output)
            if (db := _HEADER_DATABASES.get(name.lower()))]


_NO_TITLE = re.compile(r"^(?:Site doesn't have a title|Did not follow redirect to |Requested resource was )")


def _http_title(output: str, service: str) -> list[Banner]:
    """``http-title``: the title on its first line; nmap's own notes (no title, a redirect) are not titles."""
    first = output.strip().splitlines()[0].strip() if output.strip() else ""
    return [] if not first or _NO_TITLE.match(first) else [Banner("html_title", first, "http-title")]


def _cert_subject(output: str, service: str) -> list[Banner]:
    return [Banner("x509_subject", output.strip(), "ssl-cert")]


_TITLE = re.compile(r"<title[^>]*>\s*([^<]*?)\s*</title>", re.IGNORECASE)
_STATUS = re.compile(r"^\s*(HTTP|RTSP)/\d\.\d \d{3}", re.MULTILINE)


def _fingerprint_strings(output: str, service: str) -> list[Banner]:
    """``fingerprint-strings`` (run by -sV itself on a service it did not recognise): each probe's raw answer,
    indented under the probes' names. An HTTP answer gives its Server header, WWW-Authenticate and title; an RTSP
    answer its Server header; what a Telnet service sent unasked (the NULL probe's answer) its greeting, whole (the
    ``banner`` script cuts a greeting after two lines), its lines joined by CR LF as sent (nmap drops empty ones)."""
    out: list[Banner] = []
    for probes, answer in _answers(output):
        status = _STATUS.search(answer)
        if status is None:
            if "NULL" in probes and service in ("telnet", "", "unknown"):
                out.append(Banner("telnet_banner", "\r\n".join(answer.splitlines()), "fingerprint-strings"))
            continue
        proto = status.group(1)
        for name, value in _HEADER.findall(answer):
            if name.lower() == "server":
                out.append(Banner("rtsp_server" if proto == "RTSP" else "http_server", value, "fingerprint-strings"))
            elif name.lower() == "www-authenticate" and proto == "HTTP":
                out.append(Banner("http_wwwauth", value, "fingerprint-strings"))
        title = _TITLE.search(answer) if proto == "HTTP" else None
        if title and title.group(1):
            out.append(Banner("html_title", title.group(1), "fingerprint-strings"))
    return out


def _answers(output: str) -> Iterator[tuple[set[str], str]]:
    """The answer blocks of ``fingerprint-strings``: a probe list line ("  GetRequest, HTTPOptions: ") at two spaces,
    then the answer's lines at four; the probes' names and the answer."""
    probes: set[str] = set()
    block: list[str] = []
    for line in output.splitlines():
        head = re.match(r"^ {2}(\S.*):\s*$", line)
        if head:
            if block:
                yield probes, "\n".join(block)
            probes, block = {p.strip() for p in head.group(1).split(",")}, []
        elif line.startswith("    "):
            block.append(line[4:])
    if block:
        yield probes, "\n".join(block)


_READERS = {"banner": _banner, "http-headers": _http_headers, "http-title": _http_title, SUBJECT_KEY: _cert_subject,
            "fingerprint-strings": _fingerprint_strings}
