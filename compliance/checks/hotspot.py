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
from typing import Any, ClassVar

from compliance.checks.base import Check, JudgeContext, register
from netcomply.models import Finding, FindingStatus, Observation


def _thresholds(ctx: JudgeContext) -> Mapping[str, Any]:
    return (ctx.data.get("thresholds") or {}).get("hotspot") or {}


def _pct(x: float | None) -> str:
    return "no data" if x is None else f"{x * 100:.2f}%"


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
            d = o.data
            a = d.get("availability")
            details = {"availability": a, "minimum": floor, "since": d.get("since"), "until": d.get("until"),
                       "down_s": d.get("down_s"), "unknown_s": d.get("unknown_s"), "outages": d.get("outages", []),
                       "reboots": len(d.get("reboots", [])),
                       "reason_zh": None}
            if a is None:
                details["reason_zh"] = "當月無任何取樣，無法計算可用率"
                yield self.finding(o.device, FindingStatus.MANUAL,
                                   f"no samples in the {d.get('window_days', 30)} days before the audit: availability "
                                   "unknown (run `netcomply hotspot poll`)", observations=[o], details=details)
                continue
            coverage = float(d.get("coverage") or 0.0)
            if coverage < needed:
                window = d.get("window_days", 30)
                details["coverage"] = coverage
                details["coverage_min"] = needed
                details["reason_zh"] = (f"資料不足，未評估：取樣僅涵蓋 {window} 日期間的 {_pct(coverage)}"
                                        f"（至少需 {_pct(needed)}）")
                yield self.finding(o.device, FindingStatus.NOT_ASSESSED,
                                   f"not assessed: insufficient data: samples cover {_pct(coverage)} of the "
                                   f"{window}-day window (at least {_pct(needed)} needed)",
                                   observations=[o], details=details)
                continue
            outages = d.get("outages", [])
            longest = max((x["seconds"] for x in outages), default=0)
            if a < floor:
                details["reason_zh"] = (f"可用率 {_pct(a)} 低於標準 {_pct(floor)}；中斷 {len(outages)} 次，"
                                        f"最長 {longest:.0f} 秒")
                yield self.finding(o.device, FindingStatus.FAIL,
                                   f"available {_pct(a)} of the known time, below {_pct(floor)}: {len(outages)} "
                                   f"outage(s), longest {longest:.0f}s", observations=[o], details=details)
            else:
                details["reason_zh"] = f"可用率 {_pct(a)}，達標準 {_pct(floor)}"
                yield self.finding(o.device, FindingStatus.PASS,
                                   f"available {_pct(a)} of the known time (minimum {_pct(floor)}), "
                                   f"{len(outages)} outage(s)", observations=[o], details=details)


@register
class SamplingCoverage(Check):
    id: ClassVar[str] = "hotspot.sampling_coverage"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        floor = coverage_floor(ctx)
        for o in observations:
            if o.kind != "hotspot.availability":
                continue
            cov = float(o.data.get("coverage") or 0.0)
            details = {"coverage": cov, "minimum": floor, "unknown_s": o.data.get("unknown_s"),
                       "gaps": len(o.data.get("gaps", []))}
            ok = cov >= floor
            details["reason_zh"] = f"取樣涵蓋 {_pct(cov)}，標準 {_pct(floor)}"
            yield self.finding(o.device, FindingStatus.PASS if ok else FindingStatus.FAIL,
                               f"samples cover {_pct(cov)} of the month (minimum {_pct(floor)})",
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
                                   f"SSID {o.data.get('ssid')!r} is neither public nor administrative by the agency's "
                                   "patterns (thresholds hotspot.public_ssids / admin_ssids): classify it",
                                   observations=[o], details={"security": o.data.get("security"),
                                                              "reason_zh": "SSID 未歸類為公眾或行政用途，請確認"})
        for o, subject in _wlans(obs, ctx, "admin"):
            sec = o.data.get("security")
            if o.data.get("encrypted"):
                yield self.finding(subject, FindingStatus.PASS, f"administrative SSID encrypted ({sec})",
                                   observations=[o], details={"security": sec, "reason_zh": f"已加密（{sec}）"})
            else:
                yield self.finding(subject, FindingStatus.FAIL, f"administrative SSID is not encrypted ({sec})",
                                   observations=[o],
                                   details={"security": sec, "reason_zh": f"行政用 SSID 未加密（{sec}）"})


@register
class PublicSsidAuthenticates(Check):
    id: ClassVar[str] = "hotspot.public_ssid_authenticates"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        for o, subject in _wlans(observations, ctx, "public"):
            auth = list(o.data.get("user_auth") or [])
            if auth:
                yield self.finding(subject, FindingStatus.PASS, f"users authenticate ({', '.join(auth)})",
                                   observations=[o], details={"user_auth": auth,
                                                              "reason_zh": f"使用者認證：{', '.join(auth)}"})
            else:
                yield self.finding(subject, FindingStatus.FAIL,
                                   f"public SSID lets anyone on without user authentication ({o.data.get('security')})",
                                   observations=[o], details={"user_auth": auth, "security": o.data.get("security"),
                                                              "reason_zh": "公眾 SSID 未要求使用者認證"})


@register
class PerUserBandwidth(Check):
    id: ClassVar[str] = "hotspot.per_user_bandwidth"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        standard_kbps = float(_thresholds(ctx).get("per_user_mbps_min", 5)) * 1000
        for o, subject in _wlans(observations, ctx, "public"):
            limits = o.data.get("per_client_kbps")
            details: dict[str, Any] = {"per_client_kbps": limits, "standard_kbps": standard_kbps}
            if not limits or limits.get("down") is None:
                details["reason_zh"] = "未設定每人頻寬限制"
                yield self.finding(subject, FindingStatus.FAIL, "no per-user (per-client) bandwidth limit configured",
                                   observations=[o], details=details)
                continue
            down = float(limits["down"])
            # Huawei counts kbit/s in 1024s: 5120 is 5 Mbps. Accept either convention within 2.5 %.
            if down >= standard_kbps * 0.975:
                details["reason_zh"] = f"每人下行 {down:g} kbps，符合標準"
                yield self.finding(subject, FindingStatus.PASS, f"per-user limit {down:g} kbps down (standard "
                                   f"{standard_kbps:g})", observations=[o], details=details)
            else:
                details["reason_zh"] = f"每人下行 {down:g} kbps，低於標準 {standard_kbps:g} kbps"
                yield self.finding(subject, FindingStatus.FAIL, f"per-user limit {down:g} kbps down is below the "
                                   f"standard {standard_kbps:g} kbps", observations=[o], details=details)
