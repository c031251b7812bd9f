"""Whole-lab ``netcomply audit`` wall time with the lab's slow device (dt-slow1) at a short ``--timeout``.

Why: a collector cancelled by its per-device budget used to leave its SSH worker thread reading from the slow
device until the device answered, and the process could not end before that thread did, so the whole audit
lasted far past the budget the user set. Measures the command as a user runs it (a subprocess: interpreter exit
included), and prints JSON: wall seconds, the budget, dt-slow1's results (status, error class, cause)
and the device with the longest chain of collectors (what bounds the run once dt-slow1 no longer does).
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
from datetime import datetime
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
    return {"seconds": round(seconds, 2), "returncode": proc.returncode, "slow_device": slow_results(db),
            "longest_device": longest_device(db)}


def longest_device(db: Path) -> dict[str, Any]:
    """The device whose collectors, one after another, took longest (the run's critical path once dt-slow1 no
    longer holds it), and the span of the whole device pass (the services are checked after it)."""
    if not db.exists():
        return {}
    with sqlite3.connect(db) as con:
        rows = con.execute("select device, min(started_at), max(finished_at), count(*) from device_results "
                           "where collector != 'ipv6_service' group by device").fetchall()
    if not rows:
        return {}
    span = [min(r[1] for r in rows), max(r[2] for r in rows)]
    device, start, end, count = max(rows, key=lambda r: _seconds(r[2]) - _seconds(r[1]))
    return {"device": device, "collectors": count, "seconds": round(_seconds(end) - _seconds(start), 2),
            "device_pass_seconds": round(_seconds(span[1]) - _seconds(span[0]), 2)}


def _seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


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
