from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from collectors.transports.snmp import SnmpClient
from netcomply.app.lab.snmp.fixtures import SnmpLab, snmp_lab
from netcomply.safety.targets import TargetPolicy


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpLab]:
    """The default lab's SNMP agents (one snmpsim process) for the whole session."""
    with snmp_lab(tmp_path_factory.mktemp("snmplab")) as running:
        yield running


@pytest.fixture(scope="session")
def runner() -> Iterator[asyncio.Runner]:
    """One event loop for the session, so one pysnmp engine serves every test (a new engine costs ~0.5 s)."""
    with asyncio.Runner() as r:
        yield r


@pytest.fixture(scope="session")
def client(runner: asyncio.Runner) -> Iterator[SnmpClient]:
    c = SnmpClient(policy=TargetPolicy.loopback_only())
    yield c
    c.close()
