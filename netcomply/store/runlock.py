"""The run lock: one collector per run at a time, on SQLite and PostgreSQL, and stale locks taken over.

A run's owner columns (host, pid, process token; see :mod:`netcomply.store.owner`) *are* its lock while its
status is ``running``: no lock table, no lock that can outlive or disagree with the run it guards. Claiming a
run (a resume) reads and rewrites its row in one write transaction -- ``BEGIN IMMEDIATE`` on SQLite,
``SELECT ... FOR UPDATE`` on PostgreSQL -- so two processes claiming at once are serialised and exactly one
wins; the other sees the winner as a live owner and is refused with :class:`RunLocked`.

A lock is *stale*, and is taken over with a message saying whose it was and why, when:

* its owner is on this host and that process is gone (killed, crashed, rebooted: pid + start time + boot id);
* its owner is on another host and has not refreshed ``heartbeat_at`` for :data:`STALE_AFTER` (processes of
  other hosts cannot be seen from here; the owner refreshes every :data:`HEARTBEAT_EVERY_S`);
* its owner is unknown (a run written before run locks existed).

Heartbeats use each host's clock: collector hosts sharing a PostgreSQL store need clocks within minutes of
each other (any NTP does far better). A holder that finds its heartbeat refused has lost the lock (it was
declared stale and taken over) and must stop collecting; :class:`Heartbeat` calls back for that.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from netcomply.errors import InputError
from netcomply.models import RunStatus
from netcomply.store.exceptions import StoreError
from netcomply.store.owner import Owner, is_alive
from netcomply.store.schema import runs as t_runs

log = logging.getLogger("netcomply.store")

#: How often a collecting process refreshes its run's heartbeat.
HEARTBEAT_EVERY_S = 30.0
#: A lock held from another host is stale after this long without a heartbeat (ten missed beats).
STALE_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) a run: host, pid, process token, since when, last heartbeat."""

    hostname: str | None
    pid: int | None
    token: str | None
    since: datetime | None
    heartbeat: datetime | None

    def is_owner(self, owner: Owner) -> bool:
        return (self.hostname, self.pid, self.token) == (owner.hostname, owner.pid, owner.token)

    def describe(self) -> str:
        """``pid 4242 on host collector-a since 2026-12-04 20:31:07 UTC`` (what a refused user needs to know)."""
        if self.hostname is None or self.pid is None:
            return "an unknown process (the run was started by a netcomply without run locks)"
        since = f" since {_utc(self.since)}" if self.since is not None else ""
        return f"pid {self.pid} on host {self.hostname}{since}"


class RunLocked(StoreError):
    """The run is being collected by another live process: this one must not collect into it."""

    def __init__(self, run_id: str, holder: Holder, *, lost: bool = False) -> None:
        self.run_id = run_id
        self.holder = holder
        self.lost = lost
        beat = f", last heartbeat {_utc(holder.heartbeat)}" if holder.heartbeat is not None else ""
        if lost:
            message = (f"run {run_id} was taken over by {holder.describe()}{beat} while this process collected "
                       "into it (its heartbeat had expired); this process stopped and left the run to it")
        else:
            message = (f"run {run_id} is being collected by {holder.describe()}{beat}; refusing to start a second "
                       "collector on it. Wait for it to finish, or stop that process: a lock whose process is "
                       f"gone (or, from another host, without a heartbeat for {_minutes(STALE_AFTER)}) is taken "
                       "over automatically")
        super().__init__(message)


@dataclass(frozen=True)
class Claim:
    """A successful claim of a run: the status it had, and the stale lock replaced (if any) and why."""

    run_id: str
    previous_status: RunStatus
    took_over: Holder | None = None
    reason: str | None = None

    def message(self) -> str | None:
        """The sentence to show when a stale lock was taken over, else None."""
        if self.took_over is None:
            return None
        return (f"run {self.run_id}: took over the stale lock of {self.took_over.describe()}: {self.reason}")


def holder_of(row: Any) -> Holder:
    return Holder(hostname=row.hostname, pid=row.pid, token=row.process_token, since=row.locked_at or row.started_at,
                  heartbeat=row.heartbeat_at)


def stale_reason(holder: Holder, me: Owner, now: datetime, stale_after: timedelta = STALE_AFTER) -> str | None:
    """Why ``holder``'s lock is stale, or None if its owner may still be collecting."""
    if holder.hostname is None or holder.pid is None:
        return "its owner is unknown (the run was started by a netcomply without run locks)"
    if holder.hostname == me.hostname:
        if is_alive(holder.pid, holder.token):
            return None
        return f"process {holder.pid} no longer runs on this host (killed or crashed)"
    last = holder.heartbeat or holder.since
    if last is None:
        return "it never recorded a heartbeat"
    age = now - last
    if age <= stale_after:
        return None
    return f"no heartbeat from host {holder.hostname} for {_minutes(age)} (stale after {_minutes(stale_after)})"


def claim(conn: Connection, run_id: str, me: Owner, now: datetime, *, where: str,
          resume_note: dict[str, Any] | None = None) -> Claim:
    """Make ``me`` the run's owner inside the caller's write transaction, or raise :class:`RunLocked`.

    A run that is not ``running`` (interrupted, partial, complete) is simply claimed; a ``running`` run only if
    ``me`` already owns it or its lock is stale. ``resume_note`` is appended to the run's
    ``parameters["resumes"]`` (who resumed when, with which inventory), so the run's record says it was resumed.
    """
    query = select(t_runs.c.id, t_runs.c.status, t_runs.c.started_at, t_runs.c.hostname, t_runs.c.pid,
                   t_runs.c.process_token, t_runs.c.locked_at, t_runs.c.heartbeat_at,
                   t_runs.c.parameters).where(t_runs.c.id == run_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise InputError(f"no run with id {run_id!r}", file=where)
    holder = holder_of(row)
    previous = RunStatus(row.status)
    took_over, reason = None, None
    if previous is RunStatus.RUNNING and not holder.is_owner(me):
        reason = stale_reason(holder, me, now)
        if reason is None:
            raise RunLocked(run_id, holder)
        took_over = holder
    values: dict[str, Any] = {
        "status": RunStatus.RUNNING.value, "finished_at": None, "hostname": me.hostname, "pid": me.pid,
        "process_token": me.token, "locked_at": now, "heartbeat_at": now,
    }
    if resume_note is not None:
        parameters = dict(row.parameters or {})
        parameters["resumes"] = [*parameters.get("resumes", []), resume_note]
        values["parameters"] = parameters
    conn.execute(update(t_runs).where(t_runs.c.id == run_id).values(**values))
    return Claim(run_id, previous, took_over, reason)


def owned_by(owner: Owner) -> Any:
    """SQL condition: the run row is owned by ``owner`` (a NULL token matches a NULL token)."""
    token = t_runs.c.process_token.is_(None) if owner.token is None else t_runs.c.process_token == owner.token
    return (t_runs.c.hostname == owner.hostname) & (t_runs.c.pid == owner.pid) & token


def beat(conn: Connection, run_id: str, me: Owner, now: datetime) -> bool:
    """Refresh the heartbeat of a run ``me`` holds; False if ``me`` no longer holds it (taken over).

    A run of ours that another host marked ``interrupted`` (our heartbeats could not reach the database for
    longer than :data:`STALE_AFTER`) is still ours while nobody claimed it: it is marked ``running`` again."""
    done = conn.execute(
        update(t_runs)
        .where(t_runs.c.id == run_id, owned_by(me),
               t_runs.c.status.in_([RunStatus.RUNNING.value, RunStatus.INTERRUPTED.value]))
        .values(heartbeat_at=now, status=RunStatus.RUNNING.value, finished_at=None)
    )
    return bool(done.rowcount)


def check_may_finish(conn: Connection, run_id: str, me: Owner, now: datetime) -> None:
    """Raise :class:`RunLocked` (lost) if another live process holds the run: its status is not ours to set."""
    query = select(t_runs).where(t_runs.c.id == run_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None or row.status != RunStatus.RUNNING.value:
        return
    holder = holder_of(row)
    if not holder.is_owner(me) and holder.hostname is not None and stale_reason(holder, me, now) is None:
        raise RunLocked(run_id, holder, lost=True)


class Heartbeat:
    """Refresh a run's heartbeat every ``every`` seconds in a daemon thread while collecting.

    ``beat`` returns False when the lock was lost; ``on_lost`` is then called once (from this thread) and the
    beating stops. A failing beat (database briefly unreachable) is logged and tried again next time: the
    lock only goes stale after :data:`STALE_AFTER`, many beats later.
    """

    def __init__(self, beat: Callable[[], bool], on_lost: Callable[[], None], every: float | None = None) -> None:
        self._beat = beat
        self._on_lost = on_lost
        self._every = HEARTBEAT_EVERY_S if every is None else every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="nc-heartbeat", daemon=True)
        self.lost = False

    def _loop(self) -> None:
        while not self._stop.wait(self._every):
            try:
                held = self._beat()
            except Exception as exc:  # the next beat may well work; the lock is not stale for minutes
                log.warning("run heartbeat failed (will retry in %g s): %s", self._every, exc)
                continue
            if not held:
                self.lost = True
                self._on_lost()
                return

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=60)


def _utc(moment: datetime | None) -> str:
    return "?" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _minutes(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    return f"{seconds // 60} min"
