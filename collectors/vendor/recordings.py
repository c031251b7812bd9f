"""Saved SNMP answers of one device, read offline: snmpsim recordings (``.snmprec``) and ``snmpwalk`` output.

Why: an agency often holds device answers without network access to the device: a maintenance contractor's
``snmpwalk`` dump, a monitoring system's recording, a device it may not scan. Identifying from those must give the
same verdict as a live scan, so this module reduces a recording to exactly the objects the live collectors read
(``device.snmp_system`` and ``vendor.snmp_signals``: sysDescr, sysObjectID, the ENTITY-MIB rows, the SNMPv3 engine
id, the knowledge base's brand scalars, the private enterprise subtrees the device answers and its own MACs). The
development corpus (``tests/vendor/corpus``) is built by the same reduction.

Formats, told apart by their first data line:

* snmprec (snmpsim): ``1.3.6.1.2.1.1.1.0|4|Cisco IOS ...``; tags ``4x``/``6x`` hex-encoded, ``2`` integer;
* one object a line (:mod:`collectors.vendor.walk_formats`): net-snmp ``snmpwalk`` output in its ``-O`` forms
  (``.1.3.6.1.2.1.1.1.0 = STRING: "Cisco IOS ..."``, ``iso.3.6...``, ``SNMPv2-MIB::sysDescr.0``, ``-Of``, ``-Os``,
  ``-Ou``, ``-OX``, ``-OQ``, ``-Oq``, ``-Ox``, ``-Oe``; vendor product names as sysObjectID values) and SnmpSoft's
  ``SnmpWalk.exe`` (``OID=.1.3.6.1.2.1.1.1.0, Type=OctetString, Value=...``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from collectors.snmp_system import ENT_PHYSICAL, SYSTEM_OIDS, chassis_rows, enterprise_number
from collectors.vendor import evidence as E
from collectors.vendor import own_macs as own_mac_evidence
from collectors.vendor import standard_identity, walk_formats
from collectors.vendor.collector import BRIDGE_ADDRESS, ENGINE_ID, IF_PHYS_ADDRESS, MAX_IF_ROWS, MAX_SUBTREES
from collectors.vendor.identify import Verdict, identify
from collectors.vendor.kb import KnowledgeBase
from netcomply.errors import InputError, InputProblem

# The objects and limits are the live collectors' own (device.snmp_system, vendor.snmp_signals), so a recording
# and a scan of the same device cannot drift apart.
SYS_DESCR, SYS_OBJECT_ID = SYSTEM_OIDS["sys_descr"], SYSTEM_OIDS["sys_object_id"]
ENT = ENT_PHYSICAL + "."
ENT_COLUMNS = {"2": "descr", "5": "class", "8": "hardware_rev", "9": "firmware_rev", "10": "software_rev",
               "11": "serial", "12": "mfg_name", "13": "model_name"}  # the corpus keeps the revisions too
_IF_PHYS = IF_PHYS_ADDRESS + "."
MAX_MACS = 4  # a recording keeps this many of the device's own MACs (the corpus rows stay small)
MAX_ENTITY_ROWS = 4  # chassis rows first: the judge reads chassis rows only, as the live collector keeps them
MAX_BYTES = 256 * 1024 * 1024
MAX_SKIPPED_SHOWN = 5

_ENT_CLASSES = {"other": 1, "unknown": 2, "chassis": 3, "backplane": 4, "container": 5, "powerSupply": 6, "fan": 7,
                "sensor": 8, "module": 9, "port": 10, "stack": 11, "cpu": 12}
_SNMPREC = re.compile(r"^\.?(\d+(?:\.[^|.\s]+)+)\|([0-9]+[a-z]?(?::[^|]*)?)\|(.*)$")
octets_value = walk_formats.octets_value  # public here before the walk forms had a module of their own


def _snmprec_value(tag: str, raw: str) -> Any:
    base = tag.split(":", 1)[0]
    if base.endswith("x"):
        try:
            octets = bytes.fromhex(raw)
        except ValueError:
            return raw
        return octets_value(octets) if base[:-1] != "6" else octets.decode("ascii", "replace").lstrip(".")
    if base == "2":
        try:
            return int(raw)
        except ValueError:
            return None
    if base == "6":
        return raw.lstrip(".")
    return raw


class Reading:
    """What a recording held: its objects, and the lines that could not be read (kept as problems, never fatal:
    real recordings hold redacted OIDs such as ``1.3.6.1.2.1.4.20.1.2.<IPADDR>`` next to good objects)."""

    def __init__(self) -> None:
        self.objects: list[tuple[str, Any, str]] = []
        self.skipped: list[InputProblem] = []


def _snmprec(lines: list[str], path: str) -> Reading:
    out = Reading()
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        m = _SNMPREC.match(line)
        if m is None:
            last = out.objects[-1] if out.objects else None
            if last is not None and last[2].split(":", 1)[0] == "4" and "|" not in line:
                # a plain-text value with a line break in it, written as it came (snmprec has no escape for it)
                out.objects[-1] = (last[0], f"{last[1]}\n{line}", last[2])
                continue
            out.skipped.append(InputProblem(path, number, f"expected OID|TAG|VALUE (snmprec), got {line[:60]!r}"))
            continue
        oid, tag, raw = m.groups()
        if _is_mac(oid) and tag.split(":", 1)[0] == "4x":
            out.objects.append((oid, "0x" + raw.lower(), tag))  # a MAC's bytes, never read as text
            continue
        out.objects.append((oid, _snmprec_value(tag, raw), tag))
    return out


def read_text(text: str, path: str = "<text>") -> Reading:
    """Every object of a recording, in any form read here; lines that are none are listed in ``skipped``."""
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip() and not ln.startswith("#")), None)
    if first is None:
        raise InputError(InputProblem(path, None, "empty: no SNMP objects in it"))
    if _SNMPREC.match(first):
        reading = _snmprec(lines, path)
    elif (style := walk_formats.style_of(first)) is not None:
        reading = Reading()
        reading.objects, reading.skipped = walk_formats.read(lines, path, style)
    else:
        number = lines.index(first) + 1
        if walk_formats.values_only(first):
            raise InputError(InputProblem(path, number, "values without their OIDs (snmpwalk -Ov or -Oqv output): "
                                          "the OIDs are missing, so no value can be told apart; walk again without "
                                          f"-Ov; got {first[:60]!r}"))
        raise InputError(InputProblem(path, number, "not an SNMP recording: expected snmprec lines (OID|TAG|VALUE), "
                                      "snmpwalk output (OID = TYPE: VALUE, OID = VALUE, OID VALUE) or SnmpWalk.exe "
                                      "lines (OID=..., Type=..., Value=...); values without their OIDs (snmpwalk "
                                      f"-Ov, -Oqv) cannot be read, walk again without -Ov; got {first[:60]!r}"))
    if not reading.objects:
        raise InputError(InputProblem(path, None, f"no SNMP object could be read ({len(reading.skipped)} lines "
                                      "skipped; values without their OIDs, as snmpwalk -Ov prints, cannot be read)"))
    return reading


_is_mac = walk_formats.is_mac


_COLON_MAC = re.compile(r"[0-9A-Fa-f]{1,2}(?::[0-9A-Fa-f]{1,2}){5}")


def _mac_hex(value: Any) -> str:
    """A MAC as hex digits, however the recording wrote it: ``0x`` hex, net-snmp's ``0:1b:21:a:b:c``, or its six
    raw bytes in a plain snmprec value."""
    text = str(value or "").strip()
    if text.startswith("0x"):
        return text[2:]
    if _COLON_MAC.fullmatch(text):
        return "".join(part.zfill(2) for part in text.split(":"))
    if len(text) == 6:
        return text.encode("latin-1", "replace").hex()
    return text


def own_macs(found: dict[int, str]) -> list[str]:
    """The device's own hardware MACs as the collector reads them: the bridge address (key -1), then the first
    ``MAX_IF_ROWS`` ifPhysAddress rows in ifIndex order, filtered (``own_macs.candidates``), at most ``MAX_MACS``."""
    rows = [found[i] for i in sorted(i for i in found if i >= 0)[:MAX_IF_ROWS]]
    return own_mac_evidence.candidates([found.get(-1), *rows], MAX_MACS)


def _entity_class(value: Any) -> Any:
    if isinstance(value, str) and not value.isdigit():
        return _ENT_CLASSES.get(value.split("(")[0], value)
    return int(value) if isinstance(value, str) else value


def facts(objects: Iterable[tuple[str, Any, str]], vendor_oids: Iterable[str] = ()) -> dict[str, Any]:
    """The objects the identification reads, in the shape of a corpus row (``collectors.vendor.corpus``)."""
    wanted = set(vendor_oids)
    rec: dict[str, Any] = {}
    rows: dict[str, dict[str, Any]] = {}
    subtrees: set[int] = set()
    macs: dict[int, str] = {}
    identity: dict[str, Any] = {}
    for oid, value, _kind in objects:
        if _is_mac(oid):
            macs[-1 if oid == BRIDGE_ADDRESS else int(oid[len(_IF_PHYS):])] = _mac_hex(value)
            continue
        number = enterprise_number(oid)
        if number is not None:
            subtrees.add(number)
        if oid == SYS_DESCR:
            rec["sys_descr"] = value
        elif oid == SYS_OBJECT_ID:
            rec["sys_object_id"] = str(value or "").lstrip(".") or None
        elif oid == ENGINE_ID:
            text = str(value)
            rec["engine_id"] = (text[2:] if text.startswith("0x") else text.encode("utf-8").hex()).lower()
        elif oid in wanted:
            rec.setdefault("vendor_oids", {})[oid] = value
        elif standard_identity.wanted(oid):
            identity[oid] = value
        elif oid.startswith(ENT):
            column, _, index = oid[len(ENT):].partition(".")
            name = ENT_COLUMNS.get(column)
            if name:
                rows.setdefault(index, {"index": index})[name] = _entity_class(value) if name == "class" else value
    if subtrees:
        rec["enterprises"] = sorted(subtrees)[:MAX_SUBTREES]
    if own := own_macs(macs):
        rec["macs"] = own
    if stated := standard_identity.from_values(identity):
        rec["standard_identity"] = stated
    ordered = sorted(rows.values(), key=lambda r: [int(p) for p in r["index"].split(".") if p.isdigit()])
    chassis = [r for r in ordered if r.get("class") == 3]
    kept = (chassis + [r for r in ordered if r.get("class") != 3])[:MAX_ENTITY_ROWS]
    if kept:
        rec["entity"] = kept
    return rec


#: Compressed recordings (snmpsim-data ships ``.snmprec.bz2``; archived walks are often ``.gz`` or ``.xz``), told
#: apart by their magic bytes rather than the file name.
_COMPRESSED = ((b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "lzma"))


def file_bytes(path: Path) -> bytes:
    """A file's bytes, decompressed when it is gzip, bzip2 or xz (:func:`unpack`)."""
    return unpack(path.read_bytes(), str(path))


def unpack(data: bytes, source: str) -> bytes:
    """``data`` decompressed when its magic bytes say gzip, bzip2 or xz, else as it is; the decompressed size is
    held to :data:`MAX_BYTES` (a small archive must not unpack into gigabytes). Errors name ``source``."""
    codec = next((name for magic, name in _COMPRESSED if data.startswith(magic)), None)
    if codec is None:
        return data
    import bz2
    import lzma
    import zlib

    decompressor: Any = (zlib.decompressobj(wbits=47) if codec == "gzip" else bz2.BZ2Decompressor() if codec == "bz2"
                         else lzma.LZMADecompressor())
    try:
        out = decompressor.decompress(data, MAX_BYTES + 1)
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as exc:
        raise InputError(InputProblem(source, None, f"a {codec} file that does not decompress: {exc}")) from None
    if len(out) > MAX_BYTES:
        raise InputError(InputProblem(source, None, f"decompresses to more than {MAX_BYTES} bytes"))
    if not decompressor.eof:  # a cut-off download: what it held so far would be judged as if it were all
        raise InputError(InputProblem(source, None, f"a truncated {codec} file: it ends before its end of stream"))
    return out


def decode(data: bytes) -> str:
    """A recording's bytes as text, line by line: UTF-8 where a line is UTF-8, else one character per byte
    (Latin-1). Why per line and not 'replace': snmpwalk prints an OCTET STRING whose bytes its locale finds
    printable as a quoted STRING, raw, so a MAC (``ifPhysAddress = STRING: "t\x8e\xf8,S@"``) or a legacy-encoded
    sysDescr sits in an otherwise UTF-8 file; replacing its bytes with U+FFFD gave a wrong MAC (74:3f:3f:...)
    and so a wrong OUI registrant."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lines = []
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("latin-1"))
    return "\n".join(lines)


def read(path: Path, vendor_oids: Iterable[str] = ()) -> dict[str, Any]:
    """One recording file -> its facts, with ``id`` (the file name), ``path``, and the first unreadable lines
    (``skipped``, ``skipped_count``) when there were any. A file that holds none of the
    identity objects (sysDescr, sysObjectID, ENTITY-MIB) is an error: there is nothing to identify."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(InputProblem(str(path), None, f"{size} bytes: larger than {MAX_BYTES} for a recording"))
        text = decode(file_bytes(path))
    except OSError as exc:
        raise InputError(InputProblem(str(path), None, f"cannot read: {exc.strerror}")) from None
    reading = read_text(text, str(path))
    rec = facts(reading.objects, vendor_oids)
    if not (rec.get("sys_descr") or rec.get("sys_object_id") or rec.get("entity")):
        raise InputError(InputProblem(str(path), None, "holds no sysDescr, sysObjectID or ENTITY-MIB row: nothing "
                                      "to identify the device by"))
    skipped = [str(p) for p in reading.skipped[:MAX_SKIPPED_SHOWN]]
    extra = {"skipped": skipped, "skipped_count": len(reading.skipped)} if skipped else {}
    return {"id": path.stem, "path": str(path), **rec, **extra}


def evidence_of(kb: KnowledgeBase, row: Mapping[str, Any]) -> list[E.Evidence]:
    """One recording's facts (``facts``, or a corpus row) as the judge sees a live device's: ``device.snmp_system``
    (chassis ENTITY rows only, as the collector keeps them: :func:`collectors.snmp_system.chassis_rows`) and
    ``vendor.snmp_signals`` (brand scalars, private subtrees, engine id, own MACs)."""
    src = f"{row.get('path', row.get('id'))}"
    system = {"sys_descr": row.get("sys_descr"), "sys_object_id": row.get("sys_object_id"),
              "entity": chassis_rows(row.get("entity") or [])}
    ev = E.from_snmp_system(kb, system, src)
    ev += standard_identity.descr_evidence(kb, row.get("sys_descr"), row.get("sys_object_id"), f"{src} sysDescr")
    if row.get("vendor_oids"):
        ev += E.from_vendor_oids(kb, row["vendor_oids"], src)
    if row.get("enterprises"):
        ev += E.from_enterprise_subtrees(kb, row["enterprises"], row.get("sys_object_id"), src)
    if row.get("engine_id"):
        ev += E.from_engine_id(kb, str(row["engine_id"]), src)
    if row.get("macs"):
        ev += own_mac_evidence.evidence(kb, row["macs"], f"{src} dot1dBaseBridgeAddress/ifPhysAddress",
                                        own_mac_evidence.own_words(system), ev)
    if row.get("standard_identity"):
        ev += standard_identity.evidence(kb, row["standard_identity"], row.get("sys_object_id"), src)
    return ev


def verdict_of(kb: KnowledgeBase, row: Mapping[str, Any]) -> Verdict:
    return identify(kb, evidence_of(kb, row), name=str(row.get("id", "")))


def cli_verdict_of(kb: KnowledgeBase, command: str, text: str, source: str, name: str) -> Verdict:
    """Saved output of one CLI command (``show version``, ``display device manuinfo``, ...) as the judge sees a
    live device's raw command output (``device.cli_facts`` artifacts)."""
    return identify(kb, E.from_cli(kb, {command: text}, None, source), name=name)


def read_cli(path: Path) -> str:
    """A saved command output, decoded as recordings are; an empty or unreadable file is an error."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(InputProblem(str(path), None, f"{size} bytes: larger than {MAX_BYTES} for an output"))
        text = decode(file_bytes(path))
    except OSError as exc:
        raise InputError(InputProblem(str(path), None, f"cannot read: {exc.strerror}")) from None
    if not text.strip():
        raise InputError(InputProblem(str(path), None, "empty: no command output in it"))
    return text
