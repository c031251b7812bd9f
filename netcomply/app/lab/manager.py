"""``lab up`` / ``lab status`` / ``lab down``: the simulated agency network as background processes.

What ``up`` starts (each its own process group, recorded in ``state.json`` the moment it starts):

* ``ssh``      -- one asyncssh process playing every SSH CLI device (:mod:`netcomply.app.lab.sshsim`);
* ``snmp``     -- one snmpsim process serving every SNMP recording (:mod:`netcomply.app.lab.snmp`);
* ``services`` -- DNS, web and SMTP over IPv4 and IPv6 (:mod:`netcomply.app.lab.services`).

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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netcomply.app.lab.inventory_writer import (
    ENABLE_SECRET_ENV,
    SSH_PASSWORD_ENV,
    build_inventory,
    community_env,
    hotspots_from_topology,
    write_env_file,
    write_inventory,
)
from netcomply.app.lab.supervisor import (
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
    ssh_port: int = SSH_PORT
    snmp_port: int = SNMP_PORT

    def to_dict(self) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, Path) else v for k, v in self.__dict__.items()}


def _assert_loopback(addresses: list[str]) -> None:
    for address in addresses:
        if not ipaddress.ip_address(address).is_loopback:
            raise LabError(f"lab address {address} is not on loopback: refusing to start")


#: How far above the usual port ``lab up`` looks for a free one when the usual one is taken.
PORT_SEARCH = 200


def _port_free(kind: int, address: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, kind) as probe:
        if kind == socket.SOCK_STREAM:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the SSH server binds: TIME_WAIT is fine
        try:
            probe.bind((address, port))
        except OSError:
            return False
    return True


def choose_port(wanted: int | None, usual: int, addresses: Iterable[str], *, udp: bool) -> int:
    """The port every one of ``addresses`` can bind: ``wanted`` when given (taken = :class:`LabError`), else the
    usual one, else the first free one above it. Why: a second lab (a test run, a demo, a colleague's) often
    holds the usual ports, and ``lab up`` should not need a code change to start beside it."""
    kind = socket.SOCK_DGRAM if udp else socket.SOCK_STREAM
    where = sorted(set(addresses))
    proto = "UDP" if udp else "TCP"
    candidates = [wanted] if wanted is not None else range(usual, min(usual + PORT_SEARCH, 65536))
    for port in candidates:
        taken = next((a for a in where if not _port_free(kind, a, port)), None)
        if taken is None:
            return port
        if wanted is not None:
            raise LabError(f"{proto} port {port} is taken on {taken}: is another lab running? (`netcomply lab "
                           f"status`; leave the port out to let `lab up` pick a free one)")
    raise LabError(f"no free {proto} port in {usual}-{usual + PORT_SEARCH - 1} on the lab's addresses")


def _start_services(state: LabState, state_dir: Path, auto_ports: bool | None,
                    say: Callable[[str], None]) -> ProcessRecord:
    """Spawn the services process; with ``auto_ports=None`` wait for it and, if a usual port is taken, start it
    again on free ports (the ports it chose are in the inventory the lab writes)."""
    def start(auto: bool) -> ProcessRecord:
        return spawn(state, "services",
                     python_module("netcomply.app.lab.services", "--state-dir", str(state_dir / "services"),
                                   "--ready-file", str(state_dir / "services.ready"),
                                   *(["--auto-ports"] if auto else [])),
                     ready_file=state_dir / "services.ready")

    record = start(bool(auto_ports))
    if auto_ports is not None:
        return record
    try:
        wait_ready(state, [record], timeout=60)
    except LabError as exc:
        if "in use" not in str(exc):
            raise
        stop_processes(state_dir, [record])
        state.processes.remove(record)
        say("a usual DNS/web/mail port is taken: the services listen on free ports (see the inventory)")
        record = start(True)
    return record


def lab_up(
    state_dir: Path | None = None,
    *,
    scale: int | None = None,
    with_services: bool = True,
    ssh_port: int | None = SSH_PORT,
    snmp_port: int | None = SNMP_PORT,
    services_auto_ports: bool | None = False,
    say: Callable[[str], None] = lambda _m: None,
) -> LabInfo:
    """Start the lab and write its inventory. Raises :class:`LabError` (after cleaning up) if a part fails.

    ``ssh_port`` / ``snmp_port``: the port every SSH device / SNMP agent listens on; a taken one is an error.
    ``None`` takes the usual port (2222 / 1161) or, when that is taken, the first free one above it.
    ``services_auto_ports``: True puts the DNS, web and mail services on free ports, False on the scenario's;
    None tries the scenario's and falls back to free ones when one is taken."""
    started = time.monotonic()
    state_dir = _fresh_state_dir(state_dir)
    state = LabState(str(state_dir))
    state.save()
    topology = load_topology()
    creds = _LabSecrets.new()
    try:
        profiles, ssh_port = _ssh_profiles(topology, scale, ssh_port, creds, state, say)
        ssh = _spawn_ssh(state, state_dir, profiles, say)
        snmp_devices, written = _snmp_recordings(topology, scale, profiles, state)
        services_rec = []
        if with_services:
            say("starting DNS, web and mail services")
            services_rec.append(_start_services(state, state_dir, services_auto_ports, say))
        say(f"starting {len(written)} SNMP agents")
        snmp_port = _start_snmp(state, state_dir, snmp_devices, snmp_port, scale, creds, say)
        wait_ready(state, [ssh, *services_rec], timeout=120)
        services = _service_entries(state_dir / "services") if with_services else []
        devices = topology["devices"] if scale is None else _scale_entries(profiles, snmp_devices)
        inventory, env_file = _write_lab_files(state_dir, topology, devices, snmp_devices, services, scale,
                                               ssh_port, snmp_port, creds)
        state.info = {"scale": scale, "ssh_port": ssh_port, "snmp_port": snmp_port, "devices": len(devices)}
        state.save()
    except BaseException:
        lab_down(state_dir)
        raise
    return LabInfo(
        state_dir=state_dir, inventory=inventory, env_file=env_file, known_hosts=state_dir / "known_hosts",
        devices=len(devices), ssh_devices=len(profiles), snmp_devices=len(written), services=len(services),
        seconds=time.monotonic() - started, processes=[{"name": p.name, "pid": p.pid} for p in state.processes],
        ssh_port=ssh_port, snmp_port=snmp_port,
    )


@dataclass(frozen=True)
class _LabSecrets:
    """The lab's own credentials, new for every `lab up` (never a default a scanner would try)."""

    password: str
    enable_secret: str
    v3_auth_key: str
    v3_priv_key: str

    @classmethod
    def new(cls) -> _LabSecrets:
        return cls(secrets.token_urlsafe(12), secrets.token_urlsafe(12), secrets.token_hex(12), secrets.token_hex(12))


def _fresh_state_dir(state_dir: Path | None) -> Path:
    """The state dir, refused while a lab runs from it, cleaned of a crashed start's leftovers."""
    state_dir = (state_dir or default_state_dir()).resolve()
    state_dir.mkdir(parents=True, exist_ok=True)
    existing = LabState.load(state_dir)
    if existing and any(alive(p.pid) for p in existing.processes):
        raise LabError(f"a lab is already running from {state_dir}; run `netcomply lab down` first")
    if existing or strays(state_dir):
        lab_down(state_dir)
    return state_dir


def _ssh_profiles(topology: dict[str, Any], scale: int | None, wanted: int | None, creds: _LabSecrets,
                  state: LabState, say: Callable[[str], None]) -> tuple[list[Any], int]:
    """The SSH devices' profiles on the port they will listen on (the usual one, or a free one above it)."""
    from netcomply.app.lab.snmp.schedule import SCHEDULE_FILE
    from netcomply.app.lab.sshsim.profile import profiles_from_topology

    ssh_scale = None if scale is None else int(scale * SCALE_SSH_SHARE) or 1

    def build(port: int) -> list[Any]:
        return profiles_from_topology(topology, scale=ssh_scale, port=port, password=creds.password,
                                      enable_secret=creds.enable_secret, lab_epoch=state.epoch)

    profiles = build(wanted or SSH_PORT)
    _assert_loopback([p.address for p in profiles])
    port = choose_port(wanted, SSH_PORT, [p.address for p in profiles], udp=False)
    if port != (wanted or SSH_PORT):
        say(f"TCP {SSH_PORT} is taken: the SSH devices listen on {port}")
        profiles = build(port)
    # written by write_recordings; install_schedule updates it live
    schedule_file = Path(state.state_dir) / "snmp" / "data" / SCHEDULE_FILE
    for profile in profiles:
        if "aps" in profile.vars:
            profile.vars["ap_schedule_file"] = str(schedule_file)
        if profile.fault == "slow":
            # Slower than the lab inventory's ssh.read_timeout (5 s): the audit must record a timeout.
            profile.vars["slow_delay"] = SLOW_DELAY
    return profiles, port


def _spawn_ssh(state: LabState, state_dir: Path, profiles: list[Any], say: Callable[[str], None]) -> ProcessRecord:
    profiles_file = state_dir / "ssh-profiles.json"
    profiles_file.touch(mode=0o600, exist_ok=True)
    profiles_file.write_text(json.dumps([p.to_dict() for p in profiles]), encoding="utf-8")
    say(f"starting {len(profiles)} SSH devices")
    return spawn(
        state, "ssh",
        python_module("netcomply.app.lab.sshsim", "--profiles", str(profiles_file), "--host-keys",
                      str(state_dir / "host-keys"), "--ready-file", str(state_dir / "ssh.ready"),
                      "--known-hosts", str(state_dir / "known_hosts")),
        ready_file=state_dir / "ssh.ready",
    )


def _snmp_recordings(topology: dict[str, Any], scale: int | None, profiles: list[Any],
                     state: LabState) -> tuple[list[Any], dict[str, Path]]:
    """The SNMP devices (random communities) and their recordings, written into the state dir."""
    from netcomply.app.lab.snmp.recordings import ap_names, write_recordings
    from netcomply.app.lab.snmp.schedule import default_schedule
    from netcomply.app.lab.snmp.topology import load_city, scale_devices

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
    written = write_recordings(snmp_devices, Path(state.state_dir) / "snmp" / "data", epoch=state.epoch,
                               controller_aps=controller_aps, schedule=schedule)
    return snmp_devices, written


def _start_snmp(state: LabState, state_dir: Path, snmp_devices: list[Any], wanted: int | None, scale: int | None,
                creds: _LabSecrets, say: Callable[[str], None]) -> int:
    """Start snmpsim for every device on one port (the usual one, or a free one above it); returns the port."""
    from netcomply.app.lab.snmp.process import V3User, lab_endpoints, start_snmpsim

    port = choose_port(wanted, SNMP_PORT, [e.address for e in lab_endpoints(snmp_devices, own_engines=False)],
                       udp=True)
    if wanted is None and port != SNMP_PORT:
        say(f"UDP {SNMP_PORT} is taken: the SNMP agents listen on {port}")
    endpoints = lab_endpoints(snmp_devices, port=port, own_engines=scale is None)
    with _marked_environment(state_dir):  # snmpsim inherits the lab marker, so `down` can always find it
        sim = start_snmpsim(state_dir / "snmp" / "data", endpoints, cache_dir=state_dir / "snmp" / "cache",
                            log_file=state_dir / "logs" / "snmp.log",
                            v3_user=V3User(auth_key=creds.v3_auth_key, priv_key=creds.v3_priv_key))
    args = sim.process.args
    argv = [str(a) for a in args] if isinstance(args, list | tuple) else [str(args)]
    state.processes.append(ProcessRecord("snmp", sim.pid, argv, str(sim.log_file)))
    state.save()
    return port


def _write_lab_files(state_dir: Path, topology: dict[str, Any], devices: list[Any], snmp_devices: list[Any],
                     services: list[dict[str, Any]], scale: int | None, ssh_port: int, snmp_port: int,
                     creds: _LabSecrets) -> tuple[Path, Path]:
    """The lab's inventory and its env file of secrets."""
    doc = build_inventory(topology, devices, ssh_port=ssh_port, snmp_port=snmp_port, services=services,
                          hotspots=hotspots_from_topology(topology) if scale is None else [],
                          allowed_ranges=["127.0.10.0/24"] if scale is None else ["127.1.0.0/16"])
    env = {SSH_PASSWORD_ENV: creds.password, ENABLE_SECRET_ENV: creds.enable_secret}
    # Every SNMP device gets a community, the silent one too: it is there, it just never answers.
    env.update({community_env(d.name): d.community_name for d in snmp_devices})
    env_file = write_env_file(state_dir / "lab.env", env)
    inventory = write_inventory(
        state_dir / "inventory.yaml", doc,
        f"netcomply lab inventory, written by `netcomply lab up` at {time.strftime('%Y-%m-%d %H:%M:%S %Z')}.\n"
        "Every address is on loopback. Secrets are in lab.env; host keys in known_hosts.",
    )
    return inventory, env_file


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
    from netcomply.app.lab.services.runtime import inventory_services

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
