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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    owners: tuple[tuple[re.Pattern[str], str, str], ...] = ()  # registrant pattern, brand, why


def _name_pattern(name: str) -> str:
    """A registrant name as a pattern that tolerates the registry's spacing ("TQ - COMPONENTS", "Giga-Byte")."""
    return r"\s*-\s*".join(r"\s+".join(re.escape(w) for w in part.split()) for part in name.split("-"))


@functools.lru_cache(maxsize=2)
def load(path: str | None = None) -> OwnMacData:
    doc = yaml.safe_load(Path(path or DATA).read_text(encoding="utf-8")) or {}
    virtual = tuple((str(v["prefix"]).lower(), str(v.get("note", ""))) for v in doc.get("virtual") or [])
    names = [_name_pattern(str(c["name"])) for c in doc.get("chip_makers") or []]
    parts = re.compile(r"(?<![\w-])(?:" + "|".join(names or ["(?!)"]) + r")(?![\w-])", re.IGNORECASE)
    owners = tuple((re.compile(str(o["registrant"]), re.IGNORECASE), str(o["brand"]), str(o.get("note", "")))
                   for o in doc.get("owners") or [])
    return OwnMacData(float(doc.get("weight", 0.2)), virtual, parts, owners)


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
    first: list[str] = []
    rest: list[str] = []
    for mac in seen:
        (rest if mac[:8] in ouis else first).append(mac)
        ouis.add(mac[:8])
    ordered = first + rest
    return ordered if limit is None else ordered[:limit]


def part_maker(kb: KnowledgeBase, org: str) -> bool:
    """Does registrant ``org`` make parts (chips, modules, boards) or build for other brands (ODMs)?"""
    return bool(load().parts.search(org)) or kb.is_chip_maker(org)


IEEE_RA = "IEEE Registration Authority"


def registrant(mac: str, org: str | None) -> str | None:
    """The organisation behind ``mac``: the MA-L registrant, or for a block the IEEE sub-assigns (IAB) the IAB
    registrant; None when the registry bundled with netaddr does not name one (MA-M and MA-S blocks)."""
    if org != IEEE_RA:
        return org
    try:
        from netaddr import EUI, NotRegisteredError

        eui = EUI(mac)
        return str(eui.iab.registration().org).strip() or None if eui.is_iab() else None
    except (ImportError, NotRegisteredError, AttributeError, IndexError, ValueError):
        return None


def brand_of(kb: KnowledgeBase, org: str) -> tuple[str | None, str | None]:
    """The brand a registrant's products carry and the ownership fact that says so (None: the knowledge base's
    brand named in the registrant). None when neither knows the registrant: measured on the corpus, an OUI whose
    registrant is a known brand names the product's brand 95 % of the time, an unknown registrant only 82 %
    (part makers and ODMs nobody listed yet), too weak to name a brand even as a last resort."""
    for pattern, brand, why in load().owners:
        if pattern.search(org):
            return brand, why
    return next((b for b, _ in kb.brands_in_text(org)), None), None


#: Per knowledge base (kept alive with it), per registrant: (part maker?, brand, why). The knowledge base's brand scan
#: costs tens of microseconds; a fleet repeats a few hundred registrants.
_READINGS: dict[int, tuple[KnowledgeBase, dict[str, tuple[bool, str | None, str | None]]]] = {}


def reading(kb: KnowledgeBase, org: str) -> tuple[bool, str | None, str | None]:
    """What registrant ``org`` says: whether it makes parts, else the brand and the ownership fact (cached)."""
    held = _READINGS.get(id(kb))
    if held is None or held[0] is not kb:
        held = _READINGS[id(kb)] = (kb, {})
    cache = held[1]
    if org not in cache:
        cache[org] = (True, None, None) if part_maker(kb, org) else (False, *brand_of(kb, org))
    return cache[org]


#: The signal of a registrant that the device's own words name too: a label, read in the description.
NAMED_SIGNAL = "snmp.sysDescr"


def named_in(org: str, words: str) -> str | None:
    """The words of ``words`` that name registrant ``org`` (its name without legal form, whole words, capitalised
    as a name is: "Copyright (C) BTI Systems." names "BTI Systems Inc."), or None. A name of descriptive words only
    ("Digital Power", "Network") or shorter than three letters names nothing."""
    pattern = _name_pattern_of(org)
    m = pattern.search(words) if pattern is not None else None
    return m.group(0) if m and m.group(0)[0].isupper() else None


@functools.lru_cache(maxsize=4096)
def _name_pattern_of(org: str) -> re.Pattern[str] | None:
    """The pattern :func:`named_in` searches for ``org`` (cached: a fleet repeats a few hundred registrants)."""
    name = pen.registrant_brand(org)
    key = pen.name_key(name)
    if len(key.replace(" ", "")) < 3 or all(w in pen.DESCRIPTIVE_WORDS for w in key.split()):
        return None
    return re.compile(r"(?<![\w-])" + r"[\s_-]*".join(re.escape(w) for w in name.split()) + r"(?![\w-])",
                      re.IGNORECASE)


def own_words(system: Mapping[str, Any]) -> str:
    """The device's own description in ``device.snmp_system`` data: sysDescr and its chassis rows' names."""
    parts = [str(system.get("sys_descr") or "")]
    for row in system.get("entity") or []:
        if isinstance(row, Mapping):
            parts += [str(row.get(k) or "") for k in ("descr", "mfg_name", "model_name")]
    return "\n".join(p for p in parts if p)


def evidence(kb: KnowledgeBase, macs: Iterable[str], source: str, words: str = "",
             others: Iterable[Evidence] = ()) -> list[Evidence]:
    """One lowest-weight maker claim per brand the device's own MACs' OUIs name; notes for the MACs that name none.

    ``words``: the device's own description (sysDescr, ENTITY names). A registrant the knowledge base does not know
    is no brand on its own (see :func:`brand_of`), but when the device's words name it too, two independent
    sources agree on a maker nobody listed: a label claim at the weight of a description naming a brand, unless
    ``others`` (the device's other evidence) already name that maker (then it adds nothing, and its spelling of
    the name would stand beside theirs as a rival)."""
    data = load()
    named_elsewhere = {pen.name_key(e.brand) for e in others if e.brand}
    out: list[Evidence] = []
    claimed: set[str] = set()
    for mac in candidates(macs):
        info = lookup(mac)
        org = registrant(mac, info.org) if info else None
        if info is None or org is None:
            where = info.database if info else "registry"
            out.append(Evidence(SIGNAL, mac, source, kind="info", note=f"OUI of {mac}: no registrant in the {where}"))
            continue
        is_part, brand, why = reading(kb, org)
        if is_part:
            out.append(Evidence(SIGNAL, mac, source, kind="info", registrant=org,
                                note=f"OUI {info.oui}: {org} ({info.database}); a maker of chips, modules or boards, "
                                     "or an ODM, that other brands build on: names a part, not the product"))
            continue
        named = named_in(org, words) if brand is None and words else None
        name = pen.registrant_brand(org) if named is not None else ""
        if named is not None and pen.name_key(name) not in named_elsewhere and name not in claimed:
            claimed.add(name)
            out.append(Evidence(NAMED_SIGNAL, named, source, brand=name, registrant=org,
                                weight=kb.weight("sysdescr_text"), kind="label",
                                note=f"the device's own words name {named!r}, and its MAC {mac}'s OUI {info.oui} is "
                                     f"registered to {org} ({info.database}): a maker the knowledge base does not "
                                     "list, named by both"))
            continue
        if brand is None:
            out.append(Evidence(SIGNAL, mac, source, kind="info", registrant=org,
                                note=f"OUI {info.oui}: {org} ({info.database}); a registrant the knowledge base does "
                                     f"not know ({pen.registrant_brand(org)!r}?): shown for review, names no brand"))
            continue
        if brand in claimed:
            continue
        claimed.add(brand)
        out.append(Evidence(SIGNAL, mac, source, brand=brand, weight=data.weight, kind="maker", registrant=org,
                            note=f"OUI {info.oui}: {org}" + (f" ({why})" if why else "") + f" ({info.database}); "
                                 "the device's own interface MAC names its NIC's buyer: decides only when no other "
                                 "signal names a brand"))
    return out
