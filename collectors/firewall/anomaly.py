"""Exact anomaly analysis (Al-Shaer & Hamed's taxonomy), including rules hidden by several rules together.

Definitions (``M_k``: the packets rule k's fields match; first match wins; only *blockers* -- exact, enabled,
terminal rules that surely match all they say -- may decide a packet in these proofs):

* **hidden** rule j: every packet of ``M_j`` is decided by an earlier blocker. It is **shadowed** when some of
  those packets get a different action than j's, **redundant** when all get j's action. The report names the
  fewest earlier rules that together cover ``M_j`` (``minimum=True`` when that is proven by search, otherwise
  an irreducible cover: no member can be dropped).
* **redundant (by a later rule)**: every packet that reaches live rule i would, without i, be decided by later
  rules with the same action and logging (Al-Shaer's "redundancy" of a rule that a later one subsumes).
* **generalization**: live rules i < j with different actions and ``M_i`` inside ``M_j`` (often a deliberate
  exception; low severity).
* **correlation**: live rules i < j with different actions that overlap without either containing the other.
* **irrelevant**: a rule whose sources (or destinations) lie outside every network of its zones.

Why exact and not pairwise: pairwise checks (the common kind) miss a rule hidden by two earlier ones, and
report nothing wrong about it. The box algebra in :mod:`collectors.firewall.space` subtracts earlier rules
from each rule's match set; the numpy overlap filter keeps that to the few rules that actually overlap.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from math import comb

import numpy as np

from collectors.firewall.model import Action, Interval, Rule, RuleSet
from collectors.firewall.space import (
    Box,
    box_rows,
    build_space,
    covered,
    covered_mask,
    overlapping_pairs,
    region_minus,
    region_overlaps,
    sample_points,
)

_UNPROVEN = " (an irreducible set: no rule can be left out, but a smaller set was not ruled out)"
KINDS = ("shadowed", "redundant", "generalization", "correlation", "irrelevant")


@dataclass(frozen=True)
class Anomaly:
    """One finding of the analysis. ``rule`` and ``related`` are positions in ``RuleSet.rules``."""

    kind: str
    rule: int
    related: tuple[int, ...]
    message: str
    minimum: bool = True  # for hidden rules: ``related`` is a proven smallest cover
    approximate: bool = False  # an approximate or unparsed rule could change this answer
    details: dict[str, object] = field(default_factory=dict)


@dataclass
class AnalysisOptions:
    pairwise: bool = True  # generalization and correlation (quadratic in overlapping pairs)
    later_redundancy: bool = True
    cover_budget: int = 2000  # subset checks spent proving the smallest set of blocking rules
    witness_after: int = 8  # with more earlier overlapping rules than this, first look for a sampled witness


def _ref(rule: Rule) -> str:
    return f"line {rule.provenance.line}" + (f" ({rule.name})" if rule.name else "")


def min_cover(target: list[Box], cands: Sequence[int], boxes: Sequence[list[Box]], known: Sequence[int],
              budget: int) -> tuple[tuple[int, ...], bool]:
    """The fewest of ``cands`` whose boxes cover ``target``; ``known`` is a cover already found.

    Searches subsets by increasing size while the budget lasts; if it runs out, prunes ``known`` to an
    irreducible cover and says the answer is not proven minimum.
    """
    spent = 0
    for k in range(1, len(known)):
        n = comb(len(cands), k)
        if spent + n > budget:
            break
        spent += n
        for combo in itertools.combinations(cands, k):
            if covered(target, [b for c in combo for b in boxes[c]]):
                return combo, True
    else:
        return tuple(known), True
    kept = list(known)
    for c in list(known):
        trial = [x for x in kept if x != c]
        if trial and covered(target, [b for x in trial for b in boxes[x]]):
            kept = trial
    return tuple(kept), False


def analyze(ruleset: RuleSet, options: AnalysisOptions | None = None) -> list[Anomaly]:
    """Every anomaly of one rule set, ordered by rule position then kind."""
    opt = options or AnalysisOptions()
    all_rules = ruleset.rules
    pos = [k for k, r in enumerate(all_rules) if r.analysable]
    rules = [all_rules[k] for k in pos]
    # Rules we cannot reason about: unparsed, or enabled non-terminal rules (a jump may decide anything).
    barriers = [k for k, r in enumerate(all_rules)
                if r.status == "unparsed" or (r.enabled and r.action == Action.OTHER
                                              and r.extra.get("nonterminal") != "log")]
    out: list[Anomaly] = []
    out.extend(irrelevant(ruleset))
    if not rules:
        return _sorted(out)
    space = build_space(rules)
    boxes = space.boxes
    ov = overlapping_pairs(space)
    rows = box_rows(space)
    rng = np.random.default_rng(0)
    witness_cache: dict[int, np.ndarray] = {}

    def witnesses(k: int) -> np.ndarray:
        if k not in witness_cache:
            witness_cache[k] = sample_points(boxes[k], rng)
        return witness_cache[k]
    effective: list[list[Box] | None] = [None] * len(rules)
    hidden = [False] * len(rules)
    for j, rj in enumerate(rules):
        differs = False
        unsure = any(b < pos[j] for b in barriers)
        deciding: list[int] = []
        cands = [i for i in ov[j] if i < j and rules[i].blocker]
        unsure |= any(i < j and not rules[i].blocker and rules[i].action != rj.action for i in ov[j])
        if len(cands) > opt.witness_after:
            # A sampled packet that no earlier rule matches proves the rule fires, without fragmenting a
            # wide rule into thousands of boxes (the final catch-all overlaps every rule).
            cr = np.concatenate([rows[i] for i in cands])
            if not covered_mask(witnesses(j), space.lo[cr], space.hi[cr]).all():
                continue
        region = list(boxes[j])
        for i in cands:
            ri = rules[i]
            if region and region_overlaps(region, boxes[i]):
                deciding.append(i)
                differs |= ri.action != rj.action
                region = region_minus(region, boxes[i])
        effective[j] = region
        if region:
            continue
        hidden[j] = True
        cover, minimum = min_cover(boxes[j], cands, boxes, deciding, opt.cover_budget)
        kind = "shadowed" if differs else "redundant"
        names = ", ".join(_ref(rules[c]) for c in cover)
        verb = "never matches: everything it matches is already decided by" if kind == "shadowed" else \
            "is redundant: everything it matches already gets the same action from"
        out.append(Anomaly(kind, pos[j], tuple(pos[c] for c in cover),
                           f"{_ref(rj)} {verb} {names}" + ("" if minimum else _UNPROVEN),
                           minimum=minimum, approximate=unsure,
                           details={"combined": len(cover) > 1, "deciding": [pos[d] for d in deciding]}))
    if opt.later_redundancy:
        for i, ri in enumerate(rules):
            if hidden[i] or not any(k > i for k in ov[i]):
                continue
            if _not_redundant_witness(i, rules, space, rows, witnesses(i), ov[i]):
                continue
            rem = effective[i]
            if rem is None:
                earlier = [b for k in ov[i] if k < i and rules[k].blocker for b in boxes[k]]
                rem = region_minus(list(boxes[i]), earlier)
            if not rem:
                continue
            found = _redundant_by_later(i, rem, rules, boxes, ov[i])
            if found is None:
                continue
            if any(pos[i] < b < pos[found[-1]] for b in barriers):
                continue
            out.append(Anomaly("redundant", pos[i], tuple(pos[k] for k in found),
                               f"{_ref(ri)} is redundant: without it, the same traffic gets the same action from "
                               + ", ".join(_ref(rules[k]) for k in found),
                               details={"by_later": True}))
    if opt.pairwise:
        for j, rj in enumerate(rules):
            if hidden[j]:
                continue
            for i in ov[j]:
                if i >= j:
                    break
                ri = rules[i]
                if hidden[i] or ri.action == rj.action:
                    continue
                if covered(boxes[i], boxes[j]):
                    out.append(Anomaly("generalization", pos[j], (pos[i],),
                                       f"{_ref(rj)} generalizes {_ref(ri)}: it matches all of that rule's traffic "
                                       f"and more, with the opposite action"))
                else:
                    out.append(Anomaly("correlation", pos[j], (pos[i],),
                                       f"{_ref(rj)} and {_ref(ri)} overlap partly with opposite actions: "
                                       f"their order decides the shared traffic"))
    return _sorted(out)


def _not_redundant_witness(i: int, rules: Sequence[Rule], space: object, rows: Sequence[np.ndarray],
                           pts: np.ndarray, neighbours: Sequence[int]) -> bool:
    """True when a sampled packet reaches rule i and then, without it, gets another action or none."""
    from collectors.firewall.space import Space
    assert isinstance(space, Space)
    earlier = [k for k in neighbours if k < i and rules[k].blocker]
    if earlier:
        er = np.concatenate([rows[k] for k in earlier])
        pts = pts[~covered_mask(pts, space.lo[er], space.hi[er])]
    if pts.shape[0] == 0:
        return False
    key = (rules[i].action, rules[i].log)
    undecided = np.ones(pts.shape[0], dtype=bool)
    for k in neighbours:
        if k <= i:
            continue
        m = covered_mask(pts, space.lo[rows[k]], space.hi[rows[k]]) & undecided
        if not m.any():
            continue
        if (rules[k].action, rules[k].log) != key:
            return True
        if rules[k].blocker:
            undecided &= ~m
    return bool(undecided.any())


def _redundant_by_later(i: int, rem: list[Box], rules: Sequence[Rule], boxes: Sequence[list[Box]],
                        neighbours: Sequence[int]) -> list[int] | None:
    ri = rules[i]
    key = (ri.action, ri.log)
    used: list[int] = []
    for k in neighbours:
        if k <= i:
            continue
        rk = rules[k]
        if not region_overlaps(rem, boxes[k]):
            continue
        if (rk.action, rk.log) != key:
            return None
        if not rk.blocker:
            continue
        used.append(k)
        rem = region_minus(rem, boxes[k])
        if not rem:
            return used
    return None


def _intersects(a: Sequence[Interval], b: Sequence[Interval]) -> bool:
    return any(x[0] <= y[1] and y[0] <= x[1] for x in a for y in b)


def _bound_sides(ruleset: RuleSet) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Interfaces a bound rule set's sources must arrive on (``X in``) or its destinations leave by (``X out``).

    An ACL bound in both directions, or globally, says nothing certain about either side: no claim."""
    ins, outs = [], []
    for b in ruleset.bound_to:
        iface, _, direction = b.rpartition(" ")
        if direction == "in" and iface:
            ins.append(iface)
        elif direction == "out" and iface:
            outs.append(iface)
        else:
            return (), ()
    if ins and outs:
        return (), ()
    return tuple(ins), tuple(outs)


def irrelevant(ruleset: RuleSet) -> list[Anomaly]:
    """Rules whose addresses cannot be behind the zones (or bound interfaces) they name.

    ``zone_networks`` comes from the configuration's interfaces and routes (:mod:`collectors.firewall.routing`);
    a zone or interface missing from it is unknown, and an unknown zone is never used to claim anything."""
    nets = ruleset.zone_networks
    out: list[Anomaly] = []
    if not nets:
        return out
    bound_in, bound_out = _bound_sides(ruleset)
    for k, r in enumerate(ruleset.rules):
        if r.status == "unparsed":
            continue
        src_zones = r.src_zones or bound_in
        dst_zones = r.dst_zones or bound_out
        for side, zones, addrs in (("source", src_zones, r.src), ("destination", dst_zones, r.dst)):
            if not zones or not all(z in nets for z in zones):
                continue
            allowed = [iv for z in zones for iv in nets[z]]
            if not _intersects(addrs, allowed):
                out.append(Anomaly("irrelevant", k, (),
                                   f"{_ref(r)} can never match: its {side} addresses are on none of the networks "
                                   f"routed via {', '.join(zones)}", approximate=r.status != "exact"))
                break
    return out


def _sorted(items: list[Anomaly]) -> list[Anomaly]:
    return sorted(items, key=lambda a: (a.rule, KINDS.index(a.kind), a.related))
