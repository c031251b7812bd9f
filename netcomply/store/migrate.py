"""Schema versions, run programmatically through Alembic.

:func:`ensure_schema` is called by ``Store.open``: a new database is created at the head revision, an
older one is upgraded (with an INFO log line saying from which revision to which), and one whose revision
this code does not know -- written by a newer netcomply -- is refused with :class:`StoreVersionError`.

Everything happens inside one write transaction that also serialises concurrent openers (SQLite:
``BEGIN IMMEDIATE``; PostgreSQL: a transaction-scoped advisory lock), so several collector processes
starting at once against an old or empty database migrate it exactly once.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from netcomply.store.engine import write_engine
from netcomply.store.exceptions import StoreError, StoreVersionError

log = logging.getLogger("netcomply.store")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Our own version table name, so a PostgreSQL database shared with another Alembic user does not clash.
VERSION_TABLE = "netcomply_schema_version"
#: Key of the PostgreSQL advisory lock held while checking and migrating ("netcomp" in ASCII).
PG_LOCK_KEY = 0x6E6574636F6D70
#: Tables whose presence without a version table means "some other database", not "empty".
OUR_TABLES = frozenset({"runs", "device_results", "blobs", "artifacts", "observations", "findings"})


def alembic_config() -> Config:
    """An Alembic config without an ini file, pointing at the migrations shipped in this package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@cache
def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise RuntimeError(f"no migration scripts found in {MIGRATIONS_DIR}")
    return head


def known_revisions() -> list[str]:
    """Every revision this code knows, oldest first."""
    return [script.revision for script in reversed(list(script_directory().walk_revisions()))]


def current_revision(conn: Connection) -> str | None:
    """The revision recorded in the database, or ``None`` for a database without our version table.

    Read with plain SQL rather than through Alembic's MigrationContext, which logs two INFO lines per call
    ("Context impl ...") -- noise on every ``Store.open`` of an up-to-date store.
    """
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    found = list(conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())
    if len(found) > 1:
        raise StoreVersionError(f"the store records several schema revisions ({', '.join(found)}); "
                                "netcomply never writes that, refusing to touch it")
    return found[0] if found else None


def ensure_schema(engine: Engine, *, target: str = "head", location: str = "") -> str:
    """Bring the database to ``target`` (default: head) and return the revision it is at afterwards.

    ``location`` is the masked URL, used in messages only.
    """
    where = location or "the store"
    with write_engine(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
        current = current_revision(conn)
        known = known_revisions()
        wanted = head_revision() if target == "head" else target
        if current is not None and current not in known:
            raise StoreVersionError(
                f"{where} has schema revision {current!r}, which this netcomply does not know "
                f"(it knows {', '.join(known)}). A newer netcomply wrote it: upgrade netcomply, "
                "or point --db / NETCOMPLY_DB at another store."
            )
        if current is None:
            clash = OUR_TABLES & set(inspect(conn).get_table_names())
            if clash:
                raise StoreError(
                    f"{where} has tables named like a netcomply store ({', '.join(sorted(clash))}) but no "
                    f"{VERSION_TABLE} table: it is not a netcomply store, refusing to touch it"
                )
            log.debug("creating a new store at %s (schema %s)", where, wanted)
        elif current == wanted:
            return current
        elif known.index(current) > known.index(wanted):
            raise StoreVersionError(f"{where} is at schema {current!r}, newer than requested {wanted!r}")
        else:
            log.info("upgrading store %s: schema %s -> %s", where, current, wanted)
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, wanted)
        return wanted
