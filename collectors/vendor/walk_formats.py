"""Saved SNMP answers printed one object a line: net-snmp's ``snmpwalk`` in its output options, and SnmpSoft's
Windows ``SnmpWalk.exe``. ``recordings.read_text`` hands every file that is not snmprec to :func:`read`.

Why a module of its own: agency staff keep what their tool printed, with whatever ``-O`` options and MIBs they
had; each form must give the same facts as the numeric ``-On`` output of the same agent (real outputs of each:
tests/vendor/fixtures/walk_formats/SOURCES). The forms, told apart by the first data line (:func:`style_of`):

* ``NAME = TYPE: VALUE``: net-snmp's default. NAME is numeric (``-On``), ``iso.3.6...`` (no MIBs loaded, Debian's
  default), ``MODULE::name.index`` (MIBs loaded), ``.iso.org.dod...`` (``-Of``), ``name.index`` (``-Os``),
  ``system.sysDescr.0`` (``-Ou``) or ``name[index]`` (``-OX``);
* ``NAME = VALUE`` (``-OQ``) and ``NAME VALUE`` (``-Oq``): no type, so an OCTET STRING net-snmp could not print as
  text comes as ``"00 E0 FC 14 C6 86 "`` and an OID value is told by the object (sysObjectID);
* ``OID=.1.3..., Type=OctetString, Value=...``: SnmpWalk.exe;
* values without names (``-Ov``, ``-Oqv``): refused by the caller, with a FILE:LINE error saying the OIDs are
  missing.

Names become numeric OIDs through :mod:`collectors.vendor.mib_names` (the standard objects read and the vendors'
product-ID MIBs). A value or a name that cannot be resolved is never guessed: it keeps its text, or only the
enterprise arc it is known to lie under, and the line is listed as a problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from collectors.snmp_system import ENT_PHYSICAL, SYSTEM_OIDS
from collectors.vendor import mib_names, standard_identity
from collectors.vendor.collector import BRIDGE_ADDRESS, ENGINE_ID, IF_PHYS_ADDRESS
from netcomply.errors import InputProblem

Object = tuple[str, Any, str]
SYS_OBJECT_ID = SYSTEM_OIDS["sys_object_id"]
_IF_PHYS = IF_PHYS_ADDRESS + "."

#: net-snmp's type labels (snmplib/mib.c sprint_realloc_*): anything else before a colon is part of the value
#: (``-OQ`` prints ``= SNMPv2-SMI::enterprises.9.1.1208``: a module name, not a type).
TYPES = ("STRING", "Hex-STRING", "OID", "INTEGER", "Gauge32", "Counter32", "Counter64", "Timeticks", "IpAddress",
         "Network Address", "BITS", "Opaque", "UInteger32", "INTEGER64", "UNSIGNED64", "Float", "Double", "NULL")
_EQ = re.compile(r"^(\S+)\s+=\s*(.*)$")  # centreon's anonymised walks put two spaces before "="
_Q = re.compile(r"^(\S+)(?: (.*))?$")
_TYPED = re.compile(r"^(" + "|".join(re.escape(t) for t in TYPES) + r"|Wrong Type \(should be [^)]*\)):\s?(.*)$")
_SNMPSOFT = re.compile(r"^OID=(\S+?), Type=([^,]*), Value=(.*)$")
_SNMPSOFT_TYPES = {"OctetString": "STRING", "OID": "OID", "Integer": "INTEGER", "TimeTicks": "Timeticks",
                   "Counter32": "Counter32", "Gauge32": "Gauge32", "Counter64": "Counter64", "IpAddress": "IpAddress"}
_SNMPSOFT_HEX = re.compile(r"^ {2}[0-9A-F]{2}(?:\s+[0-9A-F]{2})*\s*$")
#: What snmpwalk prints in place of a value: the object is absent, not a value.
_ABSENT = ("No Such Instance currently exists", "No Such Object available", "No more variables left in this MIB")
_TRAILERS = re.compile(r"^(?:End of MIB|No more variables left in this MIB View|No Such (?:Object|Instance))")
_HEX_TAIL = re.compile(r"(?:[0-9A-Fa-f]{2} ?)+")
#: net-snmp's hex form of an OCTET STRING, as ``-OQ``/``-Oq`` print it inside quotes: upper-case pairs, each
#: followed by a space (a text value this regular is not printed in hex, net-snmp prints it as text).
_QUOTED_HEX = re.compile(r"(?:[0-9A-F]{2}\s+)+")
#: A name as net-snmp prints one: ``.1.3...``, ``iso.3...``, ``MODULE::name.index``, ``name.1``, ``name[1]``.
_NAMEISH = re.compile(r"^\.?(?:[A-Za-z][\w-]*::)?[a-z0-9][\w-]*(?:[.\[][^\s]*)?$")
_NAME_INDEX = re.compile(r"^[a-z][\w-]*(?:\.\d+)+$")
#: Objects whose value is an OBJECT IDENTIFIER, for the forms that print no type.
_OID_VALUED = {SYS_OBJECT_ID}
#: MIB names of the objects read, looked up first: no table to load for the common ``MODULE::name.index``.
_NAMES = {
    "SNMPv2-MIB::sysDescr": "1.3.6.1.2.1.1.1", "SNMPv2-MIB::sysObjectID": SYS_OBJECT_ID.removesuffix(".0"),
    "SNMP-FRAMEWORK-MIB::snmpEngineID": ENGINE_ID.removesuffix(".0"), "SNMPv2-SMI::enterprises": "1.3.6.1.4.1",
    "IF-MIB::ifPhysAddress": IF_PHYS_ADDRESS, **standard_identity.MIB_NAMES,
    "BRIDGE-MIB::dot1dBaseBridgeAddress": BRIDGE_ADDRESS.removesuffix(".0"),
    **{f"ENTITY-MIB::entPhysical{name}": f"{ENT_PHYSICAL}.{col}" for col, name in (
        ("2", "Descr"), ("5", "Class"), ("8", "HardwareRev"), ("9", "FirmwareRev"), ("10", "SoftwareRev"),
        ("11", "SerialNum"), ("12", "MfgName"), ("13", "ModelName"))},
}


def resolve(name: str) -> str | None:
    """A printed name or OID value -> numeric OID (:data:`_NAMES`, then :func:`mib_names.resolve`)."""
    base, dot, index = name.strip().lstrip(".").partition(".")
    oid = _NAMES.get(base)
    if oid is not None and (not dot or re.fullmatch(r"\d+(?:\.\d+)*", index)):
        return f"{oid}.{index}" if dot else oid
    return mib_names.resolve(name)


def values_only(line: str) -> bool:
    """Whether a first line looks like ``snmpwalk -Ov``/``-Oqv`` output: a value with no name before it."""
    text = line.strip()
    return text.startswith('"') or _TYPED.match(text) is not None


def octets_value(octets: bytes) -> str:
    """An OCTET STRING as the SNMP transport reads it (printable UTF-8 is text, tabs and line ends allowed),
    trailing NULs of C-string agents dropped; anything else as ``0x`` and its hex digits."""
    body = octets.rstrip(b"\0")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "0x" + octets.hex()
    if all(" " <= c <= "~" or c in "\t\r\n" or (ord(c) > 127 and c.isprintable()) for c in text):
        return text
    return "0x" + octets.hex()


def is_mac(oid: str) -> bool:
    return oid == BRIDGE_ADDRESS or (oid.startswith(_IF_PHYS) and oid[len(_IF_PHYS):].isdigit())


def style_of(line: str) -> str | None:
    """The form of a file, from its first data line: ``snmpsoft``, ``eq`` (``NAME = ...``), ``q`` (``NAME VALUE``,
    ``-Oq``), or None (not one of these; ``-Ov`` output, values without names, is None)."""
    text = line.strip()
    if _SNMPSOFT.match(text):
        return "snmpsoft"
    m = _EQ.match(text)
    if m and _is_name(m.group(1), strict=False):
        return "eq"
    m = _Q.match(text)
    if m and _is_name(m.group(1), strict=True):
        return "q"
    return None


def _is_name(token: str, *, strict: bool) -> bool:
    """Whether a line's first token is an object name. ``strict`` (``-Oq``, no ``=`` to go by): only a name that
    is numeric, module-qualified, resolvable or ``name.index``, so a continued text value's line is not taken for
    an object (MIB names start lower-case; text lines usually do not)."""
    if not _NAMEISH.match(token):
        return False
    if token.lstrip(".")[:1].isdigit():
        return "." in token.lstrip(".")  # one arc is a number, not an OID (-Ov output starting with an integer)
    if not strict or token[0] == "." or "::" in token or _NAME_INDEX.match(token):
        return True
    return resolve(token) is not None


@dataclass
class _Open:
    """The last object, while its value may go on on the next lines."""

    index: int | None  # in objects; None: an object this reader does not keep
    oid: str
    kind: str
    text: str
    line: int
    quoted: bool = False  # a quoted string still open
    hex: bool = False  # a Hex-STRING (net-snmp wraps it 16 octets a line)
    text_lines: bool = False  # an unquoted text: its next lines may continue it
    grown: bool = False  # lines were added since it was last decoded


@dataclass
class WalkReader:
    """Reads one file line by line; a value that goes on on the next lines is decoded once, when it ends (a
    long wrapped Hex-STRING stays linear)."""

    path: str
    style: str
    objects: list[Object] = field(default_factory=list)
    skipped: list[InputProblem] = field(default_factory=list)
    open: _Open | None = None

    def problem(self, number: int, text: str) -> None:
        self.skipped.append(InputProblem(self.path, number, text))

    def feed(self, number: int, line: str) -> None:
        line = line.rstrip("\r")
        if self._continues(line):
            return
        self.close()
        stripped = line.strip()
        if not stripped or _TRAILERS.match(stripped):
            return
        parsed = self._object_line(stripped)
        if parsed is None:
            self.problem(number, f"expected {_EXPECTED[self.style]}, got {line[:60]!r}")
            return
        self._add(number, *parsed)

    def _continues(self, line: str) -> bool:
        """A line that belongs to the value above: a quoted string's next line, a wrapped Hex-STRING's tail, or
        the next line of an unquoted text (net-snmp prints a DisplayString unquoted when its MIB is loaded)."""
        op = self.open
        if op is None:
            return False
        if op.quoted:
            op.text += "\n" + line
            op.grown = True
            if line.rstrip().endswith('"') and not line.rstrip().endswith('\\"'):
                op.quoted = False
                self._store(op)
                self.open = None
            return True
        if op.hex:
            if _HEX_TAIL.fullmatch(line.strip()):
                op.text += " " + line.strip()
                op.grown = True
                return True
            return False
        if op.text_lines and line.strip() and self._object_line(line.strip()) is None \
                and not _TRAILERS.match(line.strip()):
            op.text += "\n" + line
            op.grown = True
            return True
        return False

    def close(self) -> None:
        """The value above has ended: decode it again if lines were added to it."""
        if self.open is not None and self.open.grown:
            self._store(self.open)
        self.open = None

    def _object_line(self, text: str) -> tuple[str, str, str] | None:
        """(name, type, raw value) of an object line of this file's form, or None."""
        if self.style == "snmpsoft":
            m = _SNMPSOFT.match(text)
            return (m.group(1), "snmpsoft:" + m.group(2).strip(), m.group(3)) if m else None
        if self.style == "eq":
            m = _EQ.match(text)
            if m is None or not _is_name(m.group(1), strict=False):
                return None
            typed = _TYPED.match(m.group(2))
            return (m.group(1), typed.group(1), typed.group(2)) if typed else (m.group(1), "", m.group(2))
        m = _Q.match(text)
        if m is None or not _is_name(m.group(1), strict=True):
            return None
        return m.group(1), "", m.group(2) or ""

    def _add(self, number: int, name: str, kind: str, raw: str) -> None:
        self.open = None
        if raw.startswith(_ABSENT):
            return
        if kind.startswith("snmpsoft:"):
            kind, raw = _snmpsoft_value(kind[len("snmpsoft:"):], raw)
        oid = resolve(name)
        if oid is None:
            number_ = mib_names.enterprise_of(name)
            if number_ is None:  # an object of a MIB not named here: not one the judge reads
                self.open = _Open(None, "", kind, raw, number, quoted=_opens_quote(raw), hex=kind == "Hex-STRING",
                                  text_lines=not raw.startswith('"'))
                return
            oid = f"{mib_names.ENTERPRISES}.{number_}"  # only the subtree it answers under is known
        index = len(self.objects)
        op = _Open(index, oid, kind, raw, number, quoted=_opens_quote(raw))
        op.hex = kind == "Hex-STRING"
        op.text_lines = kind in ("STRING", "", "snmpsoft") and not raw.startswith('"')
        if index is not None:
            self.objects.append((oid, None, kind))
            self._store(op)
        self.open = op

    def _store(self, op: _Open) -> None:
        if op.index is None:
            return
        text = op.text + ('"' if op.quoted else "")  # a quoted value cut off at the end of the file
        value = _value(op.oid, op.kind, text)
        if op.oid in _OID_VALUED and op.kind in ("OID", ""):  # the one OID value read: other objects' OID values
            value = self._oid_value(op.line, text)            # are not resolved (nor listed when they cannot be)
        elif (is_mac(op.oid) or op.oid == ENGINE_ID) and op.kind == "STRING" and "." in str(value) \
                and ":" not in str(value):
            # -Oa prints every octet that is not printable ASCII as '.': the address is lost, not a '.' byte
            self.problem(op.line, f"{op.oid}: {text[:40]!r} is text with '.' for unprintable octets (snmpwalk "
                         "-Oa?): the address cannot be read; walk again without -Oa")
            value = _LOST
        self.objects[op.index] = (op.oid, value, op.kind)

    def _oid_value(self, number: int, raw: str) -> str:
        text = raw.strip().strip('"')
        oid = resolve(text)
        if oid is not None:
            return oid
        enterprise = mib_names.enterprise_of(text)
        if enterprise is not None:
            self.problem(number, f"OID value {text!r} is not in netcomply's MIB-name table: read as enterprise "
                         f"{enterprise} only (walk again with -On for the full OID)")
            return f"{mib_names.ENTERPRISES}.{enterprise}"
        self.problem(number, f"OID value {text!r} could not be resolved to a numeric OID (walk again with -On)")
        return text


def _opens_quote(raw: str) -> bool:
    return raw.startswith('"') and (len(raw) == 1 or not raw.endswith('"') or raw.endswith('\\"'))


_LOST = object()  # a value known to be mangled (-Oa): the object is left out
_EXPECTED = {"eq": "'OID = TYPE: VALUE' (snmpwalk)", "q": "'OID VALUE' (snmpwalk -Oq)",
             "snmpsoft": "'OID=..., Type=..., Value=...' (SnmpWalk.exe)"}


def _snmpsoft_value(kind: str, raw: str) -> tuple[str, str]:
    """SnmpWalk.exe prints text as it is and other octets as hex pairs after two spaces (``Value=  07 DD 09``)."""
    if kind == "OctetString" and _SNMPSOFT_HEX.match(raw):
        return "Hex-STRING", raw.strip()
    return _SNMPSOFT_TYPES.get(kind, kind) if kind != "OctetString" else "snmpsoft", raw


def _printed_as_hex(text: str) -> bool:
    """Whether a quoted value of the typeless forms is net-snmp's hex: upper-case pairs each followed by a space.
    Printable octets come this way too: with ``-Ox`` (``-Oqx``, Checkmk's stored walks) every string is hex."""
    return _QUOTED_HEX.fullmatch(text) is not None


def _value(oid: str, kind: str, raw: str) -> Any:
    """A printed value as the snmprec reader gives it: text, ``0x`` hex, int."""
    # an unquoted text is printed as it is: its trailing spaces are the value's (quotes and numbers are trimmed)
    raw = raw.strip("\r\n") if kind in ("snmpsoft", "STRING", "") and not raw.strip().startswith('"') \
        else raw.strip()
    if kind == "" and len(raw) >= 2 and raw.startswith('"') and raw.endswith('"') and _printed_as_hex(raw[1:-1]):
        kind, raw = "Hex-STRING", raw[1:-1]  # -OQ/-Oq: an OCTET STRING net-snmp printed in hex, type dropped
    if kind in ("Hex-STRING", "BITS"):
        digits = "".join(raw.split())
        if is_mac(oid) and kind == "Hex-STRING":
            return "0x" + digits.lower()  # a MAC's bytes, never read as text
        try:
            return octets_value(bytes.fromhex(digits))
        except ValueError:
            return raw
    if kind in ("STRING", "", "snmpsoft") and len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
        return raw[1:-1].replace('\\"', '"')
    if kind == "INTEGER":  # without a type (-OQ, -Oq) a number stays text: it may be a serial number
        m = re.search(r"\((-?\d+)\)", raw) or re.search(r"-?\d+", raw)  # enumerations print as name(number)
        return int(m.group(1) if m.re.groups else m.group(0)) if m else raw
    return raw


def read(lines: list[str], path: str, style: str) -> tuple[list[Object], list[InputProblem]]:
    """Every object of a file of ``style`` (:func:`style_of`), and the lines that could not be read."""
    reader = WalkReader(path, style)
    for number, line in enumerate(lines, 1):
        reader.feed(number, line)
    reader.close()
    return [o for o in reader.objects if o[1] is not _LOST], reader.skipped
