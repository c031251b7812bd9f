"""What a schedule is: its name, how often, what it audits, where the reports go, how many to keep.

One spec renders to both backends (systemd ``OnCalendar=`` and a cron expression) and to the one command line
both run, so a systemd timer and a crontab line of the same schedule do exactly the same thing.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from netcomply.errors import InputError, InputProblem

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
AT_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
UNIT_PREFIX = "netcomply-"


class Every(StrEnum):
    daily = "daily"
    weekly = "weekly"  # Mondays
    monthly = "monthly"  # the 1st


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    every: Every
    inventory: Path
    out_root: Path
    keep: int = 10
    at: str = "02:30"
    store: str | None = None
    audit_args: tuple[str, ...] = field(default_factory=tuple)  # --limit, --collectors, --transport, ...

    def __post_init__(self) -> None:
        if not NAME_RE.match(self.name):
            raise InputError(InputProblem("--name", None, f"{self.name!r} is not a schedule name: use 1-64 "
                                          "lower-case letters, digits, '-' or '_', starting with a letter or digit"))
        if not AT_RE.match(self.at):
            raise InputError(InputProblem("--at", None, f"{self.at!r} is not a time of day: expected HH:MM (24 h)"))
        if self.keep < 1:
            raise InputError(InputProblem("--keep", None, "expected at least 1 report folder to keep"))

    @property
    def hour_minute(self) -> tuple[int, int]:
        m = AT_RE.match(self.at)
        assert m is not None
        return int(m.group(1)), int(m.group(2))

    @property
    def unit_name(self) -> str:
        return f"{UNIT_PREFIX}{self.name}"

    def on_calendar(self) -> str:
        """systemd calendar expression (local time of the host)."""
        h, m = self.hour_minute
        day = {Every.daily: "*-*-*", Every.weekly: "Mon *-*-*", Every.monthly: "*-*-01"}[self.every]
        return f"{day} {h:02d}:{m:02d}:00"

    def cron_expression(self) -> str:
        h, m = self.hour_minute
        return {Every.daily: f"{m} {h} * * *", Every.weekly: f"{m} {h} * * 1",
                Every.monthly: f"{m} {h} 1 * *"}[self.every]

    def command(self) -> list[str]:
        """The command both backends run: absolute paths only (cron and systemd have no useful cwd or PATH)."""
        argv = [*netcomply_executable(), "schedule", "run", "--name", self.name,
                "--inventory", str(self.inventory.resolve()), "--out-root", str(self.out_root.resolve()),
                "--keep", str(self.keep)]
        if self.store:
            argv += ["--store", self.store]
        if self.audit_args:
            argv += ["--", *self.audit_args]
        return argv

    def command_line(self) -> str:
        return shlex.join(self.command())


def netcomply_executable() -> list[str]:
    """The ``netcomply`` console script of this installation (beside the interpreter), else ``python -m``."""
    beside = Path(sys.executable).parent / "netcomply"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("netcomply")
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "netcomply.app.cli.main"]
