"""Rules as unions of boxes whose sides are interval *sets*, in a small integer space.

Each rule's match set is the product of its fields (zone in, zone out, ct state, protocol, source, destination,
source port, destination port, application). Every field but the service is already a set of values: the
3,000 source addresses of a PAN-OS address group are one sorted list of merged ranges, not 3,000 boxes. So a
rule is one box per service (services with the same protocol and source ports share a box, their destination
ports merged), and each side of a box is a :data:`IntervalSet`. Why: a box per source x destination address
(the old model) made a 3-rule policy over 3,000 address objects nine million boxes; as interval sets it is a
handful, and every set operation below is a linear merge of sorted ranges. Never a cross product of members.

Why coordinate compression: addresses need 129 bits, which numpy cannot hold. Every set relation the analysis
asks about (overlap, subset, emptiness of a difference) depends only on the *order* of interval endpoints, so
each dimension's endpoints are replaced by their rank among all endpoints in that rule set. The compressed
space is exact for these questions, and every coordinate fits an int64.

The numpy arrays ``lo``/``hi`` hold each box's *hull* (first start, last end per dimension): exact for the
usual one-range sides, and a sound pre-filter for the others, which are then checked exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from collectors.firewall.model import CT_STATES, Interval, Rule, Service, merge_intervals

DIMS = ("src_zone", "dst_zone", "state", "proto", "src", "dst", "sport", "dport", "app")
D = len(DIMS)

#: Flat, sorted, disjoint inclusive ranges ``(lo0, hi0, lo1, hi1, ...)``: a tuple, or (in compressed coordinates,
#: above :data:`BIG` values) an int64 array, so that sets of thousands of ranges are merged by numpy.
IntervalSet = Any
Box = tuple[IntervalSet, ...]  # one interval set per dimension, in compressed coordinates

#: Sets of two operations with more values than this go through numpy (searchsorted) instead of Python loops.
BIG = 64


# ------------------------------------------------------------------------------------------ interval sets


def _np(s: IntervalSet) -> npt.NDArray[np.int64]:
    return s if isinstance(s, np.ndarray) else np.array(s, dtype=np.int64)


def _out(arr: npt.NDArray[np.int64]) -> IntervalSet:
    """A result as a tuple when small, else as an array (never an empty array: empty is ``()``)."""
    return tuple(arr.tolist()) if arr.shape[0] <= BIG else arr


def _np_intersection(x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Every overlapping (x range, y range) pair as its common part: sorted, since both inputs are."""
    xs, xe, ys, ye = x[0::2], x[1::2], y[0::2], y[1::2]
    first = np.searchsorted(xe, ys, side="left")  # first x range ending at or after each y start
    stop = np.searchsorted(xs, ye, side="right")  # x ranges starting at or before each y end
    counts = np.maximum(stop - first, 0)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    yi = np.repeat(np.arange(ys.shape[0]), counts)
    offsets = np.cumsum(counts) - counts
    xi = first[yi] + (np.arange(total) - offsets[yi])
    out = np.empty(2 * total, dtype=np.int64)
    out[0::2] = np.maximum(xs[xi], ys[yi])
    out[1::2] = np.minimum(xe[xi], ye[yi])
    return out


def _np_difference(x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``x`` minus ``y``: ``x`` intersected with the gaps of ``y`` (within ``x``'s hull)."""
    if y.shape[0] == 0:
        return x
    gaps = np.empty(y.shape[0] + 2, dtype=np.int64)
    gaps[0] = min(int(x[0]), int(y[0]) - 1)
    gaps[1:-1:2] = y[0::2] - 1
    gaps[2:-1:2] = y[1::2] + 1
    gaps[-1] = max(int(x[-1]), int(y[-1]) + 1)
    keep = gaps[0::2] <= gaps[1::2]
    comp = np.stack([gaps[0::2][keep], gaps[1::2][keep]], axis=1).reshape(-1)
    return _np_intersection(x, comp)


def set_overlaps(x: IntervalSet, y: IntervalSet) -> bool:
    if len(x) == 2 and len(y) == 2:
        return bool(x[0] <= y[1] and y[0] <= x[1])
    if len(x) + len(y) > BIG:
        a, b = _np(x), _np(y)
        k = np.searchsorted(a[0::2], b[1::2], side="right") - 1  # last x range starting by each y end
        return bool(((k >= 0) & (a[1::2][np.maximum(k, 0)] >= b[0::2])).any())
    i = j = 0
    while i < len(x) and j < len(y):
        if x[i + 1] < y[j]:
            i += 2
        elif y[j + 1] < x[i]:
            j += 2
        else:
            return True
    return False


def set_contains(outer: IntervalSet, inner: IntervalSet) -> bool:
    """Whether every value of ``inner`` is in ``outer``."""
    if len(outer) == 2:
        return bool(outer[0] <= inner[0] and inner[-1] <= outer[1])
    if len(outer) + len(inner) > BIG:
        a, b = _np(outer), _np(inner)
        k = np.searchsorted(a[0::2], b[0::2], side="right") - 1  # the outer range each inner range starts in
        return bool(((k >= 0) & (a[1::2][np.maximum(k, 0)] >= b[1::2])).all())
    i = 0
    for j in range(0, len(inner), 2):
        lo, hi = inner[j], inner[j + 1]
        while i < len(outer) and outer[i + 1] < lo:
            i += 2
        if i >= len(outer) or outer[i] > lo or outer[i + 1] < hi:
            return False
    return True


def set_intersection(x: IntervalSet, y: IntervalSet) -> IntervalSet:
    if len(x) == 2 and len(y) == 2:
        lo, hi = max(x[0], y[0]), min(x[1], y[1])
        return (lo, hi) if lo <= hi else ()
    if len(x) + len(y) > BIG:
        return _out(_np_intersection(_np(x), _np(y)))
    out: list[int] = []
    i = j = 0
    while i < len(x) and j < len(y):
        lo, hi = max(x[i], y[j]), min(x[i + 1], y[j + 1])
        if lo <= hi:
            out += (lo, hi)
        if x[i + 1] < y[j + 1]:
            i += 2
        else:
            j += 2
    return tuple(out)


def set_difference(x: IntervalSet, y: IntervalSet) -> IntervalSet:
    if len(x) + len(y) > BIG:
        return _out(_np_difference(_np(x), _np(y)))
    out: list[int] = []
    j = 0
    for i in range(0, len(x), 2):
        lo, hi = x[i], x[i + 1]
        while j < len(y) and y[j + 1] < lo:
            j += 2
        k = j
        while k < len(y) and y[k] <= hi and lo <= hi:
            if y[k] > lo:
                out += (lo, y[k] - 1)
            lo = max(lo, y[k + 1] + 1)
            k += 2
        if lo <= hi:
            out += (lo, hi)
    return tuple(out)


def _flat(ivs: Sequence[Interval]) -> IntervalSet:
    if len(ivs) == 1:
        return (ivs[0][0], ivs[0][1])
    return tuple(v for iv in merge_intervals(list(ivs)) for v in iv)


# ------------------------------------------------------------------------------------------------ boxes


def _points(names: Sequence[str], ids: dict[str, int]) -> IntervalSet:
    return _flat([(ids[n], ids[n]) for n in names])


def _service_boxes(services: Sequence[Service]) -> list[tuple[IntervalSet, IntervalSet, IntervalSet]]:
    """(proto, sport, dport) sets: services sharing protocol and source ports are one box (ports merged)."""
    if len(services) == 1:
        s = services[0]
        return [(s.proto, s.sport, s.dport)]
    groups: dict[tuple[Interval, Interval], list[Interval]] = {}
    for s in services:
        groups.setdefault((s.proto, s.sport), []).append(s.dport)
    return [(proto, sport, _flat(dports)) for (proto, sport), dports in groups.items()]


def raw_boxes(rule: Rule, zone_ids: dict[str, int], n_zones: int, app_ids: dict[str, int] | None = None,
              n_apps: int = 1) -> list[Box]:
    """The rule's boxes before compression (raw field values): one per distinct (protocol, source ports)."""
    zany = (0, n_zones - 1)
    sz = _points(rule.src_zones, zone_ids) if rule.src_zones else zany
    dz = _points(rule.dst_zones, zone_ids) if rule.dst_zones else zany
    st = _flat([(CT_STATES.index(s),) * 2 for s in rule.states]) if rule.states else (0, len(CT_STATES) - 1)
    src, dst = _flat(rule.src), _flat(rule.dst)
    ap = _points(rule.apps, app_ids or {}) if rule.apps else (0, n_apps - 1)
    if not src or not dst:
        return []
    return [(sz, dz, st, proto, src, dst, sport, dport, ap) for proto, sport, dport in _service_boxes(rule.services)]


@dataclass
class Space:
    """All analysable rules of one rule set as compressed boxes.

    ``lo``/``hi``: int64 arrays (boxes x D) of each box's hull; ``complex``: the boxes with a side of more than
    one range (their hull is only a pre-filter); ``owner``: the rule position (in ``rules``) of each box;
    ``boxes[k]``: rule k's boxes, the form the pure-Python set algebra uses; ``flat``: every box by row.
    """

    rules: list[Rule]
    lo: npt.NDArray[np.int64]
    hi: npt.NDArray[np.int64]
    owner: npt.NDArray[np.int64]
    boxes: list[list[Box]]
    edges: list[list[int]]  # per dimension: compressed coordinate k starts at raw value edges[d][k]
    zones: list[str]  # zone id -> name (the last id is "a zone no rule names")
    apps: list[str]  # application id -> name (likewise)
    complex: npt.NDArray[np.bool_]
    flat: list[Box]


def _edges(raw: list[list[Box]]) -> list[list[int]]:
    """Per dimension, every interval start and end+1 of every rule, sorted: the compressed coordinates."""
    out: list[list[int]] = []
    flat = [box for bl in raw for box in bl]
    for d in range(D):
        sides = [box[d] for box in flat]
        vals = {s[0] for s in sides} | {s[1] + 1 for s in sides if len(s) == 2}
        for s in sides:
            if len(s) > 2:  # a many-range side: every start and end + 1
                vals.update(s[0::2])
                vals.update(v + 1 for v in s[1::2])
        out.append(sorted(vals))
    return out


def _compress(box: Box, index: list[dict[int, int]]) -> Box:
    out: list[IntervalSet] = []
    for d, s in enumerate(box):
        ix = index[d]
        if len(s) == 2:
            out.append((ix[s[0]], ix[s[1] + 1] - 1))
        else:
            out.append(_out(np.array([ix[v] if k % 2 == 0 else ix[v + 1] - 1 for k, v in enumerate(s)],
                                     dtype=np.int64)))
    return tuple(out)


def build_space(rules: Sequence[Rule]) -> Space:
    zones = sorted({z for r in rules for z in (*r.src_zones, *r.dst_zones)})
    zone_ids = {z: i for i, z in enumerate(zones)}
    apps = sorted({a for r in rules for a in r.apps})
    app_ids = {a: i for i, a in enumerate(apps)}
    # one more zone and application id than named: "a zone (application) no rule names"
    raw = [raw_boxes(r, zone_ids, len(zones) + 1, app_ids, len(apps) + 1) for r in rules]
    edges = _edges(raw)
    index = [{v: i for i, v in enumerate(e)} for e in edges]
    boxes = [[_compress(b, index) for b in bl] for bl in raw]
    flat = [b for bl in boxes for b in bl]
    owner = [k for k, bl in enumerate(boxes) for _ in bl]
    lo = np.array([[s[0] for s in b] for b in flat], dtype=np.int64).reshape(len(flat), D)
    hi = np.array([[s[-1] for s in b] for b in flat], dtype=np.int64).reshape(len(flat), D)
    cx = np.array([any(len(s) > 2 for s in b) for b in flat], dtype=bool)
    return Space(list(rules), lo, hi, np.array(owner, dtype=np.int64), boxes, edges, [*zones, "<other>"],
                 [*apps, "<other>"], cx, flat)


def universe(space: Space) -> Box:
    """The box of every packet, in compressed coordinates."""
    return tuple((0, len(space.edges[d]) - 2) for d in range(D))


def example(space: Space, box: Box) -> dict[str, int | str]:
    """One concrete packet inside ``box`` (its lowest corner), in raw field values."""
    out: dict[str, int | str] = {}
    for d, name in enumerate(DIMS):
        raw = space.edges[d][box[d][0]]
        out[name] = space.zones[raw] if name in ("src_zone", "dst_zone") else \
            CT_STATES[raw] if name == "state" else space.apps[raw] if name == "app" else raw
    return out


def _selective_dims(lo: npt.NDArray[np.int64], hi: npt.NDArray[np.int64]) -> list[int]:
    """Dimensions ordered by how rarely two boxes overlap on them (estimated on a sample)."""
    n = lo.shape[0]
    rng = np.random.default_rng(0)
    sample = rng.choice(n, size=min(n, 64), replace=False)
    sel = [float(((lo[sample, d][:, None] <= hi[None, :, d]) & (hi[sample, d][:, None] >= lo[None, :, d])).mean())
           for d in range(D)]
    return sorted(range(D), key=lambda d: sel[d])


def _overlapping_box_codes(space: Space, block: int) -> npt.NDArray[np.int64]:
    """``later_rule * n_rules + earlier_rule`` for every pair of boxes of different rules that overlap."""
    lo, hi, owner = space.lo, space.hi, space.owner
    n, n_rules = lo.shape[0], len(space.rules)
    order = _selective_dims(lo, hi)
    d1, d2, rest = order[0], order[1], order[2:]
    codes: list[npt.NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)]
    for s in range(0, n, block):
        e = min(n, s + block)
        m = (lo[s:e, d1, None] <= hi[None, :e, d1]) & (hi[s:e, d1, None] >= lo[None, :e, d1])
        m &= (lo[s:e, d2, None] <= hi[None, :e, d2]) & (hi[s:e, d2, None] >= lo[None, :e, d2])
        rows, cols = np.nonzero(m)
        rows = rows + s
        keep = owner[cols] < owner[rows]
        rows, cols = rows[keep], cols[keep]
        for d in rest:
            ok = (lo[rows, d] <= hi[cols, d]) & (hi[rows, d] >= lo[cols, d])
            rows, cols = rows[ok], cols[ok]
        hull_only = space.complex[rows] | space.complex[cols]
        if hull_only.any():  # a hull overlap of a many-range side: check the ranges themselves
            exact = np.array([overlaps(space.flat[r], space.flat[c]) for r, c in
                              zip(rows[hull_only].tolist(), cols[hull_only].tolist(), strict=True)], dtype=bool)
            ok = np.ones(rows.shape[0], dtype=bool)
            ok[np.nonzero(hull_only)[0]] = exact
            rows, cols = rows[ok], cols[ok]
        codes.append(owner[rows] * n_rules + owner[cols])
    return np.unique(np.concatenate(codes))


def overlapping_pairs(space: Space, block: int = 1024) -> list[list[int]]:
    """For each rule k, the sorted positions of the other rules whose boxes overlap one of k's.

    The vectorised filter: the two most selective dimensions (estimated on a sample) are compared as a
    block x all matrix; surviving box pairs are checked on the remaining dimensions as flat arrays, and pairs
    involving a many-range side are then checked exactly.
    """
    n_rules = len(space.rules)
    if space.lo.shape[0] == 0:
        return [[] for _ in space.rules]
    pairs = _overlapping_box_codes(space, block)
    a, b = pairs // n_rules, pairs % n_rules
    first = np.concatenate([a, b])
    second = np.concatenate([b, a])
    idx = np.lexsort((second, first))
    first, second = first[idx], second[idx]
    bounds = np.searchsorted(first, np.arange(n_rules + 1))
    flat = second.tolist()
    return [flat[bounds[k]:bounds[k + 1]] for k in range(n_rules)]


# ------------------------------------------------------------------------------------------- box algebra


def overlaps(a: Box, b: Box) -> bool:
    for x, y in zip(a, b, strict=True):
        if len(x) == 2 and len(y) == 2:  # the usual one-range sides, inline
            if x[0] > y[1] or y[0] > x[1]:
                return False
        elif not set_overlaps(x, y):
            return False
    return True


def contains(outer: Box, inner: Box) -> bool:
    for x, y in zip(outer, inner, strict=True):
        if len(x) == 2:
            if x[0] > y[0] or y[-1] > x[1]:
                return False
        elif not set_contains(x, y):
            return False
    return True


def intersect(a: Box, b: Box) -> Box | None:
    out: list[IntervalSet] = []
    for x, y in zip(a, b, strict=True):
        z = set_intersection(x, y)
        if len(z) == 0:
            return None
        out.append(z)
    return tuple(out)


def subtract_box(box: Box, cut: Box) -> list[Box]:
    """``box`` minus ``cut`` as disjoint boxes (at most one per dimension).

    Piece d keeps the dimensions before d inside ``cut``, takes dimension d outside it, and leaves the later
    dimensions whole: together they are exactly the points of ``box`` that some dimension puts outside ``cut``.
    """
    if not overlaps(box, cut):
        return [box]
    pieces: list[Box] = []
    cur = list(box)
    for d in range(D):
        x, c = cur[d], cut[d]
        if set_contains(c, x):
            continue
        pieces.append((*cur[:d], set_difference(x, c), *cur[d + 1:]))
        cur[d] = set_intersection(x, c)
    return pieces


def region_minus(region: list[Box], cuts: Sequence[Box]) -> list[Box]:
    for cut in cuts:
        nxt: list[Box] = []
        for b in region:
            if not overlaps(b, cut):
                nxt.append(b)
            elif not contains(cut, b):
                nxt.extend(subtract_box(b, cut))
        region = nxt
        if not region:
            break
    return region


def region_overlaps(region: Sequence[Box], boxes: Sequence[Box]) -> bool:
    return any(overlaps(a, b) for a in region for b in boxes)


def covered(region: Sequence[Box], cuts: Sequence[Box]) -> bool:
    """Whether the union of ``cuts`` contains every point of ``region``."""
    return not region_minus(list(region), cuts)


def box_rows(space: Space) -> list[npt.NDArray[np.int64]]:
    """Rule position -> the row numbers of its boxes in ``space.lo``/``space.hi``."""
    rows: list[list[int]] = [[] for _ in space.rules]
    for r, k in enumerate(space.owner.tolist()):
        rows[k].append(r)
    return [np.array(x, dtype=np.int64) for x in rows]


def _sample_side(s: IntervalSet, rng: np.random.Generator, n: int) -> npt.NDArray[np.int64]:
    """Lowest value, highest value, a middle range's start, and ``n`` random values, all inside ``s``."""
    starts = np.array(s[0::2], dtype=np.int64)
    ends = np.array(s[1::2], dtype=np.int64)
    pick = rng.integers(0, starts.shape[0], size=n)
    rand = rng.integers(starts[pick], ends[pick] + 1)
    return np.concatenate([starts[:1], ends[-1:], starts[starts.shape[0] // 2:][:1], rand])


def sample_points(boxes: Sequence[Box], rng: np.random.Generator, per_box: int = 6) -> npt.NDArray[np.int64]:
    """Corners, a middle point and random points of (up to 8 of) the boxes: candidate witnesses of "not
    covered". Every point lies inside its box (a random range of each side, then a random value in it)."""
    pts: list[npt.NDArray[np.int64]] = []
    for b in boxes[:8]:
        if all(len(s) == 2 for s in b):
            lo = np.array([s[0] for s in b], dtype=np.int64)
            hi = np.array([s[1] for s in b], dtype=np.int64)
            pts.append(np.vstack([lo, hi, (lo + hi) // 2, rng.integers(lo, hi + 1, size=(per_box, D))]))
        else:
            pts.append(np.stack([_sample_side(s, rng, per_box) for s in b], axis=1))
    if not pts:
        return np.zeros((0, D), dtype=np.int64)
    return np.concatenate(pts)


def _inside_set(values: npt.NDArray[np.int64], s: IntervalSet) -> npt.NDArray[np.bool_]:
    starts = np.array(s[0::2], dtype=np.int64)
    ends = np.array(s[1::2], dtype=np.int64)
    k = np.searchsorted(starts, values, side="right") - 1
    result: npt.NDArray[np.bool_] = (k >= 0) & (values <= ends[np.maximum(k, 0)])
    return result


def covered_mask(space: Space, points: npt.NDArray[np.int64], rows: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """For each point, whether any of the boxes ``rows`` contains it (exactly, many-range sides included)."""
    out = np.zeros(points.shape[0], dtype=bool)
    if rows.shape[0] == 0 or points.shape[0] == 0:
        return out
    cx = space.complex[rows]
    simple = rows[~cx]
    if simple.shape[0]:
        lo, hi = space.lo[simple], space.hi[simple]
        inside = (lo[None, :, :] <= points[:, None, :]) & (points[:, None, :] <= hi[None, :, :])
        out |= np.all(inside, axis=2).any(axis=1)
    for r in rows[cx].tolist():
        todo = ~out
        if not todo.any():
            break
        box = space.flat[r]
        hit = np.ones(int(todo.sum()), dtype=bool)
        sub = points[todo]
        for d in range(D):
            hit &= _inside_set(sub[:, d], box[d])
        out[np.nonzero(todo)[0][hit]] = True
    return out
