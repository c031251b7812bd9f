"""Rapid7 Recog's fingerprint databases: a shipped, independent fingerprint snapshot (load and match).

Why: the knowledge base (``data/knowledge.yaml``) is written here by hand and knows some hundred and fifty brands;
on a device nobody here has seen, its sysDescr ("Xerox Phaser 8550DP;PS 3.11.0,Net 24...") is judged from registry
heuristics, and a camera reached only over HTTP says no more than its Server header ("App-webs/"). Recog
(https://github.com/rapid7/recog, BSD-2-Clause, the fingerprint database behind Metasploit and Nexpose) has about 580
sysDescr and 40 sysObjectID fingerprints, and some 1,600 for service banners (SSH, HTTP Server, page titles, TLS
subjects, Telnet, FTP, RTSP), each with vendor, product, version and CPE facts and example strings, written and
reviewed by other people for other devices: a second opinion that was not tuned on this project's corpora.

The XML files (:data:`FILES`) ship as a dated snapshot in ``data/recog/`` (gzip, with Recog's licence and a SOURCE
note naming the repository and commit); each is parsed the first time it is asked for (:meth:`Recog.database`).
Update them all from a newer Recog checkout (or its ``xml`` directory)::

    .venv/bin/python -m collectors.vendor.recog update /path/to/recog
    .venv/bin/python -m collectors.vendor.recog update /path/to/recog/xml

The command refuses a file that does not parse or holds too few fingerprints (:data:`MIN_FINGERPRINTS`): a clear
error and exit code 2, the shipped snapshot left as it was.

Recog's patterns are Ruby regular expressions, translated by :mod:`collectors.vendor.recog_regex`; a fingerprint
that cannot be translated is kept out and counted (:attr:`Database.untranslated`), never a crash. Matching is fast
because every fingerprint keeps a literal its pattern requires: only fingerprints whose literal occurs in the text
run their regex; the first that matches, in file order (Recog's rule), gives the facts.

What a match claims is decided in :func:`descr_evidence` (the sysDescr hook of
:func:`collectors.vendor.evidence.from_snmp_system`); why some Recog vendors name no hardware brand is said at
:data:`SOFTWARE_VENDORS`.
"""

from __future__ import annotations

import base64
import binascii
import functools
import gzip
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.parsers import expat

from collectors.vendor import evidence as _evidence
from collectors.vendor.kb import KnowledgeBase
from collectors.vendor.recog_regex import Untranslatable, compile_pattern, required_literal
from netcomply.errors import InputError, InputProblem

DATA = Path(__file__).resolve().parent / "data" / "recog"
#: database name -> the Recog file it comes from (``xml/<file>``); shipped gzipped as ``<file>.gz``. The SNMP pair
#: reads a device's own description; the others read what a service volunteers to anyone who connects (an SSH
#: identification string, an HTTP Server header, a page title, a TLS certificate's subject, a Telnet or FTP greeting,
#: an RTSP Server header, a WWW-Authenticate realm): the databases whose fingerprints name device makers (cameras,
#: NVRs, printers, switches, UPSes). Left out: the mail, database, DNS, LDAP and SMB banners (servers' software,
#: no hardware), SIP (nmap's safe scripts do not read the User-Agent), favicons and JARM (hashes nmap does not give).
FILES = {"sysdescr": "snmp_sysdescr.xml", "sysobjid": "snmp_sysobjid.xml",
         "ssh_banner": "ssh_banners.xml", "http_server": "http_servers.xml", "html_title": "html_title.xml",
         "http_wwwauth": "http_wwwauth.xml", "rtsp_server": "rtsp_servers.xml", "telnet_banner": "telnet_banners.xml",
         "ftp_banner": "ftp_banners.xml", "x509_subject": "x509_subjects.xml"}
#: An update refuses a file with fewer fingerprints than this (a truncated or wrong file): about half of the
#: snapshot's count.
MIN_FINGERPRINTS = {"sysdescr": 300, "sysobjid": 20, "ssh_banner": 75, "http_server": 220, "html_title": 220,
                    "http_wwwauth": 40, "rtsp_server": 6, "telnet_banner": 75, "ftp_banner": 75, "x509_subject": 80}
#: Matching reads this many characters of a text at most (see :meth:`Database.match`).
MAX_TEXT = 1024


# --------------------------------------------------------------------------------------------- the database


@dataclass(frozen=True)
class Example:
    text: str
    expected: Mapping[str, str]  # the facts Recog says this example gives (``os.version="12.2(4)YB"``)


@dataclass(frozen=True)
class Fingerprint:
    database: str
    line: int
    pattern: str  # Recog's (Ruby) pattern, as written
    regex: re.Pattern[str]
    description: str
    constants: Mapping[str, str]  # pos=0 params (may hold "{other.param}")
    captures: Mapping[str, int]  # pos>0 params: name -> capture group
    examples: tuple[Example, ...] = ()
    literal: str = ""
    folded: bool = False

    def facts(self, m: re.Match[str]) -> dict[str, str]:
        """The params of a match: captured values (a group that did not take part gives nothing), then the constants,
        ``{name}`` interpolated (a constant naming a fact the match lacks is left out)."""
        out: dict[str, str] = {}
        for name, pos in self.captures.items():
            value = m.group(pos) if pos <= (self.regex.groups or 0) else None
            if value is not None:
                out[name] = value
        for name, value in self.constants.items():
            if "{" not in value:
                out[name] = value
                continue
            keys = re.findall(r"\{([\w.]+)\}", value)
            if all(k in out for k in keys):
                out[name] = re.sub(r"\{([\w.]+)\}", lambda k: out[k.group(1)], value)
        return out


@dataclass(frozen=True)
class Untranslated:
    database: str
    line: int
    pattern: str
    reason: str


#: Recog os.vendor values that publish a general-purpose operating system or software, not the hardware it runs on:
#: "Microsoft" on a Siemens panel or a Dell server, "Red Hat" on an HPE ProLiant, "VMware" ESXi on any server, NetWare
#: and SCO on any PC, VxWorks (Wind River) inside everyone's devices. Such a fingerprint says nothing about the brand.
#: (Compuware's AMD probe and Symantec's Gateway Security are appliances of their own brand: they count.) Measured on
#: the LibreNMS corpus: counting them anyway fixes nothing and breaks a right verdict (a Dell Compellent SCv3020 whose
#: sysDescr is a FreeBSD banner became brand "FreeBSD"), and gives OS-only recordings (pfSense, OPNsense, OpenBSD)
#: the OS's publisher as a brand.
SOFTWARE_VENDORS = frozenset({
    "microsoft", "red hat", "centos", "fedora project", "suse", "ubuntu", "debian", "openwall", "freebsd", "netbsd",
    "openbsd", "berkeley software design inc.", "sco", "novell", "wind river", "vmware", "ca", "accelerated technology",
    "linux",
})
#: Recog os.family values of operating systems sold for other makers' hardware: Sun's and Oracle's Solaris runs on
#: x86 servers of every brand (their ILOM and StorEdge fingerprints, families of their own, still name the maker).
SOFTWARE_FAMILIES = frozenset({"windows", "linux", "solaris", "freebsd", "netbsd", "openbsd", "netware", "openserver",
                               "unixware", "vmware esx/esxi"})


@dataclass(frozen=True)
class Match:
    """The first fingerprint that matched a text, and its facts (Recog's param names: ``hw.vendor``, ``os.version``)."""

    fingerprint: Fingerprint
    facts: Mapping[str, str]

    @property
    def vendor(self) -> str | None:
        """The hardware brand the fingerprint names: ``hw.vendor``, else ``os.vendor`` unless that is a
        general-purpose OS publisher or OS family (:data:`SOFTWARE_VENDORS`); a ``service.vendor`` (the SNMP agent's
        maker: Net-SNMP) never."""
        hw = self.facts.get("hw.vendor", "").strip()
        if hw:
            return hw
        os_vendor = self.facts.get("os.vendor", "").strip()
        if not os_vendor or os_vendor.lower() in SOFTWARE_VENDORS:
            return None
        if self.facts.get("os.family", "").strip().lower() in SOFTWARE_FAMILIES:
            return None
        return os_vendor

    @property
    def model(self) -> str | None:
        """The hardware model: ``hw.product`` and ``hw.model`` (joined when they differ: "TZ" "205"); else an
        ``os.product`` the pattern captured from the text and that holds a digit (Recog's older printer and storage
        fingerprints keep the model there: "MP 201", "CX4-480"), never a constant one ("XOS", "DD OS": the OS's
        name) nor one from a fingerprint that names no hardware brand. A product that only repeats the device class
        (Recog's banner fingerprints write ``hw.product="Printer"`` beside ``hw.device="Printer"``, both constants)
        is no model; a captured ``os.device`` is the text's own word (VRP's "S2700"), not a class."""
        classes = {self.fingerprint.constants.get(k, "").strip().lower() for k in ("hw.device", "os.device")} - {""}
        product, model = ("" if v.lower() in classes else v
                          for v in (self.facts.get(k, "").strip() for k in ("hw.product", "hw.model")))
        if product and model and model.lower() not in product.lower():
            return f"{product} {model}"
        if product or model:
            return product or model
        os_product = self.facts.get("os.product", "").strip()
        captured = "os.product" in self.fingerprint.captures
        if self.vendor is None or not captured or not re.search(r"\d", os_product):
            return None
        return os_product

    @property
    def version(self) -> str | None:
        """The firmware version: ``hw.version``, else ``os.version`` unless the OS is a general-purpose one (a Linux
        kernel's version is not the firmware's); a bare number ("4" of "Integrated Lights-Out 4") is a generation,
        not a version; trailing punctuation the pattern took along ("9.0:") is dropped."""
        keys = ("hw.version",) if self.facts.get("os.family", "").strip().lower() in SOFTWARE_FAMILIES else (
            "hw.version", "os.version")
        for key in keys:
            value = self.facts.get(key, "").strip().rstrip(",;:.")
            if re.search(r"\d", value) and not value.isdigit():
                return value
        return None

    @property
    def cpe23(self) -> str | None:
        return self.facts.get("hw.cpe23") or self.facts.get("os.cpe23") or None


_WORD = re.compile(r"[a-z0-9]+")


def key_word(literal: str) -> str | None:
    """The longest word (``[a-z0-9]+``, lower case, three characters at least) that the literal holds whole, a
    character that is not a word character on each side *inside* the literal: then every text holding the literal
    holds that word as a whole word too. ``" Network Jack"`` -> ``network`` (``jack`` could go on: "Jackson")."""
    low = literal.lower()
    words = [m.group(0) for m in _WORD.finditer(low) if m.start() > 0 and m.end() < len(low)]
    best = max(words, key=len, default="")
    return best if len(best) >= 3 else None


@dataclass(frozen=True)
class Database:
    name: str
    path: str
    fingerprints: tuple[Fingerprint, ...]
    untranslated: tuple[Untranslated, ...] = ()

    @functools.cached_property
    def _index(self) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
        """word -> the fingerprints whose required literal holds that whole word; and those with no such word (tried
        on every text). A text can match a fingerprint only if the text holds its word."""
        by_word: dict[str, list[int]] = {}
        always: list[int] = []
        for i, fp in enumerate(self.fingerprints):
            word = key_word(fp.literal)
            if word:
                by_word.setdefault(word, []).append(i)
            else:
                always.append(i)
        return {w: tuple(ix) for w, ix in by_word.items()}, tuple(always)

    def match(self, text: str) -> Match | None:
        """The first fingerprint (in Recog's file order) whose pattern matches ``text``, or None. Only fingerprints
        whose required literal occurs are tried (found through the literal's word: :meth:`_index`). Only the first
        :data:`MAX_TEXT` characters are read: a sysDescr holds at most 255 (SNMPv2-MIB), and some patterns backtrack
        quadratically on a long hostile text (``.*\\s+MCU:``: 20 ms at 2 KB)."""
        if not text:
            return None
        text = text[:MAX_TEXT]
        low = text.lower()
        by_word, always = self._index
        found = [ix for w in set(_WORD.findall(low)) if (ix := by_word.get(w))]
        for i in sorted(always.__add__(tuple(i for ix in found for i in ix))):
            fp = self.fingerprints[i]
            if fp.literal and fp.literal not in (low if fp.folded else text):
                continue
            m = fp.regex.search(text)
            if m:
                return Match(fp, fp.facts(m))
        return None

    def match_all(self, text: str) -> list[Match]:
        """Every fingerprint that matches, no prefilter (tests compare it with :meth:`match`)."""
        text = text[:MAX_TEXT]
        return [Match(fp, fp.facts(m)) for fp in self.fingerprints if (m := fp.regex.search(text))]


def parse(text: str | bytes, name: str, path: str) -> Database:
    """A Recog XML file's fingerprints; :class:`InputError` (file, line, what was expected) when it is not one."""
    reader = _Reader(name, path)
    parser = expat.ParserCreate()
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.chars
    parser.StartDoctypeDeclHandler = _no_doctype
    reader.parser = parser
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        raise InputError(InputProblem(path, exc.lineno, f"not well-formed XML: {expat.errors.messages[exc.code]}")
                         ) from None
    except _Refused as exc:
        raise InputError(InputProblem(path, parser.CurrentLineNumber, str(exc))) from None
    if reader.root is None:
        raise InputError(InputProblem(path, None, "no <fingerprints> element: not a Recog fingerprint file"))
    return Database(name, path, tuple(reader.fingerprints), tuple(reader.untranslated))


class _Refused(Exception):
    pass


def _no_doctype(*_: Any) -> None:
    raise _Refused("a DOCTYPE declaration (Recog files have none; entities are not expanded here)")


@dataclass
class _Pending:
    line: int
    pattern: str
    flags: str | None
    description: str = ""
    constants: dict[str, str] = field(default_factory=dict)
    captures: dict[str, int] = field(default_factory=dict)
    examples: list[tuple[dict[str, str], str]] = field(default_factory=list)


class _Reader:
    """expat handlers that collect fingerprints with the line each starts on."""

    def __init__(self, name: str, path: str) -> None:
        self.name, self.path = name, path
        self.parser: Any = None
        self.root: str | None = None
        self.current: _Pending | None = None
        self.text: list[str] | None = None
        self.attrs: dict[str, str] = {}
        self.fingerprints: list[Fingerprint] = []
        self.untranslated: list[Untranslated] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        line = self.parser.CurrentLineNumber
        if self.root is None:
            if tag != "fingerprints":
                raise _Refused(f"root element <{tag}>: expected <fingerprints> (a Recog fingerprint file)")
            self.root = tag
        elif tag == "fingerprint":
            if "pattern" not in attrs:
                raise _Refused("<fingerprint> without a pattern attribute")
            self.current = _Pending(line, attrs["pattern"], attrs.get("flags"))
        elif tag in ("description", "example") and self.current is not None:
            self.text, self.attrs = [], dict(attrs)
        elif tag == "param" and self.current is not None:
            self._param(attrs)

    def _param(self, attrs: Mapping[str, str]) -> None:
        assert self.current is not None
        try:
            pos = int(attrs.get("pos", ""))
        except ValueError:
            raise _Refused(f"<param> pos {attrs.get('pos')!r}: expected a number") from None
        name = attrs.get("name")
        if not name:
            raise _Refused("<param> without a name")
        if pos == 0:
            self.current.constants[name] = attrs.get("value", "")
        else:
            self.current.captures[name] = pos

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def end(self, tag: str) -> None:
        cur = self.current
        if cur is None:
            return
        if tag == "description" and self.text is not None:
            cur.description = " ".join("".join(self.text).split())
            self.text = None
        elif tag == "example" and self.text is not None:
            cur.examples.append((self.attrs, "".join(self.text)))
            self.text = None
        elif tag == "fingerprint":
            self._finish(cur)
            self.current = None

    def _finish(self, cur: _Pending) -> None:
        try:
            regex = compile_pattern(cur.pattern, cur.flags)
        except Untranslatable as exc:
            self.untranslated.append(Untranslated(self.name, cur.line, cur.pattern, str(exc)))
            return
        literal, folded = required_literal(cur.pattern, cur.flags)
        examples = tuple(ex for attrs, body in cur.examples if (ex := _example(attrs, body)) is not None)
        self.fingerprints.append(Fingerprint(self.name, cur.line, cur.pattern, regex, cur.description,
                                             dict(cur.constants), dict(cur.captures), examples, literal, folded))


def _example(attrs: Mapping[str, str], body: str) -> Example | None:
    """An ``<example>``: its text (base64 when ``_encoding="base64"``) and the facts it should give. One kept in an
    external file (``_filename``) is not shipped: None."""
    if "_filename" in attrs:
        return None
    if attrs.get("_encoding") == "base64":
        try:
            body = base64.b64decode("".join(body.split()), validate=True).decode("utf-8", errors="replace")
        except (binascii.Error, ValueError):
            return None
    return Example(body, {k: v for k, v in attrs.items() if not k.startswith("_")})


# --------------------------------------------------------------------------------------------- the snapshot


@dataclass(frozen=True)
class Recog:
    """A snapshot directory: each database is read and compiled the first time it is asked for (:func:`database`),
    so a process that only judges sysDescrs never pays for the banner databases, and the other way round."""

    directory: str
    source: str  # the SOURCE note: repository, commit, date

    def database(self, name: str) -> Database:
        """One database by its name (a key of :data:`FILES`); KeyError for a name that is not one."""
        if name not in FILES:
            raise KeyError(f"no Recog database {name!r}; known: {', '.join(FILES)}")
        return database(self.directory, name)

    @property
    def sysdescr(self) -> Database:
        return self.database("sysdescr")

    @property
    def sysobjid(self) -> Database:
        return self.database("sysobjid")

    def match(self, name: str, text: str) -> Match | None:
        """The first fingerprint of database ``name`` matching ``text`` (see :meth:`Database.match`)."""
        return self.database(name).match(text)

    def match_descr(self, descr: str) -> Match | None:
        return self.sysdescr.match(descr)

    def match_object_id(self, oid: str, descr: str = "") -> Match | None:
        """The sysObjectID database: its patterns match the OID alone, some ``"<OID> <sysDescr>"``."""
        oid = oid.strip().lstrip(".")
        if not oid:
            return None
        return self.sysobjid.match(f"{oid} {descr}".rstrip()) or self.sysobjid.match(oid)

    @property
    def untranslated(self) -> tuple[Untranslated, ...]:
        """Fingerprints of every database that could not be translated (loads them all)."""
        return tuple(u for name in FILES for u in self.database(name).untranslated)


def read_file(path: Path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            return str(fh.read())
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise InputError(InputProblem(str(path), None, f"cannot read a Recog fingerprint file: {exc}")) from None


@functools.lru_cache(maxsize=4 * len(FILES))
def database(directory: str, name: str) -> Database:
    """Database ``name`` of the snapshot in ``directory``, parsed and compiled once per process."""
    path = Path(directory) / f"{FILES[name]}.gz"
    return parse(read_file(path), name, str(path))


@functools.lru_cache(maxsize=2)
def load(directory: str | None = None) -> Recog:
    """The shipped snapshot (or the one in ``directory``); its databases are read when first asked for."""
    where = Path(directory) if directory else DATA
    source = (where / "SOURCE").read_text(encoding="utf-8") if (where / "SOURCE").exists() else ""
    return Recog(str(where), source)


def _source_files(source: Path) -> dict[str, Path]:
    """The files of :data:`FILES` inside a Recog checkout or its ``xml`` directory."""
    for base in (source / "xml", source):
        found = {name: base / file for name, file in FILES.items()}
        if all(p.is_file() for p in found.values()):
            return found
    missing = ", ".join(FILES.values())
    raise InputError(InputProblem(str(source), None,
                                  f"expected a Recog checkout or its xml directory holding {missing}"))


def update(source: str, target: Path = DATA) -> dict[str, int]:
    """Check and write ``source``'s files (:data:`FILES`) as the shipped snapshot; the fingerprint counts. Nothing is
    written unless every file parses and holds at least :data:`MIN_FINGERPRINTS` translatable fingerprints."""
    files = _source_files(Path(source))
    texts = {name: read_file(path) for name, path in files.items()}
    counts: dict[str, int] = {}
    for name, text in texts.items():
        db = parse(text, name, str(files[name]))
        if len(db.fingerprints) < MIN_FINGERPRINTS[name]:
            raise InputError(InputProblem(str(files[name]), None, f"only {len(db.fingerprints)} usable fingerprints; "
                                          f"expected at least {MIN_FINGERPRINTS[name]} (a truncated or wrong file?)"))
        counts[name] = len(db.fingerprints)
    target.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        with gzip.open(target / f"{FILES[name]}.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
            fh.write(text)
    today = datetime.now(UTC).date().isoformat()
    (target / "SOURCE").write_text(
        f"Rapid7 Recog fingerprints (https://github.com/rapid7/recog), BSD-2-Clause (see LICENSE)\n"
        f"files: {', '.join('xml/' + f for f in FILES.values())}\nupdated from: {source}\ntaken: {today}\n",
        encoding="utf-8")
    load.cache_clear()
    database.cache_clear()
    return counts


# --------------------------------------------------------------------------------------------- evidence

def descr_evidence(kb: KnowledgeBase, descr: str, oid: str, source: str, found: Sequence[_evidence.Evidence],
                   *, signal: str = "snmp.sysDescr", weight_key: str = "recog") -> list[_evidence.Evidence]:
    """What Recog adds to a device's sysDescr evidence ``found`` so far (the sysObjectID database, whose patterns
    read ``"<OID> <sysDescr>"``, when the sysDescr database names no vendor). An LLDP neighbour's system description
    is the neighbour's sysDescr: the same database, under its own ``signal`` and ``weight_key``. What the claim is:
    :func:`text_evidence`."""
    return text_evidence(kb, _vendor_match(descr, oid), descr, signal, source, weight_key,
                         [e for e in found if e.signal == signal])


def banner_evidence(kb: KnowledgeBase, database_name: str, text: str, signal: str, source: str, weight_key: str,
                    found: Sequence[_evidence.Evidence] = ()) -> list[_evidence.Evidence]:
    """What Recog's banner database ``database_name`` (``ssh_banner``, ``http_server``, ...) says of a raw string a
    service volunteered (``found``: the other claims read from the same port). What the claim is:
    :func:`text_evidence`."""
    return text_evidence(kb, load().match(database_name, text), text, signal, source, weight_key, found)


def text_evidence(kb: KnowledgeBase, m: Match | None, text: str, signal: str, source: str, weight_key: str,
                  found: Sequence[_evidence.Evidence]) -> list[_evidence.Evidence]:
    """The claim of a Recog match ``m`` on ``text`` (``found``: the claims already read from the same text).

    * A fingerprint that names a hardware brand (:attr:`Match.vendor`) in words the text itself holds is a label
      claim at weight ``weight_key`` (``recog`` for a sysDescr), below the knowledge base's own text claims. The
      brand is mapped through the knowledge base ("Kyocera Mita" is Kyocera, "Data Domain" Dell), else kept as Recog
      spells it, so that an unknown vendor is judged by the same maker/PRC rules as any registry name
      (:mod:`collectors.vendor.makers`), never a silent "no".
    * A brand Recog infers from a product name alone ("UAP-AC-Pro", "DS-6520B", "DNVRS-Webs"), the text naming no
      maker, is a weaker claim of kind :data:`PRODUCT_ONLY`, at the knowledge base's model-number weight.
    * When ``found`` already names that family, the match only adds what they may lack (model, version) at weight
      0: the same words are not counted twice against the device's other signals.
    * An operating system built for several brands named in the text (``os_makers``: "Comware-7.1.045", H3C's OS,
      also in HPE's switches) names the maker, never the brand: a maker claim of weight 0.
    * A fingerprint of a general-purpose OS (Windows, Linux, Solaris, NetWare, ESXi, ...) names no brand and adds
      nothing: its kernel or OS version is not the hardware's firmware (it would make a wrong CPE name); nor does
      one naming a chip, a BMC firmware or a router firmware built into other makers' products
      (:data:`COMPONENT_VENDORS`, the knowledge base's chip makers)."""
    if m is None or m.vendor is None or m.vendor.lower() in COMPONENT_VENDORS or kb.is_chip_maker(m.vendor):
        return []
    brand = kb.brand_named(m.vendor) or m.vendor
    said = ", ".join(x for x in (f"model {m.model!r}" if m.model else "", f"version {m.version!r}" if m.version else "")
                     if x)
    note = f"Rapid7 Recog fingerprint {m.fingerprint.description!r}" + (f": {said}" if said else "")
    ev = _evidence.Evidence(signal, text[:300], source, brand=brand, model=m.model, version=m.version,
                            weight=kb.weight(weight_key), kind="label", note=note)
    makers = kb.os_makers_in(text)
    if makers:
        os_name, maker = makers[0]
        return [replace(ev, brand=None, manufacturer=maker, weight=0.0, kind="maker",
                        note=f"{note}; {os_name} is {maker}'s operating system, also sold under other brands")]
    if _already_named(kb, brand, found):
        return [replace(ev, weight=0.0, kind="info")]
    if not _names_vendor(kb, m.vendor, brand, text):
        return [replace(ev, weight=min(ev.weight, kb.weight("model_pattern")), kind=PRODUCT_ONLY,
                        note=f"{note}; {PRODUCT_ONLY_NOTE}")]
    return [ev]


#: Recog vendors that name a part or a firmware inside other makers' products, never the product's brand: chips
#: (HiSilicon's SoCs in many brands' cameras, Conexant's modems, Intel's AMT in every maker's PCs), AMI's MegaRAC BMC
#: firmware (in Supermicro, ASRock, Gigabyte... servers), router firmwares and build systems flashed onto others'
#: hardware (DD-WRT, OpenWrt, Yocto), Linux distributions and hobby OSes Recog lists as os.vendor.
COMPONENT_VENDORS = frozenset({"hisilicon", "conexant", "intel", "ami", "american megatrends", "dd-wrt", "openwrt",
                               "yocto", "gentoo", "serenityos"})


def _vendor_match(descr: str, oid: str) -> Match | None:
    rc = load()
    m = rc.match_descr(descr)
    if (m is None or m.vendor is None) and oid:
        return rc.match_object_id(oid, descr) or m
    return m


def _already_named(kb: KnowledgeBase, brand: str, found: Sequence[_evidence.Evidence]) -> bool:
    """Do the label claims read from the same text already name ``brand``'s family?"""
    family = kb.family_of(brand)
    return any(e.kind == "label" and e.brand and kb.family_of(e.brand) == family for e in found)


#: The kind of a claim whose brand Recog infers from a product name alone: it counts toward the brand, but is neither
#: the device's own label (it does not outrank a registry-only enterprise number, and a rival signal judged the other
#: way makes the PRC answer "needs review") nor its maker (it names no manufacturer).
PRODUCT_ONLY: _evidence.Kind = "info"
PRODUCT_ONLY_NOTE = "the text names no maker: Recog infers the brand from the product name"


def _names_vendor(kb: KnowledgeBase, vendor: str, brand: str, descr: str) -> bool:
    """Does the text itself name the vendor (its full name, or the knowledge base's brand), or only a product?"""
    family = kb.family_of(brand)
    if any(kb.family(b) == family for b, _ in kb.brands_in_text(descr)):
        return True
    words = _WORD.findall(vendor.lower())
    return bool(words) and re.search(r"(?<![a-z0-9])" + r"[\W_]*".join(map(re.escape, words)) + r"(?![a-z0-9])",
                                     descr.lower()) is not None


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2 or argv[0] != "update":
        print("usage: python -m collectors.vendor.recog update <recog checkout | its xml directory>", file=sys.stderr)
        return 2
    try:
        counts = update(argv[1])
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(", ".join(f"{n} {name} fingerprints" for name, n in counts.items()) + f" -> {DATA}")
    return 0


if __name__ == "__main__":  # pragma: no cover - the documented update command
    raise SystemExit(main(sys.argv[1:]))
