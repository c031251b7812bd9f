"""Hotspot polling benchmark: one round over N lab hotspots (standalone APs over SNMP), and the sustainable
interval on this machine. Prints JSON.

1. A lab of N standalone APs (snmpsim scale mode, one process, 127.1.x.y) whose state follows a schedule.
2. One warm-up round, then rounds back to back until the last three agree within 10 % (at most --max-rounds):
   the wall time of one round, the poller's own CPU time per round, and the store's append time.
3. The sustainable interval: the slowest steady round plus 20 % headroom, rounded up to a second; then the real
   poller loop (fixed grid, signal-safe) runs --verify-rounds rounds at that interval and reports its overruns
   and drift, so the figure is checked, not only computed.

4. The analysis: availability, outages, reboots and the per-zone series over one day of one-minute samples of
   --analysis-hotspots hotspots (synthetic, in memory): samples per second, the figure a month's report scales by.

Usage: .venv/bin/python benchmarks/bench_hotspot.py [--hotspots 1000] [--concurrency 200] [--workdir DIR]
       [--analysis-only]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from netcomply.app.lab.hotspot_lab import hotspot_lab, short_schedule
from netcomply.app.pipelines.hotspot.poller import Poller, PollOptions, plan_targets
from netcomply.hotspot_samples import SampleStatus
from netcomply.inventory import load_inventory
from netcomply.safety.targets import target_policy_for
from netcomply.secrets import SecretResolver
from netcomply.store import Store
from netcomply.store.samples import SampleStore


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds a process has used (the simulator's share of a round, from /proc)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_analysis(hotspots: int) -> dict[str, Any]:
    from datetime import UTC, datetime

    from compliance.availability import analyse_all
    from netcomply.hotspot_samples import HotspotSample, slot_of

    start, step, n = 1_790_000_000.0, 60.0, 1440
    samples = []
    for h in range(hotspots):
        for k in range(n):
            t = start + k * step + 0.2
            down = h % 4 == 0 and 600 <= k < 620
            up_since = start - 86400 if not (h % 4 == 0 and k >= 620) else start + 620 * step
            samples.append(HotspotSample(f"ap-{h:05d}", slot_of(t, step), datetime.fromtimestamp(t, UTC),
                                         SampleStatus.DOWN if down else SampleStatus.UP, step,
                                         uptime_s=None if down else t - up_since, clients=k % 30,
                                         zone=f"zone-{h % 10}"))
    t0 = time.perf_counter()
    result = analyse_all(samples, start, start + n * step, buckets=24)
    seconds = time.perf_counter() - t0
    assert sum(len(r.outages) for r in result.results) == len(range(0, hotspots, 4))
    return {"samples": len(samples), "seconds": round(seconds, 3),
            "samples_per_s": round(len(samples) / seconds), "month_1000_hotspots_60s_extrapolated_s":
            round(1000 * 30 * 1440 / (len(samples) / seconds))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hotspots", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--max-rounds", type=int, default=8)
    ap.add_argument("--verify-rounds", type=int, default=5)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--analysis-hotspots", type=int, default=100)
    ap.add_argument("--analysis-only", action="store_true")
    args = ap.parse_args()
    if args.analysis_only:
        print(json.dumps({"analysis": bench_analysis(args.analysis_hotspots)}, indent=2))
        return
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-hotspot-"))
    result: dict[str, Any] = {
        "hotspots": args.hotspots, "concurrency": args.concurrency, "cpus": os.cpu_count(),
        "transport": "snmp v2c: first round walks ifOperStatus/ifType + GET sysUpTime (interface discovery), "
                     "then one GET per AP per round"}
    t0 = time.perf_counter()
    with hotspot_lab(work / "lab", scale=args.hotspots, snmp_timeout=5.0, snmp_retries=1) as lab:
        result["lab_start_s"] = round(time.perf_counter() - t0, 2)
        lab.install(short_schedule(lab.ap_names, time.time(), period=60.0))
        inv = load_inventory(lab.inventory)
        targets = plan_targets(inv)
        secrets = SecretResolver.from_env_file(inv.env_file)
        policy = target_policy_for(inv)
        with Store.open(work / "bench.db") as store:
            samples = SampleStore(store)
            samples.start_session("bench", kind="poll", interval_s=1.0, inventory_sha256=inv.sha256, parameters={})
            write_s: list[float] = []

            def write(batch: list[Any]) -> int:
                t = time.perf_counter()
                n = samples.append("bench", batch)
                write_s.append(time.perf_counter() - t)
                return n

            options = PollOptions(interval=3600.0, concurrency=args.concurrency, reach="none")
            poller = Poller(targets, secrets=secrets, policy=policy, options=options, write=write, session="bench")

            async def rounds() -> list[dict[str, float]]:
                out = []
                slot = math.floor(time.time())
                for k in range(args.max_rounds + 1):
                    cpu, sim = time.process_time(), cpu_seconds(lab.simulator_pid)
                    r = await poller.poll_round(slot + k)
                    cpu, sim = time.process_time() - cpu, cpu_seconds(lab.simulator_pid) - sim
                    write(r.samples)
                    c = r.counts()
                    out.append({"wall_s": r.seconds, "cpu_s": cpu, "sim_cpu_s": sim, "up": c["up"], "down": c["down"],
                                "unknown": c["unknown"]})
                    steady = out[1:]
                    if len(steady) >= 3:
                        last = [x["wall_s"] for x in steady[-3:]]
                        if max(last) <= 1.1 * min(last):
                            break
                return out

            measured = asyncio.run(rounds())
            poller.client.close()
            first, steady = measured[0], measured[1:]
            walls = [x["wall_s"] for x in steady]
            result["first_round_s"] = round(first["wall_s"], 3)  # cold: every AP's interfaces discovered
            result["round"] = {
                "wall_s_median": round(statistics.median(walls), 3), "wall_s_max": round(max(walls), 3),
                "rounds": len(steady), "poller_cpu_s_median": round(statistics.median(x["cpu_s"] for x in steady), 3),
                "simulator_cpu_s_median": round(statistics.median(x["sim_cpu_s"] for x in steady), 3),
                "answered": steady[-1]["up"] + steady[-1]["down"], "unknown": steady[-1]["unknown"],
                "hotspots_per_s": round(args.hotspots / statistics.median(walls), 1),
                "store_append_s_median": round(statistics.median(write_s), 4),
            }
            interval = float(max(1, math.ceil(max(walls) * 1.2)))
            result["sustainable_interval_s"] = interval

            # the same (warm) poller runs its real loop at that interval: fixed grid, overruns counted
            poller.options = PollOptions(interval=interval, count=args.verify_rounds, concurrency=args.concurrency,
                                         reach="none")
            poller.write = lambda b: samples.append("bench", b)
            summary = asyncio.run(poller.run())
            result["verify_loop"] = {"interval_s": interval, "rounds": summary.rounds, "overruns": summary.overruns,
                                     "missed_slots": summary.missed_slots,
                                     "drift_ms_max": round(max(summary.drift_ms), 1),
                                     "round_s_max": round(max(summary.round_s), 3),
                                     "unknown_last_round": summary.last_counts.get(SampleStatus.UNKNOWN.value)}
    result["analysis"] = bench_analysis(args.analysis_hotspots)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
