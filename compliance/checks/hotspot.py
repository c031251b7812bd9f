"""Hotspot checks: the month's availability per hotspot, and the controllers' SSID policy.

* ``hotspot.availability_min`` reads ``hotspot.availability`` (the 30 days before the run, stored with the run):
  below ``thresholds.hotspot.availability_min`` is a fail naming the outages. The figure is a verdict only when
  the samples cover at least ``coverage_min`` of the window: a few seconds of polling in a 30-day window say
  nothing about the month, so with less the finding is *not assessed: insufficient data*, with the coverage.
* ``hotspot.sampling_coverage``: the share of the month with samples below ``coverage_min`` is a fail (the
  availability figure then rests on too little).
* ``hotspot.admin_ssid_encrypted`` / ``hotspot.public_ssid_authenticates`` / ``hotspot.per_user_bandwidth``
  read ``hotspot.wlan``: SSIDs are classed as public or administrative by the shell patterns in
  ``thresholds.hotspot.public_ssids`` / ``admin_ssids`` (data the agency changes) and by the inventory hotspots'
  own ``ssids`` (public). A disabled SSID broadcasts nothing and is not judged; an SSID in neither class is
  listed as manual once (someone must say what it is for).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from typing import Any, ClassVar

from compliance.checks.base import Check, JudgeContext, register
from netcomply.contracts.hotspot import HotspotAvailability
from netcomply.contracts.registry import contract_of
from netcomply.fmt import percent
from netcomply.i18n import msg
from netcomply.models import Finding, FindingStatus, Observation

#: Percentages in the one formatter (:mod:`netcomply.fmt`); a missing value reads "no data" here.
_pct = partial(percent, none="no data")


def _thresholds(ctx: JudgeContext) -> Mapping[str, Any]:
    return (ctx.data.get("thresholds") or {}).get("hotspot") or {}


def coverage_floor(ctx: JudgeContext) -> float:
    """The share of the window that must have been sampled before any figure about the window counts."""
    return float(_thresholds(ctx).get("coverage_min", 0.9))


@register
class AvailabilityMin(Check):
    id: ClassVar[str] = "hotspot.availability_min"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        floor = float(_thresholds(ctx).get("availability_min", 0.99))
        needed = coverage_floor(ctx)
        for o in observations:
            if o.kind != "hotspot.availability":
                continue
            d = contract_of(o, HotspotAvailability)
            a = d.get("availability")
            details = {"availability": a, "minimum": floor, "since": d.get("since"), "until": d.get("until"),
                       "down_s": d.get("down_s"), "unknown_s": d.get("unknown_s"), "outages": d.get("outages", []),
                       "reboots": len(d.get("reboots", []))}
            if a is None:
                yield self.finding(o.device, FindingStatus.MANUAL,
                                   msg("finding.hotspot.no_samples", days=d.get("window_days", 30)),
                                   observations=[o], details=details)
                continue
            coverage = float(d.get("coverage") or 0.0)
            if coverage < needed:
                window = d.get("window_days", 30)
                details["coverage"] = coverage
                details["coverage_min"] = needed
                yield self.finding(o.device, FindingStatus.NOT_ASSESSED,
                                   msg("finding.hotspot.insufficient_data", coverage=_pct(coverage), days=window,
                                       needed=_pct(needed)),
                                   observations=[o], details=details)
                continue
            outages = d.get("outages", [])
            longest = max((x["seconds"] for x in outages), default=0)
            if a < floor:
                yield self.finding(o.device, FindingStatus.FAIL,
                                   msg("finding.hotspot.below_minimum", availability=_pct(a), minimum=_pct(floor),
                                       outages=len(outages), longest=f"{longest:.0f}"),
                                   observations=[o], details=details)
            else:
                yield self.finding(o.device, FindingStatus.PASS,
                                   msg("finding.hotspot.at_minimum", availability=_pct(a), minimum=_pct(floor),
                                       outages=len(outages)), observations=[o], details=details)


@register
class SamplingCoverage(Check):
    id: ClassVar[str] = "hotspot.sampling_coverage"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        floor = coverage_floor(ctx)
        for o in observations:
            if o.kind != "hotspot.availability":
                continue
            d = contract_of(o, HotspotAvailability)
            cov = float(d.get("coverage") or 0.0)
            details = {"coverage": cov, "minimum": floor, "unknown_s": d.get("unknown_s"),
                       "gaps": len(d.get("gaps", []))}
            ok = cov >= floor
            yield self.finding(o.device, FindingStatus.PASS if ok else FindingStatus.FAIL,
                               msg("finding.hotspot.coverage", coverage=_pct(cov), minimum=_pct(floor)),
                               observations=[o], details=details)


def ssid_class(ssid: str, thresholds: Mapping[str, Any], public_names: set[str]) -> str | None:
    """public, admin or None (unclassified), by the agency's patterns; listed hotspot SSIDs are public."""
    name = ssid.lower()
    if name in public_names:
        return "public"
    if any(fnmatch.fnmatchcase(name, p.lower()) for p in thresholds.get("admin_ssids", ())):
        return "admin"
    if any(fnmatch.fnmatchcase(name, p.lower()) for p in thresholds.get("public_ssids", ())):
        return "public"
    return None


def _wlans(observations: Iterable[Observation], ctx: JudgeContext, wanted: str) -> Iterator[tuple[Observation, str]]:
    public_names = {s.lower() for s in ctx.data.get("hotspot_ssids", ())}
    th = _thresholds(ctx)
    for o in observations:
        if o.kind != "hotspot.wlan" or not o.data.get("enabled", True):
            continue
        cls = ssid_class(str(o.data.get("ssid")), th, public_names)
        if cls == wanted:
            yield o, f"{o.device}/{o.data.get('ssid')}"


@register
class AdminSsidEncrypted(Check):
    id: ClassVar[str] = "hotspot.admin_ssid_encrypted"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        obs = list(observations)
        public_names = {s.lower() for s in ctx.data.get("hotspot_ssids", ())}
        for o in obs:
            if o.kind == "hotspot.wlan" and o.data.get("enabled", True) and ssid_class(
                    str(o.data.get("ssid")), _thresholds(ctx), public_names) is None:
                yield self.finding(f"{o.device}/{o.data.get('ssid')}", FindingStatus.MANUAL,
                                   msg("finding.hotspot.ssid_unclassified", ssid=repr(o.data.get("ssid"))),
                                   observations=[o], details={"security": o.data.get("security")})
        for o, subject in _wlans(obs, ctx, "admin"):
            sec = o.data.get("security")
            if o.data.get("encrypted"):
                yield self.finding(subject, FindingStatus.PASS, msg("finding.hotspot.admin_encrypted", security=sec),
                                   observations=[o], details={"security": sec})
            else:
                yield self.finding(subject, FindingStatus.FAIL,
                                   msg("finding.hotspot.admin_not_encrypted", security=sec),
                                   observations=[o], details={"security": sec})


@register
class PublicSsidAuthenticates(Check):
    id: ClassVar[str] = "hotspot.public_ssid_authenticates"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        for o, subject in _wlans(observations, ctx, "public"):
            auth = list(o.data.get("user_auth") or [])
            if auth:
                yield self.finding(subject, FindingStatus.PASS, msg("finding.hotspot.users_authenticate",
                                                                    methods=", ".join(auth)),
                                   observations=[o], details={"user_auth": auth})
            else:
                yield self.finding(subject, FindingStatus.FAIL,
                                   msg("finding.hotspot.public_open", security=o.data.get("security")),
                                   observations=[o], details={"user_auth": auth, "security": o.data.get("security")})


@register
class PerUserBandwidth(Check):
    id: ClassVar[str] = "hotspot.per_user_bandwidth"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        standard_kbps = float(_thresholds(ctx).get("per_user_mbps_min", 5)) * 1000
        for o, subject in _wlans(observations, ctx, "public"):
            limits = o.data.get("per_client_kbps")
            details: dict[str, Any] = {"per_client_kbps": limits, "standard_kbps": standard_kbps}
            if not limits or limits.get("down") is None:
                yield self.finding(subject, FindingStatus.FAIL, msg("finding.hotspot.no_bandwidth_limit"),
                                   observations=[o], details=details)
                continue
            down = float(limits["down"])
            # Huawei counts kbit/s in 1024s: 5120 is 5 Mbps. Accept either convention within 2.5 %.
            if down >= standard_kbps * 0.975:
                yield self.finding(subject, FindingStatus.PASS,
                                   msg("finding.hotspot.bandwidth_ok", down=f"{down:g}", standard=f"{standard_kbps:g}"),
                                   observations=[o], details=details)
            else:
                yield self.finding(subject, FindingStatus.FAIL,
                                   msg("finding.hotspot.bandwidth_low", down=f"{down:g}",
                                       standard=f"{standard_kbps:g}"),
                                   observations=[o], details=details)
