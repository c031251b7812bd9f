"""The device's own MAC addresses (dot1dBaseBridgeAddress, ifPhysAddress) as a last-resort maker signal.

Why last resort: an interface MAC carries the OUI of whoever bought it for that NIC. On a switch that is usually the
brand; on an appliance built on a server board it is Intel or Super Micro, on a camera a module maker, on a virtual
appliance VMware. So the MACs are filtered (locally administered, multicast, virtual and first-hop-redundancy MACs
dropped; chip, module, board and ODM makers named as data in ``data/own_macs.yaml``), each remaining registrant is one
claim of the lowest weight, and :mod:`collectors.vendor.identify` lets those claims decide only when no other signal
names a brand, and never lets them alone make ``prc_brand`` "no".

Two users: the SNMP collector and the corpus tool keep a device's :func:`candidates` (the filter that needs no
registry), and :func:`evidence` turns them into :class:`Evidence` through netaddr's IEEE registry
(:mod:`collectors.vendor.oui`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from collectors.vendor import pen
from collectors.vendor.evidence import Evidence
from collectors.vendor.kb import KnowledgeBase
from collectors.vendor.oui import locally_administered, lookup, multicast, normalise_mac

DATA = Path(__file__).resolve().parent / "data" / "own_macs.yaml"
#: The evidence signal: ends in ``mac`` so that identify treats it as a NIC's maker, never the agent's.
SIGNAL = "snmp.interface.mac"
NULL_MACS = frozenset({"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"})


@dataclass(frozen=True)
class OwnMacData:
    """The filter's data: the weight of one claim, virtual prefixes (prefix -> note), part makers (pattern)."""

    weight: float
    virtual: tuple[tuple[str, str], ...]
    parts: re.Pattern[str]


@functools.lru_cache(maxsize=2)
def load(path: str | None = None) -> OwnMacData:
    doc = yaml.safe_load(Path(path or DATA).read_text(encoding="utf-8")) or {}
    virtual = tuple((str(v["prefix"]).lower(), str(v.get("note", ""))) for v in doc.get("virtual") or [])
    names = [re.escape(str(c["name"])) for c in doc.get("chip_makers") or []]
    parts = re.compile(r"(?<![\w-])(?:" + "|".join(names or ["(?!)"]) + r")(?![\w-])", re.IGNORECASE)
    return OwnMacData(float(doc.get("weight", 0.2)), virtual, parts)


def virtual_note(mac: str, data: OwnMacData | None = None) -> str | None:
    """Why ``mac`` (normalised) is a virtual NIC's or a virtual router's, or None."""
    for prefix, note in (data or load()).virtual:
        if mac.startswith(prefix):
            return note
    return None


def hardware(mac: str | None) -> str | None:
    """``mac`` normalised if it can be a piece of hardware's own address (globally administered unicast, not null,
    not virtual), else None."""
    norm = normalise_mac(mac)
    if norm is None or norm in NULL_MACS or locally_administered(norm) or multicast(norm):
        return None
    return None if virtual_note(norm) else norm


def candidates(macs: Iterable[str | None], limit: int | None = None) -> list[str]:
    """The distinct hardware MACs of ``macs`` (in order), at most ``limit``: one per OUI first, so a device with
    many ports of one NIC still shows its other makers' OUIs before repeats."""
    seen: list[str] = []
    for mac in macs:
        norm = hardware(mac)
        if norm and norm not in seen:
            seen.append(norm)
    ouis: set[str] = set()
    first, rest = [], []
    for mac in seen:
        (rest if mac[:8] in ouis else first).append(mac)
        ouis.add(mac[:8])
    ordered = first + rest
    return ordered if limit is None else ordered[:limit]


def part_maker(kb: KnowledgeBase, org: str) -> bool:
    """Does registrant ``org`` make parts (chips, modules, boards) or build for other brands (ODMs)?"""
    return bool(load().parts.search(org)) or kb.is_chip_maker(org)


def evidence(kb: KnowledgeBase, macs: Iterable[str], source: str) -> list[Evidence]:
    """One lowest-weight maker claim per brand the device's own MACs' OUIs name; notes for the MACs that name none."""
    data = load()
    out: list[Evidence] = []
    claimed: set[str] = set()
    for mac in candidates(macs):
        info = lookup(mac)
        if info is None:
            continue
        if not info.org:
            out.append(Evidence(SIGNAL, mac, source, kind="info", note=f"OUI {info.oui} not registered "
                                                                       f"({info.database})"))
            continue
        if part_maker(kb, info.org):
            out.append(Evidence(SIGNAL, mac, source, kind="info", registrant=info.org,
                                note=f"OUI {info.oui}: {info.org}, a maker of chips, modules or boards that other "
                                     f"brands build on: names a part, not the product ({info.database})"))
            continue
        brand = next((b for b, _ in kb.brands_in_text(info.org)), None) or pen.registrant_brand(info.org)
        if brand in claimed:
            continue
        claimed.add(brand)
        out.append(Evidence(SIGNAL, mac, source, brand=brand, weight=data.weight, kind="maker", registrant=info.org,
                            note=f"OUI {info.oui}: {info.org} ({info.database}); the device's own interface MAC, "
                                 "which names its NIC's buyer: decides only when no other signal names a brand"))
    return out
