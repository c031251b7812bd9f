"""The cron backend, for hosts where systemd is not running: one crontab line per schedule, tagged
``# netcomply:NAME`` so that list and remove touch only netcomply's own lines.

The crontab is the user's (``crontab -l`` / ``crontab -``) or a file given with ``--crontab-file`` /
``$NETCOMPLY_CRONTAB_FILE`` (user-crontab format, for tests or ``crontab FILE``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from netcomply.app.schedule.spec import ScheduleSpec
from netcomply.errors import NetcomplyError

CRONTAB_FILE_ENV = "NETCOMPLY_CRONTAB_FILE"
TAG = "# netcomply:"


class Crontab:
    def __init__(self, path: Path | None = None) -> None:
        configured = path or (Path(os.environ[CRONTAB_FILE_ENV]) if os.environ.get(CRONTAB_FILE_ENV) else None)
        self.path = configured

    @property
    def where(self) -> str:
        return str(self.path) if self.path else "the user's crontab (crontab -l)"

    def read(self) -> list[str]:
        if self.path is not None:
            return self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []
        proc = subprocess.run([self._binary(), "-l"], capture_output=True, text=True, timeout=30)
        if proc.returncode != 0:  # "no crontab for user" is an empty crontab
            return []
        return proc.stdout.splitlines()

    def write(self, lines: list[str]) -> None:
        text = "\n".join(lines) + "\n" if lines else ""
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(text, encoding="utf-8")
            return
        subprocess.run([self._binary(), "-"], input=text, check=True, capture_output=True, text=True, timeout=30)

    @staticmethod
    def _binary() -> str:
        found = shutil.which("crontab")
        if not found:
            raise NetcomplyError("no crontab command on this machine: install cron, use systemd (--backend systemd), "
                                 "or write to a file with --crontab-file")
        return found


def line_for(spec: ScheduleSpec) -> str:
    # The wrapper writes its own log; cron mails only what it prints on failure.
    return f"{spec.cron_expression()} {spec.command_line()} {TAG}{spec.name}"


def install(spec: ScheduleSpec, crontab: Crontab) -> str:
    lines = [line for line in crontab.read() if not line.endswith(f"{TAG}{spec.name}")]
    line = line_for(spec)
    crontab.write([*lines, line])
    return line


def remove(name: str, crontab: Crontab) -> bool:
    lines = crontab.read()
    kept = [line for line in lines if not line.endswith(f"{TAG}{name}")]
    if len(kept) == len(lines):
        return False
    crontab.write(kept)
    return True


def listed(crontab: Crontab) -> list[dict[str, str]]:
    found = []
    for line in crontab.read():
        if TAG in line and not line.lstrip().startswith("#"):
            body, name = line.rsplit(TAG, 1)
            fields = body.split(None, 5)
            found.append({"name": name.strip(), "backend": "cron", "when": " ".join(fields[:5]),
                          "command": fields[5].strip() if len(fields) > 5 else "", "where": crontab.where})
    return found


def command_of(line: str) -> str:
    """The command part of a netcomply crontab line (what cron hands to /bin/sh)."""
    body = line.rsplit(TAG, 1)[0]
    return body.split(None, 5)[5].strip()
