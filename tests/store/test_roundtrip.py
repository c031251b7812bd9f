"""Every record goes in and comes back equal, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from netcomply.errors import ErrorClass, InputError
from netcomply.models import (
    DeviceResult,
    DeviceStatus,
    Finding,
    FindingStatus,
    Observation,
    Run,
    RunStatus,
    Severity,
    utcnow,
)
from netcomply.store import Store, new_run_id

TAIPEI = timezone(timedelta(hours=8))


def test_run_round_trip(store: Store) -> None:
    run = Run(
        id=new_run_id(), started_at=datetime(2026, 11, 22, 12, 50, 12, 123456, tzinfo=TAIPEI),
        operator="資訊室 王小明", tool_version="1.2.3", inventory_sha256="c" * 64,
        inventory_source="/etc/netcomply/city.yaml", parameters={"limit": "core", "levels": ["A", "B"], "n": 3},
    )
    store.create_run(run)
    got = store.get_run(run.id)
    assert got == run
    assert got.started_at.tzinfo is not None and got.started_at.utcoffset() == timedelta(0)
    assert got.started_at == datetime(2026, 11, 22, 4, 50, 12, 123456, tzinfo=UTC)

    finished = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
    store.finish_run(run.id, RunStatus.PARTIAL, finished)
    got = store.get_run(run.id)
    assert (got.status, got.finished_at) == (RunStatus.PARTIAL, finished)


def test_device_results_round_trip(store: Store, make_run: Callable[..., Run],
                                   make_result: Callable[..., DeviceResult]) -> None:
    run = make_run()
    ok = make_result("sw1", "cli")
    bad = make_result("fw1", "snmp", observations=0, artifacts=0, status=DeviceStatus.ERROR,
                      error_class=ErrorClass.TIMEOUT)
    for result in (ok, bad):
        store.record_device_result(run.id, result)
    got = store.device_results(run.id)
    expected = [DeviceResult(r.device, r.collector, r.status, r.started_at, r.finished_at, r.attempts,
                             r.error_class, r.cause) for r in (ok, bad)]
    assert got == expected
    assert all(not g.observations and not g.artifacts for g in got)
    assert store.completed(run.id) == {("sw1", "cli")}


def test_observations_round_trip_and_filters(store: Store, make_run: Callable[..., Run],
                                             make_result: Callable[..., DeviceResult]) -> None:
    run = make_run()
    results = [make_result(f"sw{i}", "cli", observations=5) for i in range(3)]
    for result in results:
        store.record_device_result(run.id, result)
    written = [o for r in results for o in r.observations]
    assert all(o.id is not None and o.run_id == run.id for o in written)
    assert len({o.id for o in written}) == len(written)

    assert list(store.observations(run.id)) == written
    assert list(store.observations(run.id, kind="ipv6.interface")) == [
        o for o in written if o.kind == "ipv6.interface"]
    assert list(store.observations(run.id, device="sw1")) == [o for o in written if o.device == "sw1"]
    assert list(store.observations(run.id, kind="vendor.identity", device="sw2")) == [
        o for o in written if o.kind == "vendor.identity" and o.device == "sw2"]
    assert list(store.observations(new_run_id())) == []


def test_observations_stream_across_pages(store: Store, make_run: Callable[..., Run],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import netcomply.store.store as store_module

    monkeypatch.setattr(store_module, "PAGE_SIZE", 7)
    run = make_run()
    items = [Observation("d", "c", "k", {"i": i}, "s") for i in range(23)]
    store.add_observations(run.id, items)
    assert [o.data["i"] for o in store.observations(run.id)] == list(range(23))


def test_findings_round_trip_and_replace(store: Store, make_run: Callable[..., Run],
                                         make_result: Callable[..., DeviceResult]) -> None:
    run = make_run()
    result = make_result()
    store.record_device_result(run.id, result)
    first = [
        Finding("vendor.banned", "cam1", FindingStatus.FAIL, Severity.HIGH, "Hikvision camera on the network",
                observations=[o.id for o in result.observations if o.id is not None],
                artifacts=[result.artifacts[0].sha256],
                controls=["iso27001:2022/A.5.19", "tw-cyber:A/1.2"], details={"brand": "Hikvision"}),
        Finding("ipv6.service", "www.example.gov.tw", FindingStatus.PASS, Severity.INFO, "AAAA answers"),
    ]
    store.replace_findings(run.id, first)
    assert all(f.id is not None and f.run_id == run.id for f in first)
    assert store.findings(run.id) == first

    second = [Finding("fw.any-any", "fw1:acl1:10", FindingStatus.MANUAL, Severity.MEDIUM, "review")]
    store.replace_findings(run.id, second)
    assert store.findings(run.id) == second
    store.replace_findings(run.id, [])
    assert store.findings(run.id) == []
    with pytest.raises(InputError, match="no run"):
        store.replace_findings(new_run_id(), second)


def test_artifact_records_round_trip(store: Store, make_run: Callable[..., Run],
                                     make_result: Callable[..., DeviceResult]) -> None:
    run = make_run()
    result = make_result(artifacts=3)
    store.record_device_result(run.id, result)
    records = store.artifact_records(run.id)
    assert [(r.device, r.collector, r.source, r.collected_at, r.sha256, r.size, r.media_type) for r in records] == [
        (a.device, a.collector, a.source, a.collected_at, a.sha256, len(a.content), a.media_type)
        for a in result.artifacts]
    for art in result.artifacts:
        assert store.artifact_content(art.sha256) == art.content


def test_run_summary_counts(store: Store, make_run: Callable[..., Run],
                            make_result: Callable[..., DeviceResult]) -> None:
    run = make_run()
    ok = [make_result("a", "cli", observations=3), make_result("a", "snmp", observations=1)]
    for result in ok:
        store.record_device_result(run.id, result)
    store.record_device_result(run.id, make_result("b", "cli", observations=0, artifacts=0,
                                                   status=DeviceStatus.ERROR, error_class=ErrorClass.AUTH_FAILED))
    store.record_device_result(run.id, make_result("c", "cli", observations=0, artifacts=0,
                                                   status=DeviceStatus.ERROR, error_class=ErrorClass.TIMEOUT))
    store.replace_findings(run.id, [Finding("x", "a", FindingStatus.FAIL, Severity.LOW, "m"),
                                    Finding("x", "b", FindingStatus.ERROR, Severity.LOW, "m")])
    summary = store.run_summary(run.id)
    assert summary["device_count"] == 3
    assert summary["devices"] == {"ok": 2, "error": 2, "skipped": 0}
    assert summary["errors"] == {"auth_failed": 1, "timeout": 1}
    assert summary["observations"] == dict(Counter(o.kind for r in ok for o in r.observations))
    assert summary["findings"]["fail"] == 1 and summary["findings"]["error"] == 1
    assert summary["findings"]["pass"] == 0
    with pytest.raises(InputError):
        store.run_summary(new_run_id())


def test_list_runs_newest_first(store: Store, make_run: Callable[..., Run]) -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    made = [make_run(id=new_run_id(base + timedelta(hours=h)), started_at=base + timedelta(hours=h))
            for h in (5, 1, 9, 3)]
    expected = sorted(made, key=lambda r: r.started_at, reverse=True)
    assert [r.id for r in store.list_runs()] == [r.id for r in expected]
    assert [r.id for r in store.list_runs(limit=2)] == [r.id for r in expected[:2]]
    with pytest.raises(ValueError):
        store.list_runs(limit=0)


def test_naive_datetimes_and_non_json_are_refused(store: Store, make_run: Callable[..., Run]) -> None:
    with pytest.raises(ValueError, match="naive"):
        make_run(started_at=datetime(2026, 1, 1))
    run = make_run()
    with pytest.raises(ValueError, match="not JSON"):
        store.add_observations(run.id, [Observation("d", "c", "k", {"x": float("nan")}, "s")])
    with pytest.raises(ValueError, match="JSON serializable"):
        store.add_observations(run.id, [Observation("d", "c", "k", {"x": {1, 2}}, "s")])
    assert list(store.observations(run.id)) == []


def test_writes_to_unknown_run_are_input_errors(store: Store, make_result: Callable[..., DeviceResult]) -> None:
    ghost = new_run_id()
    with pytest.raises(InputError, match=ghost):
        store.record_device_result(ghost, make_result())
    with pytest.raises(InputError, match=ghost):
        store.add_observations(ghost, [Observation("d", "c", "k", {}, "s")])
    with pytest.raises(InputError, match=ghost):
        store.finish_run(ghost, RunStatus.COMPLETE)


# Arbitrary JSON as collectors may produce it. Surrogates are excluded: they are not encodable as UTF-8
# and no device output decoded by netcomply contains them. NUL is included on purpose.
_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
_json: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | _text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_text, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(_text, _json, max_size=5), params=st.dictionaries(_text, _json, max_size=3),
       when=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1),
                         timezones=st.sampled_from([UTC, TAIPEI])))
@example(data={"nul": "a\x00b", "max": 2**63 - 1, "deep": [[{"": None}]], "zh": "防火牆"}, params={"x": -0.0},
         when=datetime(2026, 11, 22, 23, 59, 59, 999999, tzinfo=TAIPEI))
def test_arbitrary_json_and_times_round_trip(store: Store, data: dict[str, Any], params: dict[str, Any],
                                             when: datetime) -> None:
    run = store.create_run(Run(id=new_run_id(), started_at=when, operator="p", tool_version="t",
                               parameters=params))
    obs = Observation("dev", "col", "prop.test", data, "src", collected_at=when)
    store.add_observations(run.id, [obs])
    [got] = store.observations(run.id)
    assert got == obs
    assert got.collected_at.tzinfo is UTC
    assert store.get_run(run.id).parameters == params
    finding = Finding("prop", "s", FindingStatus.PASS, Severity.INFO, "m", details=data)
    store.replace_findings(run.id, [finding])
    assert store.findings(run.id) == [finding]


def test_times_come_back_aware_utc(store: Store, make_run: Callable[..., Run]) -> None:
    run = make_run(started_at=utcnow())
    store.finish_run(run.id, RunStatus.COMPLETE)
    got = store.get_run(run.id)
    for moment in (got.started_at, got.finished_at):
        assert moment is not None and moment.tzinfo is UTC


def test_the_newest_observation_of_a_kind_is_the_last_recorded(store: Store) -> None:
    """What a run records again when re-derived (a register's reading) is read back as its last recording, on
    either database; another kind's or another run's later rows do not count."""
    run = store.create_run(Run(id=new_run_id(), started_at=utcnow(), operator="t", tool_version="t"))
    other = store.create_run(Run(id=new_run_id(), started_at=utcnow(), operator="t", tool_version="t"))
    assert store.newest_observation(run.id, "vendor.register_reading") is None
    for n in (1, 2):
        store.add_observations(run.id, [Observation(device="*", collector="c", kind="vendor.register_reading",
                                                    data={"n": n}, source="s")])
    store.add_observations(run.id, [Observation(device="*", collector="c", kind="vendor.register", data={"n": 3},
                                                source="s")])
    store.add_observations(other.id, [Observation(device="*", collector="c", kind="vendor.register_reading",
                                                  data={"n": 4}, source="s")])
    newest = store.newest_observation(run.id, "vendor.register_reading")
    assert newest is not None and newest.data == {"n": 2} and newest.run_id == run.id
    assert newest == list(store.observations(run.id, kind="vendor.register_reading"))[-1]
