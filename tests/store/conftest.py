"""Fixtures of the store tests: a store on SQLite and on a real PostgreSQL server, and record factories.

The PostgreSQL server is started once per session from Debian's binaries (see netcomply.store.pgtest);
each test gets its own database on it. Without the binaries the postgres half is skipped, saying why.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from netcomply.errors import ErrorClass
from netcomply.models import DeviceResult, DeviceStatus, Observation, Run, utcnow
from netcomply.safety.redact import capture_artifact
from netcomply.store import Store, new_run_id


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store" / "netcomply.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


_counter = itertools.count()


@pytest.fixture
def make_run(store: Store) -> Callable[..., Run]:
    """Create and persist a run; keyword arguments override fields."""

    def make(**fields: Any) -> Run:
        values: dict[str, Any] = {
            "id": new_run_id(), "started_at": utcnow(), "operator": "tester", "tool_version": "0.0-test",
            "inventory_sha256": "ab" * 32, "inventory_source": "inventory/lab.yaml",
            "parameters": {"limit": None, "collectors": ["cli", "snmp"]},
        }
        values.update(fields)
        return store.create_run(Run(**values))

    return make


def device_result(
    device: str = "sw1",
    collector: str = "cli",
    *,
    observations: int = 2,
    artifacts: int = 1,
    status: DeviceStatus = DeviceStatus.OK,
    error_class: ErrorClass | None = None,
    text: str | None = None,
) -> DeviceResult:
    """A realistic result: artifacts through capture_artifact, observations citing them."""
    start = utcnow()
    arts = [
        capture_artifact(device, collector, f"show run part {i}",
                         text if text is not None else f"hostname {device}\ninterface Gi0/{i}\n" * 20)
        for i in range(artifacts)
    ]
    obs = [
        Observation(device=device, collector=collector, kind="ipv6.interface" if i % 2 else "vendor.identity",
                    data={"index": i, "name": f"Gi0/{i}", "nested": {"list": [1, 2.5, None, True, "字"]}},
                    source=f"ssh:show item {i}", artifacts=[a.sha256 for a in arts])
        for i in range(observations)
    ]
    return DeviceResult(
        device=device, collector=collector, status=status, started_at=start,
        finished_at=start + timedelta(seconds=1.25), attempts=1 + next(_counter) % 3, error_class=error_class,
        cause="timed out after 20 s" if error_class else None, observations=obs, artifacts=arts,
    )


@pytest.fixture
def make_result() -> Callable[..., DeviceResult]:
    return device_result


@pytest.fixture
def count_rows(store_url: str, store: Store) -> Iterator[Callable[[str], int]]:
    """Count rows of a store table through a separate engine (what is really on disk / in the server)."""
    from sqlalchemy import text

    from netcomply.store.engine import make_engine
    from netcomply.store.location import resolve_url

    engine = make_engine(resolve_url(store_url))

    def count(table: str) -> int:
        assert table.isidentifier()
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())

    yield count
    engine.dispose()
