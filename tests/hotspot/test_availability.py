"""Availability analysis: hypothesis against a brute-force oracle (second by second), and worked examples."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.availability import GAP_FACTOR, aggregate, analyse, analyse_hotspot, reboots, series
from netcomply.hotspot_samples import HotspotSample, SampleStatus, slot_of

STATES = [SampleStatus.UP, SampleStatus.DOWN, SampleStatus.UNKNOWN]


def sample(t: float, status: SampleStatus, interval: float = 10.0, *, uptime: float | None = None,
           clients: int | None = None, name: str = "ap", zone: str = "z") -> HotspotSample:
    at = datetime.fromtimestamp(t, UTC)
    return HotspotSample(name, slot_of(t, interval), at, status, interval, uptime_s=uptime, clients=clients,
                         zone=zone, site="s", agency="a")


def oracle_state(times: list[int], states: list[SampleStatus], interval: int, x: int) -> str:
    """State on [x, x+1) by the documented rule, evaluated independently: the last sample at or before x
    holds until the next sample if that one's grid slot comes within 1.5 intervals, else for one interval."""
    last = None
    for i, t in enumerate(times):
        if t <= x:
            last = i
    if last is None:
        return "unknown"
    t = times[last]
    nxt = times[last + 1] if last + 1 < len(times) else None
    slot, nxt_slot = t // interval * interval, None if nxt is None else nxt // interval * interval
    held = nxt if nxt is not None and nxt_slot is not None and nxt_slot - slot <= GAP_FACTOR * interval else t + interval
    if nxt is not None:
        held = min(held, nxt)
    return states[last].value if x < held else "unknown"


@st.composite
def sample_runs(draw: st.DrawFn) -> tuple[list[int], list[SampleStatus], int, int, int]:
    interval = draw(st.integers(2, 20))
    n = draw(st.integers(0, 30))
    steps = draw(st.lists(st.integers(1, 3 * interval), min_size=n, max_size=n))
    start = draw(st.integers(0, 50))
    times, t = [], start
    for step in steps:
        times.append(t)
        t += step
    states = draw(st.lists(st.sampled_from(STATES), min_size=n, max_size=n))
    since = draw(st.integers(0, 60))
    until = since + draw(st.integers(1, 400))
    return times, states, interval, since, until


@given(sample_runs())
@settings(max_examples=300, deadline=None)
def test_matches_oracle_second_by_second(run: tuple[list[int], list[SampleStatus], int, int, int]) -> None:
    times, states, interval, since, until = run
    samples = [sample(t, s, interval) for t, s in zip(times, states, strict=True)]
    res = analyse_hotspot("ap", samples, since, until)
    want = {"up": 0, "down": 0, "unknown": 0}
    for x in range(since, until):
        want[oracle_state(times, states, interval, x)] += 1
    assert (res.up_s, res.down_s, res.unknown_s) == (want["up"], want["down"], want["unknown"])
    assert sum(o.seconds for o in res.outages) == res.down_s
    assert sum(g.length for g in res.gaps) == res.unknown_s
    if want["up"] + want["down"]:
        assert res.availability == want["up"] / (want["up"] + want["down"])
    else:
        assert res.availability is None
    # outages never touch each other and each is bounded by up or by an open mark
    for a, b in zip(res.outages, res.outages[1:], strict=False):
        assert a.end < b.start


def test_outage_boundaries_and_gap_example() -> None:
    # every 10 s: up, up, down, down, up, then nothing for 60 s, then up
    ts = [0, 10, 20, 30, 40, 110]
    st_ = [SampleStatus.UP, SampleStatus.UP, SampleStatus.DOWN, SampleStatus.DOWN, SampleStatus.UP, SampleStatus.UP]
    res = analyse_hotspot("ap", [sample(t, s) for t, s in zip(ts, st_, strict=True)], 0, 120)
    assert [(o.start, o.end, o.open_start, o.open_end) for o in res.outages] == [(20, 40, False, False)]
    assert (res.up_s, res.down_s, res.unknown_s) == (40, 20, 60)
    assert [(g.start, g.end) for g in res.gaps] == [(50, 110)]
    assert res.availability == 40 / 60


def test_reboots_from_uptime() -> None:
    s = [
        sample(0, SampleStatus.UP, uptime=1000),
        sample(10, SampleStatus.UP, uptime=1010),
        sample(20, SampleStatus.UP, uptime=3),  # rebooted between 10 and 20, never seen down
        sample(30, SampleStatus.DOWN),
        sample(40, SampleStatus.UP, uptime=4),  # boot after the outage
        sample(50, SampleStatus.UP, uptime=14),
    ]
    found = reboots(s)
    assert [(r.kind, r.seen_at, r.booted_at) for r in found] == [("unexplained", 20, 17), ("after_outage", 40, 36)]


def test_uptime_wrap_is_not_a_reboot() -> None:
    wrap = 2**32 / 100
    s = [sample(0, SampleStatus.UP, uptime=wrap - 5), sample(10, SampleStatus.UP, uptime=5)]
    assert reboots(s) == []


@given(st.lists(st.tuples(st.integers(1, 10), st.integers(0, 10**7)), min_size=2, max_size=20))
@settings(max_examples=200, deadline=None)
def test_steady_uptime_never_reboots(steps: list[tuple[int, int]]) -> None:
    t, up0 = 0, float(steps[0][1])
    s = []
    for step, _ in steps:
        s.append(sample(t, SampleStatus.UP, uptime=up0 + t))
        t += step
    assert reboots(s) == []


def test_groups_weight_by_time_and_name_the_worst() -> None:
    s = [sample(t, SampleStatus.UP if t < 50 else SampleStatus.DOWN, name="a", zone="park", clients=4)
         for t in range(0, 100, 10)]
    s += [sample(t, SampleStatus.UP, name="b", zone="park", clients=10) for t in range(0, 100, 10)]
    s += [sample(t, SampleStatus.UP, name="c", zone="hall") for t in range(0, 50, 10)]
    res = analyse(s, 0, 100, hotspots={"d": {"zone": "hall", "site": None, "agency": None}})
    assert [r.hotspot for r in res] == ["a", "b", "c", "d"]
    assert res[3].availability is None and res[3].unknown_s == 100
    zones = {g.value: g for g in aggregate(res, "zone")}
    assert zones["park"].availability == 150 / 200 and zones["park"].worst == "a" and zones["park"].outages == 1
    assert zones["hall"].availability == 1.0 and zones["hall"].unknown_s == 150
    assert res[1].client_hours == pytest.approx(10 * 100 / 3600) and res[1].clients_max == 10
    starts, values = series(s, 0, 100, 2)
    assert starts == [0, 50] and values["park"] == [1.0, 0.5] and values["hall"] == [1.0, None]


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 300), st.sampled_from(STATES),
                          st.sampled_from(["z1", "z2"])), max_size=60),
       st.integers(1, 12))
@settings(max_examples=150, deadline=None)
def test_one_pass_series_equals_the_per_slice_sum(rows: list[tuple[str, int, SampleStatus, str]], buckets: int) -> None:
    from compliance.availability import analyse_all

    zone_of = {"a": "z1", "b": "z1", "c": "z2"}
    unique = {(h, t): s for h, t, s, _ in rows}  # one sample per hotspot and time, as the store keeps them
    samples = [sample(t, s, name=h, zone=zone_of[h]) for (h, t), s in unique.items()]
    one = analyse_all(samples, 0, 320, buckets=buckets)
    starts, slow = series(samples, 0, 320, buckets)
    assert one.starts == starts and set(one.series) == set(slow)
    for g, vals in slow.items():
        for fast, want in zip(one.series[g], vals, strict=True):
            assert (fast is None and want is None) or fast == pytest.approx(want)


def test_stream_must_be_grouped_by_hotspot() -> None:
    from compliance.availability import by_hotspot

    stream = iter([sample(0, SampleStatus.UP, name="a"), sample(0, SampleStatus.UP, name="b"),
                   sample(10, SampleStatus.UP, name="a")])
    with pytest.raises(ValueError, match="not grouped"):
        list(by_hotspot(stream))
    assert [n for n, _ in by_hotspot([sample(0, SampleStatus.UP, name="b"), sample(0, SampleStatus.UP, name="a")])] \
        == ["a", "b"]
