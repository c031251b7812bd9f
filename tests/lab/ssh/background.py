"""Simulated SSH devices served from a background thread's event loop, for tests that drive them with plain,
blocking netmiko or SshSession, exactly as the collectors do (the simulator is asyncio; netmiko is not)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from netcomply.app.lab.sshsim import DeviceProfile, SshLab


@contextmanager
def serving(profiles: list[DeviceProfile], key_dir: Path) -> Iterator[tuple[SshLab, str]]:
    """The devices of ``profiles`` listening (port 0: a free port each, ``lab.endpoints``), and the path of a
    known_hosts file with their host keys; all stopped on exit."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="ssh-sim", daemon=True)
    thread.start()
    lab = asyncio.run_coroutine_threadsafe(SshLab.start(profiles, host_key_dir=key_dir), loop).result(30)
    try:
        yield lab, str(lab.write_known_hosts(key_dir / "known_hosts"))
    finally:
        asyncio.run_coroutine_threadsafe(lab.close(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
