"""Redaction throughput in MB/s over a real configuration corpus.

Workload: the whole configurations of tests/safety/redaction_corpus/configs/ (IOS, IOS-XE wireless, NX-OS, ASA,
EOS, Junos, FortiOS, PAN-OS from oxidized's device simulations and batfish's test configs; sources in SOURCES),
concatenated and repeated to about --mb MB, redacted in one call per configuration as capture_artifact does.
Measured three ways: no registered secrets, 1,000 registered secrets (a large inventory's credentials), and the
same text already redacted (the store's check re-redacts every artifact before writing it). Best of --repeat.

Prints JSON. Run: .venv/bin/python benchmarks/bench_redact.py [--mb 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netcomply.safety.redact import Redactor, count_masks

CONFIGS = Path(__file__).resolve().parents[1] / "tests" / "safety" / "redaction_corpus" / "configs"


def _throughput(redactor: Redactor, docs: list[str], repeat: int) -> tuple[float, float, float]:
    """MB/s by wall clock and by CPU time (a busy machine slows the first, not the second), and seconds."""
    size = sum(len(d.encode()) for d in docs) / 1e6
    best = best_cpu = float("inf")
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        for doc in docs:
            redactor.redact(doc)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return size / best, size / best_cpu, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="approximate corpus size in MB")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    base = [p.read_text() for p in sorted(CONFIGS.glob("*.txt"))]
    base_mb = sum(len(d.encode()) for d in base) / 1e6
    docs = base * max(1, round(args.mb / base_mb))
    plain = Redactor()
    plain.redact("warm-up: netconan's regexes compile on first use")
    mbps, cpu_mbps, secs = _throughput(plain, docs, args.repeat)
    known = Redactor()
    known.add_secrets(f"Inventory-Secret-{i:04d}" for i in range(1000))
    known_mbps, known_cpu, _ = _throughput(known, docs, args.repeat)
    redacted = [plain.redact(d) for d in base] * max(1, round(args.mb / base_mb))
    again_mbps, again_cpu, _ = _throughput(plain, redacted, args.repeat)
    print(json.dumps({
        "benchmark": "redact",
        "corpus": {"configurations": len(base), "distinct_mb": round(base_mb, 3),
                   "lines": sum(d.count("\n") for d in base), "masks": sum(count_masks(plain.redact(d)) for d in base),
                   "measured_mb": round(sum(len(d.encode()) for d in docs) / 1e6, 2)},
        "mb_per_s": round(mbps, 2), "mb_per_cpu_s": round(cpu_mbps, 2), "seconds": round(secs, 3),
        "with_1000_known_secrets": {"mb_per_s": round(known_mbps, 2), "mb_per_cpu_s": round(known_cpu, 2)},
        "already_redacted": {"mb_per_s": round(again_mbps, 2), "mb_per_cpu_s": round(again_cpu, 2)},
        "python": platform.python_version(), "machine": platform.machine(),
    }, indent=2))


if __name__ == "__main__":
    main()
