"""Hotspot samples in the store: poll sessions, idempotent appends, and window reads.

Why insert-or-ignore on (hotspot, slot): the poller schedules rounds on a fixed grid, so a poller restarted in
the middle of a round, or two pollers polling the same inventory, write the same keys; the first write wins and
nothing is duplicated. Each round is one short transaction, so a killed poller keeps every round it finished.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from netcomply.hotspot_samples import HotspotSample, SampleStatus
from netcomply.models import utcnow
from netcomply.store.exceptions import StoreError
from netcomply.store.owner import current_owner
from netcomply.store.schema import hotspot_poll_sessions as t_sessions
from netcomply.store.schema import hotspot_samples as t_samples
from netcomply.store.store import Store

#: Rows fetched per round trip when streaming samples.
PAGE_SIZE = 5000


class SampleStore:
    """Hotspot samples of one :class:`Store` (same engine, same write rules: one writer thread at a time)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._engine = store._engine
        self._writer = store._writer

    # -------------------------------------------------------------------------------------- sessions

    def start_session(self, session_id: str, *, kind: str, interval_s: float, inventory_sha256: str | None,
                      parameters: dict[str, Any], started_at: datetime | None = None) -> None:
        owner = current_owner()
        row = {"id": session_id, "kind": kind, "started_at": started_at or utcnow(), "finished_at": None,
               "interval_s": float(interval_s), "inventory_sha256": inventory_sha256, "hostname": owner.hostname,
               "pid": owner.pid, "status": "running", "parameters": parameters}
        try:
            with self._writer.begin() as conn:
                conn.execute(insert(t_sessions), row)
        except IntegrityError:
            raise StoreError(f"poll session {session_id} already exists in {self.store.url}") from None

    def finish_session(self, session_id: str, status: str) -> None:
        with self._writer.begin() as conn:
            conn.execute(update(t_sessions).where(t_sessions.c.id == session_id)
                         .values(status=status, finished_at=utcnow()))

    def sessions(self, limit: int = 50) -> list[dict[str, Any]]:
        query = select(t_sessions).order_by(t_sessions.c.started_at.desc()).limit(limit)
        with self._engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    # -------------------------------------------------------------------------------------- samples

    def append(self, session_id: str, samples: Sequence[HotspotSample]) -> int:
        """Insert the samples of one round in one transaction; returns how many were new (the rest were
        already there from an earlier or overlapping poller)."""
        if not samples:
            return 0
        rows = [_row(session_id, s) for s in samples]
        with self._writer.begin() as conn:
            # RETURNING lists only the rows really inserted (rowcount of a batched insert is not reliable)
            return len(conn.execute(_insert_ignore(conn).returning(t_samples.c.id), rows).all())

    def samples(self, since: datetime, until: datetime, *, hotspots: Iterable[str] | None = None,
                lookback: timedelta | None = None) -> Iterator[HotspotSample]:
        """Samples whose slot is in ``[since - lookback, until)``, by hotspot then time. ``lookback`` (default: the
        largest interval seen, times 1.5) brings in the sample that covers the start of the window."""
        if lookback is None:
            with self._engine.connect() as conn:
                biggest = conn.execute(select(func.max(t_samples.c.interval_s))).scalar()
            lookback = timedelta(seconds=1.5 * float(biggest or 0.0))
        conditions = [t_samples.c.slot >= since - lookback, t_samples.c.slot < until]
        wanted = sorted(set(hotspots)) if hotspots is not None else None
        if wanted is not None:
            conditions.append(t_samples.c.hotspot.in_(wanted))
        last: tuple[str, datetime] | None = None
        while True:
            query = select(t_samples).where(*conditions)
            if last is not None:
                query = query.where(
                    (t_samples.c.hotspot > last[0]) | and_(t_samples.c.hotspot == last[0],
                                                           t_samples.c.slot > last[1]))
            query = query.order_by(t_samples.c.hotspot, t_samples.c.slot).limit(PAGE_SIZE)
            with self._engine.connect() as conn:
                rows = conn.execute(query).all()
            for r in rows:
                yield _sample(r)
            if len(rows) < PAGE_SIZE:
                return
            last = (rows[-1].hotspot, rows[-1].slot)

    def count(self, session_id: str | None = None) -> int:
        query = select(func.count()).select_from(t_samples)
        if session_id is not None:
            query = query.where(t_samples.c.session_id == session_id)
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def extent(self) -> tuple[datetime, datetime] | None:
        """First and last measurement time in the store, or None when it holds no sample."""
        col = t_samples.c.measured_at
        with self._engine.connect() as conn:
            lo = conn.execute(select(col).order_by(col.asc()).limit(1)).scalar()
            hi = conn.execute(select(col).order_by(col.desc()).limit(1)).scalar()
        if lo is None or hi is None:
            return None
        return lo, hi


def _row(session_id: str, s: HotspotSample) -> dict[str, Any]:
    return {
        "hotspot": s.hotspot, "slot": s.slot, "measured_at": s.measured_at, "session_id": session_id,
        "interval_s": float(s.interval_s), "status": SampleStatus(s.status).value, "uptime_s": s.uptime_s,
        "clients": s.clients, "site": s.site, "zone": s.zone, "agency": s.agency, "source": s.source,
        "detail": s.detail,
    }


def _sample(r: Any) -> HotspotSample:
    return HotspotSample(
        hotspot=r.hotspot, slot=r.slot, measured_at=r.measured_at, status=SampleStatus(r.status),
        interval_s=float(r.interval_s), uptime_s=r.uptime_s, clients=r.clients, site=r.site, zone=r.zone,
        agency=r.agency, source=r.source, detail=dict(r.detail or {}), session_id=r.session_id,
    )


def _insert_ignore(conn: Connection) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(t_samples).on_conflict_do_nothing(index_elements=["hotspot", "slot"])
