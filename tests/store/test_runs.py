"""Run ids, prefix lookup, locations, and detection of runs whose process died."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from netcomply.errors import InputError
from netcomply.models import DeviceResult, Run, RunStatus
from netcomply.store import Store, StoreError, default_db_url, new_run_id
from netcomply.store.engine import make_engine
from netcomply.store.ids import RUN_ID_PATTERN
from netcomply.store.location import mask, resolve_url

WHEN = datetime(2026, 11, 22, 4, 50, 12, tzinfo=UTC)


def test_run_ids_are_readable_sortable_and_distinct() -> None:
    run_id = new_run_id(WHEN)
    assert RUN_ID_PATTERN.match(run_id) and run_id.startswith("20261122T045012Z-")
    assert new_run_id(WHEN.astimezone(timezone(timedelta(hours=8)))).startswith("20261122T045012Z-")
    ids = [new_run_id(WHEN + timedelta(seconds=s)) for s in (0, 1, 59, 3600, 86400 * 40)]
    assert ids == sorted(ids)
    assert len({new_run_id(WHEN) for _ in range(500)}) >= 495  # 24 random bits per second
    with pytest.raises(ValueError, match="timezone-aware"):
        new_run_id(datetime(2026, 1, 1))


def test_prefix_lookup(store: Store, make_run: Callable[..., Run]) -> None:
    a = make_run(id=new_run_id(WHEN), started_at=WHEN)
    b = make_run(id=new_run_id(WHEN), started_at=WHEN)
    c = make_run(id=new_run_id(WHEN + timedelta(days=1)), started_at=WHEN + timedelta(days=1))
    assert a.id != b.id
    assert store.get_run(a.id) == a
    assert store.get_run(c.id[:9]) == c  # "20261123T" is unique
    assert store.get_run(f"  {b.id[:-2]} ") == b
    with pytest.raises(InputError, match="ambiguous") as caught:
        store.get_run("20261122T")
    assert a.id in str(caught.value) and b.id in str(caught.value)
    with pytest.raises(InputError, match="no run id starts with '2025'"):
        store.get_run("2025")
    with pytest.raises(InputError, match="no run id starts with"):
        store.get_run("20261123t")  # exact, case-sensitive on both backends
    with pytest.raises(InputError, match="no run id starts with"):
        store.get_run("2026112_T%")  # LIKE wildcards are literal
    with pytest.raises(InputError, match="empty"):
        store.get_run(" ")


def test_duplicate_run_id_is_refused(store: Store, make_run: Callable[..., Run]) -> None:
    run = make_run()
    with pytest.raises(StoreError, match="already exists"):
        make_run(id=run.id)


def test_stale_runs_of_dead_processes_are_interrupted(store: Store, store_url: str,
                                                      make_run: Callable[..., Run],
                                                      make_result: Callable[..., DeviceResult]) -> None:
    mine, dead, foreign, reused, done = (make_run() for _ in range(5))
    store.record_device_result(dead.id, make_result())
    last = store.device_results(dead.id)[-1].finished_at
    store.finish_run(done.id, RunStatus.COMPLETE)
    dead_pid = _dead_pid()
    engine = make_engine(resolve_url(store_url))
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE runs SET pid = :p, process_token = NULL WHERE id = :i"),
                         {"p": dead_pid, "i": dead.id})
            conn.execute(text("UPDATE runs SET hostname = 'collector-b.example', pid = :p WHERE id = :i"),
                         {"p": dead_pid, "i": foreign.id})
            # our own live pid, but another process identity: the pid was reused, the owner is gone
            conn.execute(text("UPDATE runs SET process_token = 'other-boot:1' WHERE id = :i"), {"i": reused.id})
    finally:
        engine.dispose()

    flipped = store.mark_stale_runs_interrupted()
    assert sorted(flipped) == sorted([dead.id, reused.id])
    assert store.get_run(dead.id).status == RunStatus.INTERRUPTED
    assert store.get_run(dead.id).finished_at == last
    assert store.get_run(reused.id).finished_at == reused.started_at
    assert store.get_run(mine.id).status == RunStatus.RUNNING
    assert store.get_run(foreign.id).status == RunStatus.RUNNING
    assert store.get_run(done.id).status == RunStatus.COMPLETE
    assert store.mark_stale_runs_interrupted() == []


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    with pytest.raises(ProcessLookupError):
        os.kill(proc.pid, 0)
    return proc.pid


def test_default_db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: os.PathLike[str]) -> None:
    monkeypatch.delenv("NETCOMPLY_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_url() == os.path.join(tmp_path, "netcomply", "netcomply.db")
    monkeypatch.setenv("XDG_DATA_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_db_url() == os.path.join(tmp_path, ".local", "share", "netcomply", "netcomply.db")
    monkeypatch.setenv("NETCOMPLY_DB", "postgresql://audit@db.example/netcomply")
    assert default_db_url() == "postgresql://audit@db.example/netcomply"


def test_open_default_creates_parents(monkeypatch: pytest.MonkeyPatch, tmp_path: os.PathLike[str]) -> None:
    monkeypatch.delenv("NETCOMPLY_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", os.path.join(tmp_path, "deep", "er"))
    with Store.open() as store:
        assert store.url.endswith("/deep/er/netcomply/netcomply.db")
        assert store.list_runs() == []
    assert os.path.isfile(os.path.join(tmp_path, "deep", "er", "netcomply", "netcomply.db"))


def test_urls_are_resolved_and_masked(tmp_path: os.PathLike[str]) -> None:
    pg = resolve_url("postgres://audit:s3cr3t-pw@db.example:5433/netcomply")
    assert pg.drivername == "postgresql+psycopg" and pg.port == 5433
    assert "s3cr3t-pw" not in mask(pg) and "***" in mask(pg)
    assert "s3cr3t-pw" not in mask("postgresql://audit:s3cr3t-pw@db.example/x")
    lite = resolve_url(os.path.join(tmp_path, "a", "b.db"))
    assert lite.drivername == "sqlite+pysqlite" and os.path.isdir(os.path.join(tmp_path, "a"))
    assert resolve_url(f"sqlite:///{tmp_path}/c.db").database == f"{tmp_path}/c.db"
    for bad, message in [("mysql://x/y", "unsupported database URL scheme 'mysql'"),
                         ("sqlite://", "in-memory"), ("", "empty"), (str(tmp_path), "is a directory")]:
        with pytest.raises(InputError, match=re.escape(message)):
            resolve_url(bad)


@pytest.mark.postgres
def test_store_url_hides_password(pg_server: str) -> None:
    with_password = pg_server.replace("postgres@", "postgres:hunter2-pw@")  # trust auth ignores it
    with Store.open(with_password) as store:
        assert "hunter2-pw" not in store.url and "***" in store.url and "hunter2-pw" not in repr(store)


def test_unreachable_server_is_a_clear_error(tmp_path: os.PathLike[str]) -> None:
    from netcomply.store.pgtest import free_port

    with pytest.raises(StoreError, match=r"cannot open store postgresql\+psycopg://nc:\*\*\*@127.0.0.1"):
        Store.open(f"postgresql://nc:pw@127.0.0.1:{free_port()}/nothing?connect_timeout=3")
