"""Network namespaces and veth pairs through iproute2, creating and removing only the tier's own objects.

Every command names a namespace the tier created (``ip -n NS ...``); the veth pair is created *inside* the
firewall namespace with its peer moved straight into the client namespace, so the host's own namespace never
holds a lab interface, and the host's interfaces and ruleset are never touched.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

IP = "ip"
COMMAND_TIMEOUT = 20.0


class TierCommandError(RuntimeError):
    """A tier command failed; the message holds the command and its stderr."""


def run(argv: Sequence[str], *, check: bool = True, timeout: float = COMMAND_TIMEOUT,
        input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, input=input_text,
                          check=False)
    if check and proc.returncode != 0:
        raise TierCommandError(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc


def ns_exec(namespace: str, argv: Sequence[str]) -> list[str]:
    """The argv that runs ``argv`` inside ``namespace``."""
    return [IP, "netns", "exec", namespace, *argv]


def list_namespaces() -> set[str]:
    out = run([IP, "netns", "list"]).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def add_namespace(name: str) -> None:
    run([IP, "netns", "add", name])
    run([IP, "-n", name, "link", "set", "lo", "up"])


def add_veth(ns_a: str, if_a: str, ns_b: str, if_b: str) -> None:
    run([IP, "-n", ns_a, "link", "add", if_a, "type", "veth", "peer", "name", if_b, "netns", ns_b])
    run([IP, "-n", ns_a, "link", "set", if_a, "up"])
    run([IP, "-n", ns_b, "link", "set", if_b, "up"])


def add_address(namespace: str, interface: str, address: str) -> None:
    """Add an address; IPv6 with ``nodad`` so it is usable at once (no ~1.7 s tentative state)."""
    extra = ["nodad"] if ":" in address else []
    run([IP, "-n", namespace, "addr", "add", address, "dev", interface, *extra])


def namespace_pids(name: str) -> list[int]:
    proc = run([IP, "netns", "pids", name], check=False)
    return [int(p) for p in proc.stdout.split() if p.isdigit()]


def alive(pid: int) -> bool:
    """True while ``pid`` runs. A zombie counts as gone: a daemon's reaper is PID 1, which may take seconds."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def stop_pid(pid: int, grace: float = 3.0) -> None:
    """SIGTERM, then SIGKILL after ``grace`` seconds. Only ever called for processes the tier started."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not alive(pid):
            return
        time.sleep(0.02)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def delete_namespace(name: str) -> None:
    """Stop what still runs inside (it keeps the namespace alive otherwise), then delete it. Idempotent."""
    if name not in list_namespaces():
        return
    for pid in namespace_pids(name):
        stop_pid(pid)
    run([IP, "netns", "delete", name])


def host_link_exists(name: str) -> bool:
    return run([IP, "link", "show", "dev", name], check=False).returncode == 0
