"""MIB names as snmpwalk prints them -> numeric OIDs, for saved answers printed with MIBs loaded.

Why: netcomply judges numeric OIDs (a sysObjectID's enterprise arc names the registrant), but ``snmpwalk`` prints
names when it has MIBs: ``SNMPv2-MIB::sysDescr.0``, ``.iso.org.dod.internet.mgmt.mib-2.system.sysDescr.0``
(``-Of``), ``sysDescr.0`` (``-Os``), ``system.sysDescr.0`` (``-Ou``), and a vendor's product name as the
sysObjectID value (``CISCO-PRODUCTS-MIB::catWsC2960s48tdL``). The table (data/mib_names.yaml) holds the OID
assignments, facts read by net-snmp's snmptranslate from LibreNMS's MIB files (each module names its file): the
standard names on the way to the objects read, the product-ID MIBs of the big vendors, the PRC ones included, and
for every vendor module the one enterprise its names lie under, and the enterprises' own node names (so an object
of a vendor MIB not held still tells the private subtree the device answers).
A name it does not hold resolves to None, never to a guess.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ENTERPRISES = "1.3.6.1.4.1"
MIB_2 = "1.3.6.1.2.1"
DATA = Path(__file__).with_name("data") / "mib_names.yaml"
#: The roots every MIB hangs from (net-snmp knows them without any MIB loaded).
_ROOTS = {"iso": "1", "ccitt": "0", "joint-iso-ccitt": "2"}
_ARC = re.compile(r"[A-Za-z0-9][\w-]*")
_BRACKETS = re.compile(r"\[(\d+)\]")  # -OX prints a numeric index as [1]


@dataclass(frozen=True)
class Table:
    by_name: dict[str, tuple[tuple[str, str], ...]]  # name -> ((module, oid), ...)
    module_enterprises: dict[str, tuple[int, ...]]


@functools.cache
def table() -> Table:
    """The names, loaded once, on the first name that is not numeric."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = yaml.load(DATA.read_text(encoding="utf-8"), Loader=loader)
    pairs: dict[str, set[tuple[str, str]]] = {n: {("", o)} for n, o in _ROOTS.items()}
    enterprises: dict[str, tuple[int, ...]] = {}
    for module, entry in [*(doc.get("standard") or {}).items(), *(doc.get("vendor_objects") or {}).items()]:
        for name, oid in entry.items():
            if name != "source":
                pairs.setdefault(name, set()).add((module, str(oid)))
    for module, entry in (doc.get("modules") or {}).items():
        enterprises[module] = (int(entry["enterprise"]),)
    for name, entry in (doc.get("enterprise_names") or {}).items():
        pairs.setdefault(name, set()).add(("", f"{ENTERPRISES}.{int(entry['enterprise'])}"))
    for module, entry in (doc.get("products") or {}).items():
        enterprises[module] = tuple(entry.get("enterprises") or ())
        for name, oid in (entry.get("names") or {}).items():
            pairs.setdefault(name, set()).add((module, str(oid)))
    return Table({n: tuple(sorted(v)) for n, v in pairs.items()}, enterprises)


def _split(text: str) -> tuple[str, list[str]] | None:
    text = text.strip().lstrip(".")
    module, _, rest = text.rpartition("::")
    parts = _BRACKETS.sub(r".\1", rest).split(".")
    if not parts or not all(_ARC.fullmatch(p) for p in parts):
        return None
    return module, parts


def resolve(text: str) -> str | None:
    """``.1.3.6.1.2.1.1.1.0``, ``iso.3.6...``, ``SNMPv2-MIB::sysDescr.0``, ``.iso.org.dod...sysDescr.0``,
    ``sysDescr.0``, ``system.sysDescr.0``, ``IF-MIB::ifPhysAddress[1]``, ``HUAWEI-MIB::huaweiUtility.174.4`` ->
    the numeric OID; None when a name in it is unknown or ambiguous."""
    split = _split(text)
    if split is None:
        return None
    module, parts = split
    return _resolve(module, parts)


def _resolve(module: str, parts: list[str]) -> str | None:
    last = max((i for i, p in enumerate(parts) if not p.isdigit()), default=None)
    if last is None:
        if len(parts) < 2 or module:
            return None
        # an OID's first arc is 0, 1 or 2; a name that starts higher is -Ou's (UCD style), printed under mib-2
        return ".".join(parts) if int(parts[0]) <= 2 else ".".join([MIB_2, *parts])
    base = _lookup(parts[last], module if last == 0 else "", parts[:last])
    if base is None:
        return None
    return ".".join([base, *parts[last + 1:]])


def _lookup(name: str, module: str, before: list[str]) -> str | None:
    """One name's OID. A name two MIBs define differently is decided by its module (``MODULE::name``) or by the
    names before it (``-Of``/``-Ou`` paths), else left unresolved."""
    candidates = table().by_name.get(name, ()) if name not in _ROOTS else (("", _ROOTS[name]),)
    oids = {oid for _, oid in candidates}
    if len(oids) > 1 and module:
        oids = {oid for m, oid in candidates if m == module} or oids
    if len(oids) > 1 and before:
        parent = _resolve("", before)
        oids = {oid for oid in oids if parent is not None and oid.rpartition(".")[0] == parent}
    return next(iter(oids)) if len(oids) == 1 else None


def enterprise_of(text: str) -> int | None:
    """The private enterprise a name lies under when the whole name does not resolve: the longest part of it that
    does (``.iso.org.dod.internet.private.enterprises.cisco.ciscoMgmt...``), else its module's enterprise when
    the table's product module lives under one only."""
    split = _split(text)
    if split is None:
        return None
    module, parts = split
    for end in range(len(parts) - 1, 0, -1):
        oid = _resolve(module, parts[:end])
        if oid is not None:
            arcs = oid.split(".")
            return int(arcs[6]) if oid.startswith(ENTERPRISES + ".") and len(arcs) > 6 else None
    numbers = table().module_enterprises.get(module, ())
    return numbers[0] if len(numbers) == 1 else None
