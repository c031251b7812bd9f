"""Start, watch and stop the lab's background processes.

``lab up`` must leave the shell, and ``lab down`` must stop *exactly* what ``up`` started, even when ``up``
crashed half-way. So every process is started in its own session (its own process group), recorded in
``state.json`` in the state dir *immediately after it is spawned* (not at the end), and carries the state dir
in its environment (:data:`LAB_MARKER`). ``down`` stops the recorded process groups, then sweeps ``/proc`` for any
process whose environment carries this state dir (a child that outlived its parent), and only then removes
the state. The marker is in the environment, not the command line, so a shell, an editor or a ``tail -f`` that
merely mentions the state dir is never mistaken for part of the lab.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from netcomply.errors import NetcomplyError

STATE_FILE = "state.json"
#: Every process the lab starts carries ``NETCOMPLY_LAB_STATE_DIR=<its state dir>`` in its environment.
LAB_MARKER = "NETCOMPLY_LAB_STATE_DIR"


def marker_env(state_dir: str | Path) -> dict[str, str]:
    return {LAB_MARKER: str(Path(state_dir).resolve())}


class LabError(NetcomplyError):
    """The lab could not be started or stopped; the message says which part and shows its log's tail."""


@dataclass
class ProcessRecord:
    name: str
    pid: int
    argv: list[str]
    log: str
    ready_file: str | None = None


@dataclass
class LabState:
    state_dir: str
    started_at: float = field(default_factory=time.time)
    epoch: float = field(default_factory=time.time)
    processes: list[ProcessRecord] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, state_dir: Path) -> LabState | None:
        path = state_dir / STATE_FILE
        if not path.exists():
            return None
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["processes"] = [ProcessRecord(**p) for p in raw.get("processes", [])]
        return cls(**raw)

    def save(self) -> None:
        path = Path(self.state_dir) / STATE_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        tmp.replace(path)  # atomic: a crash never leaves half a state file


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is dead for our purposes.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def spawn(state: LabState, name: str, argv: list[str], *, ready_file: Path | None, env: dict[str, str] | None = None
          ) -> ProcessRecord:
    """Start ``argv`` detached, logging to ``logs/NAME.log``, and record it in the state file right away."""
    logs = Path(state.state_dir) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"{name}.log"
    if ready_file is not None and ready_file.exists():
        ready_file.unlink()
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **(env or {}), **marker_env(state.state_dir)},
            close_fds=True,
        )
    record = ProcessRecord(name, proc.pid, argv, str(log_path), str(ready_file) if ready_file else None)
    state.processes.append(record)
    state.save()
    return record


def wait_ready(state: LabState, records: list[ProcessRecord], timeout: float = 90.0) -> None:
    """Wait until every record's ready file exists; fail fast (with the log's tail) if one process dies."""
    deadline = time.monotonic() + timeout
    waiting = [r for r in records if r.ready_file]
    while waiting:
        for record in list(waiting):
            if Path(record.ready_file or "").exists():
                waiting.remove(record)
            elif not alive(record.pid):
                raise LabError(f"lab {record.name} exited during start-up:\n{log_tail(record.log)}")
        if waiting and time.monotonic() > deadline:
            names = ", ".join(r.name for r in waiting)
            raise LabError(f"lab {names} not ready after {timeout:.0f} s:\n{log_tail(waiting[0].log)}")
        if waiting:
            time.sleep(0.1)


def log_tail(path: str, lines: int = 15) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join("    " + line for line in text.splitlines()[-lines:])


def stop_processes(state_dir: Path, records: list[ProcessRecord], grace: float = 5.0) -> list[str]:
    """SIGTERM each process group, SIGKILL what is left after ``grace`` seconds, then sweep strays."""
    stopped = []
    for record in records:
        if alive(record.pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(record.pid, signal.SIGTERM)
            stopped.append(record.name)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(alive(r.pid) for r in records):
        time.sleep(0.1)
    for record in records:
        if alive(record.pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(record.pid, signal.SIGKILL)
    for pid in strays(state_dir):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
        stopped.append(f"stray pid {pid}")
    return stopped


def strays(state_dir: Path, known: set[int] | frozenset[int] = frozenset()) -> list[int]:
    """Processes (other than us and the ``known`` ones) that the lab of ``state_dir`` started and that are still
    running: what a crashed ``up`` left behind. Recognised by :data:`LAB_MARKER` in their environment."""
    needle = f"{LAB_MARKER}={state_dir.resolve()}".encode()
    found = []
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me or int(entry.name) in known:
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if needle in environ and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def python_module(module: str, *args: str) -> list[str]:
    """argv to run one of our modules with this very interpreter (the venv's)."""
    return [sys.executable, "-m", module, *args]
