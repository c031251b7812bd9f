"""The IPv6 rollout section of the audit report: readiness per phase and agency, what failed and why, the trend.

Built only from the store (this run's ``ipv6.service`` / ``ipv6.device`` observations and findings, and the
earlier runs of the same store for the trend), judged with :mod:`compliance.ipv6_readiness` so the report says
exactly what the checks decided.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from compliance.ipv6_readiness import Rules, compare, history, load_rules, readiness, verdicts_of
from compliance.thresholds import load_thresholds
from netcomply.timefmt import format_date, iso_local
from reports.charts import bar_chart, line_chart
from reports.sections.base import ReportSection, SectionContext, Sheet, section

KINDS_ZH = {"web": "網站", "dns": "DNS", "mail": "電子郵件", "device": "網路設備"}


def _label(point: dict[str, Any], lang: str) -> str:
    """A trend point's label: the run's date and time in the agency's zone (ROC date for zh-TW)."""
    local = datetime.fromisoformat(point.get("started_local") or point["started_at"])
    return f"{format_date(local.date(), lang)} {local:%H:%M}"


@section
class Ipv6Section(ReportSection):
    key: ClassVar[str] = "ipv6"
    order: ClassVar[int] = 300
    title: ClassVar[dict[str, str]] = {"en": "IPv6 rollout", "zh-TW": "IPv6 升級推動"}
    template: ClassVar[str] = "sections/ipv6.html.j2"
    collectors: ClassVar[tuple[str, ...]] = ("ipv6_service", "ipv6_cli", "ipv6_snmp")

    def rules(self, ctx: SectionContext) -> Rules:
        return load_rules(load_thresholds())

    def build(self, ctx: SectionContext) -> dict[str, Any] | None:
        observations = [o for o in ctx.observations if o.kind in ("ipv6.service", "ipv6.device")]
        if not observations:
            return None
        rules = self.rules(ctx)
        verdicts = verdicts_of(observations, rules)
        current = readiness(verdicts, rules, as_of=ctx.day)
        current["run"] = ctx.run.id
        current["started_at"] = ctx.run.started_at.isoformat()
        past = history(ctx.store, ctx.earlier_runs, rules, ctx.timezone)
        trend = compare(current, past[-1] if past else None)
        points = [*past, current]
        findings = sorted(
            ({"check": f.check_id, "subject": f.subject, "status": str(f.status), "severity": str(f.severity),
              "message": f.message, "controls": sorted(f.controls)}
             for f in ctx.findings_of("ipv6") if str(f.status) != "pass"),
            key=lambda f: (f["check"], f["subject"]))
        unchecked = sorted(
            ({"service": r.device, "error_class": str(r.error_class) if r.error_class else None, "cause": r.cause}
             for r in ctx.device_results() if r.collector == "ipv6_service" and r.status.value == "error"),
            key=lambda u: str(u["service"]))
        return {
            "unchecked": unchecked,
            "phases": current["phases"],
            "agencies": current["agencies"],
            "overall": current["overall"],
            "items": [v.to_dict() for v in sorted(verdicts, key=lambda v: (v.phase, v.kind, v.name))],
            "trend": trend,
            "history": [{"run": p["run"], "started_at": p["started_at"],
                         "started_local": iso_local(p["started_at"], ctx.timezone),
                         "phases": {str(r["phase"]): r["percent"] for r in p["phases"]},
                         "agencies": {a["agency"]: a["percent"] for a in p["agencies"]},
                         "overall": p["overall"]["percent"]} for p in points],
            "findings": findings,
        }

    def charts(self, data: dict[str, Any], lang: str) -> dict[str, str]:
        zh = lang.startswith("zh")
        labels = [_label(p, lang) for p in data["history"]]
        phase_names = {str(p["phase"]): (f"第{p['phase']}階段" if zh else f"Phase {p['phase']}")
                       for p in data["phases"]}
        by_phase = {phase_names[k]: [p["phases"].get(k) for p in data["history"]] for k in sorted(phase_names)}
        agencies = sorted({a for p in data["history"] for a in p["agencies"]})
        by_agency = {a: [p["agencies"].get(a) for p in data["history"]] for a in agencies}
        now = {phase_names[k]: [a["phases"][k]["percent"] for a in data["agencies"]] for k in sorted(phase_names)}
        title_phase = "各階段IPv6就緒率" if zh else "IPv6 readiness by phase"
        title_agency = "各機關IPv6就緒率" if zh else "IPv6 readiness by agency"
        return {
            "trend_phase": str(line_chart("ipv6-trend-phase", title_phase, labels, by_phase, y_max=100, lang=lang)),
            "trend_agency": str(line_chart("ipv6-trend-agency", title_agency, labels, by_agency, y_max=100,
                                           lang=lang)),
            "now_agency_phase": str(bar_chart("ipv6-agency-phase",
                                              "本次各機關各階段就緒率" if zh else "This run: agency by phase",
                                              [a["agency"] for a in data["agencies"]], now, y_max=100)),
        }

    def sheets(self, data: dict[str, Any], lang: str) -> list[Sheet]:
        zh = lang.startswith("zh")
        items = Sheet("IPv6 items",
                      ["階段", "類別", "名稱", "機關", "就緒", "原因"] if zh else
                      ["phase", "kind", "name", "agency", "ready", "reasons"],
                      [[v["phase"], v["kind"], v["name"], v["agency"], v["ready"], "; ".join(v["reasons"])]
                       for v in data["items"]])
        readiness_rows = [[p["phase"], "(all)", p["ready"], p["total"], p["percent"], p["target_percent"], p["due"]]
                          for p in data["phases"]]
        readiness_rows += [[int(k), a["agency"], t["ready"], t["total"], t["percent"], None, None]
                           for a in data["agencies"] for k, t in sorted(a["phases"].items()) if t["total"]]
        rates = Sheet("IPv6 readiness",
                      ["階段", "機關", "就緒", "總數", "百分比", "目標%", "期限"] if zh else
                      ["phase", "agency", "ready", "total", "percent", "target %", "due"], readiness_rows)
        return [rates, items]

    def summary(self, data: dict[str, Any], lang: str) -> list[str]:
        zh = lang.startswith("zh")
        parts = []
        for p in data["phases"]:
            if p["total"]:
                parts.append(f"第{p['phase']}階段 {p['percent']:g}%（{p['ready']}/{p['total']}）" if zh else
                             f"phase {p['phase']} {p['percent']:g}% ({p['ready']}/{p['total']})")
        lines = [("IPv6 就緒率：" + "、".join(parts) + "。") if zh else ("IPv6 readiness: " + ", ".join(parts) + ".")]
        trend = data["trend"]
        if trend.get("previous_run") and trend.get("overall") is not None:
            d = trend["overall"]
            fixed, broke = len(trend["fixed"]), len(trend["broke"])
            # IPv6 items only: the whole audit's better/worse line is the summary's (compliance.engine.compare_runs).
            lines.append(f"IPv6 就緒率較前次稽核變動 {d:+g} 個百分點；IPv6 項目改善 {fixed} 項，退步 {broke} 項。"
                         if zh else f"IPv6 readiness since the previous audit: {d:+g} points; IPv6 items fixed "
                         f"{fixed}, broke {broke}.")
        return lines
