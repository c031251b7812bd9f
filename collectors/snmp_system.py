"""SNMP system facts: the MIB-II system group and the ENTITY-MIB chassis entry.

Observation kinds
-----------------
``device.snmp_system`` — one per device::

    {"sys_descr": "Cisco IOS Software, ...", "sys_object_id": "1.3.6.1.4.1.9.1.2494",
     "enterprise": 9, "sys_name": "cg-core1", "sys_uptime_ticks": 123456, "sys_contact": "...",
     "sys_location": "...", "entity": [{"index": "1", "class": 3, "descr": ..., "mfg_name": ..., "model_name": ...,
     "serial": ..., "software_rev": ...}]}

``enterprise`` is the IANA Private Enterprise Number after 1.3.6.1.4.1 (None when sysObjectID is elsewhere).
Only chassis-class (3) ENTITY rows are kept here (or, when none answers, the maker and model of the first row
that has no class, else the description and model of the table's first row when it has no class:
:func:`chassis_rows`); the full walk is the artifact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, cast

from collectors.base import CollectContext, Collector, CollectorOutput, register
from netcomply.contracts.device import DeviceSnmpSystem, EntityRow
from netcomply.models import Device, Observation

SYSTEM_OIDS = {
    "sys_descr": "1.3.6.1.2.1.1.1.0",
    "sys_object_id": "1.3.6.1.2.1.1.2.0",
    "sys_uptime_ticks": "1.3.6.1.2.1.1.3.0",
    "sys_contact": "1.3.6.1.2.1.1.4.0",
    "sys_name": "1.3.6.1.2.1.1.5.0",
    "sys_location": "1.3.6.1.2.1.1.6.0",
}
ENT_PHYSICAL = "1.3.6.1.2.1.47.1.1.1.1"
_ENT_COLUMNS = {"2": "descr", "5": "class", "10": "software_rev", "11": "serial", "12": "mfg_name", "13": "model_name"}
ENTERPRISES = "1.3.6.1.4.1."


def enterprise_number(oid: str | None) -> int | None:
    """The IANA Private Enterprise Number in an OID under 1.3.6.1.4.1 (a leading dot is fine); None elsewhere."""
    oid = (oid or "").lstrip(".")
    if not oid.startswith(ENTERPRISES):
        return None
    head = oid[len(ENTERPRISES):].split(".", 1)[0]
    return int(head) if _arc(head) else None


def chassis_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows that describe the device itself: chassis rows (class 3), in the given order. When none answers, the
    first row that has no class at all but names a maker, its maker and model only: an agent that leaves
    entPhysicalClass out (Siklu's EtherHaul answers ``entPhysicalMfgName.1 = Siklu`` and nothing else of the
    table) still says who made it, while a classless row's other columns may describe any part.

    When no row names a maker either, the first row of the table, if it has no class, its description and model:
    the top of the containment tree is the device or its stack ("Aruba 6300 VSF Stack", "Juniper Virtual Chassis
    Switch", "Fortinet FGT_1500D, HW Serial#: ..."), and for a device that hides its sysDescr it is the one text
    that names the maker. A first row of a stated class other than chassis (a port, a module) is never read so."""
    rows = list(rows)
    chassis = [dict(r) for r in rows if r.get("class") == 3]
    if chassis:
        return chassis
    bare = next((r for r in rows if "class" not in r and str(r.get("mfg_name") or "").strip()), None)
    if bare:
        return [{k: bare[k] for k in ("index", "mfg_name", "model_name") if k in bare}]
    top = rows[0] if rows else None
    if top is not None and "class" not in top and str(top.get("descr") or "").strip():
        return [{k: top[k] for k in ("index", "descr", "model_name") if k in top}]
    return []


def entity_rows(walk: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Group an entPhysicalEntry walk into rows by index; keep the chassis rows (:func:`chassis_rows`), in index
    order."""
    rows: dict[str, dict[str, Any]] = {}
    prefix = ENT_PHYSICAL + "."
    for oid, value in walk:
        if not oid.startswith(prefix):
            continue
        column, _, index = oid[len(prefix):].partition(".")
        name = _ENT_COLUMNS.get(column)
        if name:
            rows.setdefault(index, {"index": index})[name] = getattr(value, "value", value)
    ordered = sorted(rows.values(), key=lambda r: [int(p) for p in r["index"].split(".") if _arc(p)])
    return chassis_rows(ordered)


def _arc(part: str) -> bool:
    """An OID arc an agent may send (ASCII digits, at most 32 bits): anything else sorts as absent."""
    return part.isascii() and part.isdigit() and len(part) <= 10


@register
class SnmpSystem(Collector):
    name: ClassVar[str] = "snmp_system"
    version: ClassVar[str] = "1"
    transport: ClassVar[str] = "snmp"
    kinds: ClassVar[tuple[str, ...]] = ("device.snmp_system",)

    def applies_to(self, device: Device) -> bool:
        return device.snmp is not None

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        from collectors.transports.snmp import render_walk, snmp_client, target_for

        client = snmp_client(ctx)
        target = target_for(device, ctx.secrets)
        out = CollectorOutput()
        values = await client.get(target, list(SYSTEM_OIDS.values()))
        system_rows = [(oid, values[oid]) for oid in SYSTEM_OIDS.values() if oid in values]
        art_sys = out.artifact(device.name, self.name, "snmp:get system", render_walk(system_rows))
        entity_walk = await client.walk(target, ENT_PHYSICAL)
        art_ent = out.artifact(device.name, self.name, f"snmp:walk {ENT_PHYSICAL}", render_walk(entity_walk))
        got: dict[str, Any] = {name: getattr(values.get(oid), "value", None) for name, oid in SYSTEM_OIDS.items()}
        data: DeviceSnmpSystem = {
            "sys_descr": got["sys_descr"], "sys_object_id": got["sys_object_id"],
            "sys_uptime_ticks": got["sys_uptime_ticks"], "sys_contact": got["sys_contact"], "sys_name": got["sys_name"],
            "sys_location": got["sys_location"], "enterprise": enterprise_number(got["sys_object_id"]),
            "entity": cast(list[EntityRow], entity_rows(entity_walk)),
        }
        out.observe(
            Observation(
                device=device.name,
                collector=self.name,
                kind="device.snmp_system",
                data=dict(data),
                source="snmp:system+entPhysicalTable",
                artifacts=[art_sys.sha256, art_ent.sha256],
            )
        )
        return out
