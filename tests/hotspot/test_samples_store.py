"""Hotspot samples in the store: idempotent appends, window reads, upgrade of an older store (SQLite and PG)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from netcomply.hotspot_samples import HotspotSample, SampleStatus, slot_of
from netcomply.store import Store
from netcomply.store.engine import make_engine
from netcomply.store.location import resolve_url
from netcomply.store.migrate import ensure_schema, head_revision
from netcomply.store.samples import SampleStore

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _samples(n: int, interval: float = 60.0, start: datetime = T0) -> list[HotspotSample]:
    out = []
    for k in range(n):
        at = start + timedelta(seconds=k * interval + 0.25)
        for name in ("ap-1", "ap-2"):
            out.append(HotspotSample(name, slot_of(at.timestamp(), interval), at,
                                     SampleStatus.UP if k % 5 else SampleStatus.DOWN, interval,
                                     uptime_s=1000.0 + k * interval, clients=k, zone="park", detail={"rtt_ms": 1.5}))
    return out


def test_append_is_idempotent_on_hotspot_and_slot(store_url: str) -> None:
    with Store.open(store_url) as store:
        ss = SampleStore(store)
        ss.start_session("poll-a", kind="poll", interval_s=60, inventory_sha256=None, parameters={"x": 1})
        ss.start_session("poll-b", kind="poll", interval_s=60, inventory_sha256=None, parameters={})
        first = _samples(10)
        assert ss.append("poll-a", first[:12]) == 12
        # a restarted (or second) poller re-measures rounds 4..9: only the new slots are stored
        again = _samples(10)
        for s in again:
            s.measured_at += timedelta(seconds=3)
        assert ss.append("poll-b", again[8:]) == 8
        assert ss.count() == 20 and ss.count("poll-a") == 12
        got = list(ss.samples(T0, T0 + timedelta(hours=1)))
        assert [(s.hotspot, s.slot) for s in got] == sorted((s.hotspot, s.slot) for s in first)
        kept = {(s.hotspot, s.slot): s for s in got}
        assert kept[("ap-1", first[0].slot)].measured_at == first[0].measured_at  # the first write wins
        assert kept[("ap-1", first[0].slot)].detail == {"rtt_ms": 1.5}
        assert kept[("ap-2", first[0].slot)].status is SampleStatus.DOWN
        ss.finish_session("poll-a", "complete")
        assert {s["id"]: s["status"] for s in ss.sessions()} == {"poll-a": "complete", "poll-b": "running"}
        assert ss.extent() == (first[0].measured_at, again[-1].measured_at)


def test_window_read_pages_and_looks_back(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import netcomply.store.samples as mod

    monkeypatch.setattr(mod, "PAGE_SIZE", 7)
    with Store.open(store_url) as store:
        ss = SampleStore(store)
        ss.start_session("p", kind="poll", interval_s=60, inventory_sha256=None, parameters={})
        ss.append("p", _samples(30))
        since, until = T0 + timedelta(minutes=10), T0 + timedelta(minutes=20)
        got = list(ss.samples(since, until, hotspots=["ap-2"]))
        # the sample of minute 9 holds into the window (look-back 1.5 intervals)
        assert [int((s.slot - T0).total_seconds() // 60) for s in got] == list(range(9, 20))
        assert {s.hotspot for s in got} == {"ap-2"}
        assert len(list(ss.samples(since, until))) == 22


def test_store_at_0003_upgrades_to_samples(store_url: str) -> None:
    engine = make_engine(resolve_url(store_url))
    try:
        ensure_schema(engine, target="0003_obs_stream")
        with engine.connect() as conn:
            assert "hotspot_samples" not in inspect(conn).get_table_names()
    finally:
        engine.dispose()
    with Store.open(store_url) as store:
        assert store.schema_version() == head_revision()  # upgraded past 0004_hotspot_samples to the newest
        ss = SampleStore(store)
        ss.start_session("p", kind="poll", interval_s=60, inventory_sha256=None, parameters={})
        assert ss.append("p", _samples(1)) == 2
