"""Fixtures of the hotspot tests: a store on SQLite and on PostgreSQL (the store tests' server)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from netcomply.store.pgtest import PostgresUnavailable, create_schema, start_postgres


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    try:
        url, stop = start_postgres()
    except PostgresUnavailable as exc:
        pytest.skip(f"no PostgreSQL server binaries: {exc}")
    try:
        yield url
    finally:
        stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store" / "netcomply.db")
    return str(create_schema(request.getfixturevalue("pg_server")))
