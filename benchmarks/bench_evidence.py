"""Evidence pack speed: build and verify the pack of a 1,000-device run (goal: both together <= 10 s).

Workload: one run with N devices (default 1,000), 3 artifacts per device of about 2 KB each (distinct
content, redacted through capture_artifact as collectors do), one observation per device citing them,
and one finding per device citing that observation, so every artifact is evidence. Written straight
into a temporary SQLite store; only build_pack and verify_pack are timed.

Prints JSON. Run: .venv/bin/python benchmarks/bench_evidence.py [--devices 1000] [--per-device 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from netcomply.models import (
    DeviceResult,
    DeviceStatus,
    Finding,
    FindingStatus,
    Observation,
    Run,
    RunStatus,
    Severity,
    utcnow,
)
from netcomply.safety.redact import capture_artifact
from netcomply.store import Store, new_run_id
from reports.evidence import build_pack, generate_key, verify_pack


def populate(store: Store, devices: int, per_device: int) -> str:
    run = store.create_run(Run(id=new_run_id(), started_at=utcnow(), operator="bench", tool_version="bench"))
    for i in range(devices):
        device = f"sw{i:05d}"
        start = utcnow()
        arts = []
        for n in range(per_device):
            lines = "".join(f"GigabitEthernet1/0/{p} is up, line protocol is up ({device} #{n})\n" for p in range(40))
            arts.append(capture_artifact(device, "cli", f"show interfaces {n}", lines[:2048]))
        obs = Observation(device, "cli", "vendor.identity", {"vendor": "cisco"}, "ssh:show version",
                          artifacts=[a.sha256 for a in arts])
        store.record_device_result(run.id, DeviceResult(
            device=device, collector="cli", status=DeviceStatus.OK, started_at=start,
            finished_at=start + timedelta(seconds=1), observations=[obs], artifacts=arts,
        ))
    observations = list(store.observations(run.id))
    store.replace_findings(run.id, [
        Finding("vendor.identity", o.device, FindingStatus.PASS, Severity.INFO, "vendor known",
                observations=[o.id or 0], controls=["iso27001:2022/A.8.9"])
        for o in observations
    ])
    store.finish_run(run.id, RunStatus.COMPLETE)
    return run.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--per-device", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-evidence-") as tmp:
        base = Path(tmp)
        key = base / "key.pem"
        generate_key(key)
        with Store.open(base / "store.db") as store:
            t0 = time.perf_counter()
            run_id = populate(store, args.devices, args.per_device)
            populate_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            info = build_pack(store, run_id, base / "pack.zip", key_path=key, sample=20, seed=1)
            build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = verify_pack(info.path, public_key=Path(str(key) + ".pub"))
        verify_s = time.perf_counter() - t0
        total = build_s + verify_s
        print(json.dumps({
            "benchmark": "evidence_pack",
            "devices": args.devices,
            "artifacts": info.artifacts,
            "members": info.members,
            "pack_bytes": os.path.getsize(info.path),
            "populate_s": round(populate_s, 3),
            "build_s": round(build_s, 3),
            "verify_s": round(verify_s, 3),
            "total_s": round(total, 3),
            "goal_s": 10.0,
            "met": result.ok and total <= 10.0,
            "verified": result.ok,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        }, indent=2))


if __name__ == "__main__":
    main()
