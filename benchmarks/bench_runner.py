"""Runner overhead per device: an empty collector over 10,000 devices, with and without a real SQLite store.

Prints JSON. The figure that matters is microseconds of runner (and store) work per device, i.e. what the
runner adds on top of the collectors' own network time.
Run: .venv/bin/python benchmarks/bench_runner.py [--devices 10000]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path
from typing import ClassVar

from collectors.base import CollectContext, Collector, CollectorOutput
from netcomply.app.runner import Runner, RunnerOptions, plan
from netcomply.models import Device, DeviceResult, Run, utcnow
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver
from netcomply.store import Store, new_run_id


class Empty(Collector):
    name: ClassVar[str] = "empty"

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        return CollectorOutput()


class NullSink:
    def record_device_result(self, run_id: str, result: DeviceResult) -> None:
        pass


def measure(devices: int, sink: object, run_id: str, concurrency: int) -> float:
    ctx = CollectContext(run_id=run_id, secrets=SecretResolver({}, {}), targets=TargetPolicy.loopback_only())
    tasks = plan([Device(name=f"d{i:05d}", address="127.0.0.1") for i in range(devices)], [Empty()])
    started = time.perf_counter()
    outcome = Runner(ctx, sink, RunnerOptions(concurrency=concurrency)).run(tasks)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    assert outcome.ok == devices, outcome.summary
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=200)
    args = parser.parse_args()
    n = args.devices
    results: dict[str, object] = {"devices": n, "concurrency": args.concurrency}
    t_null = measure(n, NullSink(), "bench", args.concurrency)
    results["runner_only"] = {"seconds": round(t_null, 3), "us_per_device": round(t_null / n * 1e6, 1)}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(str(Path(tmp) / "bench.db"))
        run = Run(id=new_run_id(), started_at=utcnow(), operator="bench", tool_version="bench")
        store.create_run(run)
        t_store = measure(n, store, run.id, args.concurrency)
        store.close()
    results["runner_with_sqlite_store"] = {
        "seconds": round(t_store, 3),
        "us_per_device": round(t_store / n * 1e6, 1),
        "devices_per_s": round(n / t_store),
    }
    results["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps({"bench_runner": results}, indent=2))


if __name__ == "__main__":
    main()
