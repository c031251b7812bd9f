"""SshLab: every simulated device listening on its own loopback address, served by one asyncio loop.

Each device is one asyncssh listener (its own address and port, its own host key and credentials); all of
them share the event loop, the platform specs and the host key pool, which is how one process hosts a
thousand devices in tens of megabytes.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
from pathlib import Path
from typing import Any

import asyncssh

from netcomply.app.lab.sshsim.hostkeys import KeyPool, known_hosts_line, load_pool
from netcomply.app.lab.sshsim.profile import DeviceProfile
from netcomply.app.lab.sshsim.session import CliSession, SimDevice


class LabPortInUse(OSError):
    """A device's address and port are taken (another lab, or another program, already listens there)."""


class _DeviceServer(asyncssh.SSHServer):
    """Authentication for one device: its own password (AireOS checks credentials inside the shell)."""

    def __init__(self, device: SimDevice) -> None:
        self._dev = device

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def kbdint_auth_supported(self) -> bool:
        return True

    def _accept(self, username: str, password: str) -> bool:
        if self._dev.spec.inner_login:
            return True  # AireOS: the SSH layer lets anyone in, the shell asks ``User:`` / ``Password:``
        return username == self._dev.profile.username and password == self._dev.profile.password

    def validate_password(self, username: str, password: str) -> bool:
        return self._accept(username, password)

    def get_kbdint_challenge(self, username: str, lang: str, submethods: str) -> Any:
        return "", "", "", [("Password: ", False)]

    def validate_kbdint_response(self, username: str, responses: Any) -> bool:
        return len(responses) == 1 and self._accept(username, responses[0])

    def session_requested(self) -> CliSession:
        return CliSession(self._dev)


def _check_loopback(address: str) -> None:
    if not ipaddress.ip_address(address).is_loopback:
        raise ValueError(f"refusing to listen on {address}: the lab stays on loopback")


class SshLab:
    """The running SSH devices. Create with :meth:`start` inside a running event loop."""

    def __init__(self, devices: dict[str, SimDevice], pool: KeyPool) -> None:
        self._devices = devices
        self._pool = pool
        self._servers: dict[str, asyncssh.SSHAcceptor] = {}
        self._endpoints: dict[str, tuple[str, int]] = {}

    @classmethod
    async def start(cls, profiles: list[DeviceProfile], *, host_key_dir: Path,
                    concurrency: int = 200) -> SshLab:
        """Listen for every profile; raise :class:`LabPortInUse` (after closing what started) on a clash."""
        pool = load_pool(Path(host_key_dir))
        devices = {p.name: SimDevice.from_profile(p) for p in profiles}
        if len(devices) != len(profiles):
            raise ValueError("device names in the profiles are not unique")
        lab = cls(devices, pool)
        gate = asyncio.Semaphore(concurrency)

        async def one(dev: SimDevice) -> None:
            async with gate:
                await lab._listen(dev)

        try:
            await asyncio.gather(*(one(d) for d in devices.values()))
        except BaseException:
            await lab.close()
            raise
        return lab

    async def _listen(self, dev: SimDevice) -> None:
        p = dev.profile
        _check_loopback(p.address)
        key = self._pool.rogue if p.fault == "changed_host_key" else self._pool.for_device(p.name)
        try:
            server = await asyncssh.listen(
                p.address, p.port, server_factory=lambda: _DeviceServer(dev), server_host_keys=[key],
                line_editor=False, encoding=None, reuse_address=True, keepalive_interval=0,
                login_timeout=30, allow_scp=False,
                **({"server_version": dev.spec.server_version} if dev.spec.server_version else {}),
            )
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise LabPortInUse(exc.errno, f"{p.name}: {p.address}:{p.port} is already in use "
                                              "(is another lab or program listening there?)") from None
            raise
        self._servers[p.name] = server
        self._endpoints[p.name] = (p.address, server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        servers = list(self._servers.values())
        self._servers.clear()
        for server in servers:
            server.close()
        await asyncio.gather(*(s.wait_closed() for s in servers), return_exceptions=True)

    # ------------------------------------------------------------------ inspection
    @property
    def endpoints(self) -> dict[str, tuple[str, int]]:
        """Where each device listens (the real port when the profile asked for port 0)."""
        return dict(self._endpoints)

    def received(self, name: str) -> list[str]:
        """Every line device ``name`` received, over all its sessions, in order (enable secrets masked)."""
        return list(self._devices[name].received)

    def profile(self, name: str) -> DeviceProfile:
        return self._devices[name].profile

    def known_hosts_lines(self) -> list[str]:
        """known_hosts for the lab: each device's *expected* key (a changed_host_key device presents another)."""
        return [
            known_hosts_line(addr, port, self._pool.for_device(name))
            for name, (addr, port) in self._endpoints.items()
        ]

    def write_known_hosts(self, path: Path) -> Path:
        path.write_text("\n".join(self.known_hosts_lines()) + "\n", encoding="utf-8")
        return path
