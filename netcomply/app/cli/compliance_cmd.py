"""``netcomply judge | controls | soa | diff``: judge a stored run, evaluate every control, write the SoA,
compare two audits. All offline: they read the store and the agency's own files, never the network.

Bad input (a run id, a decisions or duty file) is reported as ``FILE:LINE: message`` with exit code 2 here
as well as through the main CLI, so the commands behave the same when driven by ``CliRunner`` or cron.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from netcomply.app.cli.errors import exit_on_bad_input
from netcomply.app.cli.options import DbOpt, Format, FormatOpt, Lang, OptionalInventoryOpt, QuietOpt
from netcomply.app.cli.output import Out
from netcomply.errors import InputError
from netcomply.store import Store

app = typer.Typer(help="Judge stored runs, evaluate controls, write the Statement of Applicability, compare audits.",
                  no_args_is_help=True)


class FrameworkChoice(StrEnum):
    all = "all"
    iso2022 = "iso27001:2022"
    iso2013 = "iso27001:2013"
    tw = "tw-cyber"


RunOpt = Annotated[str, typer.Option("--run", "-r", help="Run id or a unique prefix of it.")]
AgencyOpt = Annotated[str | None, typer.Option("--agency", help="Agency id in the inventory (when it has several).")]
DutiesOpt = Annotated[Path | None, typer.Option("--duties", help="The agency's duty record YAML (when each duty was "
                                                "last done).")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Evaluate schedules on this day (YYYY-MM-DD); default: "
                                             "the day the run started.")]


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of must be a date like 2026-11-22, not {value!r}", file="--as-of") from None


def _inputs(inventory: Path | None, agency: str | None, duties: Path | None, decisions: Path | None = None) -> Any:
    from compliance.engine import agency_inputs

    return agency_inputs(inventory=inventory, agency_id=agency, duties=duties, decisions=decisions)


def _zone_of(inventory: Path | None) -> str | None:
    """The inventory's ``settings.timezone`` (None without an inventory: Asia/Taipei then)."""
    if inventory is None:
        return None
    from netcomply.inventory import load_inventory

    return load_inventory(inventory).settings.timezone


def _with_store(db: str | None, work: Callable[[Store], Any]) -> Any:
    with Store.open(db, create=False) as store:
        return work(store)


@app.command()
def judge(
    run: RunOpt,
    thresholds: Annotated[Path | None, typer.Option("--thresholds", help="YAML overriding shipped thresholds.")] = None,
    inventory: OptionalInventoryOpt = None,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
) -> None:
    """Run every registered check over a stored run (offline) and replace its findings."""
    from compliance.judge import judge_run
    from compliance.thresholds import load_thresholds

    out = Out(quiet=quiet, fmt=fmt.value)
    with exit_on_bad_input():
        data: dict[str, Any] = {"thresholds": load_thresholds(thresholds)}
        if inventory is not None:
            from netcomply.inventory import load_inventory

            data["devices"] = {d.name: d for d in load_inventory(inventory).devices}

        def work(store: Store) -> tuple[str, list[Any]]:
            run_id = store.get_run(run).id
            return run_id, judge_run(store, run_id, data=data)

        run_id, findings = _with_store(db, work)
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.status.value] = counts.get(f.status.value, 0) + 1
    if out.machine:
        out.data({"run": run_id, "findings": len(findings), "by_status": counts})
        return
    out.say(f"run {run_id}: {len(findings)} finding(s): " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


@app.command()
def controls(
    run: RunOpt,
    framework: Annotated[FrameworkChoice, typer.Option("--framework", help="Which framework to list.")] = (
        FrameworkChoice.all),
    status: Annotated[str | None, typer.Option("--status", help="Only controls with this status.")] = None,
    inventory: OptionalInventoryOpt = None,
    agency: AgencyOpt = None,
    duties: DutiesOpt = None,
    decisions: Annotated[Path | None, typer.Option("--decisions", help="SoA decisions YAML (exclusions).")] = None,
    as_of: AsOfOpt = None,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
) -> None:
    """Every control of every framework with its status and the findings and evidence behind it."""
    from compliance.engine import evaluate_run

    out = Out(quiet=quiet, fmt=fmt.value)
    with exit_on_bad_input():
        inputs = _inputs(inventory, agency, duties, decisions)
        day = _as_of(as_of)
        evaluation = _with_store(db, lambda store: (store.get_run(run).id,
                                                    evaluate_run(store, run, as_of=day, inputs=inputs)))
    run_id, ev = evaluation
    results = [r for r in ev.results if framework is FrameworkChoice.all or r.framework == framework.value]
    if status:
        results = [r for r in results if r.status.value == status]
    if out.machine:
        payload = ev.to_dict()
        payload["run"] = run_id
        payload["controls"] = [r.to_dict() for r in results]
        out.data(payload)
        return
    out.table(f"controls of run {run_id} (as of {ev.as_of})", ["control", "status", "title", "basis", "next due"], [
        [r.control, r.status.value, r.title_zh + " / " + r.title, r.reason,
         (r.schedule.due.isoformat() if r.schedule and r.schedule.due else "")]
        for r in results
    ])
    for fw, counts in ev.summary().items():
        out.say(f"{fw}: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
    for check_id, ids in ev.unknown_controls.items():
        out.warn(f"check {check_id} cites control(s) in no catalog: {', '.join(ids)}")


@app.command()
def soa(
    run: RunOpt,
    decisions: Annotated[Path, typer.Option("--decisions", help="The agency's SoA decisions YAML.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Directory for soa.xlsx and soa.<lang>.html.")],
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the outputs.")] = Lang.both,
    inventory: OptionalInventoryOpt = None,
    agency: AgencyOpt = None,
    duties: DutiesOpt = None,
    as_of: AsOfOpt = None,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
) -> None:
    """Write the Statement of Applicability (XLSX and HTML, zh-TW and English) for a judged run."""
    from compliance.engine import evaluate_run
    from compliance.soa import build_soa
    from compliance.soa.write import write_soa

    out = Out(quiet=quiet, fmt=fmt.value)
    with exit_on_bad_input():
        inputs = _inputs(inventory, agency, duties, decisions)
        day = _as_of(as_of)
        tz = _zone_of(inventory)  # the SoA is dated by the agency's day of the run
        run_id, ev = _with_store(db, lambda store: (store.get_run(run).id,
                                                    evaluate_run(store, run, as_of=day, inputs=inputs, timezone=tz)))
    statement = build_soa(ev, inputs.decisions, run_id=run_id)
    langs = ["zh-TW", "en"] if lang is Lang.both else [lang.value]
    written = write_soa(statement, out_dir, langs,
                        xlsx_name=f"soa.{langs[0]}.xlsx" if len(langs) == 1 else "soa.xlsx")
    if out.machine:
        out.data({"run": run_id, "files": [str(p) for p in written], "counts": statement.counts()})
        return
    for path in written:
        out.say(f"wrote {path}")


@app.command()
def diff(
    run_a: Annotated[str, typer.Argument(help="The earlier run (id or unique prefix).")],
    run_b: Annotated[str, typer.Argument(help="The later run.")],
    inventory: OptionalInventoryOpt = None,
    agency: AgencyOpt = None,
    duties: DutiesOpt = None,
    db: DbOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Compare runs of different kinds or scopes anyway "
                                        "(the differences are printed with the result).")] = False,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
) -> None:
    """What got better and worse between two judged runs of the same kind and scope: findings and control
    statuses."""
    from compliance.diff import scope_differences
    from compliance.engine import compare_runs

    out = Out(quiet=quiet, fmt=fmt.value)
    differences: list[str] = []
    with exit_on_bad_input():
        inputs = _inputs(inventory, agency, duties)

        def work(store: Store) -> Any:
            ra, rb = store.get_run(run_a), store.get_run(run_b)
            differences.extend(scope_differences(ra, rb))
            if differences and not force:
                raise InputError(f"runs {ra.id} and {rb.id} judged different things and can't be compared ("
                                 + "; ".join(differences) + "); --force compares them anyway", file="diff")
            return compare_runs(store, ra.id, rb.id, inputs=inputs)

        result = _with_store(db, work)
    if out.machine:
        out.data({**result.to_dict(), "comparable": not differences, "differences": differences})
        return
    for line in differences:
        out.warn(f"compared with --force although the runs differ: {line}")
    out.table(f"{result.run_a} -> {result.run_b}", ["kind", "what", "before", "after", "change"], [
        [c.kind, c.key, c.before or "-", c.after or "-", c.direction] for c in result.changes
    ])
    for kind, counts in result.summary().items():
        out.say(f"{kind}s: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
