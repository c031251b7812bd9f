"""Inventory loading at scale, and how fast an alias bomb is refused.

Workload: an inventory of 110,000 plain hosts (about 10 MB, issue 14's case: each host written out with its
address, platform, role and site; four groups; no aliases), validated and resolved by ``load_inventory`` exactly as
every command does. Then the "billion laughs" document (nine levels of ten aliases, 10^9 values if expanded),
which must be refused by name, quickly. Each measurement runs in a fresh child process so the peak RSS is the
load's own.

Prints JSON. Run: .venv/bin/python benchmarks/bench_inventory.py [--hosts 110000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from netcomply.errors import InputError
from netcomply.inventory import load_inventory
start = time.perf_counter()
cpu = time.process_time()
try:
    inv = load_inventory(sys.argv[1], environ={})
    result = {"hosts": len(inv.devices), "refused": None}
except InputError as exc:
    result = {"hosts": None, "refused": str(exc.problems[0])}
result["seconds"] = round(time.perf_counter() - start, 2)
result["cpu_seconds"] = round(time.process_time() - cpu, 2)  # wall time varies with the machine's load
result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(result))
"""


def write_plain(path: Path, hosts: int) -> int:
    sites = [f"site-{n:02d}" for n in range(50)]
    lines = ["groups:", "  ios: {platform: cisco_ios, role: switch}", "  comware: {platform: hp_comware, role: switch}",
             "  huawei: {platform: huawei, role: switch}", "  asa: {platform: cisco_asa, role: firewall}", "hosts:"]
    groups = ["ios", "comware", "huawei", "asa"]
    for i in range(hosts):
        lines.append(f"  sw{i:06d}: {{address: 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}, groups: [{groups[i % 4]}], "
                     f"site: {sites[i % 50]}, tags: [access]}}")
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def write_bomb(path: Path) -> None:
    levels = "abcdefghi"
    text = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    for prev, cur in itertools.pairwise(levels):
        text += f"{cur}: &{cur} [{', '.join([f'*{prev}'] * 10)}]\n"
    path.write_text(text + "hosts: {}\n", encoding="utf-8")


def measure(path: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, env=env,
                         check=True, timeout=900)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=110_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain.yaml"
        size = write_plain(plain, args.hosts)
        bomb = Path(tmp) / "bomb.yaml"
        write_bomb(bomb)
        big = measure(plain)
        refused = measure(bomb)
    print(json.dumps({
        "benchmark": "inventory",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "plain_inventory": {"hosts_written": args.hosts, "bytes": size, **big,
                            "hosts_per_second": round(args.hosts / big["seconds"]) if big["hosts"] else None},
        "alias_bomb": refused,
    }, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
