"""The availability report as data: per hotspot, site, zone and agency over a window, the worst hotspots, and a
per-zone series for charts. Pure: the CLI, the audit hook and the report section hand it samples.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from compliance.availability import GROUP_KEYS, aggregate, analyse_all
from netcomply.hotspot_samples import HotspotSample

#: Points in the per-zone chart series (hourly for a day, about daily for a month).
SERIES_POINTS = 30


def bucket_count(seconds: float) -> int:
    """Hours for a window up to two days, days up to two months, else SERIES_POINTS slices."""
    if seconds <= 2 * 86400:
        return max(1, min(48, round(seconds / 3600)))
    if seconds <= 62 * 86400:
        return max(1, round(seconds / 86400))
    return SERIES_POINTS


def build_report(samples: Iterable[HotspotSample], since: datetime, until: datetime,
                 hotspots: Mapping[str, Mapping[str, str | None]] | None = None, *, worst: int = 10,
                 buckets: int | None = None) -> dict[str, Any]:
    """Everything ``netcomply hotspot report`` and the audit report show, JSON-able and deterministic."""
    a, b = since.timestamp(), until.timestamp()
    n = buckets or bucket_count(b - a)
    analysis = analyse_all(samples, a, b, hotspots, buckets=n)
    per_hotspot = analysis.results
    known = [r for r in per_hotspot if r.availability is not None]
    ranked = sorted(known, key=lambda r: (r.availability, -r.down_s, r.hotspot))
    starts, by_zone = analysis.starts, analysis.series
    for r in per_hotspot:  # a zone nobody sampled is a line of gaps, not a missing line
        by_zone.setdefault(r.zone or "-", [None] * n)
    by_zone = dict(sorted(by_zone.items()))
    total_up = sum(r.up_s for r in per_hotspot)
    total_known = total_up + sum(r.down_s for r in per_hotspot)
    return {
        "since": since.astimezone(UTC).isoformat(),
        "until": until.astimezone(UTC).isoformat(),
        "hotspots": len(per_hotspot),
        "samples": sum(r.samples for r in per_hotspot),
        "availability": round(total_up / total_known, 6) if total_known else None,
        "unknown_s": round(sum(r.unknown_s for r in per_hotspot), 3),
        "outages": sum(len(r.outages) for r in per_hotspot),
        "reboots": sum(len(r.reboots) for r in per_hotspot),
        "per_hotspot": [r.to_json() for r in per_hotspot],
        "groups": {key: [g.to_json() for g in aggregate(per_hotspot, key)] for key in GROUP_KEYS},
        "worst": [r.to_json() for r in ranked[:worst]],
        "no_data": sorted(r.hotspot for r in per_hotspot if r.availability is None),
        "series": {
            "starts": [datetime.fromtimestamp(t, UTC).isoformat() for t in starts],
            "zones": {z: [None if v is None else round(v, 6) for v in vals] for z, vals in by_zone.items()},
        },
    }
