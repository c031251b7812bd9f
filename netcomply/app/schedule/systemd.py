"""The systemd backend: ``netcomply-NAME.service`` (oneshot, runs the audit) and ``netcomply-NAME.timer``.

Units go to ``~/.config/systemd/user`` (``--user-unit``, the default for non-root) or ``/etc/systemd/system``
(``--system``), or to any folder given with ``--unit-dir`` / ``$NETCOMPLY_SYSTEMD_DIR`` (tests, packaging). When
the folder is the real one and systemd is running, the timer is enabled and started with systemctl.
"""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from netcomply.app.cli import exitcodes
from netcomply.app.schedule.spec import UNIT_PREFIX, ScheduleSpec

UNIT_DIR_ENV = "NETCOMPLY_SYSTEMD_DIR"
SYSTEM_DIR = Path("/etc/systemd/system")


def user_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def systemd_running() -> bool:
    """True when systemd is PID 1 here (its documented test: /run/systemd/system exists)."""
    return Path("/run/systemd/system").is_dir()


@dataclass(frozen=True)
class UnitDir:
    path: Path
    user: bool
    real: bool  # a directory systemd reads: run systemctl after writing

    @classmethod
    def choose(cls, unit_dir: Path | None, *, system: bool) -> UnitDir:
        configured = unit_dir or (Path(os.environ[UNIT_DIR_ENV]) if os.environ.get(UNIT_DIR_ENV) else None)
        if configured is not None:
            return cls(configured, user=not system, real=False)
        return cls(SYSTEM_DIR, user=False, real=True) if system else cls(user_dir(), user=True, real=True)


def service_text(spec: ScheduleSpec) -> str:
    return f"""# Written by `netcomply schedule install`; remove with `netcomply schedule remove {spec.name}`.
[Unit]
Description=netcomply scheduled audit {spec.name} ({spec.every.value})
Documentation=file://{spec.out_root.resolve()}/netcomply-schedule.log
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
# Exit codes: 0 complete, 3 partial (some devices failed: see the log and last-run.json), 2 bad input,
# 1 internal error, 130 interrupted. A partial audit is a finished audit, so only 1/2/130 fail the unit.
SuccessExitStatus={exitcodes.PARTIAL}
ExecStart={_escape(shlex.join(spec.command()))}
Nice=10
"""


def timer_text(spec: ScheduleSpec) -> str:
    return f"""# Written by `netcomply schedule install`; remove with `netcomply schedule remove {spec.name}`.
[Unit]
Description=netcomply scheduled audit {spec.name} ({spec.every.value} at {spec.at})

[Timer]
OnCalendar={spec.on_calendar()}
# A run missed while the machine was off starts at the next boot.
Persistent=true
Unit={spec.unit_name}.service

[Install]
WantedBy=timers.target
"""


def install(spec: ScheduleSpec, where: UnitDir) -> list[Path]:
    where.path.mkdir(parents=True, exist_ok=True)
    service = where.path / f"{spec.unit_name}.service"
    timer = where.path / f"{spec.unit_name}.timer"
    service.write_text(service_text(spec), encoding="utf-8")
    timer.write_text(timer_text(spec), encoding="utf-8")
    if where.real and systemd_running():
        _systemctl(where, "daemon-reload")
        _systemctl(where, "enable", "--now", timer.name)
    return [service, timer]


def remove(name: str, where: UnitDir) -> list[Path]:
    unit = f"{UNIT_PREFIX}{name}"
    paths = [where.path / f"{unit}.timer", where.path / f"{unit}.service"]
    present = [p for p in paths if p.exists()]
    if present and where.real and systemd_running():
        _systemctl(where, "disable", "--now", f"{unit}.timer", check=False)
    for path in present:
        path.unlink()
    if present and where.real and systemd_running():
        _systemctl(where, "daemon-reload")
    return present


def listed(where: UnitDir) -> list[dict[str, str]]:
    """Every netcomply timer in the folder: name, schedule, command."""
    found = []
    for timer in sorted(where.path.glob(f"{UNIT_PREFIX}*.timer")):
        unit = timer.name.removesuffix(".timer")
        service = timer.with_suffix(".service")
        found.append({
            "name": unit.removeprefix(UNIT_PREFIX),
            "backend": "systemd",
            "when": _value(timer, "Timer", "OnCalendar"),
            "command": _value(service, "Service", "ExecStart") if service.exists() else "(service unit missing)",
            "where": str(timer),
        })
    return found


def exec_start(service: Path) -> list[str]:
    """The service's command line as systemd would run it (tests run exactly this)."""
    return shlex.split(_value(service, "Service", "ExecStart").replace("$$", "$").replace("%%", "%"))


def _escape(command: str) -> str:
    """systemd expands ``%`` specifiers and ``$`` variables in ExecStart: a literal one is doubled."""
    return command.replace("%", "%%").replace("$", "$$")


def _value(path: Path, section: str, key: str) -> str:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser.get(section, key, fallback="")


def _systemctl(where: UnitDir, *args: str, check: bool = True) -> None:
    command = ["systemctl", *(["--user"] if where.user else []), *args]
    subprocess.run(command, check=check, capture_output=True, text=True, timeout=60)
