"""Renderers of the report document: HTML (the master), PDF (WeasyPrint from the same HTML), XLSX (openpyxl),
JSON. Optional libraries are imported only when their format is asked for, with a clear message when absent."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from netcomply.errors import InputError, InputProblem
from netcomply.i18n import catalog, check_lang
from netcomply.safety.cells import append_row
from reports.drill import svg

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


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.2f}%"


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


def html(doc: dict[str, Any], lang: str = "zh-TW", findings: list[dict[str, Any]] | None = None,
         bot_settings: dict[str, Any] | None = None) -> str:
    t = messages(lang)
    th = doc["thresholds"]
    labels = (t["open_rate"], t["click_rate"], t["pass_mark"])
    chart = svg.department_bars(doc["departments"], th["open_rate_max"], th["click_rate_max"], labels)
    trend = svg.trend_lines(doc["trend"]["agency"], th["open_rate_max"], th["click_rate_max"], labels) \
        if doc.get("trend") else ""
    b = bot_settings or {}
    bot_method = t["bot_method"].format(s=b.get("click_after_send_seconds", "?"), o=b.get("open_to_click_seconds", "?"),
                                        r=(b.get("burst") or {}).get("recipients", "?"),
                                        w=(b.get("burst") or {}).get("window_seconds", "?"))
    return _env().get_template("report.html.j2").render(
        r=doc, t=t, lang=lang, pct=pct, dur=dur, chart=chart, trend_chart=trend, findings=findings or [],
        bot_method=bot_method)


def annex_html(annex: dict[str, Any], lang: str = "zh-TW") -> str:
    return _env().get_template("annex.html.j2").render(a=annex, t=messages(lang), lang=lang)


def pdf(html_text: str, out: Path) -> None:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: pango missing
        raise InputError(InputProblem("--format pdf", None, f"PDF needs WeasyPrint and Pango: {exc}")) from None
    weasyprint.HTML(string=html_text, base_url=str(TEMPLATES)).write_pdf(str(out))


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
        (t["drill"], doc["drill"]["name"]), (t["start"], doc["drill"]["start"]),
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
        append_row(bs, [e["email"], e["time"], e["action"], e["ip"], e["reason"]])
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
