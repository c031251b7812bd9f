"""A hotspot lab for tests and benchmarks: SNMP agents whose APs go down, come back, reboot and change client
counts on a schedule of *seconds*, and the inventory that polls them.

The schedule is deterministic from a seed and an epoch, and it is the very object the agents answer from
(:mod:`netcomply.app.lab.snmp.apvariation`), so a test computes its expected availability, outages, reboots and
clients from :class:`Schedule` -- never from numbers written in the test.

Event times sit at half seconds after a whole-second epoch: a poller on a whole-second grid then samples a
quarter to half a second away from every change, and an outage's measured length is exactly its true length.
"""

from __future__ import annotations

import dataclasses
import random
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netcomply.app.lab.inventory_writer import build_inventory, community_env, write_env_file, write_inventory
from netcomply.app.lab.snmp.fixtures import free_udp_port
from netcomply.app.lab.snmp.process import lab_endpoints, start_snmpsim
from netcomply.app.lab.snmp.recordings import install_schedule, write_recordings
from netcomply.app.lab.snmp.schedule import ApSchedule, Schedule
from netcomply.app.lab.snmp.topology import LabDevice, load_city, scale_devices


def short_schedule(names: Iterable[str], epoch: float, *, seed: int = 1, span: float = 16.0,
                   period: float | None = None) -> Schedule:
    """Per AP: one outage of 2-4 s somewhere in the first ``span`` seconds (two APs in three), a reboot while
    up (one in three), and client counts that change twice. Every event at ``k + 0.5`` seconds."""
    rnd = random.Random(seed)
    aps: dict[str, ApSchedule] = {}
    for name in sorted(names):
        down: tuple[tuple[float, float], ...] = ()
        reboots: tuple[float, ...] = ()
        start = float(rnd.randrange(2, max(3, int(span) - 6))) + 0.5
        if rnd.random() < 2 / 3:
            down = ((start, start + rnd.randrange(2, 5)),)
        if rnd.random() < 1 / 3:
            t = float(rnd.randrange(1, int(span) - 1)) + 0.5
            if not any(a - 1 <= t <= b + 1 for a, b in down):
                reboots = (t,)
        base = rnd.randrange(0, 40)
        clients = ((0.0, base), (float(rnd.randrange(3, 7)) + 0.5, base + rnd.randrange(1, 20)),
                   (float(rnd.randrange(8, 12)) + 0.5, rnd.randrange(0, 10)))
        aps[name] = ApSchedule(name, down, reboots, clients, uptime_at_epoch=float(rnd.randrange(3600, 10**6)))
    return Schedule(epoch=epoch, aps=aps, period=period)


@dataclass
class HotspotLab:
    data_dir: Path
    port: int
    inventory: Path
    hotspots: list[dict[str, Any]]
    devices: list[LabDevice]
    simulator_pid: int | None = None

    @property
    def ap_names(self) -> list[str]:
        return [h.get("ap_name") or h["name"] for h in self.hotspots]

    def install(self, schedule: Schedule) -> None:
        """Replace the agents' schedule; they answer from it on their next request (no restart)."""
        install_schedule(self.data_dir, schedule)


def _entries(devices: Sequence[LabDevice], ssh_platforms: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for d in devices:
        entry: dict[str, Any] = {"name": d.name, "address": d.address, "agency": d.agency, "site": d.site,
                                 "role": d.role, "snmp": True, "brand": d.brand, "model": d.model}
        if d.fault:
            entry["fault"] = d.fault
        if d.name in ssh_platforms:
            entry["ssh"] = ssh_platforms[d.name]
        out.append(entry)
    return out


@contextmanager
def hotspot_lab(base_dir: str | Path, *, scale: int | None = None, snmp_timeout: float = 0.8, snmp_retries: int = 0,
                ready_timeout: float = 600.0) -> Iterator[HotspotLab]:
    """The city's controllers and APs (or ``scale`` standalone APs cloned from the city's) on a free port.
    The silent AP gets a 0.3 s timeout, so a poller at one-second intervals can wait for it and keep time."""
    base = Path(base_dir)
    city, controller_aps = load_city()
    if scale is None:
        devices = [d for d in city if d.role in ("ap", "wlc")]
        aps = controller_aps
    else:
        devices = scale_devices(scale, [d for d in city if d.role == "ap" and not d.fault])
        aps = {}
    # Random communities: the redactor masks every community it knows, and a device name must stay readable.
    devices = [dataclasses.replace(d, community=f"lab{secrets.token_hex(5)}") for d in devices]
    by_name = {d.name: d for d in devices}
    topology: dict[str, Any] = {
        "agencies": {a: {"name": a, "level": "B"} for a in sorted({d.agency for d in devices})},
        "devices": _entries(devices, {"cg-wlc1": "cisco_wlc_ssh", "dt-ac1": "huawei"} if scale is None else {}),
        "controller_aps": aps,
    }
    data_dir = base / "snmp" / "data"
    write_recordings(devices, data_dir, epoch=time.time(), controller_aps=aps)
    port = free_udp_port()
    sim = start_snmpsim(data_dir, lab_endpoints(devices, port=port, own_engines=scale is None),
                        cache_dir=base / "snmp" / "cache", log_file=base / "snmp" / "snmpsim.log",
                        ready_timeout=ready_timeout)
    try:
        hotspots: list[dict[str, Any]] = []
        for controller, names in aps.items():
            ctl = by_name[controller]
            for ap in names:
                hotspots.append({"name": ap, "site": ctl.site, "zone": ap.split("-")[0].lower(),
                                 "agency": ctl.agency, "device": controller, "ap_name": ap})
        for d in devices:
            if d.role == "ap":
                hotspots.append({"name": d.name, "site": d.site, "zone": d.site, "agency": d.agency,
                                 "device": d.name})
        doc = build_inventory(topology, topology["devices"], ssh_port=22, snmp_port=port, hotspots=hotspots,
                              allowed_ranges=["127.0.10.0/24", "127.1.0.0/16"])
        for name, host in doc["hosts"].items():
            silent = by_name[name].silent
            host["snmp"]["timeout"] = min(snmp_timeout, 0.3) if silent else snmp_timeout
            host["snmp"]["retries"] = 0 if silent else snmp_retries
        write_env_file(base / "lab.env", {community_env(d.name): d.community_name for d in devices})
        inventory = write_inventory(base / "inventory.yaml", doc, "hotspot lab inventory (tests, benchmarks)")
        yield HotspotLab(data_dir, port, inventory, hotspots, devices, sim.pid)
    finally:
        sim.stop()
