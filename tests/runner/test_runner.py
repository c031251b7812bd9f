"""Runner semantics: bounded concurrency, per-device timeout, retries only for transient faults, a crash
in one collector contained to its device, and a stop that keeps every finished result."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import ClassVar

import pytest

from collectors.base import CollectContext, Collector, CollectorOutput
from netcomply.app.runner import Runner, RunnerOptions, plan
from netcomply.errors import DeviceError, ErrorClass
from netcomply.models import Device, DeviceResult, DeviceStatus, Observation, RunStatus
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver


class ListSink:
    """The smallest real sink: keeps results in order, from the writer thread."""

    def __init__(self) -> None:
        self.results: list[DeviceResult] = []
        self.threads: set[str] = set()

    def record_device_result(self, run_id: str, result: DeviceResult) -> None:
        self.threads.add(threading.current_thread().name)
        self.results.append(result)


def ctx() -> CollectContext:
    return CollectContext(run_id="test", secrets=SecretResolver({}, {}), targets=TargetPolicy.loopback_only())


def devices(n: int) -> list[Device]:
    return [Device(name=f"d{i}", address="127.0.0.1") for i in range(n)]


class Echo(Collector):
    name: ClassVar[str] = "echo"

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        out = CollectorOutput()
        out.observe(Observation(device.name, self.name, "test.echo", {"name": device.name}, "test"))
        return out


class Gauge(Collector):
    """Counts how many devices are being worked on at once."""

    name: ClassVar[str] = "gauge"

    def __init__(self) -> None:
        self.now = 0
        self.peak = 0

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        self.now += 1
        self.peak = max(self.peak, self.now)
        await asyncio.sleep(0.01)
        self.now -= 1
        return CollectorOutput()


class Faulty(Collector):
    """d0 refuses login, d1 hangs, d2 answers garbage, d3 crashes, d4 fails once then works, others are fine."""

    name: ClassVar[str] = "faulty"

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        n = self.calls[device.name] = self.calls.get(device.name, 0) + 1
        if device.name == "d0":
            raise DeviceError(ErrorClass.AUTH_FAILED, "login refused", device.name)
        if device.name == "d1":
            await asyncio.sleep(30)
        if device.name == "d2":
            raise DeviceError(ErrorClass.PARSE, "garbage", device.name)
        if device.name == "d3":
            raise ZeroDivisionError("a bug")
        if device.name == "d4" and n == 1:
            raise DeviceError(ErrorClass.UNREACHABLE, "connection refused", device.name)
        return CollectorOutput()


def test_every_device_gets_a_result_and_writes_come_from_one_thread() -> None:
    sink = ListSink()
    outcome = Runner(ctx(), sink, RunnerOptions(concurrency=8)).run(plan(devices(50), [Echo()]))
    assert outcome.status is RunStatus.COMPLETE
    assert sorted(r.device for r in sink.results) == sorted(f"d{i}" for i in range(50))
    assert all(r.observations[0].data == {"name": r.device} for r in sink.results)
    assert len(sink.threads) == 1 and next(iter(sink.threads)).startswith("nc-writer")


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_concurrency_is_bounded(limit: int) -> None:
    gauge = Gauge()
    Runner(ctx(), ListSink(), RunnerOptions(concurrency=limit)).run(plan(devices(40), [gauge]))
    assert gauge.peak == limit


def test_faults_are_classified_and_contained() -> None:
    sink = ListSink()
    faulty = Faulty()
    options = RunnerOptions(concurrency=10, device_timeout=0.5, retries=2, backoff=0.01)
    outcome = Runner(ctx(), sink, options).run(plan(devices(8), [faulty]))
    by_device = {r.device: r for r in sink.results}
    assert outcome.status is RunStatus.PARTIAL
    assert by_device["d0"].error_class is ErrorClass.AUTH_FAILED and by_device["d0"].attempts == 1
    assert by_device["d1"].error_class is ErrorClass.TIMEOUT
    assert by_device["d2"].error_class is ErrorClass.PARSE and by_device["d2"].attempts == 1
    assert by_device["d3"].error_class is ErrorClass.INTERNAL and "ZeroDivisionError" in (by_device["d3"].cause or "")
    assert by_device["d4"].status is DeviceStatus.OK and by_device["d4"].attempts == 2
    assert all(by_device[f"d{i}"].status is DeviceStatus.OK for i in (5, 6, 7))
    assert faulty.calls["d0"] == 1  # a refused login is never retried (accounts get locked)
    assert outcome.errors == {"auth_failed": 1, "timeout": 1, "parse": 1, "internal": 1}


def test_stop_keeps_finished_results_and_marks_interrupted() -> None:
    class Slow(Collector):
        name: ClassVar[str] = "slow"

        async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
            await asyncio.sleep(0.05 if int(device.name[1:]) < 5 else 10)
            return CollectorOutput()

    sink = ListSink()
    runner = Runner(ctx(), sink, RunnerOptions(concurrency=20))

    async def main() -> RunStatus:
        task = asyncio.create_task(runner.run_async(plan(devices(20), [Slow()])))
        await asyncio.sleep(0.5)
        runner.stop()
        return (await task).status

    started = time.monotonic()
    status = asyncio.run(main())
    assert status is RunStatus.INTERRUPTED
    assert time.monotonic() - started < 5
    assert sorted(r.device for r in sink.results) == [f"d{i}" for i in range(5)]


def test_plan_skips_finished_pairs_and_inapplicable_collectors() -> None:
    class OnlyD1(Echo):
        name: ClassVar[str] = "only-d1"

        def applies_to(self, device: Device) -> bool:
            return device.name == "d1"

    tasks = plan(devices(3), [Echo(), OnlyD1()], skip={("d0", "echo")})
    assert [(t.device.name, [c.name for c in t.collectors]) for t in tasks] == [
        ("d1", ["echo", "only-d1"]),
        ("d2", ["echo"]),
    ]


def test_a_broken_transport_is_not_tried_again_for_the_same_device() -> None:
    calls: list[tuple[str, str]] = []

    class Login(Collector):
        name: ClassVar[str] = "login"
        transport: ClassVar[str] = "ssh"

        async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
            calls.append((device.name, self.name))
            if device.name == "d0":
                raise DeviceError(ErrorClass.AUTH_FAILED, "login refused", device.name)
            if device.name == "d1":
                raise DeviceError(ErrorClass.PARSE, "odd output", device.name)
            return CollectorOutput()

    class Config(Login):
        name: ClassVar[str] = "config"

    class Snmp(Echo):
        name: ClassVar[str] = "snmp"
        transport: ClassVar[str] = "snmp"

    sink = ListSink()
    Runner(ctx(), sink, RunnerOptions(retries=0)).run(plan(devices(2), [Login(), Config(), Snmp()]))
    by_pair = {(r.device, r.collector): r for r in sink.results}
    assert ("d0", "config") not in calls  # never asked again after the refused login
    assert by_pair[("d0", "config")].status is DeviceStatus.SKIPPED
    assert "login refused" in (by_pair[("d0", "config")].cause or "")
    assert by_pair[("d0", "snmp")].status is DeviceStatus.OK  # another transport still tried
    assert ("d1", "config") in calls  # a parse error says nothing about the transport
