"""The runner: every applicable collector on every device, concurrently, and nothing lost.

Guarantees (see DESIGN.md, "Rules that hold everywhere"):

* **Bounded.** At most ``concurrency`` devices are worked on at once; a device's collectors run one after
  another (one CLI session per device at a time, as a network engineer would).
* **One bad device never stops a run.** Every failure becomes a :class:`DeviceResult` with an
  :class:`ErrorClass` and a cause; a bug in a collector is recorded as ``internal`` for that device only.
* **Retries only where they can help.** Transient faults (unreachable, timeout, protocol) are retried with
  exponential backoff and jitter; a refused login or a parse error is not (retrying a wrong password can
  lock an account).
* **Nothing stored is lost.** Each result is handed to a single writer thread that commits it in its own
  transaction as soon as it arrives; Ctrl-C (or SIGTERM) stops starting new work, lets the writer finish,
  and leaves the run marked ``interrupted`` with every finished device stored.

The runner knows nothing of SSH or SNMP: collectors do. It takes a ``sink`` (the store, or anything with
``record_device_result``) and a progress callback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from collectors.base import CollectContext, Collector
from netcomply.errors import DeviceError, ErrorClass
from netcomply.models import Device, DeviceResult, DeviceStatus, RunStatus, utcnow
from netcomply.safety.redact import REDACTOR

log = logging.getLogger(__name__)

#: Failures that say the transport itself does not work for this device (not just this collector's question).
_TRANSPORT_BREAKING = frozenset({ErrorClass.AUTH_FAILED, ErrorClass.UNREACHABLE, ErrorClass.TIMEOUT})


class ResultSink(Protocol):
    def record_device_result(self, run_id: str, result: DeviceResult) -> None: ...


@dataclass(frozen=True)
class RunnerOptions:
    concurrency: int = 50
    device_timeout: float = 120.0  # wall time for one collector on one device, all retries included
    retries: int = 1  # extra attempts for transient faults
    backoff: float = 1.0  # first backoff in seconds; doubles each retry, with jitter
    backoff_max: float = 15.0


@dataclass
class RunOutcome:
    status: RunStatus
    attempted: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0

    @property
    def summary(self) -> dict[str, object]:
        return {
            "status": self.status.value,
            "tasks": self.attempted,
            "ok": self.ok,
            "failed": self.failed,
            "skipped": self.skipped,
            "errors": dict(self.errors),
            "seconds": round(self.elapsed, 3),
        }


ProgressCallback = Callable[[DeviceResult], None]


@dataclass(frozen=True)
class Task:
    device: Device
    collectors: tuple[Collector, ...]


def plan(
    devices: Iterable[Device], collectors: Sequence[Collector], *, skip: set[tuple[str, str]] | None = None
) -> list[Task]:
    """Pair each device with the collectors that apply to it, leaving out (device, collector) pairs in ``skip``
    (already finished in the run being resumed)."""
    skip = skip or set()
    tasks = []
    for device in devices:
        chosen = tuple(c for c in collectors if c.applies_to(device) and (device.name, c.name) not in skip)
        if chosen:
            tasks.append(Task(device, chosen))
    return tasks


class Runner:
    def __init__(
        self,
        ctx: CollectContext,
        sink: ResultSink,
        options: RunnerOptions | None = None,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.ctx = ctx
        self.sink = sink
        self.options = options or RunnerOptions()
        self.progress = progress
        self._stop = asyncio.Event()
        self._interrupted = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_guard = threading.Lock()  # orders stop_threadsafe against run_async's start
        self._stop_early = False

    # ------------------------------------------------------------------ public
    def run(self, tasks: Sequence[Task]) -> RunOutcome:
        """Run synchronously (the CLI's entry point). Installs SIGINT/SIGTERM handlers for a clean stop."""
        return asyncio.run(self.run_async(tasks))

    async def run_async(self, tasks: Sequence[Task]) -> RunOutcome:
        started = time.monotonic()
        loop = asyncio.get_running_loop()
        with self._loop_guard:
            self._loop = loop
            if self._stop_early:
                self.stop()
        # netmiko is blocking: give it as many threads as we allow devices, not the default handful.
        workers = ThreadPoolExecutor(max_workers=self.options.concurrency, thread_name_prefix="nc-device")
        loop.set_default_executor(workers)
        writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nc-writer")
        outcome = RunOutcome(status=RunStatus.RUNNING)
        installed = self._install_signal_handlers(loop)
        in_flight: set[asyncio.Future[None]] = set()  # writes handed to the writer and not yet committed

        async def store(result: DeviceResult) -> None:
            fut = loop.run_in_executor(writer, self.sink.record_device_result, self.ctx.run_id, result)
            in_flight.add(fut)
            fut.add_done_callback(in_flight.discard)  # forgotten when committed, not when our await is cancelled
            await fut
            self._count(outcome, result)
            if self.progress is not None:
                self.progress(result)

        queue = iter(tasks)

        async def worker() -> None:
            # A fixed pool of workers pulling from one iterator: no task parks on a semaphore, so the cost per
            # device stays constant however many devices there are (a semaphore with 10,000 waiters does not).
            for task in queue:
                broken: dict[str, DeviceResult] = {}  # transport -> the failure that broke it on this device
                for collector in task.collectors:
                    if self._stop.is_set():
                        return
                    earlier = broken.get(collector.transport)
                    if earlier is not None:
                        result = self._skipped(task.device, collector, earlier)
                    else:
                        result = await self._collect_with_retries(task.device, collector)
                        if result.error_class in _TRANSPORT_BREAKING and collector.transport != "none":
                            broken[collector.transport] = result
                    await store(result)

        jobs = [asyncio.create_task(worker(), name=f"nc-worker-{i}")
                for i in range(min(self.options.concurrency, len(tasks)))]
        everything: asyncio.Future[list[Any]] = asyncio.gather(*jobs, return_exceptions=True)
        stopper: asyncio.Future[Any] = asyncio.ensure_future(self._stop.wait())
        try:
            # One wait for all workers, raced against the stop event.
            await asyncio.wait([everything, stopper], return_when=asyncio.FIRST_COMPLETED)
            if self._stop.is_set():
                for job in jobs:
                    job.cancel()
            for result in await everything:
                if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                    log.error("runner worker failed: %r", result)
        finally:
            stopper.cancel()
            # Every result handed to the writer is committed before we return: nothing finished is lost.
            await asyncio.gather(*in_flight, return_exceptions=True)
            writer.shutdown(wait=True)
            workers.shutdown(wait=False, cancel_futures=True)
            self._remove_signal_handlers(loop, installed)
            with self._loop_guard:
                self._loop = None

        outcome.elapsed = time.monotonic() - started
        if self._interrupted:
            outcome.status = RunStatus.INTERRUPTED
        elif outcome.failed:
            outcome.status = RunStatus.PARTIAL
        else:
            outcome.status = RunStatus.COMPLETE
        return outcome

    def stop(self) -> None:
        """Stop starting new work (what a signal does). Results already finished are still stored."""
        self._interrupted = True
        self._stop.set()

    def stop_threadsafe(self) -> None:
        """:meth:`stop` from another thread (the run lock's heartbeat, when the lock was taken over): the stop
        is handed to the runner's event loop; before the loop runs, the run stops as soon as it starts."""
        with self._loop_guard:
            loop = self._loop
            if loop is None:
                self._stop_early = True
                return
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: the run is over anyway
                loop.call_soon_threadsafe(self.stop)

    # ------------------------------------------------------------------ internals
    async def _collect_with_retries(self, device: Device, collector: Collector) -> DeviceResult:
        started = utcnow()
        # A collector that waits on a batch (the Ansible transport's playbook run over many hosts) says how long
        # its wait may take as ``wall_timeout``; every other collector gets the per-device budget.
        budget = getattr(collector, "wall_timeout", None) or self.options.device_timeout
        deadline = time.monotonic() + budget
        attempt = 0
        while True:
            attempt += 1
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise DeviceError(ErrorClass.TIMEOUT, "no time left for another attempt", device.name)
                async with asyncio.timeout(remaining):  # no extra task per call, unlike wait_for
                    output = await collector.collect(device, self.ctx)
                return DeviceResult(
                    device=device.name,
                    collector=collector.name,
                    status=DeviceStatus.OK,
                    started_at=started,
                    finished_at=utcnow(),
                    attempts=attempt,
                    observations=output.observations,
                    artifacts=output.artifacts,
                )
            except asyncio.CancelledError:
                raise
            except TimeoutError:
                error = DeviceError(
                    ErrorClass.TIMEOUT,
                    f"{collector.name} did not finish within {budget:g} s",
                    device.name,
                )
            except DeviceError as exc:
                error = exc
            except Exception as exc:  # a collector bug: this device fails, the run goes on
                log.exception("collector %s crashed on %s", collector.name, device.name)
                error = DeviceError(ErrorClass.INTERNAL, f"{type(exc).__name__}: {exc}", device.name)

            retryable = error.transient and attempt <= self.options.retries and not self._stop.is_set()
            delay = min(self.options.backoff * 2 ** (attempt - 1), self.options.backoff_max)
            delay *= random.uniform(0.5, 1.0)  # jitter: do not hammer a recovering device in lockstep
            if retryable and time.monotonic() + delay < deadline:
                log.info("%s/%s: %s; retrying in %.1f s", device.name, collector.name, error, delay)
                await asyncio.sleep(delay)
                continue
            return DeviceResult(
                device=device.name,
                collector=collector.name,
                status=DeviceStatus.ERROR,
                started_at=started,
                finished_at=utcnow(),
                attempts=attempt,
                error_class=error.error_class,
                cause=REDACTOR.redact(error.cause),
                artifacts=list(error.artifacts),
            )

    @staticmethod
    def _skipped(device: Device, collector: Collector, earlier: DeviceResult) -> DeviceResult:
        now = utcnow()
        return DeviceResult(
            device=device.name,
            collector=collector.name,
            status=DeviceStatus.SKIPPED,
            started_at=now,
            finished_at=now,
            attempts=0,
            error_class=earlier.error_class,
            cause=f"not tried: {collector.transport} to this device failed in {earlier.collector} ({earlier.cause})",
        )

    @staticmethod
    def _count(outcome: RunOutcome, result: DeviceResult) -> None:
        outcome.attempted += 1
        if result.status is DeviceStatus.OK:
            outcome.ok += 1
        elif result.status is DeviceStatus.SKIPPED:
            outcome.skipped += 1
        else:
            outcome.failed += 1
            outcome.errors[result.error_class.value if result.error_class else "unknown"] += 1

    def _install_signal_handlers(self, loop: asyncio.AbstractEventLoop) -> list[signal.Signals]:
        installed = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._on_signal, sig)
                installed.append(sig)
        return installed

    def _on_signal(self, sig: signal.Signals) -> None:
        if self._stop.is_set():  # a second Ctrl-C: the user means it
            raise KeyboardInterrupt
        log.warning("%s received: stopping; every device already finished stays stored", sig.name)
        self.stop()

    @staticmethod
    def _remove_signal_handlers(loop: asyncio.AbstractEventLoop, installed: list[signal.Signals]) -> None:
        for sig in installed:
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(sig)
