"""Whole-lab ``netcomply audit`` wall time with the lab's slow device (dt-slow1) at a short ``--timeout``.

Why: a collector cancelled by its per-device budget used to leave its SSH worker thread reading from the slow
device until the device answered, and the process could not end before that thread did, so the whole audit
lasted far past the budget the user set. Measures the command as a user runs it (a subprocess: interpreter exit
included), and prints JSON: wall seconds, the budget, and dt-slow1's results (status, error class, cause).
Run: .venv/bin/python benchmarks/bench_slow_device.py [--timeout 8] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from netcomply.app.lab.manager import lab_down, lab_up

_OFFSET = int(os.environ.get("NETCOMPLY_TEST_PORT_OFFSET", "0"))


def audit_once(inventory: Path, work: Path, timeout: float) -> dict[str, Any]:
    """One `netcomply audit` of the lab in a subprocess; its wall time and dt-slow1's stored results."""
    db = work / "audit.db"
    args = [sys.executable, "-m", "netcomply.app.cli.main", "audit", "-i", str(inventory), "--db", str(db),
            "--format", "json", "--timeout", f"{timeout:g}", "--lang", "en"]
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "returncode": proc.returncode, "slow_device": slow_results(db)}


def slow_results(db: Path) -> list[dict[str, Any]]:
    """dt-slow1's rows as the audit stored them (plain sqlite3: no dependency on the store's API)."""
    if not db.exists():
        return []
    with sqlite3.connect(db) as con:
        con.row_factory = sqlite3.Row
        tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
        if "device_results" not in tables:
            return []
        rows = con.execute("select * from device_results where device = 'dt-slow1'").fetchall()
    keep = ("collector", "status", "error_class", "cause", "attempts")
    return [{k: row[k] for k in keep if k in set(row.keys())} for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=8.0)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "lab"
        info = lab_up(state, ssh_port=43222 + _OFFSET, snmp_port=43161 + _OFFSET, services_auto_ports=True)
        try:
            runs = [audit_once(info.inventory, Path(tempfile.mkdtemp(dir=tmp)), args.timeout)
                    for _ in range(args.repeat)]
        finally:
            lab_down(state)
    print(json.dumps({"timeout": args.timeout, "runs": runs,
                      "best_seconds": min(r["seconds"] for r in runs)}, indent=2))


if __name__ == "__main__":
    main()
