"""Address and service sets as interval sets: exact set algebra, and no cross product of group members.

The set operations are checked against Python sets of integers (hypothesis), through both of their paths:
the Python merge for small sets and numpy for large ones (``space.BIG`` set to 0 forces numpy everywhere).
The anomaly oracle is then re-run with every set on the numpy path.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.firewall import space
from collectors.firewall.anomaly import analyze
from collectors.firewall.model import TCP, UDP, Action, Provenance, Rule, RuleSet, Service, network
from collectors.firewall.space import (
    build_space,
    set_contains,
    set_difference,
    set_intersection,
    set_overlaps,
)
from tests.firewall.test_anomaly_oracle import check_agreement, random_ruleset

UNIVERSE = 300


def _canon(values: set[int]) -> tuple[int, ...]:
    out: list[int] = []
    for v in sorted(values):
        if out and out[-1] == v - 1:
            out[-1] = v
        else:
            out += (v, v)
    return tuple(out)


def _values(s: object) -> set[int]:
    flat = [int(v) for v in s]  # type: ignore[attr-defined]
    return {v for lo, hi in zip(flat[0::2], flat[1::2], strict=True) for v in range(lo, hi + 1)}


int_sets = st.sets(st.integers(0, UNIVERSE), max_size=120)


@pytest.mark.parametrize("big", [64, 0], ids=["python-or-numpy-by-size", "numpy-always"])
@settings(max_examples=300, deadline=None)
@given(a=int_sets.filter(bool), b=int_sets.filter(bool))
def test_set_operations_match_python_sets(big: int, a: set[int], b: set[int]) -> None:
    old = space.BIG
    space.BIG = big
    try:
        x, y = _canon(a), _canon(b)
        assert set_overlaps(x, y) == bool(a & b)
        assert set_contains(x, y) == (b <= a)
        assert _values(set_intersection(x, y)) == a & b
        assert _values(set_difference(x, y)) == a - b
        # results are canonical: sorted, disjoint ranges
        for r in (set_intersection(x, y), set_difference(x, y)):
            flat = [int(v) for v in r]
            assert all(lo <= hi for lo, hi in zip(flat[0::2], flat[1::2], strict=True))
            assert all(flat[i] < flat[i + 1] for i in range(1, len(flat) - 1, 2))
    finally:
        space.BIG = old


def test_anomalies_stay_exact_with_every_set_on_the_numpy_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(space, "BIG", 0)
    rnd = random.Random(17)
    for _ in range(600):
        check_agreement(random_ruleset(rnd))


def _hosts(prefix: str, n: int) -> tuple[tuple[int, int], ...]:
    return tuple(network(f"{prefix}{2 * k:x}") for k in range(n))  # every other host: no two merge


def test_group_rules_are_one_box_per_service_not_per_address_pair() -> None:
    """300 x 300 addresses were 90,000 boxes per rule (one per source x destination pair): now one per
    protocol, whatever the groups hold; and the hidden rule inside both groups is still found exactly."""
    src, dst = _hosts("2001:db8:a::", 300), _hosts("2001:db8:b::", 300)
    rules = [
        Rule(0, "allow", Action.PERMIT, Provenance("t", 1, ""), src=src, dst=dst,
             services=(Service.port(TCP, 443), Service.port(TCP, 8443), Service.port(UDP, 443))),
        Rule(1, "deny-half", Action.DENY, Provenance("t", 2, ""), src=src[::2], dst=dst[:10],
             services=(Service.port(TCP, 443),)),
        Rule(2, "deny-rest", Action.DENY, Provenance("t", 3, ""), src=(*src[1::2], network("2001:db8:c::1")),
             dst=dst[:10], services=(Service.port(TCP, 443),)),
    ]
    sp = build_space(rules)
    assert [len(b) for b in sp.boxes] == [2, 1, 1]  # tcp (443 and 8443 merged), udp; then one each
    found = {(a.kind, a.rule) for a in analyze(RuleSet("t", "t", "t", rules))}
    assert ("shadowed", 1) in found and ("shadowed", 2) not in found  # rule 2 has one source rule 0 lacks


def test_several_group_rules_hide_a_rule_together() -> None:
    """A rule whose source group is half from each of two earlier groups: neither hides it alone."""
    a, b = _hosts("2001:db8:a::", 400), _hosts("2001:db8:b::", 400)
    dst = (network("192.0.2.0/24"),)
    svc = (Service.port(TCP, 22),)
    rules = [Rule(0, "a", Action.PERMIT, Provenance("t", 1, ""), src=a, dst=dst, services=svc),
             Rule(1, "b", Action.DENY, Provenance("t", 2, ""), src=b, dst=dst, services=svc),
             Rule(2, "mix", Action.PERMIT, Provenance("t", 3, ""), src=a[::3] + b[::5], dst=dst, services=svc)]
    [hidden] = [x for x in analyze(RuleSet("t", "t", "t", rules)) if x.rule == 2 and x.kind == "shadowed"]
    assert hidden.related == (0, 1) and hidden.minimum


def test_panos_policy_over_large_address_groups_is_analysed(tmp_path: Path) -> None:
    """The issue's shape (3 rules over a few thousand address objects) end to end through the CLI path; the
    benchmark measures it at 3,000 objects (benchmarks/bench_firewall.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_firewall", Path(__file__).resolve().parents[2]
                                                  / "benchmarks" / "bench_firewall.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run_panos(600)
    assert result["rules"] == 3
