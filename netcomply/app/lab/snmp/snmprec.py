"""Writing snmpsim ``.snmprec`` recordings.

snmpsim answers GETNEXT/GETBULK by reading the file in order, so a recording must be sorted by OID
*numerically per sub-identifier* (``1.3.6.1.2.1.2.2.1.10`` after ``...1.9``); a plain string sort breaks walks.
Text that holds CR/LF, any non-printable byte, or a MAC address is written hex-encoded (tag ``4x``), because
the ``.snmprec`` grammar is one line per record and cannot carry raw control bytes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

#: snmprec tags (BER type numbers) used by the lab.
INTEGER = "2"
OCTETS = "4"
OID = "6"
IPADDRESS = "64"
COUNTER32 = "65"
GAUGE32 = "66"
TIMETICKS = "67"
COUNTER64 = "70"


def oid_key(oid: str) -> tuple[int, ...]:
    """The numeric sort key of a dotted OID."""
    return tuple(int(part) for part in oid.strip(".").split("."))


@dataclass(frozen=True, slots=True)
class Rec:
    """One ``OID|TAG|VALUE`` line. ``tag`` may name a variation module: ``2:apstate``."""

    oid: str
    tag: str
    value: str

    def line(self) -> str:
        return f"{self.oid}|{self.tag}|{self.value}"


def _printable(text: str) -> bool:
    return all(32 <= ord(c) < 127 for c in text) and "|" not in text


def text(oid: str, value: str) -> Rec:
    """An OCTET STRING from text: plain when printable ASCII, else hex (UTF-8, CR/LF kept)."""
    if _printable(value):
        return Rec(oid, OCTETS, value)
    return Rec(oid, OCTETS + "x", value.encode("utf-8").hex())


def octets(oid: str, data: bytes) -> Rec:
    """An OCTET STRING from raw bytes (MAC addresses, engine ids, IPv6 address bytes)."""
    return Rec(oid, OCTETS + "x", data.hex())


def mac(oid: str, address: str) -> Rec:
    """A MacAddress/PhysAddress (6 octets) from ``aa:bb:cc:dd:ee:ff`` or ``aabb.ccdd.eeff``."""
    return octets(oid, mac_bytes(address))


def mac_bytes(address: str) -> bytes:
    digits = "".join(c for c in address if c in "0123456789abcdefABCDEF")
    if len(digits) != 12:
        raise ValueError(f"not a MAC address: {address!r}")
    return bytes.fromhex(digits)


def integer(oid: str, value: int) -> Rec:
    return Rec(oid, INTEGER, str(int(value)))


def objid(oid: str, value: str) -> Rec:
    return Rec(oid, OID, value)


def ipv4(oid: str, value: str) -> Rec:
    return Rec(oid, IPADDRESS, value)


def counter32(oid: str, value: int) -> Rec:
    return Rec(oid, COUNTER32, str(int(value) % 2**32))


def gauge32(oid: str, value: int) -> Rec:
    return Rec(oid, GAUGE32, str(int(value)))


def timeticks(oid: str, value: int) -> Rec:
    return Rec(oid, TIMETICKS, str(int(value)))


def counter64(oid: str, value: int) -> Rec:
    return Rec(oid, COUNTER64, str(int(value) % 2**64))


def render(records: Iterable[Rec]) -> str:
    """The file text: records sorted numerically by OID; a duplicate OID is a bug in the generator."""
    ordered = sorted(records, key=lambda r: oid_key(r.oid))
    for a, b in itertools.pairwise(ordered):
        if a.oid == b.oid:
            raise ValueError(f"duplicate OID in recording: {a.oid}")
    return "".join(r.line() + "\n" for r in ordered)


def write(path: str | Path, records: Iterable[Rec]) -> Path:
    """Write a recording atomically (snmpsim may be reading the old one while we write)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(p.suffix + ".tmp")
    tmp.write_text(render(records), encoding="ascii")
    tmp.replace(p)
    return p


def read(path: str | Path) -> list[tuple[str, str, str]]:
    """Parse a recording back into ``(oid, tag, value)`` triples (tests compare agents against this)."""
    out: list[tuple[str, str, str]] = []
    for line in Path(path).read_text(encoding="ascii").splitlines():
        if line and not line.startswith("#"):
            oid, tag, value = line.split("|", 2)
            out.append((oid, tag, value))
    return out
