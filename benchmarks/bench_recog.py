"""Rapid7 Recog's databases: import, first load and matching speed per database, and the memory each takes.

Why: the databases are read lazily (a process that judges only sysDescrs never pays for the banner databases), so
what a scan or an audit pays is the import plus the first load of the databases it uses; matching should then cost
microseconds per string. Prints JSON like the other benchmarks (``make bench``).

    .venv/bin/python benchmarks/bench_recog.py [--matches N]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _import_seconds() -> float:
    """``import collectors.vendor.recog`` in a fresh interpreter (nothing cached)."""
    code = ("import time; t = time.perf_counter(); import collectors.vendor.recog; "
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--matches", type=int, default=10_000, help="matches timed per database")
    args = parser.parse_args()
    from collectors.vendor import recog

    rc = recog.load()
    result: dict[str, object] = {"import_s": round(_import_seconds(), 3)}
    databases: dict[str, dict[str, float | int]] = {}
    for name in recog.FILES:
        recog.database.cache_clear()
        re.purge()  # Python's own cache of compiled patterns would hide the compile cost and memory
        start = time.perf_counter()
        db = rc.database(name)
        load_s = time.perf_counter() - start
        recog.database.cache_clear()
        re.purge()
        tracemalloc.start()
        db = rc.database(name)  # again, for the memory (tracemalloc slows the load)
        memory = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        texts = [ex.text for fp in db.fingerprints for ex in fp.examples] or [""]
        start = time.perf_counter()
        for i in range(args.matches):
            db.match(texts[i % len(texts)])
        match_s = time.perf_counter() - start
        databases[name] = {"fingerprints": len(db.fingerprints), "load_ms": round(load_s * 1000, 1),
                           "memory_kib": round(memory / 1024), "match_us": round(match_s / args.matches * 1e6, 1)}
    result["databases"] = databases
    result["all_banner_databases_load_ms"] = round(sum(
        float(d["load_ms"]) for n, d in databases.items() if n not in ("sysdescr", "sysobjid")), 1)
    print(json.dumps({"bench_recog": result}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
