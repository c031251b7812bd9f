"""What a report subject is: a device, a service (web/DNS/mail name probed for IPv6) or a public Wi-Fi hotspot.

The collectors record every subject they worked on as a "device" of the run (the IPv6 service probe uses the
service's name, the hotspot poller the hotspot's), so counting the run's subjects gave "共 54 台設備" for a
29-device inventory. The run's inventory says which is which; without it, the kinds of the subject's
observations do (a subject that only has service or hotspot observations is one).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from netcomply.models import Inventory

DEVICE, SERVICE, HOTSPOT = "device", "service", "hotspot"
KINDS = (DEVICE, SERVICE, HOTSPOT)
#: Observation kinds that only a service or only a hotspot subject has (the fallback when no inventory is known).
_ONLY = {SERVICE: ("ipv6.service",), HOTSPOT: ("hotspot.",)}
#: Collectors whose results are about a service, not a device (the fallback when no inventory is known).
SERVICE_COLLECTORS = frozenset({"ipv6_service"})


def inventory_kinds(inventory: Inventory | None) -> dict[str, str]:
    """Name -> kind for every subject the inventory lists. A device wins over a service or hotspot of the same
    name (a hotspot that *is* an AP is audited as that device too)."""
    if inventory is None:
        return {}
    out = {h.name: HOTSPOT for h in inventory.hotspots}
    out.update({service_subject(s.kind, s.name): SERVICE for s in inventory.services})
    out.update({d.name: DEVICE for d in inventory.devices})
    return out


def service_subject(kind: str, name: str) -> str:
    """The subject the IPv6 service probe records a service under: ``KIND:NAME`` (``dns:city.lab.example`` and
    ``mail:city.lab.example`` are two services of the inventory, one name with two kinds)."""
    return f"{kind}:{name}"


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
    return {**{h.name: h.agency for h in inventory.hotspots},
            **{service_subject(s.kind, s.name): s.agency for s in inventory.services}}


def count_subjects(inventory: Inventory | None, results: Iterable[Any],
                   judged: Iterable[str] = ()) -> dict[str, dict[str, int]]:
    """Devices, services and hotspots of a run, each counted once (not once per collector task), for the CLI
    summaries (``audit``, ``demo``, ``runs list/show``). ``results`` are the run's device results; ``judged``
    the subjects of its findings, which is where hotspots appear (they are read through their controller and
    have no results of their own). "with_errors": a subject any of whose collections failed; "not_tried": one
    the inventory lists that the run never reached."""
    known = inventory_kinds(inventory)
    errors: dict[str, bool] = {}
    kinds: dict[str, str] = {}
    for r in results:
        name = r.device
        errors[name] = errors.get(name, False) or str(getattr(r.status, "value", r.status)) == "error"
        kinds.setdefault(name, known.get(name) or (SERVICE if r.collector in SERVICE_COLLECTORS else DEVICE))
    for name in judged:
        if known.get(name) in (SERVICE, HOTSPOT) and name not in errors:
            errors[name], kinds[name] = False, known[name]
    state = {name: "with_errors" if failed else "ok" for name, failed in errors.items()}
    for name, kind in known.items():  # listed but never reached: counted, as the report counts it
        if name not in state:
            state[name], kinds[name] = "not_tried", kind
    out = {f"{kind}s": {"total": 0, "ok": 0, "with_errors": 0, "not_tried": 0} for kind in KINDS}
    also = hotspot_devices(inventory)
    for name, where in state.items():
        for bucket in (out[f"{kinds[name]}s"], *((out["hotspots"],) if name in also else ())):
            bucket["total"] += 1
            bucket[where] += 1
    return out


def hotspot_devices(inventory: Inventory | None) -> frozenset[str]:
    """Hotspots that are devices of the inventory too (an AP audited directly): counted as a device *and* as a
    hotspot, so the hotspot count is the inventory's."""
    if inventory is None:
        return frozenset()
    devices = {d.name for d in inventory.devices}
    return frozenset(h.name for h in inventory.hotspots if h.name in devices)
