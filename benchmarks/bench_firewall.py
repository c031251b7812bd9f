"""Benchmark: exact anomaly analysis of large rule sets (goal: >= 10,000 rules/s up to 5,000 rules, a
20,000-rule set in <= 3 s, peak memory < 1 GiB).

Rule sets are generated like real ones: mostly host-to-subnet service rules under 2001:db8::/32 and the IPv4
documentation prefixes, some wide rules, plain shadowed rules, and rules hidden only by two earlier rules
together (the case pairwise tools miss). Each planted hidden rule must be found, or the script fails.

Prints one JSON document. Run: ``.venv/bin/python benchmarks/bench_firewall.py [--sizes 1000,5000,20000]``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collectors.firewall.anomaly import AnalysisOptions, analyze
from collectors.firewall.model import TCP, UDP, Action, Provenance, Rule, RuleSet, Service, network

V6 = "2001:db8:{:x}:{:x}::"


def generate(n: int, seed: int = 7) -> tuple[RuleSet, set[int]]:
    rnd = random.Random(seed)
    rules: list[Rule] = []
    planted: set[int] = set()

    def add(action: Action, src: str, dst: str, svc: Service) -> int:
        k = len(rules)
        rules.append(Rule(k, f"r{k}", action, Provenance("bench", k + 1, ""), src=(network(src),),
                          dst=(network(dst),), services=(svc,), log=rnd.random() < 0.7))
        return k

    while len(rules) < n - 1:
        r = rnd.random()
        site, host = rnd.randrange(4096), rnd.randrange(1, 65535)
        if r < 0.04 and len(rules) < n - 4:  # two halves, then a rule inside both together
            lo, hi = f"2001:db8:{site:x}:0::/65", f"2001:db8:{site:x}:0:8000::/65"
            add(Action.DENY, "any", lo, Service.port(TCP, 1, 65535))
            add(Action.PERMIT, "any", hi, Service.port(TCP, 1, 65535))
            planted.add(add(Action.PERMIT, "2001:db8:ffff::/48", V6.format(site, 0) + "/64", Service.port(TCP, 443)))
        elif r < 0.06 and rules:  # a plain shadowed copy of an earlier rule
            prev = rnd.choice(rules)
            if prev.src[0][1] - prev.src[0][0] < (1 << 70):
                k = len(rules)
                rules.append(Rule(k, f"r{k}", Action.DENY if prev.action == Action.PERMIT else Action.PERMIT,
                                  Provenance("bench", k + 1, ""), src=prev.src, dst=prev.dst, services=prev.services))
                planted.add(k)
        elif r < 0.08:  # a wide rule
            add(Action.PERMIT, f"198.51.100.{rnd.randrange(256)}", "any", Service.port(UDP, rnd.choice([53, 123])))
        else:
            src = V6.format(rnd.randrange(4096), rnd.randrange(65536)) + f"{host:x}"
            dst = V6.format(site, rnd.randrange(65536)) + "/64"
            svc = Service.port(rnd.choice([TCP, TCP, UDP]), rnd.choice([22, 80, 443, 8080, 3389, 5060]))
            add(rnd.choice([Action.PERMIT, Action.PERMIT, Action.DENY]), src, dst, svc)
    add(Action.DENY, "any", "any", Service())
    return RuleSet("bench", "bench", "bench", rules), planted


def run(n: int) -> dict[str, object]:
    rs, planted = generate(n)
    t0 = time.perf_counter()
    found = analyze(rs, AnalysisOptions(pairwise=False, later_redundancy=False))
    t_shadow = time.perf_counter() - t0
    hidden = {a.rule for a in found if a.kind in ("shadowed", "redundant")}
    missing = planted - hidden
    if missing:
        raise SystemExit(f"{n} rules: planted hidden rules not found: {sorted(missing)[:10]}")
    t0 = time.perf_counter()
    full = analyze(rs)
    t_full = time.perf_counter() - t0
    return {
        "rules": len(rs.rules), "hidden_found": len(hidden), "planted_hidden": len(planted),
        "combined_blockers": sum(1 for a in found if a.details.get("combined")),
        "shadowing_seconds": round(t_shadow, 3), "shadowing_rules_per_s": round(len(rs.rules) / t_shadow),
        "full_analysis_seconds": round(t_full, 3), "full_findings": len(full),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="1000,5000,20000")
    args = ap.parse_args()
    results = [run(int(s)) for s in args.sizes.split(",")]
    print(json.dumps({"benchmark": "firewall_anomaly_analysis", "results": results}, indent=2))


if __name__ == "__main__":
    main()
