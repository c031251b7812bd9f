"""The public Wi-Fi hotspot section of the audit report: availability per zone over the month before the run, the
worst hotspots with their outages, the SSID policy findings.

Built from the store only: the samples of the 30 days before ``ctx.run.started_at`` (the same window the checks
judged, so report and findings agree), the run's ``hotspot.availability`` observations (which hotspots the
inventory had) and the ``hotspot.*`` findings. Never the clock: re-rendering a stored run gives the same bytes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from compliance.availability_report import build_report
from netcomply.i18n import Messages, render, text
from netcomply.timefmt import iso_local
from reports.charts import line_chart
from reports.sections.base import ReportSection, SectionContext, Sheet, section

WINDOW_DAYS = 30
WORST = 10
POLICY_CHECKS = ("hotspot.admin_ssid_encrypted", "hotspot.public_ssid_authenticates", "hotspot.per_user_bandwidth")


def _pct(x: float | None) -> float | None:
    return None if x is None else round(x * 100, 3)


def _label(iso: str, hourly: bool) -> str:
    return iso[5:16].replace("T", " ") if hourly else iso[5:10]


@section
class HotspotSection(ReportSection):
    key: ClassVar[str] = "hotspot"
    order: ClassVar[int] = 400
    title: ClassVar[dict[str, str]] = {"en": "Public Wi-Fi hotspots", "zh-TW": "公共 Wi-Fi 熱點"}
    template: ClassVar[str] = "sections/hotspot.html.j2"

    def build(self, ctx: SectionContext) -> dict[str, Any] | None:
        from netcomply.store.samples import SampleStore

        monthly = ctx.observations_of("hotspot.availability")
        findings = ctx.findings_of("hotspot")
        if not monthly and not findings and not ctx.observations_of("hotspot.wlan"):
            return None
        until: datetime = ctx.run.started_at
        since = until - timedelta(days=WINDOW_DAYS)
        meta = {o.device: {"site": o.data.get("site"), "zone": o.data.get("zone"), "agency": o.data.get("agency")}
                for o in monthly}
        samples = SampleStore(ctx.store).samples(since, until, hotspots=list(meta) if meta else None)
        report = build_report(samples, since, until, meta or None, worst=WORST)
        status = {f.subject: str(f.status) for f in findings if f.check_id == "hotspot.availability_min"}
        worst = [{"hotspot": r["hotspot"], "site": r["site"], "zone": r["zone"], "agency": r["agency"],
                  "availability": _pct(r["availability"]), "down_s": r["down_s"], "unknown_s": r["unknown_s"],
                  "reboots": len(r["reboots"]), "clients_max": r["clients_max"], "status": status.get(r["hotspot"]),
                  "outages": sorted(r["outages"], key=lambda o: -o["seconds"])[:5],
                  "outage_count": len(r["outages"])} for r in report["worst"]]
        policy = sorted(
            ({"check": f.check_id, "subject": f.subject, "status": str(f.status), "severity": str(f.severity),
              "message": f.message, "msg": f.details.get("msg"), "controls": sorted(f.controls)}
             for f in findings if f.check_id in POLICY_CHECKS and str(f.status) != "pass"),
            key=lambda f: (f["check"], f["subject"]))
        counts: dict[str, int] = {}
        for f in findings:
            if f.check_id == "hotspot.availability_min":
                counts[str(f.status)] = counts.get(str(f.status), 0) + 1
        return {
            "since": report["since"], "until": report["until"], "window_days": WINDOW_DAYS,
            "hotspots": report["hotspots"], "samples": report["samples"],
            "availability": _pct(report["availability"]), "outages": report["outages"], "reboots": report["reboots"],
            "unknown_s": report["unknown_s"], "no_data": report["no_data"],
            "verdicts": dict(sorted(counts.items())),
            "zones": [{**g, "availability": _pct(g["availability"]),
                       "worst_availability": _pct(g["worst_availability"])} for g in report["groups"]["zone"]],
            "agencies": [{**g, "availability": _pct(g["availability"])} for g in report["groups"]["agency"]],
            "series": {"starts": report["series"]["starts"],
                       "starts_local": [iso_local(s, ctx.timezone) for s in report["series"]["starts"]],
                       "zones": {z: [_pct(v) for v in vals] for z, vals in report["series"]["zones"].items()}},
            "worst": worst,
            "policy": policy,
        }

    def charts(self, data: dict[str, Any], lang: str) -> dict[str, str]:
        starts = data["series"]["starts"]
        hourly = len(starts) > 1 and starts[1][:10] == starts[0][:10]
        # labelled in the agency's zone (the stored bins are UTC instants)
        labels = [_label(s, hourly) for s in data["series"].get("starts_local", starts)]
        title = text("section.hotspot.chart_zones", lang)
        if not labels or not data["series"]["zones"]:
            return {}
        return {"zones": str(line_chart("hotspot-zones", title, labels, data["series"]["zones"], y_max=100,
                                        lang=lang))}

    def sheets(self, data: dict[str, Any], lang: str) -> list[Sheet]:
        zh = lang.startswith("zh")
        zones = Sheet(text("section.hotspot.sheet_zones", lang),
                      ["區域", "熱點數", "可用率%", "中斷次數", "中斷秒數", "未知秒數", "重開機", "最差熱點"] if zh else
                      ["zone", "hotspots", "availability %", "outages", "outage s", "unknown s", "reboots", "worst"],
                      [[z["zone"], z["hotspots"], z["availability"], z["outages"], z["outage_s"], z["unknown_s"],
                        z["reboots"], z["worst"]] for z in data["zones"]])
        outages = Sheet(text("section.hotspot.sheet_outages", lang),
                        ["熱點", "區域", "開始", "結束", "秒數"] if zh else
                        ["hotspot", "zone", "start", "end", "seconds"],
                        [[w["hotspot"], w["zone"], o["start"], o["end"], o["seconds"]]
                         for w in data["worst"] for o in w["outages"]])
        status = Messages("audit", lang)
        policy = Sheet(text("section.hotspot.sheet_policy", lang),
                       ["檢查", "對象", "狀態", "說明"] if zh else ["check", "subject", "status", "message"],
                       [[p["check"], p["subject"], status.of("finding_status", p["status"]),
                         render(p.get("msg"), lang, p["message"])] for p in data["policy"]])
        return [zones, outages, policy]

    def summary(self, data: dict[str, Any], lang: str) -> list[str]:
        a = data["availability"]
        counts = {"hotspots": data["hotspots"], "days": data["window_days"], "outages": data["outages"],
                  "below": data["verdicts"].get("fail", 0)}
        lines = [text("section.hotspot.summary_no_data", lang, **counts) if a is None else
                 text("section.hotspot.summary", lang, figure=f"{a:g}%", **counts)]
        if data["policy"]:
            lines.append(text("section.hotspot.summary_policy", lang, n=len(data["policy"])))
        return lines
