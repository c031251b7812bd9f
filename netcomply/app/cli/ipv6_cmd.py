"""``netcomply ipv6 check``: what answers over IPv6 today, service by service (ad hoc, nothing stored);
and :func:`print_readiness`, the block ``netcomply audit`` prints after a run (with
the trend against the previous run in the store).
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from netcomply.app.cli import exitcodes
from netcomply.app.cli.options import DataFormat, InventoryOpt, QuietOpt
from netcomply.app.cli.output import Out
from netcomply.fmt import percent_points
from netcomply.safety.cells import CsvWriter


class ServiceKind(StrEnum):
    web = "web"
    dns = "dns"
    mail = "mail"


app = typer.Typer(help="IPv6 readiness of the inventory's services (web, DNS, mail).", no_args_is_help=True)

ThresholdsOpt = Annotated[Path | None, typer.Option("--thresholds", help="Your thresholds file (overrides).")]
PhasesOpt = Annotated[Path | None, typer.Option("--phases", help="Your IPv6 phases file (see ipv6-phases.yaml).")]


@app.command("check")
def check(
    inventory: InventoryOpt,
    resolver: Annotated[str | None, typer.Option(help="Resolver ADDRESS or [ADDRESS]:PORT for every service.")] = None,
    concurrency: Annotated[int, typer.Option(help="Services checked at once.", min=1, max=2000)] = 50,
    kind: Annotated[ServiceKind | None, typer.Option("--kind", help="Only services of this kind.")] = None,
    thresholds: ThresholdsOpt = None,
    phases: PhasesOpt = None,
    fmt: Annotated[DataFormat, typer.Option("--format", "-f", help="table, json or csv.")] = DataFormat.table,
    quiet: QuietOpt = False,
) -> None:
    """Check every service of the inventory over IPv4 and IPv6 now. Exit 0: all ready; 3: some are not."""
    from collectors.ipv6.service_pass import check_services
    from compliance.ipv6_readiness import load_rules, readiness, service_verdict
    from compliance.thresholds import load_thresholds
    from netcomply.inventory import load_inventory

    out = Out(quiet=quiet, fmt="json" if fmt is DataFormat.json else "table")
    inv = load_inventory(inventory)
    rules = load_rules(load_thresholds(thresholds), phases)
    services = [s for s in inv.services if kind is None or s.kind == kind.value]
    if not services:
        which = f" of kind {kind.value}" if kind else ""
        out.warn(f"{inventory}: no services{which} to check (inventory key services:)")
        raise typer.Exit(exitcodes.OK)
    import asyncio

    with out.progress("checking services", len(services)) as bar:
        results = asyncio.run(check_services(
            services, allowed_ranges=list(inv.settings.allowed_ranges), resolver=resolver, concurrency=concurrency,
            on_result=lambda r: bar.advance(r.device)))
    errors = [r for r in results if r.status.value == "error"]
    verdicts = [service_verdict(r.observations[0].data, rules) for r in results if r.observations]
    rollup = readiness(verdicts, rules, as_of=datetime.now(UTC).date())  # ad hoc: due dates judged today
    if fmt is DataFormat.json:
        out.data({"services": [
            {**v.to_dict(), "facts": r.observations[0].data}
            for v, r in zip(verdicts, [r for r in results if r.observations], strict=True)],
            "errors": [{"service": r.device, "error_class": r.error_class, "cause": r.cause} for r in errors],
            "readiness": rollup})
    elif fmt is DataFormat.csv:
        buf = io.StringIO()
        writer = CsvWriter(buf, lineterminator="\n")
        writer.writerow(["service", "kind", "agency", "phase", "ready", "reasons"])
        writer.writerows([[v.name, v.kind, v.agency or "", v.phase, v.ready, "; ".join(v.reasons)] for v in verdicts])
        sys.stdout.write(buf.getvalue())
    else:
        out.table("IPv6 readiness by service", ["service", "kind", "agency", "phase", "ready", "why not"],
                  [[v.name, v.kind, v.agency, v.phase, "yes" if v.ready else "NO", "\n".join(v.reasons)]
                   for v in verdicts])
        print_readiness(out, rollup)
        for r in errors:
            out.warn(f"{r.device}: could not be checked ({r.error_class}): {r.cause}")
    not_ready = errors or any(not v.ready for v in verdicts)
    raise typer.Exit(exitcodes.PARTIAL if not_ready else exitcodes.OK)


def print_readiness(out: Out, rollup: dict[str, Any], trend: dict[str, Any] | None = None) -> None:
    """Readiness per phase and per agency as two tables (with the change since the previous run, if any)."""
    change = trend or {}
    phase_delta, agency_delta = change.get("phases") or {}, change.get("agencies") or {}
    out.table("IPv6 readiness by phase", ["phase", "scope", "ready", "percent", "target", "due", "change", "status"],
              [[f"{p['phase']} {p['name']}", p["scope"], f"{p['ready']}/{p['total']}", percent_points(p["percent"]),
                percent_points(p["target_percent"]), p["due"] or "-", _delta(phase_delta.get(str(p["phase"]))),
                "met" if p["met"] else ("OVERDUE" if p["overdue"] else ("below target" if p["total"] else "-"))]
               for p in rollup["phases"]])
    phases = [p["phase"] for p in rollup["phases"]]
    out.table("IPv6 readiness by agency", ["agency", *[f"phase {n}" for n in phases], "all", "change"],
              [[a["agency"], *[_cell(a["phases"][str(n)]) for n in phases], percent_points(a["percent"]),
                _delta(agency_delta.get(a["agency"]))] for a in rollup["agencies"]])
    if change.get("previous_run"):
        fixed, broke = change.get("fixed") or [], change.get("broke") or []
        out.say(f"since run {change['previous_run']}: {_delta(change.get('overall'))} overall; "
                f"fixed: {', '.join(fixed) or 'none'}; broke: {', '.join(broke) or 'none'}")


def _cell(tally: dict[str, Any]) -> str:
    return f"{percent_points(tally['percent'])} ({tally['ready']}/{tally['total']})" if tally["total"] else "-"


def _delta(value: float | None) -> str:
    return "-" if value is None else f"{value:+g} pt"
