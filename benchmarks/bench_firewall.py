"""Benchmark: exact anomaly analysis of large rule sets (goal: >= 10,000 rules/s up to 5,000 rules, a
20,000-rule set in <= 3 s, peak memory < 1 GiB), and of large object groups (issue 17: a PAN-OS policy of 3
rules over 3,000 address objects in < 5 s, parse to findings; rules over 10,000-address groups).

Rule sets are generated like real ones: mostly host-to-subnet service rules under 2001:db8::/32 and the IPv4
documentation prefixes, some wide rules, plain shadowed rules, and rules hidden only by two earlier rules
together (the case pairwise tools miss). Each planted hidden rule must be found, or the script fails.

Large groups: the PAN-OS XML is generated (address objects of non-adjacent IPv6 hosts, so no two merge) and
goes through ``netcomply firewall analyze``'s own path (parse, bindings, analysis, checks); the planted
shadowed rule must be found. The 10,000-address groups plant a rule hidden only by two earlier group rules
together.

Prints one JSON document. Run: ``.venv/bin/python benchmarks/bench_firewall.py [--sizes 1000,5000,20000]
[--groups 10000] [--panos-objects 3000]``.
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
    t0, c0 = time.perf_counter(), time.process_time()
    found = analyze(rs, AnalysisOptions(pairwise=False, later_redundancy=False))
    t_shadow, c_shadow = time.perf_counter() - t0, time.process_time() - c0
    hidden = {a.rule for a in found if a.kind in ("shadowed", "redundant")}
    missing = planted - hidden
    if missing:
        raise SystemExit(f"{n} rules: planted hidden rules not found: {sorted(missing)[:10]}")
    t0, c0 = time.perf_counter(), time.process_time()
    full = analyze(rs)
    t_full, c_full = time.perf_counter() - t0, time.process_time() - c0
    return {
        "rules": len(rs.rules), "hidden_found": len(hidden), "planted_hidden": len(planted),
        "combined_blockers": sum(1 for a in found if a.details.get("combined")),
        "shadowing_seconds": round(t_shadow, 3), "shadowing_rules_per_s": round(len(rs.rules) / t_shadow),
        "shadowing_cpu_seconds": round(c_shadow, 3),
        "full_analysis_seconds": round(t_full, 3), "full_analysis_cpu_seconds": round(c_full, 3),
        "full_findings": len(full),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _members(tag: str, names: list[str]) -> str:
    return f"<{tag}>" + "".join(f"<member>{n}</member>" for n in names) + f"</{tag}>"


def panos_policy_xml(n_objects: int = 3000) -> str:
    """A PAN-OS running configuration: ``n_objects`` host address objects in a source and a destination group
    (half each), and 3 rules: allow source group -> destination group on HTTPS, a deny of half the sources that
    rule 1 shadows, and a final deny."""
    half = n_objects // 2
    src = [f"S{k}" for k in range(half)]
    dst = [f"D{k}" for k in range(n_objects - half)]
    addrs = [f'<entry name="S{k}"><ip-netmask>2001:db8:a::{2 * k:x}/128</ip-netmask></entry>' for k in range(half)]
    addrs += [f'<entry name="D{k}"><ip-netmask>2001:db8:b::{2 * k:x}/128</ip-netmask></entry>'
              for k in range(n_objects - half)]
    groups = [f'<entry name="SRC">{_members("static", src)}</entry>',
              f'<entry name="SRC-HALF">{_members("static", src[::2])}</entry>',
              f'<entry name="DST">{_members("static", dst)}</entry>']

    def rule(name: str, s: str, d: str, svc: str, action: str) -> str:
        return (f'<entry name="{name}">{_members("from", ["trust"])}{_members("to", ["untrust"])}'
                f'{_members("source", [s])}{_members("destination", [d])}{_members("application", ["any"])}'
                f'{_members("service", [svc])}<action>{action}</action><log-end>yes</log-end></entry>')
    rules = [rule("allow-groups", "SRC", "DST", "service-https", "allow"),
             rule("deny-half", "SRC-HALF", "DST", "service-https", "deny"),
             rule("deny-all", "any", "any", "any", "deny")]
    return ('<response status="success"><result><config version="10.1.0"><devices>'
            '<entry name="localhost.localdomain"><vsys><entry name="vsys1">'
            f'<address>{"".join(addrs)}</address><address-group>{"".join(groups)}</address-group>'
            f'<rulebase><security><rules>{"".join(rules)}</rules></security></rulebase>'
            '</entry></vsys></entry></devices></config></result></response>')


def run_panos(n_objects: int) -> dict[str, object]:
    import tempfile

    from netcomply.app.pipelines.firewall import audit

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "panos.xml"
        path.write_text(panos_policy_xml(n_objects))
        t0, c0 = time.perf_counter(), time.process_time()
        doc = audit([path], "paloalto_panos")
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    shadowed = [f["rule"]["name"] for f in doc["findings"] if f["kind"] == "shadowed"]
    if shadowed != ["deny-half"]:
        raise SystemExit(f"PAN-OS {n_objects} objects: expected deny-half shadowed, got {shadowed}")
    return {"case": "panos_3_rules", "address_objects": n_objects, "rules": doc["rules"],
            "parse_to_findings_seconds": round(seconds, 3), "parse_to_findings_cpu_seconds": round(cpu, 3),
            "findings": len(doc["findings"]),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def generate_groups(group_size: int, n_rules: int = 40, seed: int = 11) -> tuple[RuleSet, set[int]]:
    """Rules over ``group_size``-address source groups (random non-adjacent IPv6 hosts of one /64 pool); every
    fourth rule's group is drawn from the two groups before it, so only those two together hide it."""
    rnd = random.Random(seed)
    pool = rnd.sample(range(0, 1 << 40, 2), group_size * n_rules)
    base = int.from_bytes(bytes.fromhex("20010db8000100000000000000000000"), "big")
    rules: list[Rule] = []
    planted: set[int] = set()
    groups: list[list[int]] = []
    for k in range(n_rules - 1):
        if k % 4 == 3:
            mix = rnd.sample(groups[-1], group_size // 2) + rnd.sample(groups[-2], group_size // 2)
            members, action = mix, Action.DENY
            planted.add(k)
        else:
            members, action = pool[k * group_size:(k + 1) * group_size], Action.PERMIT
        groups.append(members)
        rules.append(Rule(k, f"g{k}", action, Provenance("bench", k + 1, ""),
                          src=tuple((base + a, base + a) for a in members),
                          dst=(network(f"2001:db8:ff:{k % 3:x}::/64"),),
                          services=(Service.port(TCP, 443), Service.port(TCP, 8443)), log=True))
        if k % 4 == 3:  # the two group rules before it share its destination
            rules[-1].dst = rules[-2].dst = rules[-3].dst = (network("2001:db8:ff:9::/64"),)
    rules.append(Rule(n_rules - 1, "deny-all", Action.DENY, Provenance("bench", n_rules, ""), log=True))
    return RuleSet("groups", "bench", "bench", rules), planted


def run_groups(group_size: int) -> dict[str, object]:
    rs, planted = generate_groups(group_size)
    t0, c0 = time.perf_counter(), time.process_time()
    found = analyze(rs)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    hidden = {a.rule for a in found if a.kind in ("shadowed", "redundant") and not a.details.get("by_later")}
    if not planted <= hidden:
        raise SystemExit(f"{group_size}-address groups: planted hidden rules not found: {sorted(planted - hidden)}")
    return {"case": "address_groups", "group_size": group_size, "rules": len(rs.rules),
            "addresses": sum(len(r.src) for r in rs.rules), "planted_hidden": len(planted),
            "hidden_found": len(hidden), "full_analysis_seconds": round(seconds, 3),
            "full_analysis_cpu_seconds": round(cpu, 3),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--groups", default="10000", help="address group sizes ('' to skip)")
    ap.add_argument("--panos-objects", default="3000", help="address objects of the PAN-OS policy ('' to skip)")
    args = ap.parse_args()
    results = [run(int(s)) for s in args.sizes.split(",") if s]
    results += [run_groups(int(s)) for s in args.groups.split(",") if s]
    results += [run_panos(int(s)) for s in args.panos_objects.split(",") if s]
    print(json.dumps({"benchmark": "firewall_anomaly_analysis", "results": results}, indent=2))


if __name__ == "__main__":
    main()
