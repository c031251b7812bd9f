"""Fixtures shared by the whole suite: the real lab, started in the background as `netcomply lab up` does."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from netcomply.app.lab.manager import LabInfo, lab_down, lab_up
from netcomply.store.pgtest import PostgresUnavailable, create_schema, start_postgres

if TYPE_CHECKING:
    from collectors.transports.snmp import SnmpClient
    from netcomply.app.lab.snmp.fixtures import SnmpLab

# Ports of the test lab: different from `lab up`'s defaults, so a developer's own lab can keep running.
# NETCOMPLY_TEST_PORT_OFFSET moves them, so that two test sessions can run side by side; each pytest-xdist worker
# (PYTEST_XDIST_WORKER=gwN) moves them by another 1000 * N, so the workers' labs never share a port.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_OFFSET = int(os.environ.get("NETCOMPLY_TEST_PORT_OFFSET", "0")) + 1000 * int(_WORKER.removeprefix("gw") or 0)
TEST_SSH_PORT = 12222 + _OFFSET
TEST_SNMP_PORT = 11161 + _OFFSET


@pytest.fixture(scope="session")
def city_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabInfo]:
    """The default city lab (SSH devices, SNMP agents, services) as background processes."""
    state_dir = tmp_path_factory.mktemp("city-lab")
    info = lab_up(state_dir, ssh_port=TEST_SSH_PORT, snmp_port=TEST_SNMP_PORT, services_auto_ports=True)
    try:
        yield info
    finally:
        lab_down(state_dir)


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running the `netcomply` console script in a subprocess."""
    env = dict(os.environ)
    env["NETCOMPLY_DB"] = str(tmp_path / "cli.db")
    env.pop("NETCOMPLY_DEBUG", None)
    return env


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """One real PostgreSQL server (Debian's binaries, netcomply.store.pgtest) for every test that needs one;
    without the binaries those tests are skipped, saying why."""
    try:
        url, stop = start_postgres()
    except PostgresUnavailable as exc:
        pytest.skip(f"no PostgreSQL server binaries: {exc}")
    try:
        yield url
    finally:
        stop()


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A fresh, empty schema on the session's server (a database per test would cost 0.5 s each)."""
    return create_schema(pg_server)


# The SNMP agents alone (one snmpsim process, no SSH or services), shared by tests/lab/snmp and
# tests/transports/snmp: one lab per pytest run, where each folder used to start its own.
@pytest.fixture(scope="session")
def snmpsim_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpLab]:
    """The default lab's SNMP agents for the whole session."""
    from netcomply.app.lab.snmp.fixtures import snmp_lab

    with snmp_lab(tmp_path_factory.mktemp("snmplab")) as running:
        yield running


@pytest.fixture(scope="session")
def snmp_loop() -> Iterator[asyncio.Runner]:
    """One event loop for the session, so one pysnmp engine serves every test (a new engine costs ~0.5 s)."""
    with asyncio.Runner() as r:
        yield r


@pytest.fixture(scope="session")
def lab_snmp_client(snmp_loop: asyncio.Runner) -> Iterator[SnmpClient]:
    """An SNMP client limited to loopback, on the session's event loop."""
    from collectors.transports.snmp import SnmpClient
    from netcomply.safety.targets import TargetPolicy

    c = SnmpClient(policy=TargetPolicy.loopback_only())
    yield c
    c.close()
