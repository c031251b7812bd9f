"""A collector that runs out of its time budget on the lab's slow device (dt-slow1, 8 s per command, over real SSH)
lets go of the device at once: when the runner records the timeout, the collector's worker thread has ended and
this process holds no TCP connection to the device any more; the other devices' results are complete.

(Before: the worker thread went on reading from the device until it answered, and the run could not end before
that thread did: a whole-lab audit at --timeout 8 lasted ~36 s. The wall time is measured by
benchmarks/bench_slow_device.py, never here.)
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from collectors.base import CollectContext, CollectorOutput
from collectors.cli_facts import CliFacts
from collectors.firewall.collector import FirewallRules
from netcomply.app.audit import AuditOptions, build_context
from netcomply.app.lab.manager import LabInfo
from netcomply.app.runner import Runner, RunnerOptions, plan
from netcomply.errors import ErrorClass
from netcomply.inventory import load_inventory
from netcomply.models import Device, DeviceResult, DeviceStatus
from tests.runner.test_runner import ListSink

pytestmark = pytest.mark.lab

BUDGET = 3.0  # the slow device takes 8 s for each command (its login alone sends several)
SLOW = "dt-slow1"
FINE = ("cg-rtr1", "cg-fw1")  # an IOS router and an ASA firewall that answer at once


def established_to(address: str, port: int) -> int:
    """How many of this process's TCP sockets are connected (ESTABLISHED) to ``address``:``port`` (/proc/net/tcp,
    matched to /proc/self/fd by inode: other processes' connections to the same device do not count)."""
    mine = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            link = os.readlink(fd)
        except OSError:
            continue
        if link.startswith("socket:["):
            mine.add(link[8:-1])
    want = f"{int.from_bytes(socket.inet_aton(address), sys.byteorder):08X}:{port:04X}"
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        remote, state, inode = fields[2], fields[3], fields[9]
        if remote == want and state == "01" and inode in mine:
            count += 1
    return count


class Watched:
    """Mixin for a real collector: remembers the thread that does its blocking SSH work, per device."""

    threads: dict[str, threading.Thread]

    def _collect_blocking(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        self.threads[device.name] = threading.current_thread()
        return super()._collect_blocking(device, ctx)  # type: ignore[misc]


class WatchedCliFacts(Watched, CliFacts):
    pass


class WatchedFirewall(Watched, FirewallRules):
    pass


def lab_devices(lab: LabInfo, role: str | None) -> tuple[list[Device], CollectContext, int]:
    inv = load_inventory(lab.inventory)
    by_name = {d.name: d for d in inv.devices}
    slow = by_name[SLOW]
    if role is not None:  # the firewall collector reads routers and firewalls: let it read the slow switch as one
        slow = slow.model_copy(update={"role": role})
    chosen = [slow, *(by_name[n] for n in FINE)]
    ssh = by_name[SLOW].ssh
    assert ssh is not None
    return chosen, build_context(inv, "test-slow-budget", AuditOptions(operator="pytest")), ssh.port


@pytest.mark.parametrize(("collector_class", "role"), [(WatchedCliFacts, None), (WatchedFirewall, "router")],
                         ids=["cli_facts", "firewall_rules"])
def test_a_collector_out_of_budget_lets_go_of_the_slow_device(
    city_lab: LabInfo, collector_class: type[WatchedCliFacts] | type[WatchedFirewall], role: str | None
) -> None:
    devices, ctx, port = lab_devices(city_lab, role)
    slow = next(d for d in devices if d.name == SLOW)
    collector = collector_class()
    collector.threads = {}
    at_timeout: dict[str, Any] = {}

    def progress(result: DeviceResult) -> None:  # on the event loop, as the result is stored
        if result.device == SLOW:
            thread = collector.threads.get(SLOW)
            at_timeout.update(thread_alive=thread is not None and thread.is_alive(),
                              thread_seen=thread is not None,
                              connections=established_to(slow.address, port))

    sink = ListSink()
    options = RunnerOptions(concurrency=len(devices), device_timeout=BUDGET, retries=0)
    Runner(ctx, sink, options, progress=progress).run(plan(devices, [collector]))

    results = {r.device: r for r in sink.results}
    assert set(results) == {d.name for d in devices}
    timed_out = results[SLOW]
    assert timed_out.status is DeviceStatus.ERROR and timed_out.error_class is ErrorClass.TIMEOUT, timed_out.cause
    assert timed_out.cause == f"{collector.name} did not finish within {BUDGET:g} s"
    # When the timeout is recorded, the device is let go of: its worker thread has ended, its connection is closed.
    assert at_timeout == {"thread_seen": True, "thread_alive": False, "connections": 0}
    for name in FINE:
        assert results[name].status is DeviceStatus.OK, (name, results[name].cause)
        assert results[name].observations, name
    assert not collector.threads[SLOW].is_alive()
