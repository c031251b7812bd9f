"""The exact anomaly analysis against a brute-force oracle over a small enumerable packet space.

The oracle knows nothing of boxes: it enumerates one representative packet of every elementary cell (each
interval start and end+1 of every field, per dimension), evaluates the rules packet by packet (first match
wins), and derives every anomaly from those truth tables. Subset sizes for "fewest blocking rules" are found
by trying every subset. 10,000 seeded random rule sets run in one test; hypothesis adds shrinking examples.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.firewall.anomaly import AnalysisOptions, Anomaly, analyze
from collectors.firewall.model import (
    ANY_ADDR,
    ANY_PORT,
    ANY_PROTO,
    CT_STATES,
    ICMP,
    TCP,
    UDP,
    Action,
    Provenance,
    Rule,
    RuleSet,
    Service,
    network,
)

ADDRS = ["any", "any4", "any6", "192.0.2.0/30", "192.0.2.0/31", "192.0.2.2/31", "192.0.2.1", "192.0.2.2",
         "2001:db8::/127", "2001:db8::1"]
SERVICES = [Service(), Service.port(TCP, 22), Service.port(TCP, 23), Service.port(TCP, 20, 25),
            Service.port(TCP, 22, 23), Service.port(UDP, 22), Service.port(UDP, 1, 65535),
            Service(proto=(TCP, TCP), sport=(1024, 65535)), Service.icmp(ICMP, 8), Service.icmp(ICMP),
            Service(proto=(TCP, UDP))]
ZONES = [(), ("a",), ("b",), ("a", "b")]
STATES = [(), ("established", "related"), ("new",)]
APPS = [(), ("web-browsing",), ("ssl",), ("ssl", "web-browsing")]
DIMS = ("zones", "states", "services", "src", "dst", "apps")


def random_ruleset(rnd: random.Random) -> RuleSet:
    """A small rule set that varies only some fields, so its packet space stays enumerable."""
    active = set(rnd.sample(DIMS, rnd.randint(1, 4)))
    n = rnd.randint(1, 8)
    rules = []
    for k in range(n):
        def pick(dim: str, options: list[Any], default: Any) -> Any:
            return rnd.choice(options) if dim in active and rnd.random() < 0.8 else default
        src = tuple(network(a) for a in {pick("src", ADDRS, "any") for _ in range(rnd.choice([1, 1, 2]))})
        dst = tuple(network(a) for a in {pick("dst", ADDRS, "any") for _ in range(rnd.choice([1, 1, 2]))})
        svcs = tuple({pick("services", SERVICES, Service()) for _ in range(rnd.choice([1, 1, 2]))})
        rules.append(Rule(
            index=k, name=f"r{k}", action=rnd.choice([Action.PERMIT, Action.DENY]),
            provenance=Provenance("t", k + 1, f"r{k}"), src=src, dst=dst, services=svcs,
            src_zones=pick("zones", ZONES, ()), dst_zones=pick("zones", ZONES, ()),
            states=pick("states", STATES, ()), apps=pick("apps", APPS, ()), log=rnd.random() < 0.3,
            enabled=rnd.random() > 0.05, partial=rnd.random() < 0.08,
        ))
    return RuleSet("t", "test", "t", rules)


# --------------------------------------------------------------------------------------------- the oracle


def _reps(intervals: list[tuple[int, int]], full: tuple[int, int]) -> list[int]:
    pts = {full[0]} | {lo for lo, _ in intervals} | {hi + 1 for _, hi in intervals if hi < full[1]}
    return sorted(pts)


def oracle(rs: RuleSet) -> dict[str, Any]:
    rules = [r for r in rs.rules if r.analysable]
    zones = [*sorted({z for r in rules for z in (*r.src_zones, *r.dst_zones)}), "<other>"]
    states = list(CT_STATES)
    protos = _reps([s.proto for r in rules for s in r.services], ANY_PROTO)
    sports = _reps([s.sport for r in rules for s in r.services], ANY_PORT)
    dports = _reps([s.dport for r in rules for s in r.services], ANY_PORT)
    srcs = _reps([iv for r in rules for iv in r.src], ANY_ADDR)
    dsts = _reps([iv for r in rules for iv in r.dst], ANY_ADDR)
    apps = [*sorted({a for r in rules for a in r.apps}), "<other>"]
    axes: tuple[list[Any], ...] = (zones, zones, states, protos, srcs, dsts, sports, dports, apps)
    npk = int(np.prod([len(a) for a in axes]))

    def inside(ivs: Any, axis: list[Any]) -> np.ndarray:
        return np.array([any(a <= v <= b for a, b in ivs) for v in axis], dtype=bool)

    def shape(vec: np.ndarray, dim: int) -> np.ndarray:
        return vec.reshape([len(a) if d == dim else 1 for d, a in enumerate(axes)])

    def matches(r: Rule) -> np.ndarray:
        """The rule's truth table over every packet: one boolean per field value, combined by broadcasting."""
        zs = np.array([not r.src_zones or z in r.src_zones for z in zones])
        zd = np.array([not r.dst_zones or z in r.dst_zones for z in zones])
        st_ = np.array([not r.states or s in r.states for s in states])
        ap = np.array([not r.apps or a in r.apps for a in apps])
        svc = np.zeros([1, 1, 1, len(protos), 1, 1, len(sports), len(dports), 1], dtype=bool)
        for s in r.services:
            svc = svc | (shape(inside([s.proto], protos), 3) & shape(inside([s.sport], sports), 6)
                         & shape(inside([s.dport], dports), 7))
        table = (shape(zs, 0) & shape(zd, 1) & shape(st_, 2) & svc & shape(inside(r.src, srcs), 4)
                 & shape(inside(r.dst, dsts), 5) & shape(ap, 8))
        return np.broadcast_to(table, [len(a) for a in axes]).reshape(npk)

    m = np.array([matches(r) for r in rules], dtype=bool).reshape(len(rules), npk)
    blocker = [r.blocker for r in rules]
    n = len(rules)
    hidden: dict[int, str] = {}
    min_size: dict[int, int] = {}
    live = [True] * n
    for j in range(n):
        earlier = [i for i in range(j) if blocker[i]]
        decided = np.zeros(npk, dtype=bool)
        differs = False
        for i in earlier:
            newly = m[i] & ~decided & m[j]
            if newly.any() and rules[i].action != rules[j].action:
                differs = True
            decided |= m[i]
        if (m[j] & ~decided).any():
            continue
        live[j] = False
        hidden[j] = "shadowed" if differs else "redundant"
        for size in range(1, len(earlier) + 1):
            if any(not (m[j] & ~np.any(m[list(c)], axis=0)).any() for c in itertools.combinations(earlier, size)):
                min_size[j] = size
                break
    by_later = set()
    for i in range(n):
        if not live[i]:
            continue
        eff = m[i] & ~np.any(m[[k for k in range(i) if blocker[k]]], axis=0) if any(blocker[:i]) else m[i].copy()
        ok = True
        undecided = eff
        for k in range(i + 1, n):  # each packet goes on to the first later rule that matches it
            hit = undecided & m[k]
            if not hit.any():
                continue
            if (rules[k].action, rules[k].log) != (rules[i].action, rules[i].log):
                ok = False
                break
            if blocker[k]:
                undecided = undecided & ~m[k]
        ok = ok and not undecided.any()
        if ok:
            by_later.add(i)
    gen: set[tuple[int, int]] = set()
    corr: set[tuple[int, int]] = set()
    for j in range(n):
        for i in range(j):
            if not (live[i] and live[j]) or rules[i].action == rules[j].action or not (m[i] & m[j]).any():
                continue
            (gen if not (m[i] & ~m[j]).any() else corr).add((i, j))
    return {"hidden": hidden, "min_size": min_size, "by_later": by_later, "gen": gen, "corr": corr,
            "m": m, "rules": rules}


def check_agreement(rs: RuleSet, options: AnalysisOptions | None = None) -> list[Anomaly]:
    want = oracle(rs)
    pos = {id(r): k for k, r in enumerate(want["rules"])}
    at = [pos.get(id(r)) for r in rs.rules]  # rule-set position -> oracle position
    got = analyze(rs, options)
    hidden = {at[a.rule]: a for a in got if a.kind in ("shadowed", "redundant") and not a.details.get("by_later")}
    assert {k: a.kind for k, a in hidden.items()} == want["hidden"]
    m = want["m"]
    for j, a in hidden.items():
        cover = [at[c] for c in a.related]
        assert all(c is not None and j is not None and c < j and want["rules"][c].blocker for c in cover)
        union = np.any(m[cover], axis=0)
        assert not (m[j] & ~union).any(), "named blockers do not cover the rule"
        for c in cover:  # irreducible
            rest = [x for x in cover if x != c]
            assert not rest or (m[j] & ~np.any(m[rest], axis=0)).any(), "a named blocker is not needed"
        if a.minimum:
            assert len(cover) == want["min_size"][j]
    assert {at[a.rule] for a in got if a.details.get("by_later")} == want["by_later"]
    assert {(at[a.related[0]], at[a.rule]) for a in got if a.kind == "generalization"} == want["gen"]
    assert {(at[a.related[0]], at[a.rule]) for a in got if a.kind == "correlation"} == want["corr"]
    return got


def test_ten_thousand_random_rule_sets_agree_with_the_oracle() -> None:
    rnd = random.Random(20261122)
    kinds: dict[str, int] = {}
    for n in range(10_000):
        rs = random_ruleset(rnd)
        # Half the sets take the sampled-witness shortcut on every rule, so both paths meet the oracle.
        for a in check_agreement(rs, AnalysisOptions(witness_after=0) if n % 2 else None):
            kind = a.kind + ("+combined" if a.details.get("combined") else "") + ("+later" if a.details.get(
                "by_later") else "") + ("" if a.minimum else "+unproven")
            kinds[kind] = kinds.get(kind, 0) + 1
    # The generator must exercise every kind, including rules hidden only by several rules together.
    assert {"shadowed", "redundant", "redundant+later", "generalization", "correlation", "shadowed+combined",
            "redundant+combined"} <= set(kinds), kinds


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_random_rule_sets_agree_with_the_oracle_hypothesis(rnd: random.Random) -> None:
    rs = random_ruleset(rnd)
    check_agreement(rs)
    check_agreement(rs, AnalysisOptions(witness_after=0, cover_budget=0))


def test_combined_blockers_are_named_and_fewest() -> None:
    """Rule 3 is hidden by rules 1 and 2 together (neither alone); rule 0 is irrelevant to it."""
    def r(k: int, action: Action, dst: str, svc: Service) -> Rule:
        return Rule(k, f"r{k}", action, Provenance("t", k + 1, ""), dst=(network(dst),), services=(svc,))
    rs = RuleSet("t", "t", "t", [
        r(0, Action.PERMIT, "203.0.113.0/24", Service.port(UDP, 53)),
        r(1, Action.DENY, "192.0.2.0/25", Service.port(TCP, 1, 65535)),
        r(2, Action.PERMIT, "192.0.2.128/25", Service.port(TCP, 1, 65535)),
        r(3, Action.PERMIT, "192.0.2.0/24", Service.port(TCP, 443)),
    ])
    [a] = [a for a in analyze(rs) if a.rule == 3 and a.kind == "shadowed"]
    assert a.related == (1, 2) and a.minimum and a.details["combined"]
