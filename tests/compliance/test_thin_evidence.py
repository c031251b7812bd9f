"""Verdicts withheld on too little evidence (issue 18): the finding is ``not_assessed`` and says how much there
was and how much is needed, never a pass (or a fail) drawn from it.

- firewall.unused on hit counters younger than ``firewall.unused_min_days`` (or of unknown age) used to *pass*
  ("no unused finding");
- a drill's open and click rates on a handful of people whose 95 % interval straddles the mark used to get a
  verdict from one or two clicks;
- an IPv6 phase's readiness percentage on a run where most devices (or services) gave no data was judged on the
  few that answered.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.firewall.observe import observations
from collectors.firewall.parsers import parse_text
from compliance.checks.base import JudgeContext
from compliance.checks.drill import KIND, DrillClickRate
from compliance.checks.firewall import Unused
from compliance.checks.ipv6 import _collection_coverage
from compliance.drill.metrics import wilson
from compliance.thresholds import load_thresholds
from netcomply.errors import ErrorClass
from netcomply.i18n import render
from netcomply.models import DeviceResult, DeviceStatus, FindingStatus, Observation

NOW = datetime(2026, 11, 22, tzinfo=UTC)
# Cisco ASA `show access-list` (the shape of tests/firewall/test_checks.py): line 2 permits and never matched.
ASA_SHOW = """access-list IN; 3 elements; name hash: 0x1
access-list IN line 1 remark owner: web team
access-list IN line 2 extended permit tcp any4 host 203.0.113.10 eq https log informational interval 300 (hitcnt=0) 0x1
access-list IN line 3 extended permit udp any4 host 203.0.113.53 eq domain log informational interval 300 (hitcnt=812) 0x2
access-list IN line 4 extended deny ip any any log informational interval 300 (hitcnt=9) 0x5
"""


def _unused(counters_since: datetime | None) -> list[Any]:
    sets = parse_text(ASA_SHOW, "cisco_asa", "fw1.txt")
    for rs in sets:
        rs.counters_since = counters_since
    obs = observations(sets, "fw1", "firewall_rules", "file:fw1.txt")
    for k, o in enumerate(obs):
        o.id = k
    ctx = JudgeContext(run_id="offline", data={"now": NOW.isoformat(), "thresholds": load_thresholds()})
    return list(Unused().run(obs, ctx))


def test_unused_on_short_counters_is_not_assessed_with_the_days() -> None:
    found = _unused(NOW - timedelta(days=21))
    assert [f.status for f in found] == [FindingStatus.NOT_ASSESSED]  # was: PASS "no unused finding"
    assert found[0].details["counter_days"] == 21 and found[0].details["needed_days"] == 90
    assert "21" in found[0].message and "90" in found[0].message


def test_unused_without_the_counters_age_is_not_assessed() -> None:
    found = _unused(None)
    assert [f.status for f in found] == [FindingStatus.NOT_ASSESSED]
    assert found[0].details["counters"] == "unknown"


def test_unused_on_long_counters_still_judges() -> None:
    found = _unused(NOW - timedelta(days=200))
    assert {f.status for f in found} == {FindingStatus.FAIL}
    assert any("IN line 2" in f.subject for f in found)


def _drill(participants: int, clicked: int) -> Observation:
    lo, hi = wilson(clicked, participants, 0.95)
    return Observation(device="drill-115H2", collector="drill", kind=KIND,
                       data={"participants": participants, "clicked": clicked, "opened": clicked,
                             "click_ci95": [lo, hi], "thresholds": {"click_rate_max": 0.06, "open_rate_max": 0.10}},
                       source="drill:test")


def _click_status(participants: int, clicked: int) -> FindingStatus:
    ctx = JudgeContext(run_id="r", data={"thresholds": load_thresholds()})
    (finding,) = DrillClickRate().run([_drill(participants, clicked)], ctx)
    return finding.status


def test_small_drill_with_an_undecided_interval_is_not_assessed() -> None:
    assert _click_status(5, 0) is FindingStatus.NOT_ASSESSED  # 0 of 5: anywhere from 0 % to 43 %
    assert _click_status(12, 4) is FindingStatus.FAIL  # 4 of 12: the whole interval is above 6 %
    assert _click_status(1629, 104) is FindingStatus.FAIL  # a large drill: the rule as filed (6.38 %)
    assert _click_status(1629, 90) is FindingStatus.PASS


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=60), st.data())
def test_not_assessed_exactly_when_small_and_undecided(participants: int, data: st.DataObject) -> None:
    clicked = data.draw(st.integers(min_value=0, max_value=participants))
    lo, hi = wilson(clicked, participants, 0.95)
    status = _click_status(participants, clicked)
    undecided = participants < load_thresholds()["drill"]["participants_min"] and lo < 0.06 <= hi
    assert (status is FindingStatus.NOT_ASSESSED) == undecided
    if not undecided:  # otherwise the rule as filed: strictly below 6 %
        assert (status is FindingStatus.PASS) == (clicked * 100 < 6 * participants)


def _results(ok: int, failed: int, collector: str = "ipv6_snmp") -> list[DeviceResult]:
    at = NOW
    return ([DeviceResult(f"sw{k}", collector, DeviceStatus.OK, at, at) for k in range(ok)]
            + [DeviceResult(f"dead{k}", collector, DeviceStatus.ERROR, at, at, error_class=ErrorClass.TIMEOUT)
               for k in range(failed)])


def test_ipv6_target_on_a_run_where_most_devices_failed_is_not_assessed() -> None:
    ctx = JudgeContext(run_id="r", data={"thresholds": load_thresholds(), "device_results": _results(4, 12)})
    thin = _collection_coverage(ctx, ("devices",))
    assert thin is not None and thin[1] == {"reason": "insufficient_data", "reached": 4, "tried": 16,
                                            "coverage_min": 0.8}
    assert "4" in render(thin[0], "en") and "16" in render(thin[0], "en") and "25%" in render(thin[0], "en")
    enough = JudgeContext(run_id="r", data={"thresholds": load_thresholds(), "device_results": _results(15, 1)})
    assert _collection_coverage(enough, ("devices",)) is None
    # Only the collectors of the phase's items count: failed service probes say nothing about devices.
    services_down = JudgeContext(run_id="r", data={"thresholds": load_thresholds(),
                                                   "device_results": _results(0, 9, "ipv6_service")})
    assert _collection_coverage(services_down, ("devices",)) is None
    assert _collection_coverage(services_down, ("services",)) is not None


def test_a_device_counts_as_reached_when_one_ipv6_collector_answered() -> None:
    results = [*_results(0, 3, "ipv6_cli"), DeviceResult("dead0", "ipv6_snmp", DeviceStatus.OK, NOW, NOW)]
    ctx = JudgeContext(run_id="r", data={"thresholds": load_thresholds(), "device_results": results})
    thin = _collection_coverage(ctx, ("devices",))
    assert thin is not None and thin[1]["reached"] == 1 and thin[1]["tried"] == 3


def test_asset_verifiable_judges_inventory_devices_only() -> None:
    """Services and hotspots are no assets of the device inventory: with an inventory at hand they get no
    "asset verified" finding (the demo had 54 such findings for 29 devices)."""
    from compliance.checks.collection import AssetVerifiable
    from netcomply.models import Device

    results = [DeviceResult("sw1", "snmp_system", DeviceStatus.OK, NOW, NOW),
               DeviceResult("dns:city.example", "ipv6_service", DeviceStatus.OK, NOW, NOW)]
    seen = [Observation(device=name, collector=c, kind=k, data={}, source="test") for name, c, k in (
        ("sw1", "snmp_system", "device.snmp_system"), ("dns:city.example", "ipv6_service", "ipv6.service"),
        ("LOBBY-AP", "hotspot_availability", "hotspot.availability"))]
    devices = {"sw1": Device(name="sw1", address="192.0.2.1")}
    judged = {f.subject for f in AssetVerifiable().run(seen, JudgeContext(
        run_id="r", devices=devices, data={"device_results": results}))}
    assert judged == {"sw1"}
    without_inventory = {f.subject for f in AssetVerifiable().run(seen, JudgeContext(
        run_id="r", data={"device_results": results}))}
    assert without_inventory == {"sw1", "dns:city.example", "LOBBY-AP"}  # nothing tells them apart: all judged
