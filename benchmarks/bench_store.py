"""Store write and read throughput: observations per second on SQLite and, if installed, PostgreSQL.

Workload: 2,000 device results, each with 20 observations and one ~2 KB artifact (redacted through
capture_artifact, as collectors do), each result committed in its own transaction the way the runner's
writer does. Then every observation is streamed back. Durable settings on both: SQLite WAL with
synchronous=NORMAL (the store's default), PostgreSQL with fsync and synchronous_commit on.

Prints JSON. Run: .venv/bin/python benchmarks/bench_store.py [--results 2000] [--per-result 20] [--no-postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from datetime import timedelta
from typing import Any

from netcomply.models import DeviceResult, DeviceStatus, Observation, Run, RunStatus, utcnow
from netcomply.safety.redact import capture_artifact
from netcomply.store import Store, new_run_id
from netcomply.store.pgtest import PostgresUnavailable, start_postgres


def make_results(count: int, per_result: int) -> list[DeviceResult]:
    out = []
    for i in range(count):
        device = f"sw{i:05d}"
        start = utcnow()
        text = "".join(f"GigabitEthernet1/0/{p} is up, line protocol is up\n  Hardware is Gigabit Ethernet\n"
                       for p in range(24))
        art = capture_artifact(device, "cli", "show interfaces", f"{device}\n{text}")
        obs = [
            Observation(device, "cli", "ipv6.interface",
                        {"interface": f"Gi1/0/{n}", "enabled": True, "addresses": [f"2001:db8:{i:x}::{n:x}/64"],
                         "mtu": 1500}, "ssh:show ipv6 interface", artifacts=[art.sha256])
            for n in range(per_result)
        ]
        out.append(DeviceResult(device, "cli", DeviceStatus.OK, start, start + timedelta(seconds=1),
                                observations=obs, artifacts=[art]))
    return out


def measure(url: str, count: int, per_result: int) -> dict[str, Any]:
    results = make_results(count, per_result)  # built before timing: we measure the store, not the fixtures
    with Store.open(url) as store:
        run = store.create_run(Run(id=new_run_id(), started_at=utcnow(), operator="bench", tool_version="bench"))
        t0 = time.perf_counter()
        for result in results:
            store.record_device_result(run.id, result)
        write_s = time.perf_counter() - t0
        store.finish_run(run.id, RunStatus.COMPLETE)
        t0 = time.perf_counter()
        read = sum(1 for _ in store.observations(run.id))
        read_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        completed = len(store.completed(run.id))
        completed_s = time.perf_counter() - t0
    total = count * per_result
    assert read == total and completed == count, (read, completed)
    return {
        "device_results": count,
        "observations": total,
        "write_seconds": round(write_s, 3),
        "observations_written_per_s": round(total / write_s),
        "device_results_per_s": round(count / write_s),
        "ms_per_device_result": round(write_s / count * 1000, 3),
        "read_seconds": round(read_s, 3),
        "observations_read_per_s": round(read / read_s),
        "completed_query_ms": round(completed_s * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=2000)
    parser.add_argument("--per-result", type=int, default=20)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    report: dict[str, Any] = {
        "benchmark": "store", "python": platform.python_version(), "cpus": os.cpu_count(),
        "workload": f"{args.results} device results x {args.per_result} observations + 1 artifact each, "
                    "one transaction per result",
    }
    work = tempfile.mkdtemp(prefix="bench-store-")
    try:
        report["sqlite"] = measure(os.path.join(work, "bench.db"), args.results, args.per_result)
        report["sqlite"]["file_mb"] = round(
            sum(os.path.getsize(os.path.join(work, f)) for f in os.listdir(work)) / 2**20, 2)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.no_postgres:
        report["postgresql"] = "skipped (--no-postgres)"
    else:
        try:
            url, stop = start_postgres(durable=True)
        except PostgresUnavailable as exc:
            report["postgresql"] = f"skipped: {exc}"
        else:
            try:
                report["postgresql"] = measure(url, args.results, args.per_result)
            finally:
                stop()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
