"""``netcomply runs list|show``: what the store holds."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from netcomply.app.cli.errors import exit_on_bad_input
from netcomply.app.cli.options import DbOpt, Format, FormatOpt, QuietOpt, TimezoneOpt
from netcomply.app.cli.output import Out
from netcomply.models import Run
from netcomply.store import Store
from netcomply.timefmt import to_zone, zone

app = typer.Typer(help="List and inspect stored audit runs.", no_args_is_help=True)


def open_store(db: str | None) -> Store:

    store = Store.open(db, create=False)
    store.mark_stale_runs_interrupted()
    return store


@app.command("list")
def list_runs(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many runs, newest first.")] = 20,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
    timezone: TimezoneOpt = None,
) -> None:
    """List recent runs, newest first; start times in the agency's time zone (Asia/Taipei unless --timezone)."""
    out = Out(quiet=quiet, fmt=fmt.value)
    with exit_on_bad_input():
        tz = zone(timezone)
    with open_store(db) as store:
        runs = store.list_runs(limit)
        rows = []
        for run in runs:
            summary = store.run_summary(run.id)
            summary["subjects"] = _subjects(store, run)
            rows.append((run, summary))
    if out.machine:
        out.data({"runs": [{**_run_dict(r), "summary": s} for r, s in rows]})
        return
    if not rows:
        out.say(f"no runs in {store.url} yet (`netcomply audit -i INVENTORY` makes one)")
        return
    out.table(
        "runs",
        ["id", f"started ({tz.key})", "kind", "status", "operator", "devices", "devices ok", "with errors",
         "services", "hotspots", "inventory"],
        [
            [
                r.id, _local(r.started_at, tz), r.kind, r.status.value, r.operator,
                s["subjects"]["devices"]["total"], s["subjects"]["devices"]["ok"],
                s["subjects"]["devices"]["with_errors"], s["subjects"]["services"]["total"],
                s["subjects"]["hotspots"]["total"], r.inventory_source or "",
            ]
            for r, s in rows
        ],
    )


def _local(moment: Any, tz: Any) -> str:
    """A stored UTC time as the agency's wall clock (ISO date: the CLI speaks English)."""
    return to_zone(moment, tz).strftime("%Y-%m-%d %H:%M:%S") if moment is not None else ""


def _subjects(store: Store, run: Run, results: list[Any] | None = None) -> dict[str, dict[str, int]]:
    """Devices, services and hotspots counted apart, each once, not once per collector task (the run's own
    inventory, if unchanged, tells which is which): a subject is "with errors" when any of its collections
    failed."""
    from reports.audit.gather import stored_inventory
    from reports.audit.subjects import count_subjects

    inventory, _ = stored_inventory(run)
    if results is None:
        results = store.device_results(run.id)
    return count_subjects(inventory, results, {f.subject for f in store.findings(run.id)})


@app.command()
def show(
    run_id: Annotated[str, typer.Argument(help="Run id or a unique prefix of it.")],
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
    timezone: TimezoneOpt = None,
) -> None:
    """Show one run: parameters, per-device results and causes of failures, what was observed."""
    out = Out(quiet=quiet, fmt=fmt.value)
    with exit_on_bad_input():
        tz = zone(timezone)
    with open_store(db) as store:
        run = store.get_run(run_id)
        results = store.device_results(run.id)
        summary = store.run_summary(run.id)
        summary["subjects"] = _subjects(store, run, results)  # the results read once, not again inside
    if out.machine:
        out.data(
            {
                "run": _run_dict(run),
                "summary": summary,
                "devices": [
                    {
                        "device": r.device, "collector": r.collector, "status": r.status.value,
                        "error_class": r.error_class.value if r.error_class else None, "cause": r.cause,
                        "attempts": r.attempts, "seconds": round(r.seconds, 3),
                    }
                    for r in results
                ],
            }
        )
        return
    out.say(f"[bold]run {run.id}[/]  status [bold]{run.status.value}[/]  operator {run.operator}")
    out.say(f"started {_local(run.started_at, tz)}  finished {_local(run.finished_at, tz)} ({tz.key})"
            if run.finished_at else f"started {_local(run.started_at, tz)} ({tz.key}, unfinished)")
    out.say(f"inventory {run.inventory_source} sha256 {run.inventory_sha256}  netcomply {run.tool_version}")
    out.say(subjects_line(summary["subjects"]))
    out.table(
        "devices",
        ["device", "collector", "status", "error", "cause", "attempts", "s"],
        [
            [r.device, r.collector, r.status.value, r.error_class.value if r.error_class else "", r.cause or "",
             r.attempts, f"{r.seconds:.2f}"]
            for r in sorted(results, key=lambda r: (r.status.value != "error", r.device, r.collector))
        ],
    )
    kinds = summary.get("observations", {})
    if kinds:
        out.table("observations", ["kind", "count"], sorted(kinds.items()))


def subjects_line(subjects: dict[str, dict[str, int]]) -> str:
    """One line for a person: devices, services and hotspots apart (a service is no device of the agency)."""
    return "; ".join(f"{kind} {c['total']} ({c['ok']} ok, {c['with_errors']} with errors"
                     + (f", {c['not_tried']} not reached)" if c.get("not_tried") else ")")
                     for kind, c in subjects.items())


def _run_dict(run: Run) -> dict[str, Any]:
    return {
        "id": run.id, "status": run.status.value, "started_at": run.started_at, "finished_at": run.finished_at,
        "kind": run.kind, "operator": run.operator, "tool_version": run.tool_version,
        "inventory_source": run.inventory_source,
        "inventory_sha256": run.inventory_sha256, "parameters": run.parameters,
    }
