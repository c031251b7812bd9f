"""A hotspot's availability is a verdict only when the samples cover enough of the 30-day window.

Seen on the lab: after `hotspot poll --count 3` (15 s of samples in a 30-day window) 17 of 18 hotspots passed
`hotspot.availability_min` with "available 100.00% of the known time". The samples go through the real analysis
(compliance.availability.analyse) and the real check, as an audit does.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from compliance.availability import analyse
from compliance.checks.base import JudgeContext
from compliance.checks.hotspot import AvailabilityMin, SamplingCoverage
from compliance.thresholds import load_thresholds
from netcomply.hotspot_samples import HotspotSample, SampleStatus, slot_of
from netcomply.models import FindingStatus, Observation

DAY = 86400.0
UNTIL = datetime(2026, 12, 4, 8, 0, tzinfo=UTC).timestamp()
SINCE = UNTIL - 30 * DAY


def _observation(times: list[float], interval: float, status: SampleStatus = SampleStatus.UP) -> Observation:
    samples = [HotspotSample("ap1", slot_of(t, interval), datetime.fromtimestamp(t, UTC), status, interval,
                             zone="z", site="s", agency="a") for t in times]
    (result,) = analyse(samples, SINCE, UNTIL, {"ap1": {"site": "s", "zone": "z", "agency": "a"}})
    data = {**result.to_json(), "window_days": 30}
    return Observation(device="ap1", collector="hotspot_availability", kind="hotspot.availability", data=data,
                       source="t", id=1)


def _judge(obs: Observation) -> tuple[FindingStatus, FindingStatus, str]:
    ctx = JudgeContext(run_id="r", data={"thresholds": load_thresholds(None)})
    (avail,) = AvailabilityMin().run([obs], ctx)
    (cov,) = SamplingCoverage().run([obs], ctx)
    return avail.status, cov.status, avail.message


def test_three_polls_are_not_a_month_of_availability() -> None:
    obs = _observation([UNTIL - 15, UNTIL - 10, UNTIL - 5], 5.0)
    assert obs.data["availability"] == 1.0  # the figure itself is right: all three samples answered
    status, coverage, message = _judge(obs)
    assert status is FindingStatus.NOT_ASSESSED
    assert coverage is FindingStatus.FAIL
    assert "insufficient data" in message and "0.00%" in message and "90.00%" in message


@pytest.mark.parametrize(("days", "expected"), [(26.0, FindingStatus.NOT_ASSESSED), (27.5, FindingStatus.PASS)])
def test_default_minimum_is_ninety_percent_of_the_window(days: float, expected: FindingStatus) -> None:
    step = 600.0
    start = UNTIL - days * DAY
    times = [start + i * step for i in range(int(days * DAY / step))]
    status, _, _ = _judge(_observation(times, step))
    assert status is expected


def test_the_minimum_is_agency_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "th.yaml"
    mine.write_text("hotspot:\n  coverage_min: 0.5\n", encoding="utf-8")
    step = 600.0
    start = UNTIL - 20 * DAY
    obs = _observation([start + i * step for i in range(int(20 * DAY / step))], step)
    ctx = JudgeContext(run_id="r", data={"thresholds": load_thresholds(mine)})
    (avail,) = AvailabilityMin().run([obs], ctx)
    assert avail.status is FindingStatus.PASS


def test_not_assessed_never_counts_as_a_pass_of_the_control() -> None:
    from compliance.status import FULL, ControlStatus, contribution

    obs = _observation([UNTIL - 15, UNTIL - 10, UNTIL - 5], 5.0)
    ctx = JudgeContext(run_id="r", data={"thresholds": load_thresholds(None)})
    (finding,) = AvailabilityMin().run([obs], ctx)
    assert contribution(finding, FULL) is ControlStatus.NOT_ASSESSED
