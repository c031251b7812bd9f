"""``lab up`` / ``lab status`` / ``lab down``: the simulated agency network as background processes.

What ``up`` starts (each its own process group, recorded in ``state.json`` the moment it starts):

* ``ssh``      -- one asyncssh process playing every SSH CLI device (:mod:`netcomply.lab.sshsim`);
* ``snmp``     -- one snmpsim process serving every SNMP recording (:mod:`netcomply.lab.snmp`);
* ``services`` -- DNS, web and SMTP over IPv4 and IPv6 (:mod:`netcomply.lab.services`).

Then it writes ``inventory.yaml``, ``lab.env`` (fresh random secrets, mode 0600) and ``known_hosts`` into the
state dir. Every address is on loopback (the per-device addresses are 127.0.10.x, or 127.1.x.y in scale
mode); :func:`_assert_loopback` checks that before anything starts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import ipaddress
import json
import os
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netcomply.lab.inventory_writer import (
    ENABLE_SECRET_ENV,
    SSH_PASSWORD_ENV,
    build_inventory,
    community_env,
    hotspots_from_topology,
    write_env_file,
    write_inventory,
)
from netcomply.lab.supervisor import (
    LAB_MARKER,
    LabError,
    LabState,
    ProcessRecord,
    alive,
    marker_env,
    python_module,
    spawn,
    stop_processes,
    strays,
    wait_ready,
)

CITY = Path(__file__).parent / "data" / "city.yaml"
SSH_PORT = 2222
SNMP_PORT = 1161
SLOW_DELAY = 8.0  # seconds the `slow` device takes per command
SCALE_SSH_SHARE = 0.5  # in scale mode, half the devices also speak SSH (the collection benchmark mixes both)


def default_state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "netcomply" / "lab"


def load_topology() -> dict[str, Any]:
    return yaml.safe_load(CITY.read_text(encoding="utf-8"))


@dataclass
class LabInfo:
    state_dir: Path
    inventory: Path
    env_file: Path
    known_hosts: Path
    devices: int
    ssh_devices: int
    snmp_devices: int
    services: int
    seconds: float
    processes: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, Path) else v for k, v in self.__dict__.items()}


def _assert_loopback(addresses: list[str]) -> None:
    for address in addresses:
        if not ipaddress.ip_address(address).is_loopback:
            raise LabError(f"lab address {address} is not on loopback: refusing to start")


def _assert_udp_free(endpoints: list[tuple[str, int]]) -> None:
    """snmpsim binds with address reuse, so a second agent on a taken port would start and never answer:
    check first, and say which port is taken."""
    for address, port in endpoints:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            try:
                probe.bind((address, port))
            except OSError as exc:
                raise LabError(f"UDP {address} port {port} is taken ({exc.strerror}): is another lab running? "
                               "(`netcomply lab status`, or pick other ports)") from None


def lab_up(
    state_dir: Path | None = None,
    *,
    scale: int | None = None,
    with_services: bool = True,
    ssh_port: int = SSH_PORT,
    snmp_port: int = SNMP_PORT,
    services_auto_ports: bool = False,
    say: Callable[[str], None] = lambda _m: None,
) -> LabInfo:
    """Start the lab and write its inventory. Raises :class:`LabError` (after cleaning up) if a part fails."""
    from netcomply.lab.snmp.process import V3User, lab_endpoints, start_snmpsim
    from netcomply.lab.snmp.recordings import ap_names, write_recordings
    from netcomply.lab.snmp.schedule import SCHEDULE_FILE, default_schedule
    from netcomply.lab.snmp.topology import load_city, scale_devices
    from netcomply.lab.sshsim.profile import profiles_from_topology

    started = time.monotonic()
    state_dir = (state_dir or default_state_dir()).resolve()
    state_dir.mkdir(parents=True, exist_ok=True)
    existing = LabState.load(state_dir)
    if existing and any(alive(p.pid) for p in existing.processes):
        raise LabError(f"a lab is already running from {state_dir}; run `netcomply lab down` first")
    if existing or strays(state_dir):
        lab_down(state_dir)  # leftovers of a crashed start: clean them first

    state = LabState(str(state_dir))
    state.save()
    topology = load_topology()
    password = secrets.token_urlsafe(12)
    enable_secret = secrets.token_urlsafe(12)
    v3 = V3User(auth_key=secrets.token_hex(12), priv_key=secrets.token_hex(12))
    try:
        # ---------------------------------------------------------------- SSH devices
        profiles = profiles_from_topology(
            topology, scale=None if scale is None else int(scale * SCALE_SSH_SHARE) or 1, port=ssh_port,
            password=password, enable_secret=enable_secret, lab_epoch=state.epoch,
        )
        _assert_loopback([p.address for p in profiles])
        data_dir = state_dir / "snmp" / "data"
        schedule_file = data_dir / SCHEDULE_FILE  # written by write_recordings; install_schedule updates it live
        for profile in profiles:
            if "aps" in profile.vars:
                profile.vars["ap_schedule_file"] = str(schedule_file)
            if profile.fault == "slow":
                # Slower than the lab inventory's ssh.read_timeout (5 s): the audit must record a timeout.
                profile.vars["slow_delay"] = SLOW_DELAY
        profiles_file = state_dir / "ssh-profiles.json"
        profiles_file.touch(mode=0o600, exist_ok=True)
        profiles_file.write_text(json.dumps([p.to_dict() for p in profiles]), encoding="utf-8")
        say(f"starting {len(profiles)} SSH devices")
        ssh = spawn(
            state, "ssh",
            python_module("netcomply.lab.sshsim", "--profiles", str(profiles_file), "--host-keys",
                          str(state_dir / "host-keys"), "--ready-file", str(state_dir / "ssh.ready"),
                          "--known-hosts", str(state_dir / "known_hosts")),
            ready_file=state_dir / "ssh.ready",
        )
        # ---------------------------------------------------------------- SNMP agents
        if scale is None:
            snmp_devices, controller_aps = load_city(CITY)
        else:
            # The SNMP agent at an SSH device's address must be the same device: same brand, model and maker.
            by_address = {p.address: p for p in profiles}
            snmp_devices = [
                dataclasses.replace(d, brand=p.vars["brand"], model=p.vars["model"],
                                    manufacturer=p.vars.get("manufacturer"))
                if (p := by_address.get(d.address)) is not None else d
                for d in scale_devices(scale)
            ]
            controller_aps = {}
        _assert_loopback([d.address for d in snmp_devices])
        # Random communities: netcomply masks every community it knows, so a community equal to a device
        # name would mask that name in every report.
        snmp_devices = [dataclasses.replace(d, community=f"lab{secrets.token_hex(6)}") for d in snmp_devices]
        # One AP schedule for the whole lab: the SNMP agents and the SSH controllers both answer from it.
        schedule = default_schedule(ap_names(snmp_devices, controller_aps), state.epoch)
        written = write_recordings(snmp_devices, data_dir, epoch=state.epoch, controller_aps=controller_aps,
                                   schedule=schedule)
        services_rec: list[ProcessRecord] = []
        if with_services:
            say("starting DNS, web and mail services")
            services_rec.append(spawn(
                state, "services",
                python_module("netcomply.lab.services", "--state-dir", str(state_dir / "services"),
                              "--ready-file", str(state_dir / "services.ready"),
                              *(["--auto-ports"] if services_auto_ports else [])),
                ready_file=state_dir / "services.ready",
            ))
        say(f"starting {len(written)} SNMP agents")
        endpoints = lab_endpoints(snmp_devices, port=snmp_port, own_engines=scale is None)
        _assert_udp_free([(e.address, e.port) for e in endpoints])
        with _marked_environment(state_dir):  # snmpsim inherits the lab marker, so `down` can always find it
            sim = start_snmpsim(data_dir, endpoints, cache_dir=state_dir / "snmp" / "cache",
                                log_file=state_dir / "logs" / "snmp.log", v3_user=v3)
        args = sim.process.args
        argv = [str(a) for a in args] if isinstance(args, list | tuple) else [str(args)]
        state.processes.append(ProcessRecord("snmp", sim.pid, argv, str(sim.log_file)))
        state.save()
        wait_ready(state, [ssh, *services_rec], timeout=120)

        # ---------------------------------------------------------------- inventory, secrets
        services: list[dict[str, Any]] = []
        if with_services:
            services = _service_entries(state_dir / "services")
        devices = topology["devices"] if scale is None else _scale_entries(profiles, snmp_devices)
        doc = build_inventory(topology, devices, ssh_port=ssh_port, snmp_port=snmp_port, services=services,
                              hotspots=hotspots_from_topology(topology) if scale is None else [],
                              allowed_ranges=["127.0.10.0/24"] if scale is None else ["127.1.0.0/16"])
        env = {SSH_PASSWORD_ENV: password, ENABLE_SECRET_ENV: enable_secret}
        # Every SNMP device gets a community, the silent one too: it is there, it just never answers.
        env.update({community_env(d.name): d.community_name for d in snmp_devices})
        env_file = write_env_file(state_dir / "lab.env", env)
        inventory = write_inventory(
            state_dir / "inventory.yaml", doc,
            f"netcomply lab inventory, written by `netcomply lab up` at {time.strftime('%Y-%m-%d %H:%M:%S %Z')}.\n"
            "Every address is on loopback. Secrets are in lab.env; host keys in known_hosts.",
        )
        state.info = {"scale": scale, "ssh_port": ssh_port, "snmp_port": snmp_port, "devices": len(devices)}
        state.save()
    except BaseException:
        lab_down(state_dir)
        raise
    return LabInfo(
        state_dir=state_dir,
        inventory=inventory,
        env_file=env_file,
        known_hosts=state_dir / "known_hosts",
        devices=len(devices),
        ssh_devices=len(profiles),
        snmp_devices=len(written),
        services=len(services),
        seconds=time.monotonic() - started,
        processes=[{"name": p.name, "pid": p.pid} for p in state.processes],
    )


@contextlib.contextmanager
def _marked_environment(state_dir: Path) -> Iterator[None]:
    saved = os.environ.get(LAB_MARKER)
    os.environ.update(marker_env(state_dir))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(LAB_MARKER, None)
        else:
            os.environ[LAB_MARKER] = saved


def _service_entries(services_dir: Path) -> list[dict[str, Any]]:
    """The inventory's ``services`` with the lab's endpoints (ports) taken from the running services."""
    from netcomply.lab.services.runtime import inventory_services

    return inventory_services(services_dir)


def _scale_entries(profiles: list[Any], snmp_devices: list[Any]) -> list[dict[str, Any]]:
    ssh_by_address = {p.address: p for p in profiles}
    out = []
    for d in snmp_devices:
        p = ssh_by_address.get(d.address)
        entry = {"name": p.name if p else d.name, "address": d.address, "role": d.role, "site": d.site,
                 "snmp": True, "brand": d.brand, "model": d.model}
        if p is not None:
            entry["ssh"] = p.platform
        out.append(entry)
    return out


def lab_status(state_dir: Path | None = None) -> dict[str, Any]:
    state_dir = (state_dir or default_state_dir()).resolve()
    state = LabState.load(state_dir)
    if state is None:
        return {"state_dir": str(state_dir), "running": False, "processes": [], "strays": strays(state_dir)}
    processes = [{"name": p.name, "pid": p.pid, "alive": alive(p.pid), "log": p.log} for p in state.processes]
    return {
        "state_dir": str(state_dir),
        "running": bool(processes) and all(p["alive"] for p in processes),
        "degraded": any(p["alive"] for p in processes) and not all(p["alive"] for p in processes),
        "uptime": round(time.time() - state.started_at, 1),
        "inventory": str(state_dir / "inventory.yaml"),
        "info": state.info,
        "processes": processes,
        "strays": strays(state_dir, known={p.pid for p in state.processes}),
    }


def lab_down(state_dir: Path | None = None) -> list[str]:
    """Stop every process ``up`` started (also after a crash) and forget the state. Idempotent."""
    state_dir = (state_dir or default_state_dir()).resolve()
    state = LabState.load(state_dir)
    records = state.processes if state else []
    stopped = stop_processes(state_dir, records)
    for name in ("state.json", "ssh.ready", "services.ready"):
        (state_dir / name).unlink(missing_ok=True)
    return stopped
