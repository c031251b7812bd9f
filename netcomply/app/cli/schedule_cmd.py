"""``netcomply schedule install|list|remove|run``: scheduled audits from a systemd timer or cron."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from netcomply.app.cli.options import Format, FormatOpt, QuietOpt
from netcomply.app.cli.output import Out

app = typer.Typer(help="Scheduled audits: a systemd timer (or a cron line) that audits and keeps the last N reports.",
                  no_args_is_help=True)

BackendOpt = Annotated[str, typer.Option("--backend", help="auto (systemd when it is running, else cron), "
                                                             "systemd or cron.")]
UnitDirOpt = Annotated[Path | None, typer.Option("--unit-dir", help="Write systemd units here instead of the "
                                                  "user's or the system's unit folder ($NETCOMPLY_SYSTEMD_DIR).")]
CrontabOpt = Annotated[Path | None, typer.Option("--crontab-file", help="Edit this crontab file instead of the "
                                                 "user's crontab ($NETCOMPLY_CRONTAB_FILE).")]
SystemOpt = Annotated[bool, typer.Option("--system/--user-unit", help="System units in /etc/systemd/system "
                                          "(default for root) or user units in ~/.config/systemd/user.")]


def _backend(value: str) -> object:
    from netcomply.app.schedule.backend import Backend, resolve
    from netcomply.errors import InputError, InputProblem

    try:
        return resolve(Backend(value))
    except ValueError:
        raise InputError(InputProblem("--backend", None, f"{value!r}: expected auto, systemd or cron")) from None


def _default_system() -> bool:
    return os.geteuid() == 0


@app.command("install")
def install(
    every: Annotated[str, typer.Option("--every", help="daily, weekly (Mondays) or monthly (the 1st).")],
    inventory: Annotated[Path, typer.Option("--inventory", "-i", help="Inventory YAML file.")],
    out_root: Annotated[Path, typer.Option("--out-root", help="Report folders go here, one per run.")],
    keep: Annotated[int, typer.Option("--keep", help="How many report folders to keep.", min=1)] = 10,
    at: Annotated[str, typer.Option("--at", help="Time of day, HH:MM (the host's local time).")] = "02:30",
    name: Annotated[str, typer.Option("--name", help="Schedule name (unit netcomply-NAME).")] = "audit",
    store: Annotated[str | None, typer.Option("--store", help="Store URL or SQLite path for the runs.")] = None,
    backend: BackendOpt = "auto",
    unit_dir: UnitDirOpt = None,
    crontab_file: CrontabOpt = None,
    system: SystemOpt = None,  # type: ignore[assignment]
    audit_args: Annotated[list[str] | None, typer.Argument(help="Extra `netcomply audit` options after `--`, e.g. "
                                                           "-- --limit site-a --transport ansible.")] = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
) -> None:
    """Install a scheduled audit. Exit 0 installed, 2 bad input."""
    from netcomply.app.schedule import cron, systemd
    from netcomply.app.schedule.backend import Backend
    from netcomply.app.schedule.spec import Every, ScheduleSpec
    from netcomply.errors import InputError, InputProblem

    out = Out(quiet=quiet, fmt=fmt.value)
    try:
        cadence = Every(every)
    except ValueError:
        raise InputError(InputProblem("--every", None, f"{every!r}: expected daily, weekly or monthly")) from None
    if not inventory.is_file():
        raise InputError(InputProblem(str(inventory), None, "inventory file not found"))
    spec = ScheduleSpec(name=name, every=cadence, inventory=inventory, out_root=out_root, keep=keep, at=at,
                        store=store, audit_args=tuple(audit_args or ()))
    chosen = _backend(backend)
    if chosen is Backend.systemd:
        where = systemd.UnitDir.choose(unit_dir, system=_default_system() if system is None else system)
        written = systemd.install(spec, where)
        record = {"name": name, "backend": "systemd", "when": spec.on_calendar(), "files": [str(p) for p in written],
                  "command": spec.command_line(), "enabled": where.real and systemd.systemd_running()}
    else:
        line = cron.install(spec, cron.Crontab(crontab_file))
        record = {"name": name, "backend": "cron", "when": spec.cron_expression(), "line": line,
                  "where": cron.Crontab(crontab_file).where, "command": spec.command_line(), "enabled": True}
    if out.machine:
        out.data(record)
        return
    out.say(f"installed schedule [bold]{name}[/] ({record['backend']}, {record['when']})")
    for key in ("files", "line", "where"):
        if key in record:
            out.say(f"  {key}: {record[key]}")
    if record["backend"] == "systemd" and not record["enabled"]:
        out.say("  systemd is not managing that folder (or not running): enable with "
                f"`systemctl {'' if _default_system() else '--user '}enable --now netcomply-{name}.timer`")
    out.say(f"  log: {out_root.resolve() / 'netcomply-schedule.log'}; status: {out_root.resolve() / 'last-run.json'}")


@app.command("list")
def list_schedules(
    backend: BackendOpt = "auto",
    unit_dir: UnitDirOpt = None,
    crontab_file: CrontabOpt = None,
    system: SystemOpt = None,  # type: ignore[assignment]
    fmt: FormatOpt = Format.table,
) -> None:
    """List netcomply's schedules (systemd timers or tagged crontab lines)."""
    from netcomply.app.schedule import cron, systemd
    from netcomply.app.schedule.backend import Backend

    out = Out(fmt=fmt.value)
    chosen = _backend(backend)
    if chosen is Backend.systemd:
        rows = systemd.listed(systemd.UnitDir.choose(unit_dir, system=_default_system() if system is None else system))
    else:
        rows = cron.listed(cron.Crontab(crontab_file))
    if out.machine:
        out.data(rows)
        return
    out.table("schedules", ["name", "backend", "when", "command"],
              [[r["name"], r["backend"], r["when"], r["command"]] for r in rows])


@app.command("remove")
def remove(
    name: Annotated[str, typer.Argument(help="Schedule name.")],
    backend: BackendOpt = "auto",
    unit_dir: UnitDirOpt = None,
    crontab_file: CrontabOpt = None,
    system: SystemOpt = None,  # type: ignore[assignment]
    quiet: QuietOpt = False,
) -> None:
    """Remove a schedule (its timer and service, or its crontab line). Exit 2 when there is no such schedule."""
    from netcomply.app.schedule import cron, systemd
    from netcomply.app.schedule.backend import Backend
    from netcomply.errors import InputError, InputProblem

    out = Out(quiet=quiet)
    chosen = _backend(backend)
    if chosen is Backend.systemd:
        where = systemd.UnitDir.choose(unit_dir, system=_default_system() if system is None else system)
        found = bool(systemd.remove(name, where))
    else:
        found = cron.remove(name, cron.Crontab(crontab_file))
    if not found:
        raise InputError(InputProblem(name, None, f"no netcomply schedule named {name!r} ({chosen})"))
    out.say(f"removed schedule {name}; its report folders are left as they are")


@app.command("run")
def run(
    name: Annotated[str, typer.Option("--name", help="Schedule name (for the log).")],
    inventory: Annotated[Path, typer.Option("--inventory", "-i", help="Inventory YAML file.")],
    out_root: Annotated[Path, typer.Option("--out-root", help="Report folders go here, one per run.")],
    keep: Annotated[int, typer.Option("--keep", min=1, help="How many report folders to keep.")] = 10,
    store: Annotated[str | None, typer.Option("--store", help="Store URL or SQLite path.")] = None,
    audit_args: Annotated[list[str] | None, typer.Argument(help="Extra `netcomply audit` options.")] = None,
) -> None:
    """What the timer or cron line runs: one audit into OUT_ROOT/<timestamp>, then keep the newest KEEP
    folders. Exits with the audit's code: 0 complete, 3 partial, 2 bad input, 1 internal error, 130 interrupted."""
    from netcomply.app.schedule.execute import run_scheduled

    raise typer.Exit(run_scheduled(name, inventory.resolve(), out_root.resolve(), keep, store, audit_args or []))
