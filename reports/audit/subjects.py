"""What a report subject is: a device, a service (web/DNS/mail name probed for IPv6) or a public Wi-Fi hotspot.

The collectors record every subject they worked on as a "device" of the run (the IPv6 service probe uses the
service's name, the hotspot poller the hotspot's), so counting the run's subjects gave "共 54 台設備" for a
29-device inventory. The run's inventory says which is which; without it, the kinds of the subject's
observations do (a subject that only has service or hotspot observations is one).
"""

from __future__ import annotations

from collections.abc import Iterable

from netcomply.models import Inventory

DEVICE, SERVICE, HOTSPOT = "device", "service", "hotspot"
KINDS = (DEVICE, SERVICE, HOTSPOT)
#: Observation kinds that only a service or only a hotspot subject has (the fallback when no inventory is known).
_ONLY = {SERVICE: ("ipv6.service",), HOTSPOT: ("hotspot.",)}


def inventory_kinds(inventory: Inventory | None) -> dict[str, str]:
    """Name -> kind for every subject the inventory lists. A device wins over a service or hotspot of the same
    name (a hotspot that *is* an AP is audited as that device too)."""
    if inventory is None:
        return {}
    out = {h.name: HOTSPOT for h in inventory.hotspots}
    out.update({s.name: SERVICE for s in inventory.services})
    out.update({d.name: DEVICE for d in inventory.devices})
    return out


def kind_of(name: str, known: dict[str, str], observation_kinds: Iterable[str]) -> str:
    """The subject's kind: the inventory's word, else what its observations show, else a device."""
    if name in known:
        return known[name]
    kinds = set(observation_kinds)
    for kind, prefixes in _ONLY.items():
        if kinds and all(k.startswith(prefixes) for k in kinds):
            return kind
    return DEVICE


def listed_agencies(inventory: Inventory | None) -> dict[str, str | None]:
    """Name -> agency of every service and hotspot the inventory lists (devices carry their own)."""
    if inventory is None:
        return {}
    return {**{h.name: h.agency for h in inventory.hotspots}, **{s.name: s.agency for s in inventory.services}}
