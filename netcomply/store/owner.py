"""Who owns a running run, and whether that owner is still alive.

A run row records ``hostname``, ``pid`` and a *process token* (Linux boot id + the process's start time in
clock ticks from ``/proc/PID/stat``). The token is what makes the liveness test sound: pids are reused, so
"pid 4242 exists" says nothing about whether it is *our* 4242, but the same pid with the same start time
in the same boot is the same process. Where ``/proc`` is missing (not Linux) the token is empty and we
fall back to the pid alone, erring on the side of "alive" (never flip a run that might still be writing).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Owner:
    hostname: str
    pid: int
    token: str | None


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (which may itself contain spaces and parens)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rfind(")") + 2 :].split()


def process_token(pid: int) -> str | None:
    boot = _boot_id()
    fields = _stat_fields(pid)
    if boot is None or fields is None or len(fields) < 20:
        return None
    return f"{boot}:{fields[19]}"  # field 22 of stat (starttime); index 19 after pid and comm


def current_owner() -> Owner:
    pid = os.getpid()
    return Owner(hostname=socket.gethostname(), pid=pid, token=process_token(pid))


def is_alive(pid: int, token: str | None) -> bool:
    """True if the process that wrote (pid, token) may still be running on this host."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    fields = _stat_fields(pid)
    if fields is not None and fields[0] in {"Z", "X"}:
        return False  # a zombie writes nothing: it was killed and not yet reaped
    if token is None:
        return True
    current = process_token(pid)
    return current is None or current == token
