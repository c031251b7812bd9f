"""Vendor identification at scale: 1,000 lab devices, SNMP only and SNMP + SSH, against net-snmp's snmpget.

What is timed (wall clock, one process, the machine's cores):

* ``snmp_only``: collect ``snmp_system`` + ``vendor_signals`` from every device (GET of the system group and the
  vendor scalars, bulk walks of entPhysicalTable, lldpRemTable and ipNetToPhysical), store, then judge offline;
* ``snmp_and_ssh``: the same plus ``cli_facts`` (SSH ``show version`` and friends) on the half that speak SSH and
  ``vendor_cli`` (``display elabel`` on Huawei VRP, ``show version`` on Ruijie RGOS): the ``vendors`` command's set;
* ``netcomply_get_same_oids``: our SNMP client alone, one GET per device of exactly the OIDs the snmpget loop asks;
* ``netsnmp_snmpget_loop``: for comparison, net-snmp's ``snmpget`` run once per device, one after another, for the
  same scalar OIDs (system group + vendor scalars; no walks), and the same loop 50 processes at a time.

The lab's agents are one snmpsim process (about 150 requests/s on 2 cores): identification needs ~8 requests per
device (2 GETs, 4-6 short bulk walks), so the simulator, not the client, bounds the identification figures, and
more than ~25 devices at once only queues requests into timeouts (measured: 300 devices, 20 at once 16.0 s and no
error; 100 at once 23.5 s and 113 timeouts).

* ``offline_identification``: no network: the facts of 10,000 devices (the published recordings of
  ``tests/vendor/corpus/librenms.jsonl``, cycled) turned into evidence and verdicts, PRC judgement included; cold
  (the first call loads the knowledge base, the IANA registry snapshot and the IEEE OUI index) and warm. Goal:
  10,000 devices in <= 10 s.

Prints JSON. Run: .venv/bin/python benchmarks/bench_vendor.py [--devices 1000] [--port-offset 3000]
                  .venv/bin/python benchmarks/bench_vendor.py --offline-only [--offline-devices 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from collectors.snmp_system import SYSTEM_OIDS
from collectors.vendor.collector import ENGINE_ID, LLDP_LOC_CHASSIS
from collectors.vendor.judge import judge_run
from collectors.vendor.kb import load_kb
from netcomply.app.audit import AuditOptions, run_audit
from netcomply.app.lab.manager import lab_down, lab_up
from netcomply.app.pipelines.vendor import VENDOR_COLLECTORS
from netcomply.inventory import load_inventory
from netcomply.secrets import read_env_file
from netcomply.store import Store


def identify(inventory: Path, db: Path, collectors: list[str], concurrency: int) -> dict[str, Any]:
    inv = load_inventory(inventory)
    kb = load_kb()
    with Store.open(db) as store:
        t0 = time.perf_counter()
        run, outcome = run_audit(inv, store, AuditOptions(collectors=collectors, concurrency=concurrency,
                                                          operator="bench"))
        t1 = time.perf_counter()
        result = judge_run(store, run.id, kb, addresses={d.name: d.address for d in inv.devices})
        t2 = time.perf_counter()
    n = len(inv.devices)
    identified = sum(1 for v in result.devices if v.brand)
    right = sum(1 for v in result.devices if v.brand and v.brand == inv.device(v.name).vars.get("lab", {}).get("brand"))
    return {"devices": n, "collect_s": round(t1 - t0, 2), "judge_s": round(t2 - t1, 2),
            "total_s": round(t2 - t0, 2), "devices_per_s": round(n / (t2 - t0), 1),
            "results": outcome.summary, "identified": identified, "brand_right": right}


def client_same_oids(inventory: Path, concurrency: int) -> dict[str, Any]:
    """netcomply's SnmpClient, one GET per device of the snmpget loop's OIDs, ``concurrency`` devices at once."""
    import asyncio

    from collectors.transports.snmp import SnmpClient, target_for
    from netcomply.safety.targets import target_policy_for
    from netcomply.secrets import SecretResolver

    inv = load_inventory(inventory)
    kb = load_kb()
    oids = [*SYSTEM_OIDS.values(), ENGINE_ID, LLDP_LOC_CHASSIS, *(v.oid for v in kb.vendor_oids)]
    secrets = SecretResolver.from_env_file(inv.env_file)
    devices = [d for d in inv.devices if d.snmp is not None]

    async def run() -> tuple[float, int]:
        client = SnmpClient(policy=target_policy_for(inv), max_concurrency=concurrency)
        failed = 0
        t0 = time.perf_counter()

        async def one(d: Any) -> None:
            nonlocal failed
            try:
                await client.get(target_for(d, secrets), oids)
            except Exception:
                failed += 1

        await asyncio.gather(*(one(d) for d in devices))
        elapsed = time.perf_counter() - t0
        client.close()
        return elapsed, failed

    elapsed, failed = asyncio.run(run())
    return {"devices": len(devices), "oids_per_device": len(oids), "concurrency": concurrency,
            "seconds": round(elapsed, 2), "devices_per_s": round(len(devices) / elapsed, 1), "failed": failed}


def snmpget_loop(inventory: Path, env_file: Path, parallel: int) -> dict[str, Any]:
    inv = load_inventory(inventory)
    env = read_env_file(env_file)
    kb = load_kb()
    oids = [*SYSTEM_OIDS.values(), ENGINE_ID, LLDP_LOC_CHASSIS, *(v.oid for v in kb.vendor_oids)]
    binary = shutil.which("snmpget") or "/usr/bin/snmpget"
    jobs = []
    for d in inv.devices:
        if d.snmp is None:
            continue
        community = env[d.snmp.community_env] if d.snmp.community_env else d.snmp.community
        jobs.append([binary, "-v2c", "-c", str(community), "-On", "-t", "2", "-r", "1",
                     f"udp:{d.address}:{d.snmp.port}", *oids])
    environ = {**os.environ, "MIBS": ""}

    def one(argv: list[str]) -> int:
        return subprocess.run(argv, capture_output=True, env=environ, check=False).returncode

    t0 = time.perf_counter()
    if parallel <= 1:
        codes = [one(j) for j in jobs]
    else:
        with ThreadPoolExecutor(parallel) as pool:
            codes = list(pool.map(one, jobs))
    elapsed = time.perf_counter() - t0
    return {"devices": len(jobs), "oids_per_device": len(oids), "parallel": parallel, "seconds": round(elapsed, 2),
            "devices_per_s": round(len(jobs) / elapsed, 1), "failed": sum(1 for c in codes if c != 0)}


def offline(devices: int) -> dict[str, Any]:
    """Identification alone, from stored facts: evidence, weighing and the PRC rule chain per device."""
    from collectors.vendor.corpus import load_rows, verdict_of

    rows = load_rows()
    c0 = time.process_time()
    t0 = time.perf_counter()
    kb = load_kb()
    verdict_of(kb, rows[0])  # loads the registry snapshot and the OUI index once
    cold = time.perf_counter() - t0
    t1 = time.perf_counter()
    brands = prc_unknown = 0
    for i in range(devices):
        v = verdict_of(kb, rows[i % len(rows)])
        brands += v.brand is not None
        prc_unknown += v.prc_brand is None
    warm = time.perf_counter() - t1
    cpu = time.process_time() - c0
    return {"devices": devices, "distinct_recordings": len(rows), "cpu_s": round(cpu, 2), "load_s": round(cold, 2),
            "identify_s": round(warm, 2), "total_s": round(cold + warm, 2),
            "devices_per_s": round(devices / warm, 1), "with_brand": brands, "prc_unknown": prc_unknown,
            "goal_s": 10.0, "goal_met": cold + warm <= 10.0, "load_average_1min": round(os.getloadavg()[0], 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=25)
    parser.add_argument("--port-offset", type=int, default=3000)
    parser.add_argument("--offline-devices", type=int, default=10000)
    parser.add_argument("--offline-only", action="store_true", help="only the offline identification figure")
    args = parser.parse_args()
    if args.offline_only:
        print(json.dumps({"bench_vendor": {"cpus": os.cpu_count(),
                                           "offline_identification": offline(args.offline_devices)}}, indent=2))
        return
    out: dict[str, Any] = {"devices": args.devices, "cpus": os.cpu_count(), "concurrency": args.concurrency}
    out["offline_identification"] = offline(args.offline_devices)
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "lab"
        t0 = time.perf_counter()
        info = lab_up(state, scale=args.devices, with_services=False, ssh_port=12222 + args.port_offset,
                      snmp_port=11161 + args.port_offset)
        out["lab_up_s"] = round(time.perf_counter() - t0, 1)
        try:
            out["snmp_only"] = identify(info.inventory, Path(tmp) / "a.db", ["snmp_system", "vendor_signals"],
                                        args.concurrency)
            out["snmp_and_ssh"] = identify(info.inventory, Path(tmp) / "b.db", list(VENDOR_COLLECTORS),
                                           args.concurrency)
            out["netcomply_get_same_oids"] = client_same_oids(info.inventory, args.concurrency)
            out["netsnmp_snmpget_loop"] = snmpget_loop(info.inventory, info.env_file, 1)
            out["netsnmp_snmpget_50_parallel"] = snmpget_loop(info.inventory, info.env_file, 50)
        finally:
            lab_down(state)
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps({"bench_vendor": out}, indent=2))


if __name__ == "__main__":
    main()
