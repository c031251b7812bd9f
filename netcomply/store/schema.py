"""The store's tables (SQLAlchemy Core), as the code reads and writes them.

The migrations in ``migrations/versions`` build exactly this schema step by step; a test compares the two
(Alembic's ``compare_metadata``) on SQLite and PostgreSQL, so they cannot drift apart unnoticed.

Layout, and why:

* ``runs`` -- one row per audit run, with the host and process that own it while it is running, so a
  later process can tell a crashed run from a live one. That owner *is* the run's lock
  (:mod:`netcomply.store.runlock`): ``locked_at`` says since when, ``heartbeat_at`` when it last showed it
  is alive (how other hosts judge it), ``inventory_digest`` which devices the run was planned for (so a
  resume can say what changed in the inventory).
* ``device_results`` -- one row per (run, device, collector); unique, so a retry replaces rather than
  duplicates. Its observations and artifact records hang off it with ``ON DELETE CASCADE``.
* ``blobs`` -- artifact content, deduplicated by SHA-256 across every run (the same ``show version``
  captured nightly is stored once), zlib-compressed when that helps.
* ``artifacts`` -- which run/device/collector captured which blob, from which command, when.
* ``observations`` / ``findings`` -- the normalized facts and the judgements; JSON for the open-ended parts.

Ids are never reused, on either backend (SQLite tables use AUTOINCREMENT): a finding that cites
observation 123 must never come to cite a different fact because a retry deleted and re-inserted rows.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from netcomply.store.types import BigId, Json, UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

RUN_ID = String(40)
SHA256 = String(64)

runs = Table(
    "runs",
    metadata,
    Column("id", RUN_ID, primary_key=True),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime(), nullable=True),
    Column("operator", Text(), nullable=False),
    Column("tool_version", String(64), nullable=False),
    Column("inventory_sha256", SHA256, nullable=True),
    Column("inventory_source", Text(), nullable=True),
    Column("parameters", Json, nullable=False),
    Column("status", String(16), nullable=False),
    Column("hostname", Text(), nullable=True),
    Column("pid", Integer(), nullable=True),
    Column("process_token", String(100), nullable=True),
    Column("locked_at", UTCDateTime(), nullable=True),
    Column("heartbeat_at", UTCDateTime(), nullable=True),
    Column("inventory_digest", Json, nullable=True),
    Index(None, "started_at"),
    Index(None, "status", "hostname"),
)

device_results = Table(
    "device_results",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("run_id", RUN_ID, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("device", Text(), nullable=False),
    Column("collector", Text(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime(), nullable=False),
    Column("attempts", Integer(), nullable=False),
    Column("error_class", String(32), nullable=True),
    Column("cause", Text(), nullable=True),
    UniqueConstraint("run_id", "device", "collector"),
    sqlite_autoincrement=True,
)

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", SHA256, primary_key=True),
    Column("size", BigInteger(), nullable=False),
    Column("encoding", String(16), nullable=False),
    Column("content", LargeBinary(), nullable=False),
)

artifacts = Table(
    "artifacts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("run_id", RUN_ID, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column(
        "device_result_id", BigId, ForeignKey("device_results.id", ondelete="CASCADE"), nullable=False
    ),
    Column("device", Text(), nullable=False),
    Column("collector", Text(), nullable=False),
    Column("source", Text(), nullable=False),
    Column("collected_at", UTCDateTime(), nullable=False),
    Column("sha256", SHA256, ForeignKey("blobs.sha256"), nullable=False),
    Column("size", BigInteger(), nullable=False),
    Column("media_type", String(100), nullable=False),
    Index(None, "run_id"),
    Index(None, "device_result_id"),
    Index(None, "sha256"),
    sqlite_autoincrement=True,
)

observations = Table(
    "observations",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("run_id", RUN_ID, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column(
        "device_result_id", BigId, ForeignKey("device_results.id", ondelete="CASCADE"), nullable=True
    ),
    Column("device", Text(), nullable=False),
    Column("collector", Text(), nullable=False),
    Column("kind", String(100), nullable=False),
    Column("data", Json, nullable=False),
    Column("source", Text(), nullable=False),
    Column("collected_at", UTCDateTime(), nullable=False),
    Column("artifacts", Json, nullable=False),
    Index(None, "run_id", "kind"),
    Index(None, "run_id", "device"),
    Index(None, "device_result_id"),
    Index(None, "run_id", "id"),
    sqlite_autoincrement=True,
)

findings = Table(
    "findings",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("run_id", RUN_ID, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("check_id", String(200), nullable=False),
    Column("subject", Text(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("message", Text(), nullable=False),
    Column("observations", Json, nullable=False),
    Column("artifacts", Json, nullable=False),
    Column("controls", Json, nullable=False),
    Column("details", Json, nullable=False),
    Index(None, "run_id", "status"),
    sqlite_autoincrement=True,
)

# ---------------------------------------------------------------------------------------- hotspot samples
# Samples are not per-run data: the hotspot poller appends to them for days, and an audit reads the month
# before its start. One row per (hotspot, slot): ``slot`` is the poll round's scheduled time on a fixed grid,
# so a restarted or a second overlapping poller writes the same key and nothing is duplicated (insert-or-ignore).

hotspot_poll_sessions = Table(
    "hotspot_poll_sessions",
    metadata,
    Column("id", RUN_ID, primary_key=True),
    Column("kind", String(16), nullable=False),  # poll (the poller) or audit (an audit run's snapshot)
    Column("started_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime(), nullable=True),
    Column("interval_s", Float(), nullable=False),
    Column("inventory_sha256", SHA256, nullable=True),
    Column("hostname", Text(), nullable=True),
    Column("pid", Integer(), nullable=True),
    Column("status", String(16), nullable=False),
    Column("parameters", Json, nullable=False),
    Index(None, "started_at"),
)

hotspot_samples = Table(
    "hotspot_samples",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("hotspot", Text(), nullable=False),
    Column("slot", UTCDateTime(), nullable=False),
    Column("measured_at", UTCDateTime(), nullable=False),
    Column("session_id", RUN_ID, ForeignKey("hotspot_poll_sessions.id"), nullable=False),
    Column("interval_s", Float(), nullable=False),
    Column("status", String(8), nullable=False),  # up, down, unknown (we could not tell)
    Column("uptime_s", Float(), nullable=True),
    Column("clients", Integer(), nullable=True),
    Column("site", Text(), nullable=True),
    Column("zone", Text(), nullable=True),
    Column("agency", Text(), nullable=True),
    Column("source", Text(), nullable=False),
    Column("detail", Json, nullable=False),
    UniqueConstraint("hotspot", "slot"),
    Index(None, "slot"),
    Index(None, "session_id"),
    sqlite_autoincrement=True,
)
