"""Evaluation: every control of every framework gets a status, with the findings and evidence behind it.

Input is a run's findings (and, for national duties, the agency and its duty record); output lists *every*
control of ISO/IEC 27001:2022, ISO/IEC 27001:2013 and tw-cyber -- a control nobody could check is listed as
manual or not assessed, never left out and never passed. The result depends only on the *set* of findings,
not on their order (they are sorted first), so evaluating a stored run twice gives the same answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from compliance.catalog import TW, Catalogs, Control, catalogs
from compliance.checks.base import check_meta, registered
from compliance.duties import DutyRecord, ScheduleState, schedule_state
from compliance.mapping import Mapper, default_mapper
from compliance.status import ControlStatus, combine, contribution
from netcomply.models import Agency, Finding


@dataclass(frozen=True)
class FindingRef:
    """A finding as seen from one control: what it said and how it reached the control."""

    id: int | None
    check_id: str
    subject: str
    status: str
    severity: str
    message: str
    via: str
    coverage: str
    counts_as: ControlStatus

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "check_id": self.check_id, "subject": self.subject, "status": self.status,
                "severity": self.severity, "message": self.message, "via": self.via, "coverage": self.coverage,
                "counts_as": self.counts_as.value}


@dataclass(frozen=True)
class ControlResult:
    control: str  # qualified id
    framework: str
    id: str
    title: str
    title_zh: str
    group: str
    status: ControlStatus
    reason: str
    findings: tuple[FindingRef, ...] = ()
    observations: tuple[int, ...] = ()
    artifacts: tuple[str, ...] = ()
    records: tuple[str, ...] = ()  # the agency's own evidence references (duty records)
    schedule: ScheduleState | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def has_evidence(self) -> bool:
        return bool(self.observations or self.artifacts or self.records)

    def to_dict(self, *, with_findings: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "control": self.control, "framework": self.framework, "id": self.id, "title": self.title,
            "title_zh": self.title_zh, "group": self.group, "status": self.status.value, "reason": self.reason,
            "counts": dict(self.counts), "evidence": {"observations": list(self.observations),
                                                      "artifacts": list(self.artifacts),
                                                      "records": list(self.records)},
            "schedule": self.schedule.to_dict() if self.schedule else None,
        }
        if with_findings:
            out["findings"] = [f.to_dict() for f in self.findings]
        return out


@dataclass(frozen=True)
class Evaluation:
    as_of: date
    agency: Agency | None
    results: tuple[ControlResult, ...]
    unknown_controls: dict[str, tuple[str, ...]] = field(default_factory=dict)  # check id -> ids in no catalog

    def get(self, qid: str) -> ControlResult:
        for r in self.results:
            if r.control == qid:
                return r
        raise KeyError(qid)

    def framework(self, framework: str) -> list[ControlResult]:
        return [r for r in self.results if r.framework == framework]

    def summary(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for r in self.results:
            counts = out.setdefault(r.framework, {s.value: 0 for s in ControlStatus})
            counts[r.status.value] += 1
        return out

    def to_dict(self, *, with_findings: bool = True) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "agency": self.agency.model_dump(mode="json") if self.agency else None,
            "summary": self.summary(),
            "unknown_controls": {k: list(v) for k, v in self.unknown_controls.items()},
            "controls": [r.to_dict(with_findings=with_findings) for r in self.results],
        }


def assessable_controls(mapper: Mapper, check_ids: Iterable[str] | None = None) -> frozenset[str]:
    """Controls some check of this installation can evidence (registered checks by default): for these, no
    finding means *not assessed*; for the rest, a human has to look (*manual*)."""
    ids = sorted(check_ids if check_ids is not None else registered())
    out: set[str] = set()
    for check_id in ids:
        out.update(t.control for t in mapper.targets(check_id, check_meta(check_id).controls))
    return frozenset(out)


def _sort_key(f: Finding) -> tuple[Any, ...]:
    return (f.check_id, f.subject, str(f.status), f.message, sorted(f.controls), sorted(f.observations),
            sorted(f.artifacts), f.id if f.id is not None else -1)


def evaluate(
    findings: Iterable[Finding],
    *,
    as_of: date,
    agency: Agency | None = None,
    record: DutyRecord | None = None,
    applicability: Mapping[str, tuple[bool, str]] | None = None,
    assessable: frozenset[str] | None = None,
    cats: Catalogs | None = None,
    mapper: Mapper | None = None,
) -> Evaluation:
    """Evaluate every control. ``applicability`` maps qualified ids to (applicable, justification), e.g. from
    the SoA decisions; ``assessable`` defaults to what the registered checks can evidence."""
    cats = cats or catalogs()
    mapper = mapper or default_mapper()
    record = record or DutyRecord()
    agency = agency or record.agency
    applicability = applicability or {}
    assessable = assessable if assessable is not None else assessable_controls(mapper)

    per_control: dict[str, list[tuple[Finding, Any]]] = {}
    unknown: dict[str, set[str]] = {}
    for finding in sorted(findings, key=_sort_key):
        targets, missing = mapper.resolve(finding.check_id, finding.controls)
        if missing:
            unknown.setdefault(finding.check_id, set()).update(missing)
        for target in targets:
            per_control.setdefault(target.control, []).append((finding, target))

    results = []
    for fw in cats.frameworks.values():
        for control in fw.controls:
            results.append(_result(control, per_control.get(control.qid, []), agency, record, as_of,
                                   applicability.get(control.qid), control.qid in assessable))
    return Evaluation(as_of, agency, tuple(results), {k: tuple(sorted(v)) for k, v in sorted(unknown.items())})


def _result(
    control: Control,
    hits: list[tuple[Finding, Any]],
    agency: Agency | None,
    record: DutyRecord,
    as_of: date,
    decision: tuple[bool, str] | None,
    assessable: bool,
) -> ControlResult:
    refs: list[FindingRef] = []
    observations: set[int] = set()
    artifacts: set[str] = set()
    for finding, target in hits:
        counts_as = contribution(finding, target.coverage)
        refs.append(FindingRef(finding.id, finding.check_id, finding.subject, str(finding.status),
                               str(finding.severity), finding.message, target.via, target.coverage, counts_as))
        observations.update(finding.observations)
        artifacts.update(finding.artifacts)
    components = [r.counts_as for r in refs]
    schedule: ScheduleState | None = None
    records: tuple[str, ...] = ()
    if control.framework == TW:
        schedule = schedule_state(control, agency, record, as_of)
        if schedule.status is not None:
            components.append(schedule.status)
        if schedule.evidence and schedule.status is ControlStatus.PASS:
            records = (schedule.evidence,)
    counts = dict(sorted(Counter(r.counts_as.value for r in refs).items()))
    status = combine(components)
    if status is None:
        status = ControlStatus.NOT_ASSESSED if assessable else ControlStatus.MANUAL
        reason = ("a check can evidence this control but found nothing in this run" if assessable
                  else "no automated evidence: needs the agency's own records and an auditor's review")
    else:
        reason = _reason(counts, schedule)
    if schedule is not None and not schedule.required and not refs:
        status = ControlStatus.NOT_APPLICABLE
    if decision is not None and not decision[0]:
        failing = counts.get(ControlStatus.FAIL.value, 0)
        reason = f"not applicable: {decision[1]}" + (f" (yet {failing} failing finding(s) cite it)" if failing else "")
        status = ControlStatus.NOT_APPLICABLE
    return ControlResult(
        control=control.qid, framework=control.framework, id=control.id, title=control.title,
        title_zh=control.title_zh, group=control.group, status=status, reason=reason, findings=tuple(refs),
        observations=tuple(sorted(observations)), artifacts=tuple(sorted(artifacts)), records=records,
        schedule=schedule, counts=counts,
    )


def _reason(counts: dict[str, int], schedule: ScheduleState | None) -> str:
    parts = [f"{n} {status}" for status, n in counts.items()]
    text = ("findings: " + ", ".join(parts)) if parts else ""
    if schedule is not None and schedule.status is not None:
        text = f"{text}; schedule: {schedule.reason}" if text else schedule.reason
    return text
