"""Re-recording a (run, device, collector) replaces the earlier result and everything hanging off it."""

from __future__ import annotations

from collections.abc import Callable

from netcomply.errors import ErrorClass
from netcomply.models import DeviceResult, DeviceStatus, Observation, Run
from netcomply.store import Store


def test_retry_replaces_failure(store: Store, make_run: Callable[..., Run],
                                make_result: Callable[..., DeviceResult],
                                count_rows: Callable[[str], int]) -> None:
    run = make_run()
    other = make_result("sw2", "cli", observations=2)
    store.record_device_result(run.id, other)
    failed = make_result("sw1", "cli", observations=1, artifacts=1, status=DeviceStatus.ERROR,
                         error_class=ErrorClass.TIMEOUT, text="partial output before the timeout")
    store.record_device_result(run.id, failed)
    assert store.completed(run.id) == {("sw2", "cli")}

    retried = make_result("sw1", "cli", observations=3, artifacts=2)
    store.record_device_result(run.id, retried)

    results = store.device_results(run.id)
    assert [(r.device, r.status) for r in results] == [("sw2", DeviceStatus.OK), ("sw1", DeviceStatus.OK)]
    assert store.completed(run.id) == {("sw1", "cli"), ("sw2", "cli")}
    assert list(store.observations(run.id, device="sw1")) == retried.observations
    assert list(store.observations(run.id, device="sw2")) == other.observations
    records = store.artifact_records(run.id)
    assert sorted(r.source for r in records if r.device == "sw1") == sorted(a.source for a in retried.artifacts)
    assert count_rows("observations") == 5
    # the failed attempt's blob stays (blobs are shared, content-addressed); only its capture record went
    assert count_rows("blobs") == len({a.sha256 for r in (other, failed, retried) for a in r.artifacts})


def test_replace_touches_only_that_collector_and_run(store: Store, make_run: Callable[..., Run],
                                                     make_result: Callable[..., DeviceResult]) -> None:
    run, other_run = make_run(), make_run()
    cli, snmp = make_result("sw1", "cli"), make_result("sw1", "snmp")
    elsewhere = make_result("sw1", "cli")
    store.record_device_result(run.id, cli)
    store.record_device_result(run.id, snmp)
    store.record_device_result(other_run.id, elsewhere)
    loose = [Observation("sw1", "derived", "ipv6.summary", {"ratio": 0.5}, "derived")]
    store.add_observations(run.id, loose)

    again = make_result("sw1", "cli", observations=1)
    store.record_device_result(run.id, again)

    got = list(store.observations(run.id))
    assert got == snmp.observations + loose + again.observations
    assert list(store.observations(other_run.id)) == elsewhere.observations
    assert len(store.device_results(run.id)) == 2


def test_ids_are_never_reused(store: Store, make_run: Callable[..., Run],
                              make_result: Callable[..., DeviceResult]) -> None:
    """A finding citing observation N must never come to cite another fact after a retry."""
    run = make_run()
    first = make_result("sw1", observations=4)
    store.record_device_result(run.id, first)  # the newest rows, then deleted by the replace below
    old_ids = [o.id for o in first.observations if o.id is not None]
    again = make_result("sw1", observations=4)
    store.record_device_result(run.id, again)
    new_ids = [o.id for o in again.observations if o.id is not None]
    assert len(old_ids) == len(new_ids) == 4 and min(new_ids) > max(old_ids)
