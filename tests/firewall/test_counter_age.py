"""Counter age: the uptime each platform prints (the hit counters start at boot) and the unused-rule check that
never counts across a counter reset seen in the stored history (a hit count that went down between runs).

The uptime lines follow the platforms' documented ``show version`` / ``get system performance status`` /
``show system info`` / ``show system uptime`` output; the history is a real SQLite store with three runs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.firewall.observe import observations
from collectors.firewall.parsers import cisco_asa
from collectors.firewall.uptime import counters_since, uptime_seconds
from compliance.judge import judge_run
from netcomply.models import Run, RunStatus
from netcomply.store import Store

DAY = 86400


@pytest.mark.parametrize(("text", "seconds"), [
    ("cg-fw1 up 41 days 3 hours\nfailover cluster up 2 days", 41 * DAY + 3 * 3600),  # ASA show version
    ("Cisco IOS XE Software\nrtr1 uptime is 1 year, 2 weeks, 3 days, 4 hours, 5 minutes\n"
     "Uptime for this control processor is 1 year, 2 weeks", 365 * DAY + 17 * DAY + 4 * 3600 + 300),
    ("Memory: 8012520k total\nUptime: 10 days,  3 hours,  42 minutes", 10 * DAY + 3 * 3600 + 42 * 60),  # FortiOS
    ("hostname: pa-fw1\nuptime: 41 days, 3:14:15\nfamily: 3200", 41 * DAY + 3 * 3600 + 14 * 60 + 15),  # PAN-OS
    ("Current time: 2026-11-22 07:30:00 CST\nSystem booted: 2026-10-12 03:14:00 CST (5w6d 04:16 ago)\n"
     " 7:30AM  up 41 days,  4:16, 1 user", 5 * 7 * DAY + 6 * DAY + 4 * 3600 + 16 * 60),  # Junos
    ("% Invalid input detected at '^' marker.", None),
])
def test_uptime_forms(text: str, seconds: int | None) -> None:
    assert uptime_seconds(text) == seconds


@given(st.integers(0, 3 * 365 * DAY))
def test_asa_and_fortios_round_trip(seconds: int) -> None:
    asa = f"fw up {seconds // DAY} days {(seconds // 3600) % 24} hours"
    assert uptime_seconds(asa) == seconds // 3600 * 3600
    forti = f"Uptime: {seconds // DAY} days,  {(seconds // 3600) % 24} hours,  {(seconds // 60) % 60} minutes"
    assert uptime_seconds(forti) == seconds // 60 * 60
    at = datetime(2026, 11, 22, tzinfo=UTC)
    assert counters_since(forti, at) == at - timedelta(seconds=seconds // 60 * 60)


def _acl(hits_web: int, hits_dns: int, hits_old: int) -> str:
    return (
        "access-list IN; 3 elements; name hash: 0x1\n"
        "access-list IN line 1 remark owner: web team\n"
        f"access-list IN line 2 extended permit tcp any4 host 203.0.113.10 eq https log (hitcnt={hits_web}) 0x1\n"
        "access-list IN line 3 remark owner: dns team\n"
        f"access-list IN line 4 extended permit udp any4 host 203.0.113.53 eq domain log (hitcnt={hits_dns}) 0x2\n"
        "access-list IN line 5 remark owner: old app\n"
        f"access-list IN line 6 extended permit tcp any4 host 203.0.113.99 eq 8080 log (hitcnt={hits_old}) 0x3\n"
        "access-list IN line 7 extended deny ip any any log (hitcnt=5) 0x4\n")


BOOT = datetime(2026, 1, 1, tzinfo=UTC)


def _store_run(store: Store, started: datetime, text: str) -> str:
    run = store.create_run(Run(f"run-{started:%Y%m%d}", started, "pytest", "test"))
    sets = cisco_asa.parse(text, "ssh:show access-list")
    for rs in sets:
        rs.counters_since = BOOT
        rs.extra["counters_basis"] = "uptime"
    store.add_observations(run.id, observations(sets, "fw1", "firewall_rules", "ssh"))
    store.finish_run(run.id, RunStatus.COMPLETE, started)
    return run.id


def _unused(store: Store, run_id: str) -> dict[str, str]:
    return {f.details["rule"]["name"]: f.message for f in judge_run(store, run_id)
            if f.check_id == "firewall.unused" and f.status.value == "fail"}


def test_unused_counts_from_boot_without_history(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as store:
        run = _store_run(store, datetime(2026, 11, 1, tzinfo=UTC), _acl(900, 400, 0))
        found = _unused(store, run)
    assert set(found) == {"IN line 6"} and "304 days (since boot)" in found["IN line 6"]


def test_a_count_that_went_down_means_a_reset_and_restarts_the_clock(tmp_path: Path) -> None:
    with Store.open(tmp_path / "b.db") as store:
        _store_run(store, datetime(2026, 6, 1, tzinfo=UTC), _acl(500, 300, 0))
        _store_run(store, datetime(2026, 10, 1, tzinfo=UTC), _acl(12, 3, 0))  # cleared in between
        run = _store_run(store, datetime(2026, 11, 1, tzinfo=UTC), _acl(80, 20, 0))
        # Counted since 2026-10-01 (first run after the reset): 31 days < 90, so no claim.
        assert _unused(store, run) == {}


def test_an_old_reset_leaves_enough_days(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.db") as store:
        _store_run(store, datetime(2026, 3, 1, tzinfo=UTC), _acl(500, 300, 0))
        _store_run(store, datetime(2026, 4, 1, tzinfo=UTC), _acl(2, 1, 0))  # cleared in March
        _store_run(store, datetime(2026, 8, 1, tzinfo=UTC), _acl(40, 30, 0))
        run = _store_run(store, datetime(2026, 11, 1, tzinfo=UTC), _acl(99, 60, 0))
        found = _unused(store, run)
    assert set(found) == {"IN line 6"}
    assert "214 days (since a counter reset between 2026-03-01 and 2026-04-01)" in found["IN line 6"]


def test_growing_counts_are_no_reset(tmp_path: Path) -> None:
    with Store.open(tmp_path / "d.db") as store:
        _store_run(store, datetime(2026, 9, 1, tzinfo=UTC), _acl(10, 5, 0))
        run = _store_run(store, datetime(2026, 11, 1, tzinfo=UTC), _acl(80, 20, 0))
        assert set(_unused(store, run)) == {"IN line 6"}
