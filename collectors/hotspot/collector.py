"""Audit-time hotspot collectors: a snapshot of every AP's state, and the controllers' WLAN configuration.

Observation kinds
-----------------
``hotspot.ap_state`` — one per AP a controller lists, or one for a standalone AP (collector ``hotspot_ap``)::

    {"ap": "PARK-N-01", "controller": "cg-wlc1", "up": true, "uptime_s": 8123.5, "clients": 14,
     "measured_at": "2026-11-22T05:01:02.5+00:00", "state": 1, "source": "snmp:cisco"}

``hotspot.wlan`` — one per SSID of a controller (collector ``hotspot_wlan``), see
:mod:`collectors.hotspot.wlan_config` for the fields (security, encrypted, user_auth, per_client_kbps).

The audit turns the AP snapshot into a sample (so a run always has one), and the availability checks read the
samples of the month before the run (``netcomply hotspot poll`` fills them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from collectors.base import CollectContext, Collector, CollectorOutput, register
from collectors.hotspot.snmp_probe import (
    BSN_AP,
    BSN_AP_IF_USERS,
    CLAP_UPTIME,
    HW_WLAN_AP,
    IF_OPER,
    IF_TYPE,
    SYS_UPTIME,
    ApReading,
    cisco_ap_table,
    huawei_ap_table,
    standalone_ap,
)
from collectors.hotspot.wlan_config import PARSERS
from collectors.ssh_collector import SshCollector
from collectors.transports.ssh import SshSession
from netcomply.contracts import hotspot as contract
from netcomply.errors import DeviceError, ErrorClass
from netcomply.models import Device, Observation

AP_ROLES = ("ap", "wlc")


def _vendor(device: Device) -> str | None:
    text = " ".join(str(x).lower() for x in (device.platform, device.vars.get("brand"),
                                              (device.vars.get("lab") or {}).get("brand")) if x)
    return "cisco" if "cisco" in text else "huawei" if "huawei" in text else None


@register
class HotspotAps(Collector):
    name: ClassVar[str] = "hotspot_ap"
    version: ClassVar[str] = "1"
    transport: ClassVar[str] = "snmp"
    kinds: ClassVar[tuple[str, ...]] = ("hotspot.ap_state",)

    def applies_to(self, device: Device) -> bool:
        return device.snmp is not None and device.role in AP_ROLES

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        from collectors.transports.snmp import render_walk, snmp_client, target_for

        client = snmp_client(ctx)
        target = target_for(device, ctx.secrets)
        out = CollectorOutput()
        walks: list[tuple[str, Any]] = []
        table: dict[str, ApReading]
        if device.role == "wlc":
            vendor = _vendor(device)
            if vendor == "cisco":
                roots = [f"{BSN_AP}.6", CLAP_UPTIME, BSN_AP_IF_USERS, f"{BSN_AP}.3"]
            elif vendor == "huawei":
                roots = [f"{HW_WLAN_AP}.{c}" for c in (6, 18, 44, 4)]
            else:
                raise DeviceError(ErrorClass.CONFIG, "no SNMP AP table known for this controller's platform",
                                  device=device.name)
            for root in roots:
                walks.append((root, await client.walk(target, root)))
            at = datetime.now(UTC)
            rows = {root: rows for root, rows in walks}
            table = (cisco_ap_table(rows[f"{BSN_AP}.3"], rows[f"{BSN_AP}.6"], rows[BSN_AP_IF_USERS], rows[CLAP_UPTIME])
                     if vendor == "cisco" else huawei_ap_table([r for _, rs in walks for r in rs]))
            source = f"snmp:{vendor}"
        else:
            oper = await client.walk(target, IF_OPER)
            at = datetime.now(UTC)
            got = await client.get(target, [SYS_UPTIME])
            types = await client.walk(target, IF_TYPE)
            walks = [(IF_OPER, oper), (IF_TYPE, types), (SYS_UPTIME, [(SYS_UPTIME, v) for v in got.values()])]
            table = {device.name: standalone_ap(types, oper, got.get(SYS_UPTIME))}
            source = "snmp:ap"
        art = out.artifact(device.name, self.name, "snmp:walk " + " ".join(r for r, _ in walks),
                           "".join(render_walk(rows) for _, rows in walks))
        for ap, reading in sorted(table.items()):
            state: contract.HotspotApState = {
                "ap": ap, "controller": device.name if device.role == "wlc" else None, "up": reading.up,
                "uptime_s": reading.uptime_s, "clients": reading.clients, "measured_at": at.isoformat(),
                "state": reading.detail.get("controller_state"), "source": source}
            out.observe(Observation(
                device=device.name, collector=self.name, kind="hotspot.ap_state", data=dict(state),
                source=source, artifacts=[art.sha256],
            ))
        return out


@register
class HotspotWlan(SshCollector):
    name: ClassVar[str] = "hotspot_wlan"
    version: ClassVar[str] = "1"
    kinds: ClassVar[tuple[str, ...]] = ("hotspot.wlan",)
    commands: ClassVar[dict[str, Any]] = {k: v[0] for k, v in PARSERS.items()}

    def applies_to(self, device: Device) -> bool:
        return device.role == "wlc" and super().applies_to(device)

    def collect_cli(self, device: Device, cli: SshSession, out: CollectorOutput) -> None:
        command = self.commands[device.platform or ""]
        out.artifact(device.name, self.name, command, cli.send(command))

    def judge_output(self, device: Device, out: CollectorOutput) -> None:
        command, parse = PARSERS[device.platform or ""]
        art = out.artifacts[-1]
        wlans = parse(art.content.decode("utf-8", "replace"))
        if not wlans:
            raise DeviceError(ErrorClass.PARSE, f"no WLAN / SSID found in `{command}` (artifact kept)", device.name,
                              artifacts=out.artifacts)
        for w in wlans:
            wlan: contract.HotspotWlan = {
                "controller": device.name, "wlan": w["wlan"], "profile": w["profile"], "ssid": w["ssid"],
                "enabled": w["enabled"], "security": w["security"], "encrypted": w["encrypted"],
                "user_auth": w["user_auth"], "per_client_kbps": w["per_client_kbps"]}
            out.observe(Observation(device=device.name, collector=self.name, kind="hotspot.wlan",
                                    data=dict(wlan), source=command,
                                    artifacts=[art.sha256]))
