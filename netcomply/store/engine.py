"""Engines tuned for the store's workload: one writer per process, many processes per database.

SQLite: WAL (readers never block the writer), ``synchronous=NORMAL`` (a commit survives a process crash;
only a power cut may lose the last transactions, never corrupt the file), foreign keys on, and a busy
timeout so that a second process waits for the write lock instead of failing at once.

Write transactions on SQLite start with ``BEGIN IMMEDIATE``. With the default deferred ``BEGIN`` a
transaction that reads first and writes later must upgrade its lock, and in WAL mode that upgrade fails
at once with "database is locked" (no busy timeout applies) when another process committed meanwhile.
Taking the write lock up front makes concurrent writers queue politely. We therefore turn off the sqlite3
module's own transaction handling and emit BEGIN ourselves (the recipe in SQLAlchemy's SQLite dialect
documentation, "Enabling Non-Legacy SQLite Transactional Modes").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine

from netcomply.store.types import json_dumps

#: Seconds a connection waits for another process's write lock before giving up.
BUSY_TIMEOUT_S = 60.0

#: Execution option that marks a write transaction (SQLite: ``BEGIN IMMEDIATE``).
WRITE_OPTION = "netcomply_write"


def make_engine(url: URL) -> Engine:
    """Create the engine for ``url`` (already resolved by :func:`netcomply.store.location.resolve_url`)."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, json_serializer=json_dumps, pool_pre_ping=True, pool_size=2, max_overflow=4)


def write_engine(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions take the write lock at BEGIN."""
    return engine.execution_options(**{WRITE_OPTION: True})


def _sqlite_engine(url: URL) -> Engine:
    engine = create_engine(
        url,
        json_serializer=json_dumps,
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see module docstring
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
