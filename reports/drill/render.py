"""Renderers of the drill report document: HTML (the master), PDF, XLSX, JSON.

Why through the audit report's stack (issue 18): one look and one set of guarantees for every deliverable. The
charts are :mod:`reports.charts` (round ticks, labels that never overlap, CJK fonts), the words come from the one
message catalog (:mod:`netcomply.i18n`), dates are the reader's (:mod:`netcomply.timefmt`: ROC dates in zh-TW,
Asia/Taipei), the PDF goes through :func:`reports.audit.pdf.write_pdf` (which refuses every URL fetch) and every
spreadsheet cell through :mod:`netcomply.safety.cells`. Optional libraries are imported only when their format
is asked for, with a clear message when absent."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from netcomply import timefmt
from netcomply.errors import InputError, InputProblem
from netcomply.fmt import percent as pct
from netcomply.i18n import catalog, check_lang
from netcomply.safety.cells import append_row
from reports import charts
from reports.audit.pdf import PdfError, write_pdf

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANGS = ("zh-TW", "en")


def messages(lang: str) -> dict[str, str]:
    """The ``drill`` domain of the one message catalog (netcomply/locales/drill.yaml) in ``lang``."""
    check_lang(lang)
    return {msg_id.split(".", 1)[1]: e.texts[lang] for msg_id, e in catalog().items() if msg_id.startswith("drill.")}


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def dur(seconds: float | None) -> str:
    """Human duration: 42 s, 3 min, 5.2 h, 2.1 d."""
    if seconds is None:
        return "—"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def when(value: str | None, lang: str) -> str:
    """A report time (ISO 8601 with offset) as the reader reads dates: ROC calendar in zh-TW, Asia/Taipei."""
    return "—" if not value else timefmt.format_datetime(value, lang)


def _marks_title(t: dict[str, str], th: dict[str, Any], title: str) -> str:
    return (f"{title} ({t['pass_mark']} {t['open_rate']} {pct(th['open_rate_max'])}, "
            f"{t['click_rate']} {pct(th['click_rate_max'])})")


def department_chart(doc: dict[str, Any], t: dict[str, str]) -> Markup:
    """Open and click rate per department (suppressed ones left out, worst click rate first) as the report
    stack's grouped bars; the pass marks are in the title."""
    rows = [d for d in doc["departments"] if not d.get("suppressed") and d.get("open_rate") is not None]
    rows.sort(key=lambda d: (-(d["click_rate"] or 0), -(d["open_rate"] or 0), d["name"]))
    series = {t["open_rate"]: [d["open_rate"] * 100 for d in rows],
              t["click_rate"]: [(d["click_rate"] or 0) * 100 for d in rows]}
    return charts.bar_chart("drill-departments", _marks_title(t, doc["thresholds"], t["chart_departments"]),
                            [str(d["name"]) for d in rows], series, unit="%")


def trend_chart(doc: dict[str, Any], t: dict[str, str], lang: str) -> Markup | str:
    """The agency's open and click rate over the drills, oldest first, with the two marks as flat lines; nothing
    before there are two drills to compare."""
    pts = [p for p in (doc.get("trend") or {}).get("agency", []) if p.get("open_rate") is not None]
    if len(pts) < 2:
        return ""
    th = doc["thresholds"]
    series: dict[str, list[float | None]] = {
        t["open_rate"]: [p["open_rate"] * 100 for p in pts],
        t["click_rate"]: [(p["click_rate"] or 0) * 100 for p in pts],
        f"{t['pass_mark']} {t['open_rate']}": [th["open_rate_max"] * 100] * len(pts),
        f"{t['pass_mark']} {t['click_rate']}": [th["click_rate_max"] * 100] * len(pts)}
    return charts.line_chart("drill-trend", t["trend_chart"], [str(p["drill"])[:24] for p in pts], series,
                             unit="%", lang=lang)


def html(doc: dict[str, Any], lang: str = "zh-TW", findings: list[dict[str, Any]] | None = None,
         bot_settings: dict[str, Any] | None = None) -> str:
    t = messages(lang)
    chart = department_chart(doc, t)
    trend = trend_chart(doc, t, lang)
    b = bot_settings or {}
    bot_method = t["bot_method"].format(s=b.get("click_after_send_seconds", "?"), o=b.get("open_to_click_seconds", "?"),
                                        r=(b.get("burst") or {}).get("recipients", "?"),
                                        w=(b.get("burst") or {}).get("window_seconds", "?"))
    return _env().get_template("report.html.j2").render(
        r=doc, t=t, lang=lang, pct=pct, dur=dur, chart=chart, trend_chart=trend, findings=findings or [],
        bot_method=bot_method, when=lambda v: when(v, lang))


def annex_html(annex: dict[str, Any], lang: str = "zh-TW") -> str:
    return _env().get_template("annex.html.j2").render(a=annex, t=messages(lang), lang=lang)


def pdf(html_text: str, out: Path, doc: dict[str, Any] | None = None) -> None:
    """The HTML through the audit report's PDF path: offline (every URL fetch refused), reproducible metadata."""
    meta = doc or {}
    run = {"id": f"drill {(meta.get('drill') or {}).get('name', '')}".strip(),
           "tool_version": str(meta.get("generator", "")).removeprefix("netcomply "),
           "started_at": meta.get("generated_at")}
    try:
        write_pdf(html_text, out, report={"run": run}, title=f"netcomply drill report {run['id']}")
    except PdfError as exc:
        raise InputError(InputProblem("--format pdf", None, str(exc))) from None


def xlsx(doc: dict[str, Any], out: Path, lang: str = "zh-TW", annex: dict[str, Any] | None = None) -> None:
    """Summary, departments, bot events (and the annex's people, only into a separate restricted workbook).
    Every row goes through :func:`netcomply.safety.cells.append_row`: names, departments and positions come
    from HR and GoPhish exports and are stored as text, never as formulas."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError as exc:
        raise InputError(InputProblem("--format xlsx", None, f"XLSX needs openpyxl: {exc}")) from None
    t = messages(lang)
    wb = Workbook()
    ws = wb.active
    ws.title = t["summary"][:31]
    rows: list[tuple[str, Any]] = [
        (t["drill"], doc["drill"]["name"]), (t["start"], when(doc["drill"]["start"], lang)),
        (t["participants"], doc["participants"]), (t["excluded"], doc["excluded"]),
        (t["opened"], doc["opened"]), (t["clicked"], doc["clicked"]), (t["submitted"], doc["submitted"]),
        (t["reported"], doc["reported"]), (t["open_rate"], doc["open_rate"]), (t["click_rate"], doc["click_rate"]),
        (t["raw"] + " " + t["open_rate"], doc["raw"]["open_rate"]),
        (t["raw"] + " " + t["click_rate"], doc["raw"]["click_rate"]),
        (t["result"], t["pass"] if doc["pass"] else t["fail"]), (t["verdict"], t[doc["verdict"]]),
    ]
    for k, v in rows:
        row = append_row(ws, [k, v])
        if isinstance(v, float):
            ws.cell(row, 2).number_format = "0.00%"
    ws.column_dimensions["A"].width = 36
    ds = wb.create_sheet(t["departments"][:31])
    head = [t["department"], t["participants"], t["opened"], t["clicked_short"], t["submitted"], t["reported"],
            t["open_rate"], t["click_rate"], t["result"]]
    append_row(ds, head)
    for c in ds[1]:
        c.font = Font(bold=True)
    for d in doc["departments"]:
        if d["suppressed"]:
            append_row(ds, [d["name"], d["participants"]])
            continue
        row = append_row(ds, [d["name"], d["participants"], d["opened"], d["clicked"], d["submitted"],
                              d["reported"], d["open_rate"], d["click_rate"], t["pass"] if d["pass"] else t["fail"]])
        for col in (7, 8):
            ds.cell(row, col).number_format = "0.00%"
    ds.column_dimensions["A"].width = 24
    bs = wb.create_sheet(t["bots"][:31])
    append_row(bs, [t["person"], t["time"], t["action"], "IP", t["reason"]])
    for e in doc["bot_events"]:
        append_row(bs, [e["email"], when(e["time"], lang), e["action"], e["ip"], e["reason"]])
    wb.save(str(out))
    if annex is not None:
        wa = Workbook()
        sheet = wa.active
        sheet.title = "RESTRICTED"
        cols = ["id", "name", "email", "department", "title", "sent_at", "opened", "clicked", "submitted", "reported",
                "excluded"]
        append_row(sheet, cols)
        for p in annex["people"]:
            append_row(sheet, [p[c] for c in cols])
        wa.save(str(out.with_name("annex-restricted.xlsx")))


def write_json(doc: dict[str, Any], out: Path) -> None:
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
