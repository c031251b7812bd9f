"""diff: what got better and worse between two audits."""

from __future__ import annotations

from datetime import date

from compliance.diff import diff_evaluations, diff_findings, diff_runs
from compliance.evaluate import evaluate
from netcomply.models import Finding, FindingStatus, Severity

A89 = ["iso27001:2022/A.8.9"]


def f(subject: str, status: FindingStatus, controls: list[str] = A89) -> Finding:
    return Finding("collection.config_captured", subject, status, Severity.LOW, f"{subject} {status}", [1], ["a" * 64],
                   controls)


def test_findings_fixed_broken_new_and_gone() -> None:
    before = [f("sw1", FindingStatus.FAIL), f("sw2", FindingStatus.PASS), f("sw3", FindingStatus.FAIL)]
    after = [f("sw1", FindingStatus.PASS), f("sw2", FindingStatus.FAIL), f("sw4", FindingStatus.FAIL),
             f("sw5", FindingStatus.PASS)]
    got = {c.key.split(" @ ")[1]: c.direction for c in diff_findings(before, after)}
    assert got == {"sw1": "better", "sw2": "worse", "sw3": "gone", "sw4": "worse", "sw5": "new"}


def test_unchanged_runs_have_no_changes() -> None:
    same = [f("sw1", FindingStatus.PASS), f("sw2", FindingStatus.FAIL)]
    day = date(2026, 1, 1)
    d = diff_runs("a", "b", same, list(reversed(same)), evaluate(same, as_of=day), evaluate(same, as_of=day))
    assert d.changes == ()


def test_control_status_changes_follow_the_findings() -> None:
    day = date(2026, 1, 1)
    before = evaluate([f("sw1", FindingStatus.FAIL)], as_of=day)
    after = evaluate([f("sw1", FindingStatus.PASS)], as_of=day)
    changes = {c.key: c for c in diff_evaluations(before, after)}
    assert changes["iso27001:2022/A.8.9"].direction == "better"
    assert (changes["iso27001:2022/A.8.9"].before, changes["iso27001:2022/A.8.9"].after) == ("fail", "pass")
    reverse = {c.key: c.direction for c in diff_evaluations(after, before)}
    assert reverse["iso27001:2022/A.8.9"] == "worse"
    assert set(reverse) == set(changes)  # the same controls moved, the other way


def test_losing_the_evidence_is_never_better() -> None:
    """fail -> error / manual / not assessed: the device was not judged the second time, nothing was fixed."""
    day = date(2026, 1, 1)
    for later in (FindingStatus.ERROR, FindingStatus.MANUAL, FindingStatus.NOT_ASSESSED):
        (change,) = diff_findings([f("sw1", FindingStatus.FAIL)], [f("sw1", later)])
        assert change.direction == "changed", later
        controls = diff_evaluations(evaluate([f("sw1", FindingStatus.FAIL)], as_of=day),
                                    evaluate([f("sw1", later)], as_of=day))
        assert {c.direction for c in controls} <= {"changed"}, later
        back = diff_findings([f("sw1", later)], [f("sw1", FindingStatus.FAIL)])
        assert back[0].direction == "changed"


def test_the_worst_finding_of_a_subject_stands_for_it() -> None:
    before = [f("sw1", FindingStatus.PASS), f("sw1", FindingStatus.NOT_ASSESSED)]
    after = [f("sw1", FindingStatus.PASS)]
    (change,) = diff_findings(before, after)
    assert (change.before, change.after, change.direction) == ("not_assessed", "pass", "changed")
