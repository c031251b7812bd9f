"""``netcomply schedule run``: what a timer or a cron line starts.

Runs ``netcomply audit`` into ``<out-root>/<UTC timestamp>/``, keeps the newest ``keep`` report folders (only
folders named like a timestamp are ever pruned), appends one start and one end line to
``<out-root>/netcomply-schedule.log`` (also to stdout under systemd, where it lands in the journal), writes
``<out-root>/last-run.json`` for monitoring, and exits with the audit's own exit code. A lock on the out root
keeps two runs of one schedule from overlapping (cron does not prevent that; systemd does).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from netcomply.app.cli import exitcodes
from netcomply.app.schedule.spec import netcomply_executable
from netcomply.safety.redact import REDACTOR

LOG_NAME = "netcomply-schedule.log"
STATUS_NAME = "last-run.json"
LOCK_NAME = ".netcomply-schedule.lock"
REPORT_DIR_RE = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")

MEANING = {
    exitcodes.OK: "complete",
    exitcodes.PARTIAL: "partial: some devices failed",
    exitcodes.BAD_INPUT: "bad input: nothing ran",
    exitcodes.INTERNAL: "internal error",
    exitcodes.INTERRUPTED: "interrupted",
}


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(at: datetime) -> str:
    return at.strftime("%Y%m%dT%H%M%SZ")


class ScheduleLog:
    """Appends ``KEY=VALUE`` lines (redacted) to the log file, and to stdout when systemd's journal listens."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name
        self.to_journal = bool(os.environ.get("JOURNAL_STREAM"))

    def line(self, event: str, **fields: Any) -> str:
        parts = [f"{_now().isoformat(timespec='seconds').replace('+00:00', 'Z')}", f"schedule={self.name}", event]
        parts += [f"{k}={json.dumps(v) if isinstance(v, str) and (' ' in v or not v) else v}"
                  for k, v in fields.items()]
        text = REDACTOR.redact(" ".join(str(p) for p in parts))
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")
        if self.to_journal:
            print(text, flush=True)
        return text


def report_dirs(out_root: Path) -> list[Path]:
    """The schedule's report folders, oldest first (names are UTC timestamps, so names sort by time)."""
    return sorted((p for p in out_root.iterdir() if p.is_dir() and REPORT_DIR_RE.match(p.name)),
                  key=lambda p: p.name)


def prune(out_root: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` report folders; returns what was deleted."""
    folders = report_dirs(out_root)
    doomed = folders[:-keep] if keep > 0 else folders
    for folder in doomed:
        shutil.rmtree(folder)
    return doomed


def _new_report_dir(out_root: Path, started: datetime) -> Path:
    base = out_root / _stamp(started)
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def run_scheduled(name: str, inventory: Path, out_root: Path, keep: int, store: str | None,
                  audit_args: Sequence[str]) -> int:
    """Run the audit once for schedule ``name``; returns the exit code to leave with."""
    out_root.mkdir(parents=True, exist_ok=True)
    log = ScheduleLog(out_root / LOG_NAME, name)
    with (out_root / LOCK_NAME).open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            message = log.line("skipped", reason="the previous run of this schedule is still running",
                               exit=exitcodes.INTERNAL)
            print(message, file=sys.stderr)
            return exitcodes.INTERNAL
        return _run_locked(name, inventory, out_root, keep, store, audit_args, log)


def _run_locked(name: str, inventory: Path, out_root: Path, keep: int, store: str | None,
                audit_args: Sequence[str], log: ScheduleLog) -> int:
    started = _now()
    report_dir = _new_report_dir(out_root, started)
    argv = [*netcomply_executable(), "audit", "-i", str(inventory), "--out", str(report_dir), "--quiet",
            "--format", "json", *(["--db", store] if store else []), *audit_args]
    log.line("start", report_dir=str(report_dir), inventory=str(inventory))
    clock = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    previous = signal.signal(signal.SIGTERM, lambda *_: proc.send_signal(signal.SIGTERM))  # systemctl stop
    try:
        stdout, stderr = proc.communicate()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate()
    finally:
        signal.signal(signal.SIGTERM, previous)
    code = proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
    result: dict[str, Any] = {}
    try:
        result = json.loads(stdout) if stdout.strip() else {}
    except ValueError:
        result = {}
    pruned = prune(out_root, keep)
    status = {
        "schedule": name,
        "started_at": started.isoformat(),
        "finished_at": _now().isoformat(),
        "seconds": round(time.monotonic() - clock, 1),
        "exit_code": code,
        "meaning": MEANING.get(code, "unexpected exit code"),
        "run": result.get("run"),
        "status": result.get("status"),
        "report_dir": str(report_dir) if report_dir.exists() else None,
        "kept": [p.name for p in report_dirs(out_root)],
        "pruned": [p.name for p in pruned],
    }
    (out_root / STATUS_NAME).write_text(json.dumps(status, indent=2) + "\n", encoding="utf-8")
    end = log.line("end", exit=code, meaning=status["meaning"], run=status["run"] or "-",
                   status=status["status"] or "-", seconds=status["seconds"], pruned=len(pruned))
    if code not in (exitcodes.OK, exitcodes.PARTIAL):
        detail = REDACTOR.redact(stderr.strip())[-4000:]
        if detail:
            with (out_root / LOG_NAME).open("a", encoding="utf-8") as fh:
                fh.write("".join(f"    {line}\n" for line in detail.splitlines()))
        if not log.to_journal:
            print(end, file=sys.stderr)  # cron mails this; quiet runs stay quiet
        if detail:
            print(detail, file=sys.stderr)
    return code
