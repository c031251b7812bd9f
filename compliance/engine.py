"""Evaluate a stored run: the one call the CLI, reports and the evidence pack share.

Everything here reads the store and the agency's files; nothing talks to the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from compliance.duties import DutyRecord, load_duty_record
from compliance.evaluate import Evaluation, evaluate
from compliance.judge import load_checks
from compliance.soa.decisions import Decisions, load_decisions
from netcomply.errors import InputError
from netcomply.models import Agency
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
