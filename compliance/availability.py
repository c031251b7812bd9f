"""Hotspot availability from samples: pure and offline (a stored month can be re-analysed any time).

Conventions, chosen so that every figure is within one sampling interval of the truth and never claims more
than the samples show:

* **Sample and hold.** A sample measured at ``t`` stands for ``[t, t_next)`` when the next sample's round (its
  grid slot) comes within ``GAP_FACTOR`` (1.5) intervals of this one's, otherwise for ``[t, t + interval)``
  (judging on slots, a reply that came late in its round is never mistaken for a gap); the rest, until
  the next sample, is a **gap**: *unknown*, neither up nor down. So is an ``unknown`` sample (we could not
  tell), the time before the first sample and after the last one's interval.
* **Availability** = up / (up + down): unknown time is left out of the denominator and reported beside it.
  With no known time at all, availability is ``None`` (shown as "no data", never as 100 %).
* **Outages** are maximal runs of *down* time. An outage's boundaries are known only to within one interval:
  its ``start`` is the first sample that saw it down (the AP went down after the last up sample, at most one
  interval earlier) and its ``end`` the first sample that saw it up again (it came back after the last down
  sample). Both boundaries are late by less than one interval, so the duration errs by less than one interval.
  An unknown stretch ends an outage (we do not know it lasted); ``open_start`` / ``open_end`` mark an outage
  cut by the window, a gap or the end of the data.
* **Reboots** come from sysUpTime (or the controller's AP uptime) going back: between two *up* samples ``a``
  and ``b`` the AP booted after ``a`` when ``uptime_b < t_b - t_a`` and uptime went back (``uptime_b <
  uptime_a + t_b - t_a``), each less a tolerance for clock jitter (0.5 s, up to a quarter interval, at most 2 s).
  A boot after an observed outage is ``after_outage``; one while every sample saw the AP up is ``unexplained``
  (it went down and up between two samples). TimeTicks wrapping at 2^32 is not a reboot.
* **Clients**: average and peak over the up samples, and client-hours (clients x time held) -- associated
  clients, not distinct people: monthly *users* need the controller's session logs, which SNMP does not give.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from netcomply.hotspot_samples import HotspotSample, SampleStatus

GAP_FACTOR = 1.5
#: sysUpTime is TimeTicks (1/100 s) in 32 bits: it wraps after about 497 days.
UPTIME_WRAP_S = 2**32 / 100.0


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    state: str  # up, down, unknown

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Outage:
    start: float
    end: float
    open_start: bool = False  # began before the window, a gap or the first sample
    open_end: bool = False  # still down at the window's end, a gap or the last sample

    @property
    def seconds(self) -> float:
        return self.end - self.start

    def to_json(self) -> dict[str, Any]:
        return {"start": _iso(self.start), "end": _iso(self.end), "seconds": round(self.seconds, 3),
                "open_start": self.open_start, "open_end": self.open_end}


@dataclass(frozen=True)
class Reboot:
    booted_at: float  # estimated from the uptime the AP reported
    seen_at: float  # the sample that showed it
    kind: str  # after_outage or unexplained

    def to_json(self) -> dict[str, Any]:
        return {"booted_at": _iso(self.booted_at), "seen_at": _iso(self.seen_at), "kind": self.kind}


@dataclass
class HotspotAvailability:
    hotspot: str
    since: float
    until: float
    site: str | None = None
    zone: str | None = None
    agency: str | None = None
    up_s: float = 0.0
    down_s: float = 0.0
    unknown_s: float = 0.0
    samples: int = 0
    outages: list[Outage] = field(default_factory=list)
    reboots: list[Reboot] = field(default_factory=list)
    gaps: list[Segment] = field(default_factory=list)
    clients_avg: float | None = None
    clients_max: int | None = None
    client_hours: float = 0.0
    interval_s: float | None = None

    @property
    def availability(self) -> float | None:
        known = self.up_s + self.down_s
        return self.up_s / known if known > 0 else None

    @property
    def coverage(self) -> float:
        """The share of the window whose state is known: what the availability figure rests on."""
        span = self.until - self.since
        return (self.up_s + self.down_s) / span if span > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "hotspot": self.hotspot, "site": self.site, "zone": self.zone, "agency": self.agency,
            "since": _iso(self.since), "until": _iso(self.until), "samples": self.samples,
            "interval_s": self.interval_s,
            "availability": _round(self.availability), "coverage": round(self.coverage, 6),
            "up_s": round(self.up_s, 3), "down_s": round(self.down_s, 3),
            "unknown_s": round(self.unknown_s, 3), "outages": [o.to_json() for o in self.outages],
            "reboots": [r.to_json() for r in self.reboots],
            "gaps": [{"start": _iso(g.start), "end": _iso(g.end), "seconds": round(g.length, 3)} for g in self.gaps],
            "clients_avg": _round(self.clients_avg), "clients_max": self.clients_max,
            "client_hours": round(self.client_hours, 3),
        }


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat()


def _round(x: float | None, digits: int = 6) -> float | None:
    return None if x is None else round(x, digits)


# ------------------------------------------------------------------------------------------------ segments


def segments(samples: Sequence[HotspotSample], since: float, until: float) -> list[Segment]:
    """The window ``[since, until)`` cut into up / down / unknown stretches by the sample-and-hold rule.
    ``samples`` are one hotspot's, sorted by ``measured_at`` (earlier ones may precede ``since``)."""
    raw: list[tuple[float, float, str]] = []
    times = [s.measured_at.timestamp() for s in samples]
    slots = [s.slot.timestamp() for s in samples]
    n = len(samples)
    cursor = since
    for i in range(n):
        s = samples[i]
        t = times[i]
        held = t + s.interval_s
        if i + 1 < n:
            nxt = times[i + 1]
            # gaps are judged on the round grid (slots), so jitter in when a round's reply came is never a gap
            held = nxt if slots[i + 1] - slots[i] <= GAP_FACTOR * s.interval_s else min(held, nxt)
        start, end = max(t, since), min(held, until)
        if end <= start:
            continue
        if start > cursor:
            raw.append((cursor, start, "unknown"))
        raw.append((start, end, s.status.value))
        cursor = max(cursor, end)
    if cursor < until:
        raw.append((cursor, until, "unknown"))
    return _merge(raw)


def _merge(raw: Iterable[tuple[float, float, str]]) -> list[Segment]:
    out: list[list[Any]] = []
    for a, b, state in raw:
        if b <= a:
            continue
        if out and out[-1][2] == state and out[-1][1] >= a:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b, state])
    return [Segment(a, b, state) for a, b, state in out]


def totals(segs: Iterable[Segment], a: float | None = None, b: float | None = None) -> dict[str, float]:
    """Seconds up / down / unknown, optionally within ``[a, b)``."""
    out = {"up": 0.0, "down": 0.0, "unknown": 0.0}
    for s in segs:
        lo = s.start if a is None else max(s.start, a)
        hi = s.end if b is None else min(s.end, b)
        if hi > lo:
            out[s.state] += hi - lo
    return out


def outages(segs: Sequence[Segment]) -> list[Outage]:
    out: list[Outage] = []
    for i, s in enumerate(segs):
        if s.state != "down":
            continue
        before = segs[i - 1].state if i > 0 else None
        after = segs[i + 1].state if i + 1 < len(segs) else None
        out.append(Outage(s.start, s.end, open_start=before != "up", open_end=after != "up"))
    return out


# ------------------------------------------------------------------------------------------------ reboots


def reboots(samples: Sequence[HotspotSample]) -> list[Reboot]:
    """Boots seen from uptime going back between consecutive up samples that carry an uptime."""
    found: list[Reboot] = []
    prev: HotspotSample | None = None
    down_between = False
    for s in samples:
        if s.status is not SampleStatus.UP or s.uptime_s is None:
            if s.status is SampleStatus.DOWN:
                down_between = True
            continue
        if prev is not None and prev.uptime_s is not None:
            ta, tb = prev.measured_at.timestamp(), s.measured_at.timestamp()
            dt = tb - ta
            tol = max(0.5, min(2.0, 0.25 * dt))
            expected = prev.uptime_s + dt
            wrapped = expected >= UPTIME_WRAP_S - tol and abs(expected - UPTIME_WRAP_S - s.uptime_s) <= tol
            # booted since the previous sample (uptime shorter than the time between them), and uptime went back
            if not wrapped and s.uptime_s < dt + tol and s.uptime_s + tol < expected:
                booted_at = max(ta, tb - s.uptime_s)
                found.append(Reboot(booted_at, tb, "after_outage" if down_between else "unexplained"))
        prev = s
        down_between = False
    return found


# ------------------------------------------------------------------------------------------------ per hotspot


def analyse_hotspot(name: str, samples: Sequence[HotspotSample], since: float, until: float) -> HotspotAvailability:
    """Everything about one hotspot over ``[since, until)`` (Unix seconds)."""
    return _analyse_one(name, samples, since, until)[0]


def _analyse_one(name: str, samples: Sequence[HotspotSample], since: float,
                 until: float) -> tuple[HotspotAvailability, list[Segment]]:
    if until <= since:
        raise ValueError("the window's end must be after its start")
    ordered = sorted(samples, key=lambda s: s.measured_at)
    segs = segments(ordered, since, until)
    tot = totals(segs)
    in_window = [s for s in ordered if since <= s.measured_at.timestamp() < until]
    # the sample held into the window from before it counts for the AP's state, not for the counts below
    last = ordered[-1] if ordered else None
    res = HotspotAvailability(
        hotspot=name, since=since, until=until,
        site=last.site if last else None, zone=last.zone if last else None, agency=last.agency if last else None,
        up_s=tot["up"], down_s=tot["down"], unknown_s=tot["unknown"], samples=len(in_window),
        outages=outages(segs),
        reboots=[r for r in reboots(ordered) if since <= r.seen_at < until],
        gaps=[s for s in segs if s.state == "unknown"],
        interval_s=min((s.interval_s for s in in_window), default=None),
    )
    ups = [s for s in in_window if s.status is SampleStatus.UP and s.clients is not None]
    if ups:
        counts = [int(s.clients or 0) for s in ups]
        res.clients_avg = sum(counts) / len(counts)
        res.clients_max = max(counts)
    by_time = {s.measured_at.timestamp(): s for s in ordered}
    res.client_hours = _client_hours(ordered, segs, by_time)
    return res, segs


def _client_hours(ordered: Sequence[HotspotSample], segs: Sequence[Segment],
                  by_time: Mapping[float, HotspotSample]) -> float:
    """Clients x held time over the up stretches, each held stretch taking the count of the sample that began it."""
    total = 0.0
    times = sorted(by_time)
    for seg in segs:
        if seg.state != "up":
            continue
        # walk the samples that hold inside this segment
        i = max(0, bisect.bisect_right(times, seg.start) - 1)
        while i < len(times) and times[i] < seg.end:
            a = max(seg.start, times[i])
            b = min(seg.end, times[i + 1] if i + 1 < len(times) else seg.end)
            s = by_time[times[i]]
            if b > a and s.status is SampleStatus.UP and s.clients is not None:
                total += s.clients * (b - a) / 3600.0
            i += 1
    return total


def by_hotspot(samples: Iterable[HotspotSample]) -> Iterator[tuple[str, list[HotspotSample]]]:
    """One hotspot's samples at a time. A list is sorted first; any other iterable must come sorted by hotspot
    (as :meth:`SampleStore.samples` yields it), so a month of a thousand hotspots never sits in memory at once."""
    if isinstance(samples, list | tuple):
        samples = sorted(samples, key=lambda s: s.hotspot)
    done: set[str] = set()
    for name, group in itertools.groupby(samples, key=lambda s: s.hotspot):
        if name in done:
            raise ValueError(f"samples are not grouped by hotspot ({name!r} comes back after another)")
        done.add(name)
        yield name, list(group)


@dataclass
class Analysis:
    """Per-hotspot results and, per group (zone by default), availability in equal slices of the window."""

    results: list[HotspotAvailability]
    starts: list[float]
    series: dict[str, list[float | None]]


def analyse_all(samples: Iterable[HotspotSample], since: float, until: float,
                hotspots: Mapping[str, Mapping[str, str | None]] | None = None, *, buckets: int = 1,
                group_key: str = "zone") -> Analysis:
    """Every hotspot with samples, plus every hotspot of ``hotspots`` (name -> site, zone, agency) without any
    (all unknown: a hotspot nobody polled is not a hotspot that was up), in one pass over the samples."""
    if buckets < 1:
        raise ValueError("at least one bucket")
    if group_key not in GROUP_KEYS:
        raise ValueError(f"group by one of {', '.join(GROUP_KEYS)}, not {group_key!r}")
    meta = hotspots or {}
    width = (until - since) / buckets
    up: dict[str, list[float]] = defaultdict(lambda: [0.0] * buckets)
    known: dict[str, list[float]] = defaultdict(lambda: [0.0] * buckets)
    results: dict[str, HotspotAvailability] = {}

    def add(name: str, items: list[HotspotSample]) -> None:
        res, segs = _analyse_one(name, items, since, until)
        m = meta.get(name)
        if m:
            res.site = m.get("site") or res.site
            res.zone = m.get("zone") or res.zone
            res.agency = m.get("agency") or res.agency
        results[name] = res
        g = getattr(res, group_key) or "-"
        u, k = up[g], known[g]
        for seg in segs:
            if seg.state == "unknown":
                continue
            first = max(0, int((seg.start - since) // width))
            last = min(buckets - 1, int((seg.end - since) // width))
            for i in range(first, last + 1):
                a = since + i * width
                overlap = min(seg.end, a + width) - max(seg.start, a)
                if overlap > 0:
                    k[i] += overlap
                    if seg.state == "up":
                        u[i] += overlap

    for name, items in by_hotspot(samples):
        add(name, items)
    for name in meta:
        if name not in results:
            add(name, [])
    series_out = {g: [up[g][i] / known[g][i] if known[g][i] > 0 else None for i in range(buckets)]
                  for g in sorted(known)}
    return Analysis([results[k] for k in sorted(results)], [since + i * width for i in range(buckets)], series_out)


def analyse(samples: Iterable[HotspotSample], since: float, until: float,
            hotspots: Mapping[str, Mapping[str, str | None]] | None = None) -> list[HotspotAvailability]:
    """Per-hotspot results (see :func:`analyse_all`)."""
    return analyse_all(samples, since, until, hotspots).results


# ------------------------------------------------------------------------------------------------ groups


@dataclass
class GroupAvailability:
    key: str
    value: str
    hotspots: int = 0
    up_s: float = 0.0
    down_s: float = 0.0
    unknown_s: float = 0.0
    outages: int = 0
    outage_s: float = 0.0
    reboots: int = 0
    clients_max: int | None = None
    client_hours: float = 0.0
    worst: str | None = None
    worst_availability: float | None = None

    @property
    def availability(self) -> float | None:
        known = self.up_s + self.down_s
        return self.up_s / known if known > 0 else None

    def to_json(self) -> dict[str, Any]:
        return {
            self.key: self.value, "hotspots": self.hotspots, "availability": _round(self.availability),
            "up_s": round(self.up_s, 3), "down_s": round(self.down_s, 3), "unknown_s": round(self.unknown_s, 3),
            "outages": self.outages, "outage_s": round(self.outage_s, 3), "reboots": self.reboots,
            "clients_max": self.clients_max, "client_hours": round(self.client_hours, 3),
            "worst": self.worst, "worst_availability": _round(self.worst_availability),
        }


GROUP_KEYS = ("site", "zone", "agency")


def aggregate(results: Iterable[HotspotAvailability], key: str) -> list[GroupAvailability]:
    """Per site, zone or agency: time-weighted availability (every hotspot's known seconds add up)."""
    if key not in GROUP_KEYS:
        raise ValueError(f"group by one of {', '.join(GROUP_KEYS)}, not {key!r}")
    groups: dict[str, GroupAvailability] = {}
    for r in results:
        value = getattr(r, key) or "-"
        g = groups.setdefault(value, GroupAvailability(key, value))
        g.hotspots += 1
        g.up_s += r.up_s
        g.down_s += r.down_s
        g.unknown_s += r.unknown_s
        g.outages += len(r.outages)
        g.outage_s += sum(o.seconds for o in r.outages)
        g.reboots += len(r.reboots)
        g.client_hours += r.client_hours
        if r.clients_max is not None:
            g.clients_max = max(g.clients_max or 0, r.clients_max)
        a = r.availability
        if a is not None and (g.worst_availability is None or a < g.worst_availability):
            g.worst, g.worst_availability = r.hotspot, a
    return [groups[k] for k in sorted(groups)]


Series = tuple[list[float], dict[str, list[float | None]]]


def series(samples: Iterable[HotspotSample], since: float, until: float, buckets: int,
           group: Callable[[HotspotSample], str | None] = lambda s: s.zone) -> Series:
    """Availability per group in ``buckets`` equal slices of the window: (bucket starts, group -> values).
    A bucket with no known time for a group is ``None`` (a gap in the chart, not a zero)."""
    if buckets < 1:
        raise ValueError("at least one bucket")
    width = (until - since) / buckets
    starts = [since + i * width for i in range(buckets)]
    by_name: dict[str, list[HotspotSample]] = defaultdict(list)
    for s in samples:
        by_name[s.hotspot].append(s)
    up: dict[str, list[float]] = defaultdict(lambda: [0.0] * buckets)
    known: dict[str, list[float]] = defaultdict(lambda: [0.0] * buckets)
    for items in by_name.values():
        items.sort(key=lambda s: s.measured_at)
        g = group(items[-1]) or "-"
        segs = segments(items, since, until)
        for i, a in enumerate(starts):
            t = totals(segs, a, a + width)
            up[g][i] += t["up"]
            known[g][i] += t["up"] + t["down"]
    out = {g: [up[g][i] / known[g][i] if known[g][i] > 0 else None for i in range(buckets)] for g in sorted(known)}
    return starts, out
