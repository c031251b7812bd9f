"""The run lock, on SQLite and a real PostgreSQL server, with real processes as owners.

A run created by a live process cannot be claimed by another one (the refusal names host, pid and since
when); once that process is killed with SIGKILL its lock is stale and is taken over, saying whose it was.
Owners on other hosts are judged by their heartbeat. Claims racing from several processes at once leave
exactly one winner. A process whose lock was taken over can neither heartbeat nor set the run's status.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from netcomply.models import Run, RunStatus, utcnow
from netcomply.store import Store
from netcomply.store.engine import make_engine
from netcomply.store.location import resolve_url
from netcomply.store.runlock import STALE_AFTER, Heartbeat, RunLocked

CHILD = Path(__file__).with_name("lock_child.py")


class Child:
    """A lock_child.py process; closing its stdin lets it exit."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, str(CHILD), *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def line(self) -> str:
        assert self.proc.stdout is not None
        got = self.proc.stdout.readline()
        if not got:
            assert self.proc.stderr is not None
            raise AssertionError(f"child said nothing: {self.proc.stderr.read()}")
        return got.strip()

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(30)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def children() -> Iterator[Callable[..., Child]]:
    started: list[Child] = []

    def start(*args: str) -> Child:
        started.append(Child(*args))
        return started[-1]

    yield start
    for child in started:
        if child.proc.poll() is None:
            child.proc.kill()
        child.release()


@pytest.fixture
def sql(store_url: str) -> Iterator[Callable[..., None]]:
    """Run one statement on the store through a separate engine (to play another host)."""
    engine = make_engine(resolve_url(store_url))

    def run(statement: str, **params: Any) -> None:
        with engine.begin() as conn:
            conn.execute(text(statement), params)

    yield run
    engine.dispose()


def test_a_run_held_by_a_live_process_is_refused_then_taken_over_after_sigkill(
        store: Store, store_url: str, children: Callable[..., Child]) -> None:
    holder = children(store_url, "create")
    run_id = holder.line().split()[1]

    with pytest.raises(RunLocked) as refused:
        store.claim_run(run_id)
    message = str(refused.value)
    assert f"pid {holder.proc.pid} on host {socket.gethostname()} since " in message
    assert "refusing to start a second collector" in message
    assert refused.value.holder.pid == holder.proc.pid
    assert store.get_run(run_id).status is RunStatus.RUNNING
    still = store.run_holder(run_id)
    assert still is not None and still.pid == holder.proc.pid  # the refusal changed nothing

    holder.kill9()
    claim = store.claim_run(run_id, resume_note={"by": "test"})
    assert claim.took_over is not None and claim.took_over.pid == holder.proc.pid
    said = claim.message()
    assert said is not None and f"took over the stale lock of pid {holder.proc.pid}" in said
    assert "no longer runs on this host" in said
    held = store.run_holder(run_id)
    assert held is not None and held.pid != holder.proc.pid and held.since is not None
    run = store.get_run(run_id)
    assert run.status is RunStatus.RUNNING and run.parameters["resumes"] == [{"by": "test"}]


def test_racing_claims_leave_exactly_one_winner(store: Store, store_url: str,
                                                children: Callable[..., Child]) -> None:
    run = store.create_run(Run(id="20261204T000000Z-race", started_at=utcnow(), operator="t", tool_version="t"))
    store.finish_run(run.id, RunStatus.INTERRUPTED)
    claimers = [children(store_url, "claim", run.id) for _ in range(4)]
    said = [c.line() for c in claimers]
    assert sum(s == "claimed" for s in said) == 1, said
    winner = claimers[said.index("claimed")]
    for line in said:
        if line != "claimed":
            assert line.startswith("locked ") and f"pid {winner.proc.pid} on host" in line, line
    held = store.run_holder(run.id)
    assert held is not None and held.pid == winner.proc.pid


def test_another_hosts_lock_is_judged_by_its_heartbeat(store: Store, make_run: Callable[..., Run],
                                                       sql: Callable[..., None]) -> None:
    run = make_run()
    sql("UPDATE runs SET hostname = 'collector-b.example', pid = 4242, process_token = 'x:1', heartbeat_at = :t "
        "WHERE id = :i", t=utcnow() - timedelta(seconds=40), i=run.id)
    with pytest.raises(RunLocked, match=r"pid 4242 on host collector-b\.example since .*last heartbeat"):
        store.claim_run(run.id)
    assert store.mark_stale_runs_interrupted() == []

    sql("UPDATE runs SET heartbeat_at = :t WHERE id = :i", t=utcnow() - STALE_AFTER - timedelta(minutes=1), i=run.id)
    claim = store.claim_run(run.id)
    assert claim.took_over is not None and claim.took_over.hostname == "collector-b.example"
    assert "no heartbeat from host collector-b.example for 6 min" in (claim.message() or "")


def test_expired_heartbeat_of_another_host_marks_the_run_interrupted(store: Store, make_run: Callable[..., Run],
                                                                    sql: Callable[..., None]) -> None:
    expired, fresh, legacy = make_run(), make_run(), make_run()
    old = utcnow() - STALE_AFTER * 3
    sql("UPDATE runs SET hostname = 'collector-b.example', heartbeat_at = :t WHERE id = :i", t=old, i=expired.id)
    sql("UPDATE runs SET hostname = 'collector-b.example' WHERE id = :i", i=fresh.id)
    # written on another host by a netcomply without heartbeats: nothing tells us it is gone
    sql("UPDATE runs SET hostname = 'collector-b.example', heartbeat_at = NULL, locked_at = NULL, started_at = :t "
        "WHERE id = :i", t=old, i=legacy.id)
    assert store.mark_stale_runs_interrupted() == [expired.id]
    assert store.get_run(fresh.id).status is RunStatus.RUNNING
    assert store.get_run(legacy.id).status is RunStatus.RUNNING


def test_a_run_of_unknown_owner_is_taken_over(store: Store, make_run: Callable[..., Run],
                                              sql: Callable[..., None]) -> None:
    run = make_run()
    sql("UPDATE runs SET hostname = NULL, pid = NULL, process_token = NULL, locked_at = NULL, heartbeat_at = NULL "
        "WHERE id = :i", i=run.id)
    claim = store.claim_run(run.id)
    assert "owner is unknown" in (claim.message() or "")


def test_finished_runs_are_claimed_quietly_and_own_runs_again(store: Store, make_run: Callable[..., Run]) -> None:
    run = make_run()
    assert store.claim_run(run.id).took_over is None  # already ours
    store.finish_run(run.id, RunStatus.PARTIAL)
    claim = store.claim_run(run.id)
    assert claim.previous_status is RunStatus.PARTIAL and claim.message() is None
    again = store.get_run(run.id)
    assert again.status is RunStatus.RUNNING and again.finished_at is None


def test_a_holder_that_lost_its_lock_can_neither_beat_nor_finish(
        store: Store, make_run: Callable[..., Run], store_url: str, children: Callable[..., Child]) -> None:
    run = make_run()
    store.finish_run(run.id, RunStatus.INTERRUPTED)
    assert store.claim_run(run.id).took_over is None
    assert store.heartbeat(run.id) is True
    thief = children(store_url, "claim", run.id)
    assert thief.line().startswith("locked ")  # we are alive: refused
    store.finish_run(run.id, RunStatus.INTERRUPTED)
    thief = children(store_url, "claim", run.id)
    assert thief.line() == "claimed"

    assert store.heartbeat(run.id) is False
    with pytest.raises(RunLocked, match=rf"taken over by pid {thief.proc.pid} on host"):
        store.finish_run(run.id, RunStatus.COMPLETE)
    assert store.get_run(run.id).status is RunStatus.RUNNING  # the thief's to set

    lost = threading.Event()
    with Heartbeat(lambda: store.heartbeat(run.id), lost.set, every=0.05) as beat:
        assert lost.wait(10)
    assert beat.lost

    thief.kill9()
    store.finish_run(run.id, RunStatus.INTERRUPTED)  # a dead holder does not block finishing
    assert store.get_run(run.id).status is RunStatus.INTERRUPTED


def test_heartbeat_refreshes_and_survives_a_failing_beat(store: Store, make_run: Callable[..., Run],
                                                         sql: Callable[..., None]) -> None:
    run = make_run()
    sql("UPDATE runs SET heartbeat_at = :t WHERE id = :i", t=utcnow() - timedelta(hours=1), i=run.id)
    calls: list[int] = []

    def flaky() -> bool:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("server closed the connection unexpectedly")
        return store.heartbeat(run.id)

    with Heartbeat(flaky, lambda: pytest.fail("lock reported lost"), every=0.05):
        deadline = utcnow() + timedelta(seconds=10)
        while len(calls) < 3 and utcnow() < deadline:
            threading.Event().wait(0.05)
    holder = store.run_holder(run.id)
    assert holder is not None and holder.heartbeat is not None
    assert utcnow() - holder.heartbeat < timedelta(seconds=30)


def test_a_live_holder_marked_interrupted_from_elsewhere_takes_its_run_back(
        store: Store, make_run: Callable[..., Run], sql: Callable[..., None]) -> None:
    """Another host flipped our run (our heartbeats could not reach the database for a while); nobody claimed
    it, so our next heartbeat marks it running again instead of stopping a healthy collection."""
    run = make_run()
    sql("UPDATE runs SET status = 'interrupted', finished_at = :t WHERE id = :i", t=utcnow(), i=run.id)
    assert store.heartbeat(run.id) is True
    again = store.get_run(run.id)
    assert again.status is RunStatus.RUNNING and again.finished_at is None
