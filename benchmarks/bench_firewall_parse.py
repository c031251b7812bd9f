"""Benchmark: firewall parsing speed (issue 14: FortiOS parsing linear, a 30 MB file in <= 2 s; issue 17: no
file of the real-configuration corpus over 30 s).

* FortiOS, one line of N MB (the case that was quadratic: 1 MB took 10.8 s, 2 MB 39 s);
* FortiOS, N MB of policies (address objects, services, comments): seconds and MB/s at several sizes, so a
  non-linear parser shows as falling MB/s;
* the corpus of tests/firewall/corpus: files, rules counted and parsed exactly per platform, the slowest file.

Prints one JSON document. Run: ``.venv/bin/python benchmarks/bench_firewall_parse.py [--sizes 3,10,30]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collectors.firewall.parsers import parse_text  # noqa: E402
from collectors.firewall.parsers.accounting import covered_lines  # noqa: E402


def policies(mb: float) -> tuple[str, int]:
    """A FortiOS configuration of about ``mb`` MB: 250 address objects, then policies until the size is met."""
    head = "config firewall address\n" + "".join(
        f'    edit "h{i}"\n        set subnet 192.0.2.{i % 250} 255.255.255.255\n    next\n' for i in range(250))
    parts = [head + "end\nconfig firewall policy\n"]
    size, i = len(parts[0]), 0
    while size < mb * 1_000_000:
        block = (f'    edit {i + 1}\n        set name "rule-{i}"\n        set srcintf "port1"\n'
                 f'        set dstintf "port2"\n        set srcaddr "h{i % 250}"\n'
                 f'        set dstaddr "h{i * 7 % 250}"\n'
                 f'        set action accept\n        set schedule "always"\n        set service "HTTPS"\n'
                 f'        set logtraffic all\n        set comments "change ticket {i}, owner netops"\n    next\n')
        parts.append(block)
        size += len(block)
        i += 1
    parts.append("end\n")
    return "".join(parts), i


def one_line(mb: float) -> str:
    return ('config firewall policy\n    edit 1\n        set comments "' + "x" * int(mb * 1_000_000) +
            '"\n        set action accept\n    next\nend\n')


def timed(text: str) -> tuple[float, int, float]:
    """Seconds to parse as ``firewall analyze`` does (detection skipped: the platform is given), rules, and CPU
    seconds (the figure that does not move with what else the machine runs)."""
    t0, c0 = time.perf_counter(), time.process_time()
    sets = parse_text(text, "fortinet", "bench")
    return time.perf_counter() - t0, sum(len(rs.rules) for rs in sets), time.process_time() - c0


def corpus() -> dict[str, Any]:
    folder = ROOT / "tests" / "firewall" / "corpus"
    manifest = json.loads((folder / "manifest.json").read_text())["files"]
    per: dict[str, dict[str, Any]] = {}
    for e in manifest:
        text = (folder / "files" / e["file"]).read_text()
        t0 = time.perf_counter()
        sets = parse_text(text, None, e["file"])
        dt = time.perf_counter() - t0
        rules = [r for rs in sets for r in rs.rules]
        p = per.setdefault(e["platform"], {"files": 0, "files_analysed": 0, "rule_lines_expected": 0,
                                           "rule_lines_accounted": 0, "rules": 0, "exact": 0, "analysed": 0,
                                           "slowest_s": 0.0, "slowest_file": None})
        p["files"] += 1
        p["files_analysed"] += any(r.status != "unparsed" for r in rules)
        p["rule_lines_expected"] += e["rules"]
        p["rule_lines_accounted"] += len(covered_lines(sets))
        p["rules"] += len(rules)
        p["exact"] += sum(r.status == "exact" for r in rules)
        p["analysed"] += sum(r.status != "unparsed" for r in rules)
        if dt > p["slowest_s"]:
            p["slowest_s"], p["slowest_file"] = round(dt, 4), e["file"]
    return per


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="3,10,30", help="MB of FortiOS policies to parse")
    args = ap.parse_args()
    out: dict[str, Any] = {"fortios_one_line": [], "fortios_policies": []}
    for mb in (1, 2, 30):
        dt, n, cpu = timed(one_line(mb))
        out["fortios_one_line"].append({"mb": mb, "seconds": round(dt, 3), "cpu_seconds": round(cpu, 3), "rules": n})
    for size in (float(x) for x in args.sizes.split(",")):
        text, expected = policies(size)
        dt, n, cpu = timed(text)
        if n != expected:
            raise SystemExit(f"{n} rules parsed, {expected} written")
        out["fortios_policies"].append({"mb": round(len(text) / 1e6, 1), "policies": n, "seconds": round(dt, 3),
                                        "cpu_seconds": round(cpu, 3), "mb_per_s": round(len(text) / 1e6 / dt, 2)})
    out["corpus"] = corpus()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
