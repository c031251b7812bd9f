"""The report's verdicts that need more than the run's own findings: the national duties of each agency of a
multi-agency inventory, and the comparison with the previous comparable run.

Both come from the compliance functions the CLI uses (:func:`compliance.engine.judge_duties`,
:func:`compliance.engine.compare_runs`), so a report never says "not assessed" where ``compliance controls
--agency ID`` says "fail", nor counts improvements differently from ``netcomply diff``. Nothing here talks to
the network: it reads the store.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from compliance.engine import AgencyInputs, compare_runs, inputs_per_agency, judge_duties, previous_comparable
from compliance.status import ControlStatus
from netcomply.models import Finding, Inventory


def duties_by_agency(inventory: Inventory | None, findings: list[Finding], inputs: AgencyInputs,
                     as_of: date) -> list[dict[str, Any]]:
    """Each agency's duties when the report spans several agencies and none was chosen (``--agency``); empty
    when the report is about one agency (its duties are then the report's own tw-cyber controls).

    Every agency is judged on all the run's findings with its own level and approval date: exactly what
    ``compliance controls --agency ID`` does for the same run."""
    if inputs.agency is not None or inventory is None or len(inventory.agencies) < 2:
        return []
    out = []
    for key, agency_inputs in inputs_per_agency(inventory.agencies, inputs).items():
        results = judge_duties(findings, as_of=as_of, inputs=agency_inputs)
        agency = agency_inputs.agency
        assert agency is not None
        counts = Counter(r.status.value for r in results)
        out.append({
            "agency": key, "name": agency.name, "name_zh": agency.name_zh, "level": agency.level,
            "counts": {s.value: counts.get(s.value, 0) for s in ControlStatus},
            "controls": [{"control": r.control, "title": r.title, "title_zh": r.title_zh,
                          "status": r.status.value, "reason": r.reason} for r in results],
        })
    return out


def comparison(store: Any, run_id: str, inputs: AgencyInputs, timezone: str | None) -> dict[str, Any]:
    """Findings and controls better / worse than in the previous run of the same kind and scope, counted as
    ``netcomply diff PREVIOUS RUN`` counts them (same agency inputs). ``previous`` is None on a first run."""
    previous = previous_comparable(store, run_id)
    if previous is None:
        return {"previous": None}
    summary = compare_runs(store, previous.id, run_id, inputs=inputs, timezone=timezone).summary()
    empty = {"better": 0, "worse": 0, "changed": 0, "new": 0, "gone": 0}
    return {"previous": previous.id, "previous_started_at": previous.started_at.isoformat(),
            "findings": summary.get("finding", dict(empty)), "controls": summary.get("control", dict(empty))}
