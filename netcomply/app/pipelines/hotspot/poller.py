"""The hotspot poller: sample every hotspot on a fixed grid, for days, and append each round to the store.

Why it is built like this:

* **Fixed grid.** Round *k* is scheduled at ``k * interval`` seconds since the Unix epoch, not "interval after
  the last round ended", so rounds never drift with their own duration, a restarted poller lands on the same
  slots, and (with the store's unique (hotspot, slot)) an overlapping or restarted poller duplicates nothing.
  Each round's start is compared with its slot (``drift``); a round that takes longer than the interval is an
  **overrun**: it is logged and the slots it ran over are skipped (they show as gaps, never as invented data).
* **One asyncio loop, bounded concurrency, one SNMP client** (one socket / engine) for every device. A
  controller is read once per round for all its hotspots.
* **Every round is one transaction**, written by one writer thread while the next round waits for its slot: a
  killed poller keeps every round it finished; SIGINT/SIGTERM finish the round in flight, write it, and stop.
* **Unknown is not down.** A controller that does not answer makes its hotspots *unknown*; a standalone AP
  that does not answer SNMP is *down* only when its address does not answer either (TCP or ICMP).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import signal
import statistics
import time
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from collectors.hotspot.reach import Reach, icmp_reach, tcp_reach
from collectors.hotspot.snmp_probe import ApReading, read_ap, read_controller
from collectors.transports.snmp import SnmpClient, target_for
from collectors.transports.ssh_worker import run_abortable
from netcomply.errors import DeviceError, ErrorClass
from netcomply.hotspot_samples import HotspotSample, SampleStatus
from netcomply.models import Device, Hotspot, Inventory
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver

log = logging.getLogger("netcomply.app.pipelines.hotspot")

Via = Literal["snmp", "ssh"]
ReachMethod = Literal["tcp", "icmp", "none"]
#: Standalone APs are read in full (interface types and states) every this many rounds, else by one GET.
REFRESH_ROUNDS = 60


@dataclass(frozen=True)
class PollOptions:
    interval: float = 60.0
    count: int | None = None  # stop after this many rounds
    duration: float | None = None  # stop after this many seconds
    concurrency: int = 200
    via: Via = "snmp"
    reach: ReachMethod = "tcp"
    reach_port: int = 22
    reach_timeout: float = 1.0
    snmp_timeout: float | None = None  # None: each device's own inventory setting


@dataclass
class PollTarget:
    """One thing asked per round: a controller (for all its hotspots) or a standalone AP."""

    device: Device
    hotspots: list[Hotspot]
    controller: str | None  # cisco / huawei for a controller, None for the AP itself


@dataclass
class RoundResult:
    slot: float
    started: float
    seconds: float
    samples: list[HotspotSample]
    written: int = 0

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in SampleStatus}
        for s in self.samples:
            out[s.status.value] += 1
        return out


@dataclass
class PollSummary:
    session: str
    interval: float
    rounds: int = 0
    samples: int = 0
    written: int = 0
    overruns: int = 0
    missed_slots: int = 0
    drift_ms: list[float] = field(default_factory=list)
    round_s: list[float] = field(default_factory=list)
    status: str = "complete"
    last_counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        def stats(values: list[float]) -> dict[str, float | None]:
            if not values:
                return {"mean": None, "max": None}
            return {"mean": round(statistics.fmean(values), 3), "max": round(max(values), 3)}

        return {
            "session": self.session, "status": self.status, "interval_s": self.interval, "rounds": self.rounds,
            "samples": self.samples, "written": self.written, "already_stored": self.samples - self.written,
            "overruns": self.overruns, "missed_slots": self.missed_slots, "drift_ms": stats(self.drift_ms),
            "round_s": stats(self.round_s), "last_round": self.last_counts,
        }


def controller_vendor(device: Device) -> str | None:
    """cisco or huawei from the controller's platform or brand (None when we know no AP table for it)."""
    hints = " ".join(str(x).lower() for x in (device.platform, device.vars.get("brand"),
                                               (device.vars.get("lab") or {}).get("brand")) if x)
    if "cisco" in hints:
        return "cisco"
    if "huawei" in hints:
        return "huawei"
    return None


def plan_targets(inventory: Inventory) -> list[PollTarget]:
    """Group the inventory's hotspots by the device asked for them (controllers once for all their APs)."""
    by_device: dict[str, PollTarget] = {}
    for h in inventory.hotspots:
        name = h.device or h.name
        try:
            device = inventory.device(name)
        except KeyError:
            continue  # the inventory loader already refused a hotspot whose device is not a host
        is_controller = device.role == "wlc" or (h.ap_name is not None and h.ap_name != device.name)
        target = by_device.get(name)
        if target is None:
            target = by_device[name] = PollTarget(device, [], controller_vendor(device) if is_controller else None)
        target.hotspots.append(h)
    return [by_device[k] for k in sorted(by_device)]


class Poller:
    """Polls the planned targets round after round; ``write`` persists one round's samples (it runs in a
    single writer thread) and returns how many were new."""

    def __init__(
        self,
        targets: Sequence[PollTarget],
        *,
        secrets: SecretResolver,
        policy: TargetPolicy,
        options: PollOptions,
        write: Callable[[list[HotspotSample]], int],
        session: str,
        on_round: Callable[[RoundResult, PollSummary], None] | None = None,
        ssh_reader: Callable[[PollTarget], dict[str, ApReading]] | None = None,
    ) -> None:
        self.targets = list(targets)
        self.secrets = secrets
        self.policy = policy
        self.options = options
        self.write = write
        self.session = session
        self.on_round = on_round
        self.ssh_reader = ssh_reader
        self.client = SnmpClient(policy=policy, max_concurrency=options.concurrency)
        self.stop = asyncio.Event()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hotspot-writer")
        self._sem: asyncio.Semaphore | None = None
        self._watched: dict[str, list[str] | None] = {}  # standalone AP -> the ifIndexes that tell its state
        self._rounds = 0

    # ------------------------------------------------------------------------------------------ one round

    async def poll_round(self, slot: float) -> RoundResult:
        started = time.time()
        self._sem = self._sem or asyncio.Semaphore(self.options.concurrency)
        parts = await asyncio.gather(*(self._poll_target(t, slot) for t in self.targets))
        samples = [s for part in parts for s in part]
        self._rounds += 1
        return RoundResult(slot, started, time.time() - started, samples)

    async def _poll_target(self, target: PollTarget, slot: float) -> list[HotspotSample]:
        assert self._sem is not None
        async with self._sem:
            try:
                if target.controller is not None:
                    return await self._controller(target, slot)
                return await self._standalone(target, slot)
            except Exception as exc:  # one device never stops a round
                log.exception("polling %s failed", target.device.name)
                return [self._sample(h, slot, time.time(), SampleStatus.UNKNOWN, source="error",
                                     detail={"error": "internal", "cause": f"{type(exc).__name__}: {exc}"})
                        for h in target.hotspots]

    def _snmp_target(self, device: Device) -> Any:
        target = target_for(device, self.secrets)
        if self.options.snmp_timeout is not None:
            from dataclasses import replace

            target = replace(target, timeout=self.options.snmp_timeout)
        return target

    async def _controller(self, target: PollTarget, slot: float) -> list[HotspotSample]:
        device = target.device
        source = f"{self.options.via}:{target.controller or 'controller'}"
        try:
            if self.options.via == "ssh":
                if self.ssh_reader is None:
                    raise DeviceError(ErrorClass.CONFIG, "no SSH reader configured", device=device.name)
                reader = self.ssh_reader  # a thread the slot's budget can stop (its SSH sessions are closed)
                table = await run_abortable(lambda: reader(target), name=f"nc-ssh-hotspot-{device.name}")
            else:
                if device.snmp is None:
                    raise DeviceError(ErrorClass.CONFIG, "controller has no SNMP settings", device=device.name)
                if target.controller is None:
                    raise DeviceError(ErrorClass.CONFIG, "no AP table known for this controller's platform "
                                      f"({device.platform or 'none'})", device=device.name)
                table = await read_controller(self.client, self._snmp_target(device), target.controller)
        except DeviceError as exc:
            at = time.time()
            # The controller did not answer: we cannot tell whether its APs are up. That is a gap, not an outage.
            return [self._sample(h, slot, at, SampleStatus.UNKNOWN, source=source,
                                 detail={"error": exc.error_class.value, "cause": exc.cause, "controller": device.name})
                    for h in target.hotspots]
        at = time.time()
        out = []
        for h in target.hotspots:
            reading = table.get(h.ap_name or h.name)
            if reading is None:
                out.append(self._sample(h, slot, at, SampleStatus.DOWN, source=source,
                                        detail={"controller": device.name, "cause": "not listed by the controller"}))
                continue
            out.append(self._sample(h, slot, reading.at or at, SampleStatus.UP if reading.up else SampleStatus.DOWN,
                                    source=source,
                                    uptime=reading.uptime_s, clients=reading.clients,
                                    detail={"controller": device.name, **reading.detail}))
        return out

    async def _standalone(self, target: PollTarget, slot: float) -> list[HotspotSample]:
        device = target.device
        reading: ApReading | None = None
        detail: dict[str, Any] = {}
        if device.snmp is not None:
            try:
                # after a full read, one GET per round; a fresh full read every REFRESH_ROUNDS rounds (the first
                # round after a start reads every AP in full: interface discovery, logged as an overrun if slow)
                cached = self._watched.get(device.name)
                # each AP refreshes in its own round of the cycle, so no round does them all at once
                fresh = cached is None or (self._rounds + zlib.crc32(device.name.encode())) % REFRESH_ROUNDS == 0
                reading = await read_ap(self.client, self._snmp_target(device), None if fresh else cached)
                self._watched[device.name] = list(reading.detail.pop("watched_ifs", None) or []) or None
            except DeviceError as exc:
                self._watched.pop(device.name, None)
                detail = {"error": exc.error_class.value, "cause": exc.cause}
        else:
            detail = {"cause": "no SNMP settings: reachability only"}
        if reading is not None:
            at = reading.at or time.time()
            status = SampleStatus.UP if reading.up else SampleStatus.DOWN
            return [self._sample(h, slot, at, status, source="snmp:ap", uptime=reading.uptime_s,
                                 clients=reading.clients, detail=reading.detail) for h in target.hotspots]
        reach = await self._reach(device)
        at = time.time()
        if reach is None:
            status = SampleStatus.UNKNOWN
        else:
            detail["reach"] = {"method": reach.method, "reachable": reach.reachable, "rtt_ms": reach.rtt_ms,
                               "cause": reach.cause}
            # Nothing answers at all: the AP is down. The address answers but SNMP does not: we cannot tell.
            status = SampleStatus.DOWN if not reach.reachable else SampleStatus.UNKNOWN
            if reach.reachable and device.snmp is None:
                status = SampleStatus.UP
        source = ("snmp+" if device.snmp else "") + (reach.method if reach else "none")
        return [self._sample(h, slot, at, status, source=source, detail=detail) for h in target.hotspots]

    async def _reach(self, device: Device) -> Reach | None:
        if self.options.reach == "none":
            return None
        if self.options.reach == "icmp":
            return await icmp_reach(device.address, self.options.reach_timeout, self.policy)
        return await tcp_reach(device.address, self.options.reach_port, self.options.reach_timeout, self.policy)

    def _sample(self, h: Hotspot, slot: float, at: float, status: SampleStatus, *, source: str,
                uptime: float | None = None, clients: int | None = None,
                detail: dict[str, Any] | None = None) -> HotspotSample:
        return HotspotSample(
            hotspot=h.name, slot=datetime.fromtimestamp(slot, UTC), measured_at=datetime.fromtimestamp(at, UTC),
            status=status, interval_s=self.options.interval, uptime_s=uptime, clients=clients, site=h.site,
            zone=h.zone, agency=h.agency, source=source, detail=detail or {}, session_id=self.session,
        )

    # ------------------------------------------------------------------------------------------ the loop

    def next_slot(self, after: float) -> float:
        """The first grid point at or after ``after``."""
        i = self.options.interval
        return math.ceil(after / i - 1e-9) * i

    async def run(self) -> PollSummary:
        """Poll until ``count`` rounds, ``duration`` seconds, or a stop request (SIGINT/SIGTERM)."""
        opts = self.options
        summary = PollSummary(self.session, opts.interval)
        loop = asyncio.get_running_loop()
        self._sem = None  # asyncio primitives belong to one loop: a poller may be run again in a new one
        if not self.stop.is_set():
            self.stop = asyncio.Event()
        if getattr(self._writer, "_shutdown", False):
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hotspot-writer")
        installed = self._install_signals(loop)
        deadline = time.time() + opts.duration if opts.duration is not None else None
        slot = self.next_slot(time.time())
        pending: asyncio.Future[int] | None = None
        try:
            while not self.stop.is_set():
                if deadline is not None and slot >= deadline:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), timeout=max(0.0, slot - time.time()))
                if self.stop.is_set():
                    break
                result = await self.poll_round(slot)
                summary.drift_ms.append((result.started - slot) * 1000)
                summary.round_s.append(result.seconds)
                if pending is not None:
                    summary.written += await pending
                pending = loop.run_in_executor(self._writer, self.write, result.samples)
                summary.rounds += 1
                summary.samples += len(result.samples)
                summary.last_counts = result.counts()
                if self.on_round is not None:
                    self.on_round(result, summary)
                if opts.count is not None and summary.rounds >= opts.count:
                    break
                following = self.next_slot(slot + opts.interval)
                now = time.time()
                if now > following:
                    skipped = self.next_slot(now) - following
                    missed = round(skipped / opts.interval)
                    summary.overruns += 1
                    summary.missed_slots += missed
                    log.warning("round of %s took %.2fs, longer than the %.2fs interval: skipping %d slot(s)",
                                datetime.fromtimestamp(slot, UTC).isoformat(), result.seconds, opts.interval, missed)
                    following = self.next_slot(now)
                slot = following
        finally:
            if pending is not None:
                summary.written += await pending
            self._writer.shutdown(wait=True)
            for sig in installed:
                loop.remove_signal_handler(sig)
            self.client.close()
        if self.stop.is_set():
            summary.status = "interrupted"
        return summary

    def _install_signals(self, loop: asyncio.AbstractEventLoop) -> list[int]:
        installed: list[int] = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self.request_stop, sig)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread: the caller stops us
                continue
            installed.append(sig)
        return installed

    def request_stop(self, sig: int | None = None) -> None:
        if sig is not None:
            log.warning("signal %s: finishing the round in flight, then stopping", signal.Signals(sig).name)
        self.stop.set()
