"""Schema versions: new stores at head, old ones upgraded with a log line, newer ones refused."""

from __future__ import annotations

import logging
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import setuptools
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from netcomply.models import RunStatus
from netcomply.store import Store, StoreError, StoreVersionError
from netcomply.store.engine import make_engine
from netcomply.store.location import resolve_url
from netcomply.store.migrate import (
    MIGRATIONS_DIR,
    VERSION_TABLE,
    current_revision,
    ensure_schema,
    head_revision,
    known_revisions,
)
from netcomply.store.schema import metadata

REPO = Path(__file__).resolve().parents[2]


def test_new_store_is_created_at_head(store: Store) -> None:
    assert store.schema_version() == head_revision() == known_revisions()[-1]


def test_migrations_build_exactly_the_declared_schema(store: Store, store_url: str) -> None:
    engine = make_engine(resolve_url(store_url))
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE, "compare_type": True})
            assert compare_metadata(ctx, metadata) == []
    finally:
        engine.dispose()


def test_old_store_is_upgraded_on_open(store_url: str, caplog: pytest.LogCaptureFixture) -> None:
    first = known_revisions()[0]
    assert first != head_revision(), "needs at least two revisions to exercise an upgrade"
    engine = make_engine(resolve_url(store_url))
    try:
        assert ensure_schema(engine, target=first) == first
        with engine.begin() as conn:
            assert current_revision(conn) == first
            assert "hostname" not in {c["name"] for c in inspect(conn).get_columns("runs")}
            conn.execute(text(
                "INSERT INTO runs (id, started_at, operator, tool_version, parameters, status) "
                "VALUES ('20250101T000000Z-0ld0ld', :t, 'old', '0.1', '{\"a\": 1}', 'running')"),
                {"t": datetime(2025, 1, 1, tzinfo=UTC)})
    finally:
        engine.dispose()

    with caplog.at_level(logging.INFO, logger="netcomply.store"), Store.open(store_url) as store:
        assert store.schema_version() == head_revision()
        run = store.get_run("20250101T000000Z-0ld")
        assert run.parameters == {"a": 1} and run.started_at == datetime(2025, 1, 1, tzinfo=UTC)
        assert store.mark_stale_runs_interrupted() == []  # owner unknown: never flipped
        assert store.get_run(run.id).status == RunStatus.RUNNING
    upgrades = [r.getMessage() for r in caplog.records if r.name == "netcomply.store"]
    assert any(f"{first} -> {head_revision()}" in m for m in upgrades), upgrades

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="netcomply.store"), Store.open(store_url):
        pass
    assert not [r for r in caplog.records if r.name == "netcomply.store"]  # at head: nothing to say


def test_newer_store_is_refused(store_url: str) -> None:
    with Store.open(store_url):
        pass
    engine = make_engine(resolve_url(store_url))
    try:
        with engine.begin() as conn:
            conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0099_from_the_future'"))
        with pytest.raises(StoreVersionError, match=r"'0099_from_the_future'.*newer netcomply"):
            Store.open(store_url)
        with engine.connect() as conn:
            assert current_revision(conn) == "0099_from_the_future"  # left alone
    finally:
        engine.dispose()


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    engine = make_engine(resolve_url(str(path)))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE runs (x INTEGER)"))
    engine.dispose()
    with pytest.raises(StoreError, match="not a netcomply store"):
        Store.open(str(path))


def test_non_database_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not a database, it is a shopping list\n" * 100)
    with pytest.raises(StoreError, match=rf"cannot open store .*{path.name}.*not a database"):
        Store.open(str(path))


def test_migration_scripts_are_package_data() -> None:
    """An installed (non-editable) netcomply must carry env.py, the template and every revision."""
    packages = setuptools.find_packages(str(REPO), include=["netcomply*"])
    for folder in (MIGRATIONS_DIR, MIGRATIONS_DIR / "versions"):
        assert (folder / "__init__.py").is_file()
        assert ".".join(folder.relative_to(REPO).parts) in packages
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    assert "*.mako" in patterns  # script.py.mako, used when a developer writes a new revision
    revision_files = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py") if p.name != "__init__.py")
    assert len(revision_files) == len(known_revisions())
