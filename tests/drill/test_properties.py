"""Property tests: Wilson intervals, raw >= adjusted, rates in [0, 1], parsers' round trips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.drill.synth import go_time, papa
from compliance.drill.config import load_thresholds
from compliance.drill.metrics import below, wilson
from compliance.drill.privacy import Pseudonymiser
from netcomply.app.pipelines.drill import run
from netcomply.drill.csvsrc import unescape_formula
from netcomply.drill.model import Action, Drill, Event, Target
from netcomply.drill.timeutil import parse_utc

T0 = datetime(2026, 10, 5, tzinfo=UTC)
PSEUDO = Pseudonymiser(b"property-test-key-0123456789")
TH = load_thresholds()


@given(st.integers(0, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_brackets_the_rate(kn: tuple[int, int], conf: float) -> None:
    k, n = kn
    lo, hi = wilson(k, n, conf)
    assert 0.0 <= lo <= hi <= 1.0
    if n:
        assert lo - 1e-12 <= k / n <= hi + 1e-12
        wider = wilson(k, n, min(0.999, conf + 0.009))
        assert wider[0] <= lo + 1e-12 and wider[1] >= hi - 1e-12


@given(st.integers(1, 3000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_below_is_exact(kn: tuple[int, int]) -> None:
    k, n = kn
    assert below(k, n, 0.06) == (100 * k < 6 * n)


actions = st.sampled_from([Action.OPENED, Action.CLICKED, Action.ATTACHMENT, Action.SUBMITTED, Action.REPORTED,
                           Action.FORWARDED])
event = st.tuples(st.integers(0, 19), actions, st.integers(0, 7200), st.sampled_from(["10.0.0.1", "10.0.0.2",
                  "203.0.113.5", None]), st.sampled_from([None, "Mozilla/5.0", "python-requests/2.31"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(event, max_size=80), st.sets(st.integers(0, 19)), st.sets(st.integers(0, 19)))
def test_adjusted_never_exceeds_raw(evs: list[tuple[int, Action, int, str | None, str | None]], errors: set[int],
                                    unsent: set[int]) -> None:
    drill = Drill("prop")
    for i in range(20):
        drill.add_target(Target(f"p{i}@x.gov.tw"))
        if i in unsent:
            continue
        if i in errors:
            drill.events.append(Event(f"p{i}@x.gov.tw", Action.SEND_ERROR, T0))
        else:
            drill.events.append(Event(f"p{i}@x.gov.tw", Action.SENT, T0 + timedelta(seconds=i)))
    for who, action, dt, ip, ua in evs:
        drill.events.append(Event(f"p{who}@x.gov.tw", action, T0 + timedelta(seconds=dt), ip=ip, user_agent=ua))
    doc = run(drill, TH, PSEUDO).document
    n = doc["participants"]
    assert n + doc["excluded"] == 20
    assert n == 20 - len(unsent | (errors - unsent))
    raw = doc["raw"]
    assert raw["opened"] >= doc["opened"] and raw["clicked"] >= doc["clicked"] and raw["submitted"] >= doc["submitted"]
    assert doc["opened"] >= doc["clicked"] >= doc["submitted"]
    for key in ("open_rate", "click_rate"):
        if n:
            assert 0.0 <= doc[key] <= 1.0
            lo, hi = doc[key.replace("_rate", "_ci95")]
            assert lo - 1e-6 <= doc[key] <= hi + 1e-6
    assert sum(d["participants"] for d in doc["departments"]) == n


@given(st.text(max_size=30))
def test_papa_escape_round_trips(value: str) -> None:
    escaped = papa(value)
    if not value.startswith("'"):
        assert unescape_formula(escaped) == value


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)))
def test_go_time_round_trips(dt: datetime) -> None:
    aware = dt.replace(tzinfo=UTC)
    assert parse_utc(go_time(aware)) == aware
    assert parse_utc("0001-01-01T00:00:00Z") is None
