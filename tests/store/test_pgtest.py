"""The reusable PostgreSQL helper: other test folders call start_postgres(tmp_path) directly."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from netcomply.store import Store
from netcomply.store.pgtest import PostgresUnavailable, create_database, start_postgres


@pytest.mark.postgres
@pytest.mark.slow
def test_start_use_and_stop(tmp_path: Path) -> None:
    try:
        url, stop = start_postgres(tmp_path)  # pytest's tmp_path: not reachable by postgres, falls back
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    try:
        assert url.startswith("postgresql://postgres@127.0.0.1:")
        with psycopg.connect(url) as conn:
            version = conn.execute("SHOW server_version").fetchone()
            socket_dir = conn.execute("SHOW unix_socket_directories").fetchone()
        assert version and socket_dir and Path(socket_dir[0]).is_dir()
        with Store.open(create_database(url, "nc_helper")) as store:
            assert store.list_runs() == []
    finally:
        stop()
    assert not Path(socket_dir[0]).exists()  # data dir and socket removed
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=3)
    stop()  # idempotent
