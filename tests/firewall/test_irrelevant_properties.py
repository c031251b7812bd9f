"""The irrelevant-rule analysis against a brute-force oracle: random rule sets, random networks behind random
interfaces and zones, random bindings. A rule is irrelevant exactly when every interface or zone that decides
one of its sides is known and none of that side's addresses is behind any of them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.firewall.anomaly import irrelevant
from collectors.firewall.model import V4_BASE, Action, ParseStatus, Provenance, Rule, RuleSet

IFACES = ["a", "b", "c", "z1"]
_iv = st.tuples(st.integers(0, 255), st.integers(0, 255)).map(lambda t: (V4_BASE + min(t), V4_BASE + max(t)))


@st.composite
def _case(draw: st.DrawFn) -> tuple[RuleSet, dict[str, list[tuple[int, int]]]]:
    nets = {i: draw(st.lists(_iv, max_size=3)) for i in draw(st.lists(st.sampled_from(IFACES), unique=True))}
    binding = draw(st.sampled_from([(), ("a in",), ("b out",), ("a in", "b in"), ("a in", "b out"), ("global",)]))
    rs = RuleSet("t", "test", "t", bound_to=binding, zone_networks={k: tuple(v) for k, v in nets.items()})
    for k in range(draw(st.integers(1, 6))):
        rs.rules.append(Rule(k, f"r{k}", Action.PERMIT, Provenance("t", k + 1, f"r{k}"),
                             src=tuple(draw(st.lists(_iv, min_size=1, max_size=2))),
                             dst=tuple(draw(st.lists(_iv, min_size=1, max_size=2))),
                             src_zones=tuple(draw(st.lists(st.sampled_from(IFACES), max_size=2, unique=True))),
                             dst_zones=tuple(draw(st.lists(st.sampled_from(IFACES), max_size=2, unique=True))),
                             status=draw(st.sampled_from([ParseStatus.EXACT, ParseStatus.APPROXIMATE,
                                                          ParseStatus.UNPARSED]))))
    return rs, nets


def _oracle(rs: RuleSet, nets: dict[str, list[tuple[int, int]]], r: Rule) -> bool:
    if r.status == ParseStatus.UNPARSED or not nets:
        return False
    ins = [b.split()[0] for b in rs.bound_to if b.endswith(" in")]
    outs = [b.split()[0] for b in rs.bound_to if b.endswith(" out")]
    if any(not b.endswith((" in", " out")) for b in rs.bound_to) or (ins and outs):
        ins, outs = [], []
    for zones, addrs in ((r.src_zones or tuple(ins), r.src), (r.dst_zones or tuple(outs), r.dst)):
        if not zones or any(z not in nets for z in zones):
            continue
        behind = {x for z in zones for lo, hi in nets[z] for x in range(lo, hi + 1)}
        if not any(x in behind for lo, hi in addrs for x in range(lo, hi + 1)):
            return True
    return False


@settings(max_examples=400, deadline=None)
@given(_case())
def test_irrelevant_matches_the_oracle(case: tuple[RuleSet, dict[str, list[tuple[int, int]]]]) -> None:
    rs, nets = case
    got = {a.rule for a in irrelevant(rs)}
    want = {k for k, r in enumerate(rs.rules) if _oracle(rs, nets, r)}
    assert got == want
