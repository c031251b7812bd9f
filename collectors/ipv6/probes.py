"""Client probes for the IPv6 service checks: DNS (dnspython), HTTP/HTTPS (httpx), SMTP (asyncio streams).

Every probe goes to one *address* (never a name: the caller resolved it and chose the family) after the target
policy allowed it, and leaves a :class:`ProbeRecord` in a :class:`Transcript`: what was asked, of whom, what came
back (or the error), when, and how long it took. The transcript is the raw evidence of a service check (stored as
an artifact); the facts the check reports are read from the same records.

Why each probe catches broadly: a service that answers garbage, resets the connection or presents a broken
certificate is a *fact* about that service, not a failure of the audit.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import ipaddress
import socket
import ssl
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import dns.asyncbackend
import dns.asyncquery
import dns.exception
import dns.message
import dns.rcode
import dns.rdatatype
import httpx

from netcomply.errors import TargetNotAllowed
from netcomply.models import utcnow
from netcomply.safety.targets import TargetPolicy

#: How much of a page is read to compare content (a home page is far smaller; a huge download is not a page).
MAX_BODY = 512 * 1024
SMTP_LINE_LIMIT = 4096


@dataclass
class ProbeRecord:
    """One question asked of one server, and its answer."""

    probe: str  # dns | http | https | smtp
    target: str  # "[::1]:5354", "127.0.0.1:18443"
    family: str  # ipv4 | ipv6
    question: str  # "SOA city.lab.example (udp)", "GET https://www.city.lab.example/", "EHLO ..."
    at: str  # UTC ISO time the probe started
    ms: float = 0.0
    ok: bool = False
    answer: Any = None  # JSON-able summary of the reply
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Transcript:
    """Every probe of one service check, in the order they were sent."""

    records: list[ProbeRecord] = field(default_factory=list)

    def start(self, probe: str, address: str, port: int, question: str) -> ProbeRecord:
        rec = ProbeRecord(probe, hostport(address, port), family_of(address), question, utcnow().isoformat())
        self.records.append(rec)
        return rec

    def to_list(self) -> list[dict[str, Any]]:
        return [r.to_dict() for r in self.records]


def family_of(address: str) -> str:
    return "ipv6" if ipaddress.ip_address(address.split("%", 1)[0]).version == 6 else "ipv4"


def hostport(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def error_text(exc: BaseException) -> str:
    """A short, stable cause: the exception class and its message (no traceback, nothing secret)."""
    text = str(exc).strip() or exc.__class__.__name__
    if isinstance(exc, TimeoutError | dns.exception.Timeout | httpx.TimeoutException):
        return f"timeout: {text}"
    if isinstance(exc, ConnectionRefusedError) or "refused" in text.lower():
        return f"connection refused: {text}"
    return f"{exc.__class__.__name__}: {text}"


class _Timer:
    def __init__(self, rec: ProbeRecord) -> None:
        self.rec = rec
        self.t0 = time.perf_counter()

    def done(self) -> None:
        self.rec.ms = round((time.perf_counter() - self.t0) * 1000, 1)


def _allowed(policy: TargetPolicy, rec: ProbeRecord, address: str) -> bool:
    try:
        policy.check(address)
    except TargetNotAllowed as exc:
        rec.error = f"not allowed: {exc}"
        return False
    return True


# ------------------------------------------------------------------------------------------------ DNS


async def dns_query(transcript: Transcript, policy: TargetPolicy, address: str, port: int, qname: str,
                    rdtype: str, *, tcp: bool = False, timeout: float = 3.0,
                    attempts: int = 2) -> dns.message.Message | None:
    """Ask ``address:port`` one question over UDP or TCP; the reply (any rcode) or None on no answer.

    A timeout is asked again (``attempts`` in all, each recorded), as a resolver would before giving a server
    up: one lost datagram or a busy server must not make a name server look IPv4-only. A refusal is final.
    """
    reply = None
    for _ in range(max(1, attempts)):
        rec = transcript.start("dns", address, port, f"{rdtype} {qname} ({'tcp' if tcp else 'udp'})")
        if not _allowed(policy, rec, address):
            return None
        query = dns.message.make_query(qname, rdtype)
        timer = _Timer(rec)
        try:
            if tcp:
                reply = await dns.asyncquery.tcp(query, address, port=port, timeout=timeout)
            else:
                reply = await _udp_connected(query, address, port, timeout)
        except (dns.exception.Timeout, TimeoutError) as exc:
            rec.error = error_text(exc)
            continue
        except (dns.exception.DNSException, OSError, EOFError) as exc:
            rec.error = error_text(exc)
            return None
        finally:
            timer.done()
        rec.ok = reply.rcode() == dns.rcode.NOERROR
        rec.answer = {"rcode": dns.rcode.to_text(reply.rcode()), "aa": bool(reply.flags & 0x0400),
                      "answer": [rr.to_text() for rr in reply.answer][:20]}
        return reply
    return None


async def _udp_connected(query: dns.message.Message, address: str, port: int, timeout: float) -> dns.message.Message:
    """UDP over a *connected* socket: a closed port's ICMP "port unreachable" then fails the query at once
    (connection refused) instead of after the whole timeout, and only replies from that server are read."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = await dns.asyncbackend.get_default_backend().make_socket(family, socket.SOCK_DGRAM, 0, None,
                                                                     (address, port))
    try:
        return await dns.asyncquery.udp(query, address, port=port, timeout=timeout, sock=sock)
    finally:
        await sock.close()


# ----------------------------------------------------------------------------------------------- HTTP


@functools.lru_cache(maxsize=16)
def tls_context(ca_file: str | None, *, verify: bool) -> ssl.SSLContext:
    """A client context: verifying against ``ca_file`` (or the system CAs), or not verifying at all.

    Cached: loading the system CA store costs milliseconds of CPU, and a context is safe to share."""
    if not verify:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    return ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()


def _peer_cert_sha256(response: httpx.Response) -> str | None:
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    ssl_object = stream.get_extra_info("ssl_object")
    if ssl_object is None:
        return None
    der = ssl_object.getpeercert(binary_form=True)
    return hashlib.sha256(der).hexdigest() if der else None


async def http_get(transcript: Transcript, policy: TargetPolicy, address: str, port: int, host: str, *,
                   scheme: str, path: str = "/", ca_file: str | None = None, verify: bool = True,
                   timeout: float = 5.0) -> dict[str, Any] | None:
    """GET ``scheme://host{path}`` from ``address:port`` (Host header and SNI = ``host``).

    Returns ``{"status", "cert_sha256", "body_sha256", "body_text", "server"}`` or None when nothing usable came
    back (the record says why). With ``verify`` the certificate must chain to ``ca_file`` and name ``host``.
    """
    suffix = "" if verify or scheme == "http" else " (certificate not verified)"
    rec = transcript.start(scheme, address, port, f"GET {scheme}://{host}{path}{suffix}")
    if not _allowed(policy, rec, address):
        return None
    url = f"{scheme}://{hostport(address, port)}{path}"
    extensions = {"sni_hostname": host} if scheme == "https" else {}
    timer = _Timer(rec)
    try:
        async with httpx.AsyncClient(verify=tls_context(ca_file, verify=verify), timeout=timeout,
                                     follow_redirects=False, trust_env=False) as client, \
                client.stream("GET", url, headers={"Host": host, "User-Agent": "netcomply-ipv6-check"},
                              extensions=extensions) as response:
            cert = _peer_cert_sha256(response) if scheme == "https" else None
            body = b""
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) >= MAX_BODY:
                    break
    except (httpx.HTTPError, OSError, ssl.SSLError) as exc:
        rec.error = error_text(exc)
        return None
    finally:
        timer.done()
    result = {"status": response.status_code, "cert_sha256": cert, "body_sha256": hashlib.sha256(body).hexdigest(),
              "body_bytes": len(body), "server": response.headers.get("server"),
              "location": response.headers.get("location")}
    rec.ok = response.status_code < 500
    rec.answer = dict(result)
    result["body_text"] = body.decode("utf-8", "replace")
    return result


# ----------------------------------------------------------------------------------------------- SMTP


async def _reply(reader: asyncio.StreamReader, timeout: float) -> tuple[int, list[str]]:
    """One SMTP reply (possibly multi-line ``250-...``): its code and its lines' texts."""
    lines: list[str] = []
    while True:
        raw = await asyncio.wait_for(reader.readline(), timeout)
        if not raw:
            raise ConnectionError("connection closed by the server")
        line = raw[:SMTP_LINE_LIMIT].decode("utf-8", "replace").rstrip("\r\n")
        if len(line) < 3 or not line[:3].isdigit():
            raise ValueError(f"not an SMTP reply: {line[:80]!r}")
        lines.append(line[4:])
        if len(line) == 3 or line[3] == " ":
            return int(line[:3]), lines


async def smtp_probe(transcript: Transcript, policy: TargetPolicy, address: str, port: int, host: str, *,
                     helo: str = "netcomply.invalid", ca_file: str | None = None,
                     timeout: float = 5.0) -> dict[str, Any] | None:
    """Banner, EHLO, and STARTTLS (offered? does the handshake verify for ``host``?), then QUIT. No mail is sent.

    Returns ``{"banner_code", "banner", "ehlo_code", "extensions", "starttls_offered", "tls_verified",
    "tls_error"}`` or None when the server could not be reached.
    """
    rec = transcript.start("smtp", address, port, f"banner, EHLO {helo}, STARTTLS for {host}")
    if not _allowed(policy, rec, address):
        return None
    timer = _Timer(rec)
    writer: asyncio.StreamWriter | None = None
    result: dict[str, Any] = {"banner_code": None, "banner": None, "ehlo_code": None, "extensions": [],
                              "starttls_offered": False, "tls_verified": None, "tls_error": None}
    try:
        reader, conn = await asyncio.wait_for(asyncio.open_connection(address, port, limit=SMTP_LINE_LIMIT * 4),
                                              timeout)
        writer = conn
        code, text = await _reply(reader, timeout)
        result["banner_code"], result["banner"] = code, " ".join(text)[:200]
        conn.write(f"EHLO {helo}\r\n".encode())
        await conn.drain()
        code, text = await _reply(reader, timeout)
        result["ehlo_code"] = code
        result["extensions"] = [t.split(" ", 1)[0].upper() for t in text[1:]]
        result["starttls_offered"] = "STARTTLS" in result["extensions"]
        if result["starttls_offered"]:
            conn.write(b"STARTTLS\r\n")
            await conn.drain()
            code, _ = await _reply(reader, timeout)
            if code == 220:
                try:
                    await asyncio.wait_for(conn.start_tls(tls_context(ca_file, verify=True), server_hostname=host),
                                           timeout)
                    result["tls_verified"] = True
                except (ssl.SSLError, OSError) as exc:
                    result["tls_verified"], result["tls_error"] = False, error_text(exc)
                    writer = None  # the TLS layer is broken: just drop the connection
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.write(b"QUIT\r\n")
                await writer.drain()
                await asyncio.wait_for(_reply(reader, timeout), timeout)
    except (OSError, TimeoutError, ValueError, ConnectionError) as exc:
        rec.error = error_text(exc)
        if result["banner_code"] is None:
            timer.done()
            return None
    finally:
        timer.done()
        if writer is not None:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
    rec.ok = result["banner_code"] == 220 and result["ehlo_code"] == 250
    rec.answer = dict(result)
    return result
