"""Fixtures for the simulated SSH devices: the default lab (city.yaml) served from a background thread.

The lab runs in its own asyncio loop on a daemon thread so that tests drive it with plain, blocking netmiko,
exactly as the collectors do. Every device listens on its own 127.0.10.x address on a free port (port 0),
so these tests never collide with a `lab up` running on the same machine.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from netmiko import BaseConnection, ConnectHandler

from netcomply.app.lab.sshsim import DeviceProfile, SshLab, profiles_from_topology

CITY = Path(__file__).resolve().parents[3] / "netcomply" / "app" / "lab" / "data" / "city.yaml"
PASSWORD = "lab-shared-pw"
ENABLE = "lab-enable-secret"
SLOW_DELAY = 1.0  # the slow device's delay per command in these tests (3 s by default)


@dataclass
class RunningLab:
    lab: SshLab
    loop: asyncio.AbstractEventLoop
    profiles: dict[str, DeviceProfile]
    known_hosts: Path
    topology: dict[str, Any]
    _sessions: dict[str, BaseConnection] = field(default_factory=dict)

    def connect(self, name: str, *, password: str = PASSWORD, **kwargs: Any) -> BaseConnection:
        """netmiko to device ``name`` with the lab's shared credentials (host keys unchecked unless asked)."""
        p = self.profiles[name]
        address, port = self.lab.endpoints[name]
        params: dict[str, Any] = dict(
            device_type=p.platform, host=address, port=port, username=p.username, password=password,
            secret=ENABLE, conn_timeout=5, auth_timeout=5, banner_timeout=5, fast_cli=True,
        )
        params.update(kwargs)
        return ConnectHandler(**params)

    def session(self, name: str) -> BaseConnection:
        """One shared, already prepared (and enabled) session per device, like a collector's: tests that only
        run commands reuse it, because some drivers (Huawei, PAN-OS, AireOS) spend 2-3 s logging out."""
        conn = self._sessions.get(name)
        if conn is None:
            conn = self._sessions[name] = self.connect(name)
            if self.profiles[name].platform in ("cisco_ios", "cisco_asa"):
                conn.enable()
        return conn

    def close_sessions(self) -> None:
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(lambda c: c.disconnect(), self._sessions.values()))
        self._sessions.clear()

    def received(self, name: str) -> list[str]:
        return self.lab.received(name)


@pytest.fixture(scope="session")
def topology() -> dict[str, Any]:
    return yaml.safe_load(CITY.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def ssh_lab(topology: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    profiles = profiles_from_topology(topology, port=0, password=PASSWORD, enable_secret=ENABLE)
    for p in profiles:
        if p.fault == "slow":
            p.vars["slow_delay"] = SLOW_DELAY
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="ssh-lab", daemon=True)
    thread.start()
    keys = tmp_path_factory.mktemp("hostkeys")
    lab = asyncio.run_coroutine_threadsafe(SshLab.start(profiles, host_key_dir=keys), loop).result(30)
    known_hosts = lab.write_known_hosts(keys / "known_hosts")
    running = RunningLab(lab, loop, {p.name: p for p in profiles}, known_hosts, topology)
    try:
        yield running
    finally:
        running.close_sessions()
        asyncio.run_coroutine_threadsafe(lab.close(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
