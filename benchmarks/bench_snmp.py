"""SNMP benchmark: pysnmp via SnmpClient vs net-snmp against the same snmpsim agent. Prints JSON.

1. A 1,000-OID bulk walk (max-repetitions 50) vs ``snmpbulkwalk -v2c -On -Cr50`` (median of 5).
2. GET of the system group from N scale-mode devices (127.1.x.y, one snmpsim) with bounded concurrency,
   vs a loop of ``snmpget`` over a sample of them (extrapolated to N).

Usage: .venv/bin/python benchmarks/bench_snmp.py [--devices 1000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from collectors.transports.snmp import SnmpClient, SnmpTarget
from netcomply.app.lab.snmp import snmprec as R
from netcomply.app.lab.snmp.fixtures import free_udp_port
from netcomply.app.lab.snmp.process import lab_endpoints, start_snmpsim
from netcomply.app.lab.snmp.recordings import write_recordings
from netcomply.app.lab.snmp.topology import scale_devices
from netcomply.safety.targets import TargetPolicy

SYSTEM = [f"1.3.6.1.2.1.1.{i}.0" for i in range(1, 8)]
WALK_ROOT = "1.3.6.1.4.1.99999.1"


def bench_recording(path: Path, n: int = 1000) -> None:
    R.write(path, [R.Rec("1.3.6.1.2.1.1.5.0", "4", "bench-walk")]
            + [R.counter32(f"{WALK_ROOT}.{i // 100 + 1}.{i % 100 + 1}", i * 7919) for i in range(n)]
            + [R.Rec("1.3.6.1.4.1.99999.2.0", "4", "after the walked subtree")])


def median_time(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devices", type=int, default=1000)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--snmpget-sample", type=int, default=100)
    args = ap.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-snmp-"))
    data = work / "data"
    devices = scale_devices(args.devices)
    write_recordings(devices, data, epoch=time.time())
    bench_recording(data / "bench-walk.snmprec")
    port = free_udp_port()
    t0 = time.perf_counter()
    sim = start_snmpsim(data, lab_endpoints(devices, port=port, own_engines=False), cache_dir=work / "cache",
                        log_file=work / "snmpsim.log", ready_timeout=600, probe_community="bench-walk")
    start_s = time.perf_counter() - t0
    result: dict[str, object] = {"devices": args.devices, "snmpsim_start_s": round(start_s, 2)}
    try:
        with asyncio.Runner() as runner:
            client = SnmpClient(policy=TargetPolicy.loopback_only(), max_concurrency=100)
            target = SnmpTarget("127.0.0.1", port, community="bench-walk", timeout=5, retries=1)
            rows = runner.run(client.walk(target, WALK_ROOT, max_repetitions=50))
            assert len(rows) == 1000, len(rows)
            py = median_time(lambda: runner.run(client.walk(target, WALK_ROOT, max_repetitions=50)))
            cmd = ["snmpbulkwalk", "-v2c", "-On", "-Cr50", "-c", "bench-walk", f"127.0.0.1:{port}", WALK_ROOT]
            out = subprocess.run(cmd, capture_output=True, text=True, env={"MIBS": ":", "PATH": "/usr/bin:/bin"})
            lines = [x for x in out.stdout.splitlines() if x.startswith(".")]
            assert len(lines) == 1000, (len(lines), out.stdout[-300:], out.stderr[-300:])
            env = {"MIBS": ":", "PATH": "/usr/bin:/bin"}
            ns = median_time(lambda: subprocess.run(cmd, capture_output=True, env=env))
            result["walk_1000"] = {"pysnmp_s": round(py, 4), "snmpbulkwalk_s": round(ns, 4),
                                   "ratio": round(py / ns, 2), "goal_ratio": 1.5}

            async def get_all() -> int:
                targets = [SnmpTarget(d.address, port, community=d.name, timeout=5, retries=1) for d in devices]
                got = await asyncio.gather(*(client.get(t, SYSTEM) for t in targets))
                return sum(1 for g in got if len(g) == len(SYSTEM))

            runner.run(client.get(SnmpTarget(devices[0].address, port, community=devices[0].name), SYSTEM))
            t = time.perf_counter()
            ok = runner.run(get_all())
            wall = time.perf_counter() - t
            sample = devices[: args.snmpget_sample]
            t = time.perf_counter()
            for d in sample:
                subprocess.run(["snmpget", "-v2c", "-On", "-c", d.name, f"{d.address}:{port}", *SYSTEM],
                               capture_output=True, env={"MIBS": ":", "PATH": "/usr/bin:/bin"}, check=True)
            loop_s = (time.perf_counter() - t) * len(devices) / len(sample)
            result["get_system"] = {"answered": ok, "pysnmp_wall_s": round(wall, 2),
                                    "devices_per_s": round(len(devices) / wall, 1),
                                    "snmpget_loop_s_extrapolated": round(loop_s, 2),
                                    "snmpget_sample": len(sample)}
            client.close()
    finally:
        sim.stop()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
