"""Rules as unions of boxes in a small integer space.

Each rule's match set is the product of its fields (zone in, zone out, ct state, protocol, source, destination,
source port, destination port). A rule with lists in its fields is a union of boxes (one per combination).

Why coordinate compression: addresses need 129 bits, which numpy cannot hold. Every set relation the analysis
asks about (overlap, subset, emptiness of a difference) depends only on the *order* of interval endpoints, so
each dimension's endpoints are replaced by their rank among all endpoints in that rule set. The compressed
space is exact for these questions, and every coordinate fits an int64.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from collectors.firewall.model import CT_STATES, Interval, Rule, merge_intervals

DIMS = ("src_zone", "dst_zone", "state", "proto", "src", "dst", "sport", "dport", "app")
D = len(DIMS)

Box = tuple[int, ...]  # (lo0, hi0, lo1, hi1, ...) in compressed coordinates


def _points(names: Sequence[str], ids: dict[str, int]) -> tuple[Interval, ...]:
    return merge_intervals([(ids[n], ids[n]) for n in names])


def raw_boxes(rule: Rule, zone_ids: dict[str, int], n_zones: int, app_ids: dict[str, int] | None = None,
              n_apps: int = 1) -> list[list[Interval]]:
    """The rule's boxes before compression, one list of D intervals per box."""
    zany = (0, n_zones - 1)
    sz = _points(rule.src_zones, zone_ids) if rule.src_zones else (zany,)
    dz = _points(rule.dst_zones, zone_ids) if rule.dst_zones else (zany,)
    st = (merge_intervals([(CT_STATES.index(s),) * 2 for s in rule.states]) if rule.states
          else ((0, len(CT_STATES) - 1),))
    src, dst = merge_intervals(rule.src), merge_intervals(rule.dst)
    ap = _points(rule.apps, app_ids or {}) if rule.apps else ((0, n_apps - 1),)
    out = []
    for a, b, c, svc, s, d, x in itertools.product(sz, dz, st, rule.services, src, dst, ap):
        out.append([a, b, c, svc.proto, s, d, svc.sport, svc.dport, x])
    return out


@dataclass
class Space:
    """All analysable rules of one rule set as compressed boxes.

    ``lo``/``hi``: int64 arrays (boxes x D); ``owner``: the rule position (in ``rules``) of each box;
    ``boxes[k]``: rule k's boxes as tuples, the form the pure-Python box algebra uses.
    """

    rules: list[Rule]
    lo: npt.NDArray[np.int64]
    hi: npt.NDArray[np.int64]
    owner: npt.NDArray[np.int64]
    boxes: list[list[Box]]
    edges: list[list[int]]  # per dimension: compressed coordinate k starts at raw value edges[d][k]
    zones: list[str]  # zone id -> name (the last id is "a zone no rule names")
    apps: list[str]  # application id -> name (likewise)


def build_space(rules: Sequence[Rule]) -> Space:
    zones = sorted({z for r in rules for z in (*r.src_zones, *r.dst_zones)})
    zone_ids = {z: i for i, z in enumerate(zones)}
    n_zones = len(zones) + 1  # one more: "a zone no rule names"
    apps = sorted({a for r in rules for a in r.apps})
    app_ids = {a: i for i, a in enumerate(apps)}
    raw = [raw_boxes(r, zone_ids, n_zones, app_ids, len(apps) + 1) for r in rules]
    edges: list[list[int]] = []
    for d in range(D):
        vals = {iv[d][0] for bl in raw for iv in bl} | {iv[d][1] + 1 for bl in raw for iv in bl}
        edges.append(sorted(vals))
    index = [{v: i for i, v in enumerate(e)} for e in edges]
    boxes: list[list[Box]] = []
    flat: list[Box] = []
    owner: list[int] = []
    for k, bl in enumerate(raw):
        mine: list[Box] = []
        for iv in bl:
            box: list[int] = []
            for d in range(D):
                box.append(index[d][iv[d][0]])
                box.append(index[d][iv[d][1] + 1] - 1)
            mine.append(tuple(box))
        boxes.append(mine)
        flat.extend(mine)
        owner.extend([k] * len(mine))
    arr = np.array(flat, dtype=np.int64).reshape(len(flat), 2 * D)
    return Space(list(rules), arr[:, 0::2].copy(), arr[:, 1::2].copy(), np.array(owner, dtype=np.int64), boxes,
                 edges, [*zones, "<other>"], [*apps, "<other>"])


def universe(space: Space) -> Box:
    """The box of every packet, in compressed coordinates."""
    return tuple(v for d in range(D) for v in (0, len(space.edges[d]) - 2))


def example(space: Space, box: Box) -> dict[str, int | str]:
    """One concrete packet inside ``box`` (its lowest corner), in raw field values."""
    out: dict[str, int | str] = {}
    for d, name in enumerate(DIMS):
        raw = space.edges[d][box[2 * d]]
        out[name] = space.zones[raw] if name in ("src_zone", "dst_zone") else \
            CT_STATES[raw] if name == "state" else space.apps[raw] if name == "app" else raw
    return out


def overlapping_pairs(space: Space, block: int = 1024) -> list[list[int]]:
    """For each rule k, the sorted positions of the other rules whose boxes overlap one of k's.

    The vectorised filter: the two most selective dimensions (estimated on a sample) are compared as a
    block x all matrix; surviving box pairs are checked on the remaining dimensions as flat arrays.
    """
    lo, hi, owner = space.lo, space.hi, space.owner
    n = lo.shape[0]
    n_rules = len(space.rules)
    if n == 0:
        return [[] for _ in space.rules]
    rng = np.random.default_rng(0)
    sample = rng.choice(n, size=min(n, 64), replace=False)
    sel = [float(((lo[sample, d][:, None] <= hi[None, :, d]) & (hi[sample, d][:, None] >= lo[None, :, d])).mean())
           for d in range(D)]
    order = sorted(range(D), key=lambda d: sel[d])
    d1, d2, rest = order[0], order[1], order[2:]
    codes: list[npt.NDArray[np.int64]] = []
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
        codes.append(owner[rows] * n_rules + owner[cols])
    pairs = np.unique(np.concatenate(codes))
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
    return all(a[i] <= b[i + 1] and b[i] <= a[i + 1] for i in range(0, 2 * D, 2))


def contains(outer: Box, inner: Box) -> bool:
    return all(outer[i] <= inner[i] and inner[i + 1] <= outer[i + 1] for i in range(0, 2 * D, 2))


def intersect(a: Box, b: Box) -> Box | None:
    out: list[int] = []
    for i in range(0, 2 * D, 2):
        lo, hi = max(a[i], b[i]), min(a[i + 1], b[i + 1])
        if lo > hi:
            return None
        out += (lo, hi)
    return tuple(out)


def subtract_box(box: Box, cut: Box) -> list[Box]:
    """``box`` minus ``cut`` as disjoint boxes (at most 2 per dimension)."""
    if not overlaps(box, cut):
        return [box]
    pieces: list[Box] = []
    cur = list(box)
    for i in range(0, 2 * D, 2):
        if cut[i] > cur[i]:
            p = cur.copy()
            p[i + 1] = cut[i] - 1
            pieces.append(tuple(p))
            cur[i] = cut[i]
        if cut[i + 1] < cur[i + 1]:
            p = cur.copy()
            p[i] = cut[i + 1] + 1
            pieces.append(tuple(p))
            cur[i + 1] = cut[i + 1]
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


def sample_points(boxes: Sequence[Box], rng: np.random.Generator, per_box: int = 6) -> npt.NDArray[np.int64]:
    """Corners, centre and random points of (up to 8 of) the boxes: candidate witnesses of "not covered"."""
    pts: list[npt.NDArray[np.int64]] = []
    for b in boxes[:8]:
        a = np.array(b, dtype=np.int64)
        lo, hi = a[0::2], a[1::2]
        pts += [lo, hi, (lo + hi) // 2]
        pts += list(rng.integers(lo, hi + 1, size=(per_box, D)))
    return np.array(pts, dtype=np.int64)


def covered_mask(points: npt.NDArray[np.int64], lo: npt.NDArray[np.int64],
                 hi: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """For each point, whether any of the boxes (rows of ``lo``/``hi``) contains it."""
    if lo.shape[0] == 0:
        return np.zeros(points.shape[0], dtype=bool)
    inside = (lo[None, :, :] <= points[:, None, :]) & (points[:, None, :] <= hi[None, :, :])
    result: npt.NDArray[np.bool_] = np.all(inside, axis=2).any(axis=1)
    return result
