"""Several processes, and processes killed mid-write: the store stays consistent and honest."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from netcomply.models import Run, RunStatus, utcnow
from netcomply.store import Store, new_run_id
from netcomply.store.engine import make_engine
from netcomply.store.location import resolve_url

CHILD = Path(__file__).with_name("writer_child.py")


def _spawn(url: str, prefix: str, count: int, per_result: int, *run_id: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(CHILD), url, prefix, str(count), str(per_result), *run_id],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_sigkill_mid_run_leaves_exactly_the_committed_devices(store_url: str) -> None:
    per_result = 400  # big transactions: the kill most likely lands inside one
    child = _spawn(store_url, "sw", 10_000, per_result)
    assert child.stdout is not None
    run_line = child.stdout.readline()
    assert run_line.startswith("run "), run_line + (child.stderr.read() if child.stderr else "")
    run_id = run_line.split()[1]
    reported: list[str] = []
    while len(reported) < 5:
        line = child.stdout.readline()
        assert line.startswith("committed "), line + (child.stderr.read() if child.stderr else "")
        reported.append(line.split()[1])
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    reported += [line.split()[1] for line in child.stdout.read().splitlines()]  # printed before the kill
    child.stdout.close()
    assert child.stderr is not None
    child.stderr.close()

    with Store.open(store_url) as store:
        stored = [r.device for r in store.device_results(run_id)]
        # every commit the child saw return is there; at most one more (committed, killed before printing)
        assert stored[: len(reported)] == reported
        assert len(stored) - len(reported) in (0, 1)
        assert len(stored) < 10_000
        # each stored device is whole: all its observations and its artifact record, nothing from a torn write
        per_device: dict[str, int] = {}
        for obs in store.observations(run_id):
            per_device[obs.device] = per_device.get(obs.device, 0) + 1
        assert per_device == dict.fromkeys(stored, per_result)
        assert sorted(r.device for r in store.artifact_records(run_id)) == sorted(stored * 2)
        assert store.completed(run_id) == {(d, "cli") for d in stored}
        assert store.get_run(run_id).status == RunStatus.RUNNING
        assert store.mark_stale_runs_interrupted() == [run_id]
        assert store.get_run(run_id).status == RunStatus.INTERRUPTED

    if store_url.endswith(".db"):
        engine = make_engine(resolve_url(store_url))
        try:
            with engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        finally:
            engine.dispose()


@pytest.mark.slow
def test_concurrent_writer_processes(store_url: str) -> None:
    """Three processes open one brand-new store at once (one migrates, the others wait) and write
    interleaved; nothing is lost and nobody sees 'database is locked'."""
    count, per_result = 40, 20
    children = [_spawn(store_url, f"host{n}-dev", count, per_result) for n in range(3)]
    runs = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        lines = out.splitlines()
        runs.append(lines[0].split()[1])
        assert len(lines) == count + 1
    with Store.open(store_url) as store:
        assert {r.id for r in store.list_runs()} == set(runs)
        for run_id in runs:
            assert len(store.device_results(run_id)) == count
            assert sum(1 for _ in store.observations(run_id)) == count * per_result


@pytest.mark.slow
def test_collector_hosts_share_one_run(store_url: str, count_rows: Callable[[str], int]) -> None:
    """Several collector processes (hosts, on PostgreSQL) write different devices of one run, racing on
    the same shared artifact content; every result arrives whole and the shared blob is stored once."""
    count, per_result, hosts = 25, 10, 3
    with Store.open(store_url) as store:
        run = store.create_run(Run(id=new_run_id(), started_at=utcnow(), operator="multi", tool_version="t"))
    children = [_spawn(store_url, f"site{n}-sw", count, per_result, run.id) for n in range(hosts)]
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
    with Store.open(store_url) as store:
        results = store.device_results(run.id)
        assert len(results) == hosts * count
        assert sum(1 for _ in store.observations(run.id)) == hosts * count * per_result
        records = store.artifact_records(run.id)
        assert len(records) == 2 * hosts * count
        assert len({r.sha256 for r in records}) == hosts * count + 1  # one blob shared by all
    assert count_rows("blobs") == hosts * count + 1
