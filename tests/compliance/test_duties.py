"""National duties are schedules: next due and overdue from the level, its approval date and the agency's record."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.catalog import Control, catalogs
from compliance.duties import DoneEntry, DutyRecord, add_months, load_duty_record, schedule_state
from compliance.evaluate import evaluate
from compliance.status import ControlStatus
from netcomply.errors import InputError
from netcomply.models import Agency, Level

APPROVED = date(2023, 8, 1)


def duty(name: str) -> Control:
    return catalogs().control(f"tw-cyber:{name}")


def agency(level: Level) -> Agency:
    return Agency(name="city-gov", level=level, level_approved=APPROVED)


def record(name: str, *entries: DoneEntry) -> DutyRecord:
    return DutyRecord(done={name: entries})


@pytest.mark.parametrize(("level", "months"), [("A", 6), ("B", 12), ("C", 24)])
def test_internal_audit_interval_follows_the_level(level: Level, months: int) -> None:
    done = DoneEntry(date(2026, 3, 15), "稽核報告 115-01")
    state = schedule_state(duty("internal-audit"), agency(level), record("internal-audit", done), date(2026, 4, 1))
    assert state.interval_months == months
    assert state.due == add_months(date(2026, 3, 15), months)
    assert state.status is ControlStatus.PASS and not state.overdue
    late = schedule_state(duty("internal-audit"), agency(level), record("internal-audit", done),
                          add_months(date(2026, 3, 15), months) .replace(day=16))
    assert late.overdue and late.status is ControlStatus.FAIL


def test_never_done_is_due_from_the_approval_date() -> None:
    before = schedule_state(duty("internal-audit"), agency("A"), DutyRecord(), date(2024, 1, 31))
    assert before.status is ControlStatus.NOT_ASSESSED and before.due == date(2024, 2, 1)
    after = schedule_state(duty("internal-audit"), agency("A"), DutyRecord(), date(2024, 2, 2))
    assert after.status is ControlStatus.FAIL and after.overdue


def test_latest_record_counts() -> None:
    rec = record("penetration-test", DoneEntry(date(2024, 5, 1), "r1"), DoneEntry(date(2025, 9, 1), "r2"))
    state = schedule_state(duty("penetration-test"), agency("B"), rec, date(2026, 1, 1))
    assert state.last_done == date(2025, 9, 1) and state.due == date(2027, 9, 1)


def test_record_without_evidence_is_manual_never_pass() -> None:
    state = schedule_state(duty("internal-audit"), agency("B"), record("internal-audit", DoneEntry(date(2026, 3, 1))),
                           date(2026, 4, 1))
    assert state.status is ControlStatus.MANUAL


def test_duties_not_required_at_a_level_are_not_applicable() -> None:
    state = schedule_state(duty("isms-verification"), agency("C"), DutyRecord(), date(2026, 1, 1))
    assert state.status is ControlStatus.NOT_APPLICABLE and "public agencies" in state.reason
    assert schedule_state(duty("internal-audit"), agency("D"), DutyRecord(), date(2026, 1, 1)).status \
        is ControlStatus.NOT_APPLICABLE
    # drills apply at every level
    assert schedule_state(duty("social-engineering-drill"), agency("E"), DutyRecord(), date(2026, 1, 1)).required


def test_deadline_and_headcount() -> None:
    isms = schedule_state(duty("isms"), agency("A"), DutyRecord(), date(2025, 8, 2))
    assert isms.status is ControlStatus.FAIL and isms.due == date(2025, 8, 1)
    staff = duty("security-staff")
    short = schedule_state(staff, agency("A"), record("security-staff", DoneEntry(date(2026, 1, 1), "令", 2)),
                           date(2026, 2, 1))
    assert short.status is ControlStatus.FAIL and (short.count_required, short.count_recorded) == (4, 2)
    enough = schedule_state(staff, agency("B"), record("security-staff", DoneEntry(date(2026, 1, 1), "令", 2)),
                            date(2026, 2, 1))
    assert enough.status is ControlStatus.PASS


def test_unknown_level_is_not_assessed() -> None:
    ev = evaluate([], as_of=date(2026, 1, 1), assessable=frozenset())
    assert ev.get("tw-cyber:internal-audit").status is ControlStatus.NOT_ASSESSED
    assert "level is unknown" in ev.get("tw-cyber:internal-audit").reason


def test_evaluation_carries_the_schedule_and_record_evidence() -> None:
    rec = record("internal-audit", DoneEntry(date(2026, 6, 1), "115年度內稽報告"))
    ev = evaluate([], as_of=date(2026, 7, 1), agency=agency("A"), record=rec, assessable=frozenset())
    result = ev.get("tw-cyber:internal-audit")
    assert result.status is ControlStatus.PASS and result.records == ("115年度內稽報告",)
    assert result.schedule is not None and result.schedule.due == date(2026, 12, 1)
    assert ev.get("tw-cyber:bcp-drill").status is ControlStatus.FAIL  # never recorded, due 2024-08-01


@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(0, 120))
def test_add_months_stays_in_the_target_month(day: date, months: int) -> None:
    got = add_months(day, months)
    assert (got.year * 12 + got.month) - (day.year * 12 + day.month) == months
    assert got.day <= day.day


def test_record_file_errors_have_lines(tmp_path: Path) -> None:
    path = tmp_path / "duties.yaml"
    path.write_text(
        "agency: city-gov\nlevel: F\nlevel_approved: 2023-08-01\ndone:\n"
        "  internal-audt:\n    - {date: 2026-03-15, evidence: x}\n"
        "  pentration-test: []\n"
        "  security-staff:\n    - {date: 2026-01-01, count: many}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_duty_record(path)
    text = str(err.value)
    assert f"{path}:2:" in text and "level must be one of" in text
    assert f"{path}:5:" in text and "did you mean 'internal-audit'" in text
    assert "count must be a whole number" in text


def test_record_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "duties.yaml"
    path.write_text("agency: city-gov\nlevel: B\nlevel_approved: 2024-01-15\ndone:\n"
                    "  internal-audit: {date: 2026-03-15, evidence: 稽核報告}\n", encoding="utf-8")
    rec = load_duty_record(path)
    assert rec.agency == Agency(name="city-gov", level="B", level_approved=date(2024, 1, 15))
    assert rec.last("internal-audit") == DoneEntry(date(2026, 3, 15), "稽核報告")
