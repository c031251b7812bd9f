"""The drill verdict, pinned: Wilson intervals against published values, the 6.00 % and 10.00 % marks exactly,
and the combined verdict (a drill fails when EITHER rate fails).

Published values: R. G. Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven
methods", Statistics in Medicine 17 (1998) 857-872, Table I, method 3 (Wilson score, no continuity
correction), 95 % intervals. These were each seeded as deliberate bugs once (a 90 % interval labelled 95 %, a <=
at 6.00 %, a combined verdict failing only when both rates fail) and passed the suite; now they fail it.
"""

from __future__ import annotations

import pytest

from compliance.checks.base import JudgeContext
from compliance.checks.drill import DrillClickRate, DrillOpenRate, summary_observation
from compliance.drill.metrics import Outcome, below, rates, verdict, wilson
from netcomply.models import FindingStatus

NEWCOMBE_1998 = [  # successes, n, lower, upper (95 %, four decimals as published)
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("k", "n", "lo", "hi"), NEWCOMBE_1998)
def test_wilson_matches_published_values(k: int, n: int, lo: float, hi: float) -> None:
    got = wilson(k, n)
    assert (round(got[0], 4), round(got[1], 4)) == (lo, hi)
    assert wilson(k, n, 0.95) == got  # the default confidence is 95 %


def test_drill_rates_use_a_95_percent_interval() -> None:
    outs = [Outcome(f"p{i}@x", "d", "", True, None, None, opened=i < 81, clicked=i < 15) for i in range(263)]
    r = rates("all", outs, {o.email: o for o in outs}, 0.10, 0.06, 0.95)
    assert (round(r.open_ci95[0], 4), round(r.open_ci95[1], 4)) == (0.2553, 0.3662)


@pytest.mark.parametrize(("count", "n", "mark", "ok"), [
    (6, 100, 0.06, False), (5, 100, 0.06, True), (3, 50, 0.06, False), (59, 1000, 0.06, True),
    (60, 1000, 0.06, False), (10, 100, 0.10, False), (9, 100, 0.10, True), (163, 1630, 0.10, False),
    (162, 1630, 0.10, True), (0, 0, 0.06, False),
])
def test_marks_are_strict_and_exact(count: int, n: int, mark: float, ok: bool) -> None:
    assert below(count, n, mark) is ok
    if n == 0:
        return
    field, check = ("clicked", DrillClickRate()) if mark == 0.06 else ("opened", DrillOpenRate())
    doc = {"drill": {"name": "d", "start": "2026-10-05T09:00:00+08:00", "sources": []}, "participants": n,
           "opened": 0, "clicked": 0, "thresholds": {"open_rate_max": 0.10, "click_rate_max": 0.06},
           "departments": [], field: count}
    (finding,) = check.run([summary_observation(doc)], JudgeContext(run_id="t"))
    assert finding.status is (FindingStatus.PASS if ok else FindingStatus.FAIL)


def _people(n: int, opened: int, clicked: int) -> list[Outcome]:
    return [Outcome(f"p{i}@x", "d", "", True, None, None, opened=i < opened, clicked=i < clicked) for i in range(n)]


@pytest.mark.parametrize(("opened", "clicked", "passed", "combined"), [
    (10, 2, True, "pass"),          # 1 % and 0.2 % of 1000: both clearly below
    (10, 200, False, "fail"),       # open passes, click fails: the drill fails
    (300, 2, False, "fail"),        # open fails, click passes: the drill fails
    (300, 200, False, "fail"),
    (95, 2, True, "inconclusive"),  # 9.5 % open: below the mark, but the interval straddles it
])
def test_combined_verdict_fails_when_either_rate_fails(opened: int, clicked: int, passed: bool, combined: str) -> None:
    outs = _people(1000, opened, clicked)
    r = rates("all", outs, {o.email: o for o in outs}, 0.10, 0.06, 0.95)
    assert r.passed is passed
    assert r.verdict == combined


def test_statistical_verdict_at_the_mark() -> None:
    assert verdict(0, 0, 0.06, 0.95) == "inconclusive"
    assert verdict(60, 1000, 0.06, 0.95) == "inconclusive"  # exactly on the mark: the interval straddles it
    assert verdict(200, 1000, 0.06, 0.95) == "fail"
    assert verdict(5, 1000, 0.06, 0.95) == "pass"
