"""The store: runs, device results, observations, artifacts and findings in SQLite or PostgreSQL.

Threading and processes
-----------------------
*Writes* on one :class:`Store` object must come from one thread at a time: the runner funnels every
collector's results through a single writer thread, which keeps transactions short and ordered. *Reads*
are safe from any thread (each takes its own pooled connection).

Several *processes* may open the same store at once: several CLI invocations on one SQLite file (WAL lets
readers run beside the writer; writers queue on the busy timeout, see :mod:`netcomply.store.engine`), or
several collector hosts writing to one PostgreSQL database.

Durability
----------
:meth:`Store.record_device_result` commits one device's result, observations and artifacts in one
transaction. A process killed at any moment leaves each device either fully recorded or absent, so a
killed run opens, lists the devices it finished, and can be resumed (:meth:`Store.completed`) after
:meth:`Store.mark_stale_runs_interrupted` has flagged it.

Locks and file modes
--------------------
A running run is locked by its owner (:mod:`netcomply.store.runlock`): :meth:`Store.claim_run` is how a
resume takes it, refused while another live process collects into it, taking over a stale lock otherwise.
A SQLite store's files are private (0600, folder 0700; :mod:`netcomply.store.private`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, Row, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError

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
from netcomply.store import blobs as blobcodec
from netcomply.store.engine import make_engine, write_engine
from netcomply.store.exceptions import StoreError
from netcomply.store.location import ENV_VAR, default_db_url, is_url, mask, resolve_url
from netcomply.store.migrate import current_revision, ensure_schema
from netcomply.store.owner import current_owner
from netcomply.store.private import secure_sqlite_files
from netcomply.store.records import ArtifactRecord
from netcomply.store.runlock import Claim, Holder, beat, check_may_finish, claim, holder_of, stale_reason
from netcomply.store.schema import artifacts as t_artifacts
from netcomply.store.schema import blobs as t_blobs
from netcomply.store.schema import device_results as t_results
from netcomply.store.schema import findings as t_findings
from netcomply.store.schema import observations as t_obs
from netcomply.store.schema import runs as t_runs
from netcomply.store.types import NotJSONError

#: Rows fetched per round trip when streaming observations.
PAGE_SIZE = 2000

#: A run row without its inventory digest (thousands of device hashes that only a resume reads).
_RUN_SELECT = select(*(c for c in t_runs.c if c.name != "inventory_digest"))


class Store:
    """Persistent runs and their records. Open with :meth:`Store.open`; use as a context manager.

    Methods that take a ``run_id`` want the full id (resolve what a user typed with :meth:`get_run`);
    read methods return nothing for an unknown id, write methods raise :class:`InputError`.
    """

    def __init__(self, engine: Engine, url: str) -> None:
        self._engine = engine
        self._writer = write_engine(engine)
        self.url = url
        self._owner = current_owner()

    # ------------------------------------------------------------------------------------------ lifecycle

    @classmethod
    def open(cls, url_or_path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
        """Open (creating or upgrading as needed) the store at a URL or SQLite file path; ``None`` means
        :func:`default_db_url`. A path's parent folders are created.

        ``create=False`` is for commands that only read what an audit stored (report, runs, judge): a SQLite
        file that does not exist is then an :class:`InputError` (a mistyped ``--db`` must not silently make an
        empty store and answer "no such run")."""
        text = os.fspath(url_or_path) if url_or_path is not None else default_db_url()
        if not create:
            _require_existing_sqlite_file(text)
        sa_url = resolve_url(text)
        location = mask(sa_url)
        if sa_url.get_backend_name() == "sqlite" and sa_url.database:
            secure_sqlite_files(Path(sa_url.database))
        engine = make_engine(sa_url)
        try:
            ensure_schema(engine, location=location)
        except StoreError:
            engine.dispose()
            raise
        except DBAPIError as exc:
            engine.dispose()
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
            raise StoreError(f"cannot open store {location}: {reason}") from None
        return cls(engine, location)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    def schema_version(self) -> str:
        with self._engine.connect() as conn:
            revision = current_revision(conn)
        if revision is None:  # pragma: no cover - open() always stamps
            raise StoreError(f"{self.url} has no schema version")
        return revision

    # ------------------------------------------------------------------------------------------ runs

    def create_run(self, run: Run, *, inventory_digest: dict[str, Any] | None = None) -> Run:
        """Insert ``run``, owned (locked, :mod:`netcomply.store.runlock`) by this host and process.

        ``inventory_digest`` (:func:`netcomply.app.resume.inventory_digest`) is what a resume compares its inventory
        with to say which devices changed."""
        if not run.id:
            raise ValueError("a run needs an id (netcomply.store.new_run_id())")
        now = utcnow()
        row = {
            "id": run.id,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "operator": run.operator,
            "tool_version": run.tool_version,
            "inventory_sha256": run.inventory_sha256,
            "inventory_source": run.inventory_source,
            "parameters": run.parameters,
            "status": RunStatus(run.status).value,
            "hostname": self._owner.hostname,
            "pid": self._owner.pid,
            "process_token": self._owner.token,
            "locked_at": now,
            "heartbeat_at": now,
            "inventory_digest": inventory_digest,
        }
        try:
            with self._writer.begin() as conn:
                conn.execute(insert(t_runs), row)
        except IntegrityError:
            raise StoreError(f"run {run.id} already exists in {self.url}") from None
        except (StatementError, NotJSONError) as exc:
            raise _data_error("run parameters", exc) from None
        return run

    def finish_run(self, run_id: str, status: RunStatus, finished_at: datetime | None = None) -> None:
        """Set the run's final status. Refused with :class:`~netcomply.store.runlock.RunLocked` if another live
        process took the run over meanwhile (its status is then that process's to set)."""
        with self._writer.begin() as conn:
            check_may_finish(conn, run_id, self._owner, utcnow())
            done = conn.execute(
                update(t_runs)
                .where(t_runs.c.id == run_id)
                .values(status=RunStatus(status).value, finished_at=finished_at or utcnow())
            )
        if done.rowcount == 0:
            raise InputError(f"no run with id {run_id!r}", file=self.url)

    def get_run(self, run_id_or_unique_prefix: str) -> Run:
        """The run with this id or with an id that uniquely starts with it."""
        wanted = run_id_or_unique_prefix.strip()
        if not wanted:
            raise InputError("empty run id", file=self.url)
        with self._engine.connect() as conn:
            row = conn.execute(_RUN_SELECT.where(t_runs.c.id == wanted)).first()
            if row is not None:
                return _run(row)
            # LIKE is case-insensitive on SQLite; keep the comparison exact, as on PostgreSQL.
            rows = [
                r
                for r in conn.execute(
                    _RUN_SELECT.where(t_runs.c.id.startswith(wanted, autoescape=True)).order_by(t_runs.c.id)
                    .limit(50)
                )
                if r.id.startswith(wanted)
            ]
        if not rows:
            raise InputError(f"no run id starts with {wanted!r} (list runs with `netcomply runs`)",
                             file=self.url)
        if len(rows) > 1:
            shown = ", ".join(r.id for r in rows[:5]) + (", ..." if len(rows) > 5 else "")
            raise InputError(f"run id prefix {wanted!r} is ambiguous: it matches {shown}; type more of it",
                             file=self.url)
        return _run(rows[0])

    def list_runs(self, limit: int = 50) -> list[Run]:
        """The newest ``limit`` runs, newest first."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        query = _RUN_SELECT.order_by(t_runs.c.started_at.desc(), t_runs.c.id.desc()).limit(limit)
        with self._engine.connect() as conn:
            return [_run(r) for r in conn.execute(query)]

    def mark_stale_runs_interrupted(self) -> list[str]:
        """Flag as ``interrupted`` every ``running`` run whose lock is stale (:mod:`netcomply.store.runlock`):
        owned by a process of *this host* that is gone, or by another host whose heartbeat has expired.

        Runs whose owner is unknown are never flipped, nor runs of other hosts that never recorded a
        heartbeat (their processes are not visible from here). ``finished_at`` becomes the last moment the run
        recorded a device, or its start. Returns the ids flipped, oldest first.
        """
        me, now = self._owner, utcnow()
        with self._engine.connect() as conn:
            candidates = conn.execute(
                _RUN_SELECT.where(t_runs.c.status == RunStatus.RUNNING.value, t_runs.c.pid.is_not(None))
                .order_by(t_runs.c.id)
            ).all()
        stale = [c for c in candidates
                 if (c.hostname == me.hostname or c.heartbeat_at is not None)
                 and stale_reason(holder_of(c), me, now) is not None]
        flipped: list[str] = []
        for cand in stale:
            with self._writer.begin() as conn:
                last = conn.execute(
                    select(func.max(t_results.c.finished_at)).where(t_results.c.run_id == cand.id)
                ).scalar_one()
                done = conn.execute(
                    update(t_runs)
                    .where(t_runs.c.id == cand.id, t_runs.c.status == RunStatus.RUNNING.value)
                    .values(status=RunStatus.INTERRUPTED.value, finished_at=_utc_max(last, cand.started_at))
                )
            if done.rowcount:
                flipped.append(cand.id)
        return flipped

    # ------------------------------------------------------------------------------------------ locks

    def claim_run(self, run_id: str, *, resume_note: dict[str, Any] | None = None) -> Claim:
        """Take the run for this process (a resume): refused with
        :class:`~netcomply.store.runlock.RunLocked` while another live process collects into it; a stale lock
        is taken over and the returned :class:`~netcomply.store.runlock.Claim` says whose and why."""
        with self._writer.begin() as conn:
            return claim(conn, run_id, self._owner, utcnow(), where=self.url, resume_note=resume_note)

    def heartbeat(self, run_id: str) -> bool:
        """Refresh this process's lock on the run; False if it no longer holds it (taken over)."""
        with self._writer.begin() as conn:
            return beat(conn, run_id, self._owner, utcnow())

    def run_holder(self, run_id: str) -> Holder | None:
        """Who holds (or last held) the run; None for an unknown run."""
        with self._engine.connect() as conn:
            row = conn.execute(_RUN_SELECT.where(t_runs.c.id == run_id)).first()
        return holder_of(row) if row is not None else None

    def inventory_digest(self, run_id: str) -> dict[str, Any] | None:
        """The per-device digest of the inventory the run was planned for (None: not recorded)."""
        with self._engine.connect() as conn:
            found: dict[str, Any] | None = conn.execute(
                select(t_runs.c.inventory_digest).where(t_runs.c.id == run_id)).scalar()
        return found

    # ------------------------------------------------------------------------------------------ writes

    def record_device_result(self, run_id: str, result: DeviceResult) -> None:
        """Commit one collector's result for one device, with its artifacts and observations, atomically.

        Recording the same (run, device, collector) again replaces the earlier result with everything
        that hung off it (a retry or resume supersedes a failure). On success each observation gets its
        ``id`` and ``run_id``. Artifacts are verified first (:func:`blobs.check_artifact`): a hash mismatch
        or unredacted content raises ``ValueError`` and nothing of the result is stored.
        """
        packed: dict[str, tuple[int, str, bytes]] = {}
        artifact_rows: list[dict[str, Any]] = []
        seen: set[tuple[str, str, str, datetime, str]] = set()
        for art in result.artifacts:
            blobcodec.check_artifact(art)
            key = (art.device, art.collector, art.source, art.collected_at, art.sha256)
            if key in seen:
                continue
            seen.add(key)
            if art.sha256 not in packed:
                encoding, stored = blobcodec.pack(art.content)
                packed[art.sha256] = (len(art.content), encoding, stored)
            artifact_rows.append({
                "run_id": run_id, "device": art.device, "collector": art.collector, "source": art.source,
                "collected_at": art.collected_at, "sha256": art.sha256, "size": len(art.content),
                "media_type": art.media_type,
            })
        # sorted: concurrent writers (PostgreSQL) then take row locks on shared blobs in one global order,
        # so two hosts inserting the same two blobs cannot deadlock
        blob_rows = [
            {"sha256": sha, "size": size, "encoding": enc, "content": data}
            for sha, (size, enc, data) in sorted(packed.items())
        ]
        result_row = {
            "run_id": run_id, "device": result.device, "collector": result.collector,
            "status": DeviceStatus(result.status).value, "started_at": result.started_at,
            "finished_at": result.finished_at, "attempts": result.attempts,
            "error_class": ErrorClass(result.error_class).value if result.error_class is not None else None,
            "cause": result.cause,
        }
        try:
            with self._writer.begin() as conn:
                conn.execute(
                    delete(t_results).where(
                        t_results.c.run_id == run_id,
                        t_results.c.device == result.device,
                        t_results.c.collector == result.collector,
                    )
                )
                result_id = conn.execute(insert(t_results).returning(t_results.c.id), result_row).scalar_one()
                if blob_rows:
                    conn.execute(_insert_ignore(conn, t_blobs, "sha256"), blob_rows)
                if artifact_rows:
                    for row in artifact_rows:
                        row["device_result_id"] = result_id
                    conn.execute(insert(t_artifacts), artifact_rows)
                ids = self._insert_observations(conn, run_id, result_id, result.observations)
        except IntegrityError:
            self._raise_if_unknown_run(run_id)
            raise
        except (StatementError, NotJSONError) as exc:
            raise _data_error(f"result {result.device}/{result.collector}", exc) from None
        _assign(result.observations, ids, run_id)

    def add_observations(self, run_id: str, observations: Iterable[Observation]) -> None:
        """Store observations that belong to the run rather than to one device result (for example
        facts derived across devices). Assigns each ``id`` and ``run_id`` on success."""
        items = list(observations)
        if not items:
            return
        try:
            with self._writer.begin() as conn:
                ids = self._insert_observations(conn, run_id, None, items)
        except IntegrityError:
            self._raise_if_unknown_run(run_id)
            raise
        except (StatementError, NotJSONError) as exc:
            raise _data_error("observation data", exc) from None
        _assign(items, ids, run_id)

    def replace_findings(self, run_id: str, findings: list[Finding]) -> None:
        """Replace every finding of the run (re-judging a stored run yields a complete new set).
        Assigns each finding's ``id`` and ``run_id`` on success."""
        rows = [
            {
                "run_id": run_id, "check_id": f.check_id, "subject": f.subject,
                "status": FindingStatus(f.status).value, "severity": Severity(f.severity).value,
                "message": f.message, "observations": list(f.observations), "artifacts": list(f.artifacts),
                "controls": list(f.controls), "details": f.details,
            }
            for f in findings
        ]
        ids: list[int] = []
        try:
            with self._writer.begin() as conn:
                if not conn.execute(select(t_runs.c.id).where(t_runs.c.id == run_id)).first():
                    raise InputError(f"no run with id {run_id!r}", file=self.url)
                conn.execute(delete(t_findings).where(t_findings.c.run_id == run_id))
                if rows:
                    ids = _insert_with_ids(conn, t_findings, rows)
        except (StatementError, NotJSONError) as exc:
            raise _data_error("finding details", exc) from None
        for finding, new_id in zip(findings, ids, strict=True):
            finding.id = new_id
            finding.run_id = run_id

    @staticmethod
    def _insert_observations(
        conn: Connection, run_id: str, result_id: int | None, observations: list[Observation]
    ) -> list[int]:
        if not observations:
            return []
        rows = [
            {
                "run_id": run_id, "device_result_id": result_id, "device": o.device, "collector": o.collector,
                "kind": o.kind, "data": o.data, "source": o.source, "collected_at": o.collected_at,
                "artifacts": list(o.artifacts),
            }
            for o in observations
        ]
        return _insert_with_ids(conn, t_obs, rows)

    def _raise_if_unknown_run(self, run_id: str) -> None:
        with self._engine.connect() as conn:
            if conn.execute(select(t_runs.c.id).where(t_runs.c.id == run_id)).first() is None:
                raise InputError(f"no run with id {run_id!r}", file=self.url)

    # ------------------------------------------------------------------------------------------ reads

    def device_results(self, run_id: str) -> list[DeviceResult]:
        """The run's device results in the order they were recorded, without observations or artifacts."""
        query = select(t_results).where(t_results.c.run_id == run_id).order_by(t_results.c.id)
        with self._engine.connect() as conn:
            return [
                DeviceResult(
                    device=r.device, collector=r.collector, status=DeviceStatus(r.status),
                    started_at=r.started_at, finished_at=r.finished_at, attempts=r.attempts,
                    error_class=ErrorClass(r.error_class) if r.error_class is not None else None,
                    cause=r.cause,
                )
                for r in conn.execute(query)
            ]

    def completed(self, run_id: str) -> set[tuple[str, str]]:
        """(device, collector) pairs that finished ``ok`` in the run: what a resume may skip."""
        query = select(t_results.c.device, t_results.c.collector).where(
            t_results.c.run_id == run_id, t_results.c.status == DeviceStatus.OK.value
        )
        with self._engine.connect() as conn:
            return {(r.device, r.collector) for r in conn.execute(query)}

    def observations(
        self, run_id: str, *, kind: str | None = None, device: str | None = None
    ) -> Iterator[Observation]:
        """Stream the run's observations in recorded order, optionally of one kind and/or one device.

        Pages of :data:`PAGE_SIZE` by id, each in its own short read, so a consumer that is slow (or stops
        half-way) holds no connection or snapshot open between pages.
        """
        conditions = [t_obs.c.run_id == run_id]
        if kind is not None:
            conditions.append(t_obs.c.kind == kind)
        if device is not None:
            conditions.append(t_obs.c.device == device)
        last = -1
        while True:
            query = select(t_obs).where(*conditions, t_obs.c.id > last).order_by(t_obs.c.id).limit(PAGE_SIZE)
            with self._engine.connect() as conn:
                rows = conn.execute(query).all()
            for r in rows:
                yield _observation(r)
            if len(rows) < PAGE_SIZE:
                return
            last = rows[-1].id

    def newest_observation(self, run_id: str, kind: str) -> Observation | None:
        """The run's last recorded observation of ``kind``, None when it has none: for what a run records once and
        may record again when re-derived (its registers, their reading), where the newest stands."""
        query = (select(t_obs).where(t_obs.c.run_id == run_id, t_obs.c.kind == kind)
                 .order_by(t_obs.c.id.desc()).limit(1))
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        return _observation(row) if row is not None else None

    def artifact_records(self, run_id: str) -> list[ArtifactRecord]:
        query = select(t_artifacts).where(t_artifacts.c.run_id == run_id).order_by(t_artifacts.c.id)
        with self._engine.connect() as conn:
            return [
                ArtifactRecord(
                    id=r.id, run_id=r.run_id, device=r.device, collector=r.collector, source=r.source,
                    collected_at=r.collected_at, sha256=r.sha256, size=r.size, media_type=r.media_type,
                )
                for r in conn.execute(query)
            ]

    def artifact_content(self, sha256: str) -> bytes:
        """The artifact's bytes, verified against ``sha256``."""
        with self._engine.connect() as conn:
            row = conn.execute(
                select(t_blobs.c.encoding, t_blobs.c.content).where(t_blobs.c.sha256 == sha256.lower())
            ).first()
        if row is None:
            raise InputError(f"no artifact with sha256 {sha256!r} in this store", file=self.url)
        return blobcodec.unpack(row.encoding, row.content, sha256.lower())

    def findings(self, run_id: str) -> list[Finding]:
        query = select(t_findings).where(t_findings.c.run_id == run_id).order_by(t_findings.c.id)
        with self._engine.connect() as conn:
            return [
                Finding(
                    check_id=r.check_id, subject=r.subject, status=FindingStatus(r.status),
                    severity=Severity(r.severity), message=r.message, observations=list(r.observations),
                    artifacts=list(r.artifacts), controls=list(r.controls), details=r.details, id=r.id,
                    run_id=r.run_id,
                )
                for r in conn.execute(query)
            ]

    def run_summary(self, run_id: str) -> dict[str, Any]:
        """Counts for a run, for the CLI and reports.

        ``devices`` counts device results (one per device and collector) by status; ``errors`` counts the
        failed ones by error class; ``observations`` by kind; ``findings`` by status.
        """
        with self._engine.connect() as conn:
            run_row = conn.execute(_RUN_SELECT.where(t_runs.c.id == run_id)).first()
            if run_row is None:
                raise InputError(f"no run with id {run_id!r}", file=self.url)
            by_status = _counts(conn, t_results, t_results.c.status, run_id)
            errors = _counts(conn, t_results, t_results.c.error_class, run_id,
                             t_results.c.status == DeviceStatus.ERROR.value)
            device_count = conn.execute(
                select(func.count(t_results.c.device.distinct())).where(t_results.c.run_id == run_id)
            ).scalar_one()
            obs = _counts(conn, t_obs, t_obs.c.kind, run_id)
            found = _counts(conn, t_findings, t_findings.c.status, run_id)
        run = _run(run_row)
        return {
            "run": run.id,
            "status": run.status.value,
            "started_at": run.started_at.isoformat(),
            "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            "device_count": device_count,
            "devices": {s.value: by_status.get(s.value, 0) for s in DeviceStatus},
            "errors": {k if k is not None else "unclassified": v for k, v in errors.items()},
            "observations": obs,
            "findings": {s.value: found.get(s.value, 0) for s in FindingStatus},
        }


# ---------------------------------------------------------------------------------------------- helpers


def _require_existing_sqlite_file(text: str) -> None:
    """Refuse a SQLite store file that is not there (PostgreSQL URLs are checked by connecting)."""
    candidate = make_url(text) if is_url(text) else None
    if candidate is not None and not candidate.drivername.startswith("sqlite"):
        return
    path = Path((candidate.database or "") if candidate is not None else text).expanduser()
    if not path.is_file():
        raise InputError(f"no store at {path}: run `netcomply audit` first, or point --db (or {ENV_VAR}) at the "
                         "store the audit wrote", file=str(path))


def _run(row: Row[Any]) -> Run:
    return Run(
        id=row.id, started_at=row.started_at, operator=row.operator, tool_version=row.tool_version,
        inventory_sha256=row.inventory_sha256, inventory_source=row.inventory_source,
        parameters=row.parameters, status=RunStatus(row.status), finished_at=row.finished_at,
    )


def _assign(observations: list[Observation], ids: list[int], run_id: str) -> None:
    for obs, new_id in zip(observations, ids, strict=True):
        obs.id = new_id
        obs.run_id = run_id


def _insert_with_ids(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` and return their new ids in the order of ``rows``, in as few round trips as possible.

    PostgreSQL: one batched ``INSERT ... RETURNING`` that SQLAlchemy sorts back into parameter order.
    SQLite cannot batch an *ordered* RETURNING (SQLAlchemy falls back to one statement per row), so we
    number the rows ourselves from the table's AUTOINCREMENT counter: our write transactions begin with
    ``BEGIN IMMEDIATE``, so no other connection can insert between reading it and our ``executemany``,
    and SQLite raises the counter to the largest id we insert, so ids are still never reused.
    """
    if conn.dialect.name != "sqlite":
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(conn.execute(stmt, rows).scalars())
    start = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    # A store created before the tables had AUTOINCREMENT (a development build of 0001) has no
    # sqlite_sequence table; there max(id) is all we have.
    if conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")).first():
        seq = conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table.name}).scalar()
        start = max(start, seq or 0)
    ids = list(range(start + 1, start + 1 + len(rows)))
    conn.execute(insert(table), [{**row, "id": new_id} for row, new_id in zip(rows, ids, strict=True)])
    return ids


def _insert_ignore(conn: Connection, table: Table, key: str) -> Any:
    """INSERT ... ON CONFLICT (key) DO NOTHING, which both backends speak (dedup of blobs across
    transactions and processes without a read-then-write race)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing(index_elements=[key])


def _counts(conn: Connection, table: Table, column: Any, run_id: str, *extra: Any) -> dict[Any, int]:
    query = select(column, func.count()).where(table.c.run_id == run_id, *extra).group_by(column)
    return {value: count for value, count in conn.execute(query)}


def _utc_max(a: datetime | None, b: datetime) -> datetime:
    return b if a is None else max(a, b)


def _data_error(what: str, exc: Exception) -> Exception:
    """Turn a value the database cannot take (naive datetime, non-JSON data, NaN) into a clear error."""
    orig = exc.orig if isinstance(exc, StatementError) else exc
    if isinstance(orig, (TypeError, ValueError)):
        return ValueError(f"cannot store {what}: {orig}")
    return exc


def _observation(r: Any) -> Observation:
    """One ``observations`` table row as the model."""
    return Observation(device=r.device, collector=r.collector, kind=r.kind, data=r.data, source=r.source,
                       collected_at=r.collected_at, artifacts=list(r.artifacts), id=r.id, run_id=r.run_id)
