"""Evaluate a stored run: the one call the CLI, reports and the evidence pack share.

Everything here reads the store and the agency's files; nothing talks to the network.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from compliance.catalog import TW
from compliance.diff import RunDiff, diff_runs, scope_differences
from compliance.duties import DutyRecord, load_duty_record
from compliance.evaluate import ControlResult, Evaluation, evaluate
from compliance.judge import load_checks
from compliance.soa.decisions import Decisions, load_decisions
from netcomply.errors import InputError
from netcomply.models import Agency, Finding, Run
from netcomply.store import Store
from netcomply.timefmt import local_date


@dataclass(frozen=True)
class AgencyInputs:
    """The agency's side of an evaluation: who it is (level, approval date), its duty record, its SoA decisions."""

    agency: Agency | None = None
    record: DutyRecord | None = None
    decisions: Decisions | None = None


def agency_inputs(
    *,
    inventory: str | Path | None = None,
    agency_id: str | None = None,
    duties: str | Path | None = None,
    decisions: str | Path | None = None,
) -> AgencyInputs:
    """Load what was given. The inventory's agency (by id, or its only one) wins over a level in the record."""
    record = load_duty_record(duties) if duties else None
    agency = record.agency if record else None
    if inventory is not None:
        from netcomply.inventory import load_inventory

        inv = load_inventory(inventory)
        wanted = agency_id or (record.agency.name if record and record.agency else None)
        if wanted and wanted in inv.agencies:
            agency = inv.agencies[wanted]
        elif wanted and agency_id:
            raise InputError(f"agency {agency_id!r} is not in the inventory (agencies: "
                             f"{', '.join(sorted(inv.agencies)) or 'none'})", file=str(inventory))
        elif len(inv.agencies) == 1:
            agency = next(iter(inv.agencies.values()))
        elif inv.agencies:
            raise InputError(f"the inventory has several agencies ({', '.join(sorted(inv.agencies))}): "
                             "choose one with --agency", file=str(inventory))
    return AgencyInputs(agency, record, load_decisions(decisions) if decisions else None)


def evaluate_run(store: Store, run_id: str, *, as_of: date | None = None,
                 inputs: AgencyInputs | None = None, timezone: str | None = None) -> Evaluation:
    """Evaluate the stored findings of a run (judge it first with :func:`compliance.judge.judge_run`).
    ``as_of`` defaults to the day the run started in the agency's ``timezone`` (default Asia/Taipei: a run at
    01:30 Taipei time is that day's), so evaluating an old run again gives the same answer."""
    load_checks()
    run = store.get_run(run_id)
    inputs = inputs or AgencyInputs()
    return evaluate(
        store.findings(run.id),
        as_of=as_of or local_date(run.started_at, timezone),
        agency=inputs.agency,
        record=inputs.record,
        applicability=inputs.decisions.applicability() if inputs.decisions else None,
    )


def inputs_per_agency(agencies: Mapping[str, Agency], base: AgencyInputs | None = None) -> dict[str, AgencyInputs]:
    """One :class:`AgencyInputs` per agency of an inventory, keyed by agency id, as ``--agency ID`` would give
    (:func:`agency_inputs`): the agency's own level and approval date, the duty record only for the agency it
    names, the same SoA decisions. A report over a city's several agencies judges each one's duties with these,
    so its verdicts are the ones ``compliance controls --agency ID`` prints for the same run."""
    base = base or AgencyInputs()
    named = base.record.agency.name if base.record is not None and base.record.agency is not None else None
    return {key: AgencyInputs(agency, base.record if named == key else None, base.decisions)
            for key, agency in sorted(agencies.items())}


def judge_duties(findings: Iterable[Finding], *, as_of: date, inputs: AgencyInputs) -> tuple[ControlResult, ...]:
    """The national duties (tw-cyber) of one agency. Every command reaches them through :func:`evaluate` with
    an :class:`AgencyInputs` built by :func:`agency_inputs` or :func:`inputs_per_agency`; this is that call,
    kept to the duties, for a report that lists several agencies side by side."""
    evaluation = evaluate(findings, as_of=as_of, agency=inputs.agency, record=inputs.record,
                          applicability=inputs.decisions.applicability() if inputs.decisions else None)
    return tuple(evaluation.framework(TW))


#: How far back a report looks for the run to compare with (newest first).
PREVIOUS_RUNS_SEARCHED = 500


def compare_runs(store: Store, run_a: str, run_b: str, *, inputs: AgencyInputs | None = None,
                 timezone: str | None = None) -> RunDiff:
    """Findings and controls of two runs, better and worse: what ``netcomply diff`` prints and what the report's
    improvement line counts, from one function so the two never disagree."""
    return diff_runs(run_a, run_b, store.findings(run_a), store.findings(run_b),
                     evaluate_run(store, run_a, inputs=inputs, timezone=timezone),
                     evaluate_run(store, run_b, inputs=inputs, timezone=timezone))


def previous_comparable(store: Store, run_id: str) -> Run | None:
    """The latest run that started before ``run_id`` and judged the same things (same kind, collectors, device
    limit and targets: :func:`compliance.diff.scope_differences`), finished or partial; None when there is none.
    A scan or a vendor-only run is never the "previous audit" of an audit."""
    run = store.get_run(run_id)
    for earlier in store.list_runs(limit=PREVIOUS_RUNS_SEARCHED):
        if (earlier.id != run.id and earlier.started_at < run.started_at
                and str(getattr(earlier.status, "value", earlier.status)) != "running"
                and not scope_differences(earlier, run)):
            return earlier
    return None
