"""A running set of lab services for the tests, on ports picked free (a real `lab up` may be running)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from netcomply.app.lab.services import LabServices, load_scenario, start_services


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServices]:
    """The services run on their own event loop in a thread, so the tests use ordinary blocking clients."""
    state: Path = tmp_path_factory.mktemp("services")
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="lab-services", daemon=True)
    thread.start()
    started = asyncio.run_coroutine_threadsafe(start_services(load_scenario(), state, auto_ports=True), loop)
    services = started.result(timeout=20)
    try:
        yield services
    finally:
        asyncio.run_coroutine_threadsafe(services.close(), loop).result(timeout=20)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
