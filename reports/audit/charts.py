"""The summary page's charts, drawn with :mod:`reports.charts` from the report dict (inline SVG, deterministic)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from reports.audit.locale import Labels
from reports.charts import bar_chart, stacked_bar_chart

CONTROL_STATUSES = ("pass", "partial", "fail", "manual", "not_assessed", "not_applicable")
SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_COLOURS = {"critical": "#7B1E1E", "high": "#D55E00", "medium": "#E69F00", "low": "#56B4E9",
                    "info": "#999999"}
DEVICE_COLOURS = {"ok": "#009E73", "partial": "#E69F00", "failed": "#D55E00", "not_tried": "#999999"}


def summary_charts(report: dict[str, Any], t: Labels) -> dict[str, Markup]:
    """id -> SVG: control statuses per framework, failed findings by severity, devices by outcome, and failed
    findings per agency (when the report has agencies)."""
    summary = report["summary"]
    frameworks = report["frameworks"]
    out: dict[str, Markup] = {}
    # Legends show the localized status names, so the colours are keyed by them too.
    status_names = {s: t.of("control_status", s) for s in CONTROL_STATUSES}
    from reports.charts import STATUS_COLOURS

    out["controls"] = stacked_bar_chart(
        "chart-controls", t("control_status_chart"), [fw["id"] for fw in frameworks],
        {status_names[s]: [float(fw["counts"].get(s, 0)) for fw in frameworks] for s in CONTROL_STATUSES},
        colours={status_names[s]: STATUS_COLOURS[s] for s in CONTROL_STATUSES})
    sev_names = [t.of("severity_names", s) for s in SEVERITIES]
    failed = summary["failed_by_severity"]
    out["severity"] = bar_chart(
        "chart-severity", t("findings_by_severity"), sev_names,
        {t.of("finding_status", "fail"): [float(failed.get(s, 0)) for s in SEVERITIES]}, unit="",
        colours={t.of("finding_status", "fail"): "#D55E00"})
    dev = summary["devices"]
    states = ("ok", "partial", "failed", "not_tried")
    out["devices"] = bar_chart(
        "chart-devices", t("devices_chart"), [t.of("device_status", s) for s in states],
        {t("devices"): [float(dev.get(s, 0)) for s in states]}, unit="", colours={t("devices"): "#0072B2"})
    agencies = [a for a in summary["agencies"] if a["devices"] or any(a["failed_by_severity"].values())]
    if agencies:
        names = [a["agency"] or "—" for a in agencies]
        out["agencies"] = stacked_bar_chart(
            "chart-agencies", t("agency_chart"), names,
            {t.of("severity_names", s): [float(a["failed_by_severity"].get(s, 0)) for a in agencies]
             for s in SEVERITIES},
            colours={t.of("severity_names", s): SEVERITY_COLOURS[s] for s in SEVERITIES})
    return out
