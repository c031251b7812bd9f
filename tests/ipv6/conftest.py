"""Lab services for the IPv6 tests: the packaged scenario on free ports, in a thread with its own event loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from netcomply.app.lab.services import LabServices, load_scenario, start_services
from netcomply.app.lab.services.inventory import inventory_services
from netcomply.models import Service


@pytest.fixture(scope="module")
def services_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServices]:
    state: Path = tmp_path_factory.mktemp("ipv6-services")
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="ipv6-lab-services", daemon=True)
    thread.start()
    started = asyncio.run_coroutine_threadsafe(start_services(load_scenario(), state, auto_ports=True), loop)
    services = started.result(timeout=20)
    services.write_json()
    try:
        yield services
    finally:
        asyncio.run_coroutine_threadsafe(services.close(), loop).result(timeout=20)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


@pytest.fixture(scope="module")
def lab_services(services_lab: LabServices) -> list[Service]:
    """The city's services as the lab writes them into the inventory (with endpoints)."""
    return [Service.model_validate(e) for e in inventory_services(services_lab.state_dir)]
