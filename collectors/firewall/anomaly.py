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
* **removable set**: rules are each hidden or redundant *on their own*; deleting several at once can change the
  policy (two equal rules are each redundant because of the other). Every hidden or redundant finding names the
  one set of rules that can be deleted together (``details["removable_set"]``, ``in_removable_set``), built
  greedily and re-checked exactly after each addition.

Why exact and not pairwise: pairwise checks (the common kind) miss a rule hidden by two earlier ones, and
report nothing wrong about it. The box algebra in :mod:`collectors.firewall.space` (boxes whose sides are
interval sets, so address groups never multiply into pieces) subtracts earlier rules from each rule's match
set; the numpy overlap filter keeps that to the few rules that actually overlap.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from math import comb

import numpy as np

from collectors.firewall.model import Action, Interval, Rule, RuleSet
from collectors.firewall.space import (
    Box,
    Space,
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

    def observed_details(self) -> dict[str, object]:
        """``details`` as stored in the ``firewall.anomaly`` observation: the removable set's members are the
        rules whose observation says ``in_removable_set`` (the list itself would repeat on every finding)."""
        out = {k: v for k, v in self.details.items() if k != "removable_set"}
        if "removable_set" in self.details:
            out["removable_set_size"] = len(self.details["removable_set"])  # type: ignore[arg-type]
        return out


@dataclass
class AnalysisOptions:
    pairwise: bool = True  # generalization and correlation (quadratic in overlapping pairs)
    later_redundancy: bool = True
    cover_budget: int = 2000  # subset checks spent proving the smallest set of blocking rules
    witness_after: int = 8  # with more earlier overlapping rules than this, first look for a sampled witness
    removable_sets: bool = True  # name on each hidden/redundant rule the set that can be deleted together


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


@dataclass
class _Run:
    """One analysis in progress: the analysable rules, their boxes and overlaps, and what is found so far."""

    pos: list[int]  # analysable rule -> its position in ``RuleSet.rules``
    rules: list[Rule]
    barriers: list[int]  # positions of rules nothing can be proven across (unparsed, jumps)
    space: Space
    ov: list[list[int]]
    rows: list[np.ndarray]
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))
    effective: list[list[Box] | None] = field(default_factory=list)
    hidden: list[bool] = field(default_factory=list)
    _witness: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def boxes(self) -> list[list[Box]]:
        return self.space.boxes

    _corners: np.ndarray | None = None

    def witnesses(self, k: int) -> np.ndarray:
        """Candidate packets inside rule k: corners, centre and random points of (up to 8 of) its boxes."""
        if k not in self._witness:
            rows = self.rows[k][:8]
            if self.space.complex[rows].any():
                self._witness[k] = sample_points(self.boxes[k], self.rng)
            else:  # one-range boxes: drawn for every box at once, on first use
                if self._corners is None:
                    self._corners = _box_samples(self.space.lo, self.space.hi, self.rng)
                self._witness[k] = self._corners[rows].reshape(-1, self.space.lo.shape[1])
        return self._witness[k]

    def rows_of(self, ks: Sequence[int]) -> np.ndarray:
        return np.concatenate([self.rows[k] for k in ks]) if ks else np.zeros(0, dtype=np.int64)

    def barrier_between(self, i: int, j: int) -> bool:
        return any(self.pos[i] < b < self.pos[j] for b in self.barriers)


def _box_samples(lo: np.ndarray, hi: np.ndarray, rng: np.random.Generator, per_box: int = 6) -> np.ndarray:
    """For every box (rows of ``lo``/``hi``, one range per side): its two corners, its centre and ``per_box``
    random points, as an array boxes x (3 + per_box) x D."""
    rand = rng.integers(lo[:, None, :], hi[:, None, :] + 1, size=(lo.shape[0], per_box, lo.shape[1]))
    return np.concatenate([lo[:, None, :], hi[:, None, :], ((lo + hi) // 2)[:, None, :], rand], axis=1)


def _prepare(ruleset: RuleSet) -> _Run | None:
    all_rules = ruleset.rules
    pos = [k for k, r in enumerate(all_rules) if r.analysable]
    if not pos:
        return None
    rules = [all_rules[k] for k in pos]
    # Rules we cannot reason about: unparsed, or enabled non-terminal rules (a jump may decide anything).
    barriers = [k for k, r in enumerate(all_rules)
                if r.status == "unparsed" or (r.enabled and r.action == Action.OTHER
                                              and r.extra.get("nonterminal") != "log")]
    space = build_space(rules)
    run = _Run(pos, rules, barriers, space, overlapping_pairs(space), box_rows(space))
    run.effective = [None] * len(rules)
    run.hidden = [False] * len(rules)
    return run


def analyze(ruleset: RuleSet, options: AnalysisOptions | None = None) -> list[Anomaly]:
    """Every anomaly of one rule set, ordered by rule position then kind."""
    opt = options or AnalysisOptions()
    out: list[Anomaly] = list(irrelevant(ruleset))
    run = _prepare(ruleset)
    if run is None:
        return _sorted(out)
    found = [a for j in range(len(run.rules)) if (a := _hidden(run, j, opt)) is not None]
    if opt.later_redundancy:
        found += [a for i in range(len(run.rules)) if (a := _later(run, i)) is not None]
    out += _with_removable_set(run, found) if opt.removable_sets else found
    if opt.pairwise:
        out += _pairwise(run)
    return _sorted(out)


def _hidden(run: _Run, j: int, opt: AnalysisOptions) -> Anomaly | None:
    """Rule j as hidden (shadowed or redundant) when earlier blockers decide all it matches, else None."""
    rules, boxes, pos = run.rules, run.boxes, run.pos
    rj = rules[j]
    unsure = any(b < pos[j] for b in run.barriers)
    cands = [i for i in run.ov[j] if i < j and rules[i].blocker]
    unsure |= any(i < j and not rules[i].blocker and rules[i].action != rj.action for i in run.ov[j])
    if len(cands) > opt.witness_after and not covered_mask(run.space, run.witnesses(j), run.rows_of(cands)).all():
        # A sampled packet that no earlier rule matches proves the rule fires, without fragmenting a
        # wide rule into thousands of boxes (the final catch-all overlaps every rule).
        return None
    region = list(boxes[j])
    deciding: list[int] = []
    differs = False
    for i in cands:
        if region and region_overlaps(region, boxes[i]):
            deciding.append(i)
            differs |= rules[i].action != rj.action
            region = region_minus(region, boxes[i])
    run.effective[j] = region
    if region:
        return None
    run.hidden[j] = True
    cover, minimum = min_cover(boxes[j], cands, boxes, deciding, opt.cover_budget)
    kind = "shadowed" if differs else "redundant"
    names = ", ".join(_ref(rules[c]) for c in cover)
    verb = "never matches: everything it matches is already decided by" if kind == "shadowed" else \
        "is redundant: everything it matches already gets the same action from"
    return Anomaly(kind, pos[j], tuple(pos[c] for c in cover),
                   f"{_ref(rj)} {verb} {names}" + ("" if minimum else _UNPROVEN),
                   minimum=minimum, approximate=unsure,
                   details={"combined": len(cover) > 1, "deciding": [pos[d] for d in deciding]})


def _later(run: _Run, i: int) -> Anomaly | None:
    """Rule i as redundant because later rules give all the traffic that reaches it the same action."""
    rules, pos = run.rules, run.pos
    if run.hidden[i] or not any(k > i for k in run.ov[i]):
        return None
    if _not_redundant_witness(run, i, run.ov[i]):
        return None
    rem = run.effective[i]
    if rem is None:
        rem = _reaching(run, i, set())
    if not rem:
        return None
    found = _redundant_by_later(i, rem, rules, run.boxes, run.ov[i])
    if found is None or run.barrier_between(i, found[-1]):
        return None
    return Anomaly("redundant", pos[i], tuple(pos[k] for k in found),
                   f"{_ref(rules[i])} is redundant: without it, the same traffic gets the same action from "
                   + ", ".join(_ref(rules[k]) for k in found), details={"by_later": True})


def _reaching(run: _Run, i: int, removed: set[int]) -> list[Box]:
    """The packets that reach rule i (no earlier blocker, other than the ``removed`` ones, decides them)."""
    earlier = [b for k in run.ov[i] if k < i and k not in removed and run.rules[k].blocker for b in run.boxes[k]]
    return region_minus(list(run.boxes[i]), earlier)


def _removable(run: _Run, i: int, removed: set[int]) -> bool:
    """Whether deleting rule i from the rule set without ``removed`` leaves every packet's decision as it is."""
    rem = _reaching(run, i, removed)
    if not rem:
        return True
    later = [k for k in run.ov[i] if k not in removed]
    found = _redundant_by_later(i, rem, run.rules, run.boxes, later)
    return found is not None and not run.barrier_between(i, found[-1])


def _with_removable_set(run: _Run, found: list[Anomaly]) -> list[Anomaly]:
    """Name, on every hidden or redundant rule, the one set of them that can be deleted *together*.

    Each rule is called redundant on its own, but deleting several can change the policy (two equal rules
    are each redundant because of the other). So the set is built greedily: hidden rules first (a rule that is
    never the first match for any packet can always go), then each rule redundant by later ones, kept only
    when it is still removable, checked exactly, from the rule set without the rules already in the set. Each
    step leaves every packet's decision unchanged, so deleting the whole set does too."""
    at = {p: k for k, p in enumerate(run.pos)}
    removed: set[int] = set()
    for a in found:
        if not a.details.get("by_later") and not a.approximate:
            removed.add(at[a.rule])
    for a in sorted((a for a in found if a.details.get("by_later")), key=lambda a: a.rule):
        if _removable(run, at[a.rule], removed):
            removed.add(at[a.rule])
    members = sorted(run.pos[k] for k in removed)
    return [replace(a, details={**a.details, "removable_set": members, "in_removable_set": at[a.rule] in removed})
            for a in found]


def _pairwise(run: _Run) -> list[Anomaly]:
    """Generalization and correlation between live rules with opposite actions that overlap."""
    out: list[Anomaly] = []
    rules, boxes, pos = run.rules, run.boxes, run.pos
    for j, rj in enumerate(rules):
        if run.hidden[j]:
            continue
        for i in run.ov[j]:
            if i >= j:
                break
            ri = rules[i]
            if run.hidden[i] or ri.action == rj.action:
                continue
            if covered(boxes[i], boxes[j]):
                out.append(Anomaly("generalization", pos[j], (pos[i],),
                                   f"{_ref(rj)} generalizes {_ref(ri)}: it matches all of that rule's traffic "
                                   f"and more, with the opposite action"))
            else:
                out.append(Anomaly("correlation", pos[j], (pos[i],),
                                   f"{_ref(rj)} and {_ref(ri)} overlap partly with opposite actions: "
                                   f"their order decides the shared traffic"))
    return out


def _not_redundant_witness(run: _Run, i: int, neighbours: Sequence[int]) -> bool:
    """True when a sampled packet reaches rule i and then, without it, gets another action or none."""
    rules, space = run.rules, run.space
    pts = run.witnesses(i)
    earlier = [k for k in neighbours if k < i and rules[k].blocker]
    if earlier:
        pts = pts[~covered_mask(space, pts, run.rows_of(earlier))]
    if pts.shape[0] == 0:
        return False
    key = (rules[i].action, rules[i].log)
    undecided = np.ones(pts.shape[0], dtype=bool)
    for k in neighbours:
        if k <= i:
            continue
        m = covered_mask(space, pts, run.rows[k]) & undecided
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
