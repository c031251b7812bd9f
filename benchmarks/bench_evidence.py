"""Evidence pack speed and memory: build and verify the pack of a 1,000-device run (goal: both together <= 10 s),
and verify's peak memory on a zip bomb (goal: < 200 MB).

Workload: one run with N devices (default 1,000), 3 artifacts per device of about 2 KB each (distinct
content, redacted through capture_artifact as collectors do), one observation per device citing them,
and one finding per device citing that observation, so every artifact is evidence. Written straight
into a temporary SQLite store; only build_pack and verify_pack are timed.

Bomb: the small pack of a 3-device run plus one member of 2 GiB of zeros (about 2 MB compressed), listed in a
manifest re-signed with the trusted key (tests/evidence/zipbomb.py). Verified in a fresh process whose peak
RSS is read with resource.getrusage: once with the default limits (refused on its declared size) and once with
the per-member limit raised to 4 GiB, so that all 2 GiB are really inflated and hashed.

Prints JSON. Run: .venv/bin/python benchmarks/bench_evidence.py [--devices 1000] [--per-device 3] [--no-bomb]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "evidence"))

from zipbomb import GIB, bomb_pack

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

BOMB_GOAL_MIB = 200
VERIFY_IN_FRESH_PROCESS = """
import json, resource, sys, time
from pathlib import Path
from reports.evidence import Limits, verify_pack
t0 = time.perf_counter()
result = verify_pack(sys.argv[1], public_key=Path(sys.argv[2]), limits=Limits(max_member=int(sys.argv[3])))
print(json.dumps({"verdict": result.verdict, "problems": [str(p) for p in result.problems],
                  "verify_s": round(time.perf_counter() - t0, 3),
                  "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


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


def bomb(base: Path, key: Path) -> dict[str, Any]:
    """Peak RSS of verify on the 2 GiB bomb, refused by size (default limits) and streamed (limit raised)."""
    with Store.open(base / "small.db") as store:
        run_id = populate(store, 3, 1)
        small = build_pack(store, run_id, base / "small.zip", key_path=key).path
    pack = base / "bomb.zip"
    bomb_pack(small, pack, key, size=2 * GIB)
    figures: dict[str, Any] = {"pack_bytes": os.path.getsize(pack), "member_bytes": 2 * GIB}
    for label, limit in (("default_limits", None), ("limit_raised_streamed", 4 * GIB)):
        cap = limit if limit is not None else verify_limit_default()
        done = subprocess.run([sys.executable, "-c", VERIFY_IN_FRESH_PROCESS, str(pack), str(key) + ".pub", str(cap)],
                              capture_output=True, text=True, check=True)
        figures[label] = json.loads(done.stdout)
    figures["goal_mib"] = BOMB_GOAL_MIB
    figures["met"] = all(figures[k]["peak_rss_mib"] < BOMB_GOAL_MIB
                         for k in ("default_limits", "limit_raised_streamed"))
    return figures


def verify_limit_default() -> int:
    from reports.evidence import Limits

    return Limits().max_member


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--per-device", type=int, default=3)
    parser.add_argument("--no-bomb", action="store_true", help="Skip the 2 GiB zip-bomb memory figure.")
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
        bomb_figures = None if args.no_bomb else bomb(base, key)
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
            "met": result.ok and total <= 10.0 and (bomb_figures is None or bomb_figures["met"]),
            "verified": result.ok,
            "verdict": result.verdict,
            "zip_bomb_2gib": bomb_figures,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        }, indent=2))


if __name__ == "__main__":
    main()
