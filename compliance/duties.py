"""National duties as schedules: what the agency's level requires, when it is next due, whether it is overdue.

Why not plain pass/fail: an internal audit done last March is fine today and overdue in October. The answer
depends on the agency's level, the date that level was approved (``Agency.level_approved``) and the agency's own
record of when it last did each duty -- a small YAML file it keeps::

    agency: city-gov            # the inventory's agency id (or just a name)
    level: A                    # optional when the inventory gives the agency
    level_approved: 2023-08-01
    done:
      internal-audit:
        - {date: 2026-03-15, evidence: 115年度第1次內部稽核報告}
      security-staff:
        - {date: 2026-01-02, count: 4, evidence: 人事派令 115-001}

A record without an ``evidence`` reference is shown as manual, never as done-and-proved.
"""

from __future__ import annotations

import calendar
import difflib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from compliance.catalog import LEVELS, TW, Catalogs, Control, catalogs
from compliance.status import ControlStatus
from compliance.yamldata import YamlDoc, read_yaml
from netcomply.models import Agency


@dataclass(frozen=True)
class DoneEntry:
    date: date
    evidence: str | None = None
    count: int | None = None


@dataclass(frozen=True)
class DutyRecord:
    """What the agency says it did. ``agency`` may carry the level when no inventory gives it."""

    agency: Agency | None = None
    done: dict[str, tuple[DoneEntry, ...]] = field(default_factory=dict)
    source: str | None = None

    def last(self, duty: str) -> DoneEntry | None:
        entries = self.done.get(duty) or ()
        return max(entries, key=lambda e: (e.date, e.evidence or "", e.count or 0)) if entries else None


@dataclass(frozen=True)
class ScheduleState:
    """One duty's calendar state for one agency on one day."""

    kind: str  # periodic | deadline | headcount | findings
    status: ControlStatus | None  # None for kind "findings" (judged from findings only)
    reason: str
    required: bool = True
    interval_months: int | None = None
    due: date | None = None  # next due (periodic) or the deadline (deadline)
    last_done: date | None = None
    overdue: bool = False
    count_required: int | None = None
    count_recorded: int | None = None
    evidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "required": self.required, "interval_months": self.interval_months,
            "next_due": self.due.isoformat() if self.due else None,
            "last_done": self.last_done.isoformat() if self.last_done else None, "overdue": self.overdue,
            "count_required": self.count_required, "count_recorded": self.count_recorded,
            "evidence": self.evidence, "reason": self.reason,
        }


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the month's last day (2024-08-31 + 6 months = 2025-02-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _headcount(level: str, amount: int, last: DoneEntry | None, approved: date | None,
               as_of: date) -> ScheduleState:
    """A number of people (e.g. certified staff) the level needs: the record's count against it."""
    kind, evidence = "headcount", last.evidence if last else None
    got = last.count if last else None
    if got is None:
        return ScheduleState(kind, ControlStatus.MANUAL, f"level {level} needs {amount}; record how many",
                             count_required=amount)
    done = last.date if last else None
    if got < amount:
        return ScheduleState(kind, ControlStatus.FAIL, f"{got} recorded, level {level} needs {amount}",
                             count_required=amount, count_recorded=got, evidence=evidence, last_done=done)
    status = ControlStatus.PASS if evidence else ControlStatus.MANUAL
    why = f"{got} recorded (level {level} needs {amount})" + ("" if evidence else "; no evidence reference")
    return ScheduleState(kind, status, why, count_required=amount, count_recorded=got, evidence=evidence,
                         last_done=done)


def _periodic(level: str, amount: int, last: DoneEntry | None, approved: date | None,
              as_of: date) -> ScheduleState:
    """A duty every ``amount`` months, counted from the last time it was done (or from the level's approval)."""
    base = last.date if last else approved
    due = add_months(base, amount) if base else None
    state = ScheduleState("periodic", None, "", interval_months=amount, due=due,
                          last_done=last.date if last else None, overdue=due is not None and as_of > due,
                          evidence=last.evidence if last else None)
    if state.overdue:
        since = f"last done {last.date}" if last else f"never recorded since approval {approved}"
        return replace(state, status=ControlStatus.FAIL, reason=f"overdue since {due} ({since}; every {amount} months)")
    if last is None:
        why = f"first due {due}" if due else "no approval date and no record: cannot schedule"
        return replace(state, status=ControlStatus.NOT_ASSESSED, reason=why)
    if not state.evidence:
        return replace(state, status=ControlStatus.MANUAL, reason=f"recorded {last.date} without evidence; "
                       f"next due {due}")
    return replace(state, status=ControlStatus.PASS, reason=f"done {last.date}; next due {due}")


def _deadline(level: str, amount: int, last: DoneEntry | None, approved: date | None,
              as_of: date) -> ScheduleState:
    """A duty to be in place within ``amount`` months of the level's approval, once."""
    due = add_months(approved, amount) if approved else None
    state = ScheduleState("deadline", None, "", interval_months=amount, due=due,
                          last_done=last.date if last else None, evidence=last.evidence if last else None)
    if last is not None:
        if not state.evidence:
            return replace(state, status=ControlStatus.MANUAL, reason=f"recorded {last.date} without evidence")
        return replace(state, status=ControlStatus.PASS, reason=f"in place since {last.date}")
    if due is not None and as_of > due:
        return replace(state, status=ControlStatus.FAIL, overdue=True,
                       reason=f"overdue: due by {due} ({amount} months after approval)")
    why = f"due by {due}" if due else "no approval date: cannot compute the deadline"
    return replace(state, status=ControlStatus.NOT_ASSESSED, reason=why)


#: How each schedule kind of the catalog is judged once the level's amount is known.
_KINDS = {"headcount": _headcount, "periodic": _periodic, "deadline": _deadline}


def schedule_state(control: Control, agency: Agency | None, record: DutyRecord, as_of: date) -> ScheduleState:
    """The duty's state for the agency on ``as_of``: from the findings, not applicable at its level, or judged by
    its schedule kind against the duty record."""
    sched = control.schedule or {"kind": "findings"}
    kind = str(sched.get("kind", "findings"))
    if kind == "findings":
        return ScheduleState(kind, None, "judged from the audit's findings")
    if agency is None:
        return ScheduleState(kind, ControlStatus.NOT_ASSESSED, "the agency's responsibility level is unknown "
                             "(give --inventory/--agency or 'level' in the duty record)")
    level = agency.level
    per_level = sched.get("count" if kind == "headcount" else "months") or {}
    if level not in per_level:
        note = control.notes.get(level, f"not required at level {level}")
        return ScheduleState(kind, ControlStatus.NOT_APPLICABLE, note, required=False)
    judge = _KINDS.get(kind)
    if judge is None:
        return ScheduleState(kind, ControlStatus.NOT_ASSESSED, f"unknown schedule kind {kind!r} in the catalog")
    return judge(level, int(per_level[level]), record.last(control.id), agency.level_approved, as_of)


def _day(value: date) -> date:
    """A YAML timestamp (``2026-03-15 10:00:00``) is a datetime; duties are kept by day, and a datetime does not
    compare with a date."""
    return value.date() if isinstance(value, datetime) else value


def _done_entries(doc: YamlDoc, where: tuple[Any, ...], entries: Any) -> tuple[DoneEntry, ...] | None:
    """One duty's list of ``{date, evidence, count}`` (a single mapping is a list of one); None when unusable."""
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        doc.problem(where, "expected a list of {date, evidence} entries")
        return None
    parsed: list[DoneEntry] = []
    for index, entry in enumerate(entries):
        here = (*where, index)
        if not isinstance(entry, dict) or not isinstance(entry.get("date"), date):
            doc.problem(here, "each entry needs 'date: YYYY-MM-DD'")
            continue
        extra = set(entry) - {"date", "evidence", "count", "note"}
        if extra:
            doc.problem(here, f"unknown key(s) {', '.join(sorted(map(str, extra)))} "
                        "(expected date, evidence, count, note)")
        count = entry.get("count")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
            doc.problem((*here, "count"), f"count must be a whole number, not {count!r}")
            count = None
        evidence = entry.get("evidence")
        parsed.append(DoneEntry(_day(entry["date"]), str(evidence).strip() or None if evidence else None, count))
    return tuple(parsed)


def _record_agency(doc: YamlDoc, data: dict[Any, Any]) -> Agency | None:
    """The agency the record speaks for, when it gives a valid level."""
    level = data.get("level")
    approved = data.get("level_approved")
    if level is not None and level not in LEVELS:
        doc.problem(("level",), f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if approved is not None and not isinstance(approved, date):
        doc.problem(("level_approved",), f"level_approved must be a date like 2023-08-01, not {approved!r}")
    if isinstance(level, str) and level in LEVELS:
        return Agency(name=str(data.get("agency") or "agency"), level=level,
                      level_approved=_day(approved) if isinstance(approved, date) else None)
    return None


def load_duty_record(path: str | Path, cats: Catalogs | None = None) -> DutyRecord:
    """Read the agency's duty record; every problem with its line, in one :class:`InputError`."""
    cats = cats or catalogs()
    duties = {c.id: c for c in cats.frameworks[TW].controls}
    doc = read_yaml(path, what="duty record")
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        doc.problem((), "a duty record is a mapping with 'agency', 'level', 'level_approved' and 'done'")
        doc.raise_if_problems()
    for key in data:
        if key not in ("agency", "level", "level_approved", "done"):
            doc.problem((key,), f"unknown key {key!r} (expected agency, level, level_approved, done)", key=str(key))
    agency = _record_agency(doc, data)
    done: dict[str, tuple[DoneEntry, ...]] = {}
    raw_done = data.get("done") or {}
    if not isinstance(raw_done, dict):
        doc.problem(("done",), "'done' maps duty ids to lists of {date, evidence}")
        raw_done = {}
    for duty, entries in raw_done.items():
        where: tuple[Any, ...] = ("done", duty)
        if duty not in duties:
            close = difflib.get_close_matches(str(duty), duties, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (duties: {', '.join(sorted(duties))})"
            doc.problem(where, f"unknown duty {duty!r}{hint}", key=str(duty))
            continue
        parsed = _done_entries(doc, where, entries)
        if parsed is not None:
            done[str(duty)] = parsed
    doc.raise_if_problems()
    return DutyRecord(agency, done, str(path))
