"""Fixtures of the hotspot tests: a store on SQLite and on PostgreSQL (the store tests' server)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from netcomply.store.pgtest import create_schema


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store" / "netcomply.db")
    return str(create_schema(request.getfixturevalue("pg_server")))


@pytest.fixture(scope="session")
def hotspot_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The city's WLAN controllers and APs as SNMP agents (own free port), and an inventory polling them."""
    from netcomply.app.lab.hotspot_lab import hotspot_lab as start

    with start(tmp_path_factory.mktemp("hotspot-lab")) as lab:
        yield lab
