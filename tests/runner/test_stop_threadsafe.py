"""A run whose lock was taken over stops collecting: the lock's heartbeat thread calls
Runner.stop_threadsafe, which hands the stop to the runner's event loop (asyncio is not thread-safe), keeps
every finished result, and marks the run interrupted; a stop asked for before the run starts holds too."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import ClassVar

from collectors.base import CollectContext, Collector, CollectorOutput
from netcomply.app.runner import Runner, RunnerOptions, plan
from netcomply.models import Device, DeviceResult, RunStatus
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver


class Sink:
    def __init__(self) -> None:
        self.results: list[DeviceResult] = []

    def record_device_result(self, run_id: str, result: DeviceResult) -> None:
        self.results.append(result)


class Slow(Collector):
    """d0-d2 answer at once, the others take 20 s."""

    name: ClassVar[str] = "slow"

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        await asyncio.sleep(0.01 if int(device.name[1:]) < 3 else 20)
        return CollectorOutput()


def _ctx() -> CollectContext:
    return CollectContext(run_id="t", secrets=SecretResolver({}, {}), targets=TargetPolicy.loopback_only())


def _devices(n: int) -> list[Device]:
    return [Device(name=f"d{i}", address="127.0.0.1") for i in range(n)]


def test_stop_from_another_thread_ends_the_run_keeping_what_finished() -> None:
    sink = Sink()
    runner = Runner(_ctx(), sink, RunnerOptions(concurrency=10))

    def heartbeat_thread() -> None:
        while len(sink.results) < 3:
            time.sleep(0.01)
        runner.stop_threadsafe()

    stopper = threading.Thread(target=heartbeat_thread)
    stopper.start()
    started = time.monotonic()
    outcome = runner.run(plan(_devices(10), [Slow()]))
    stopper.join(5)
    assert time.monotonic() - started < 10  # not the 20 s of the slow devices
    assert outcome.status is RunStatus.INTERRUPTED
    assert sorted(r.device for r in sink.results) == ["d0", "d1", "d2"]


def test_stop_asked_before_the_run_starts_stops_it_at_once() -> None:
    sink = Sink()
    runner = Runner(_ctx(), sink, RunnerOptions(concurrency=10))
    runner.stop_threadsafe()
    started = time.monotonic()
    outcome = runner.run(plan(_devices(10), [Slow()]))
    assert time.monotonic() - started < 5
    assert outcome.status is RunStatus.INTERRUPTED
