"""The audit report as an XLSX workbook (openpyxl): Summary, Devices, Findings and Controls sheets, then each
section's own sheets. Header rows frozen, autofilter on, every cell a value (never a formula: a device's text
that starts with ``=`` must not become one).

Reproducible: the workbook's created/modified dates are the run's (openpyxl would stamp "now"), so the same
run gives the same cell content and document properties.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from netcomply import i18n
from netcomply.safety.cells import append_row, cell_value
from netcomply.safety.redact import REDACTOR
from netcomply.timefmt import DEFAULT_ZONE, format_date, format_datetime
from reports.audit.locale import Labels
from reports.audit.sections_run import describe_error, safe_sections
from reports.sections.base import ReportSection, Sheet

log = logging.getLogger(__name__)

_FILLS = {"pass": "C6EFCE", "fail": "FFC7CE", "partial": "FFEB9C", "manual": "DDEBF7", "not_assessed": "EDEDED",
          "error": "F4CCCC", "ok": "C6EFCE", "failed": "FFC7CE", "not_tried": "EDEDED"}
_INVALID_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


def cell(value: Any) -> Any:
    """A report value as a cell: containers joined into one text, then the spreadsheet-safe writer's rules
    (:func:`netcomply.safety.cells.cell_value`: never a formula)."""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = ", ".join(f"{k}: {v}" for k, v in value.items())
    return cell_value(value)


def _sheet_title(name: str, used: set[str]) -> str:
    base = name.translate(_INVALID_TITLE)[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


_WRAP = Alignment(wrap_text=True, vertical="top")
_PATTERNS = {status: PatternFill("solid", fgColor=colour) for status, colour in _FILLS.items()}


def _fill(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]],
          status_col: int | None = None, widths: Sequence[int] = (), wrap: Sequence[int] = (),
          label: Callable[[str], str] | None = None) -> None:
    """Header, rows, frozen header, autofilter. Styles are set only where they matter (the status cell, the
    long-text columns ``wrap``): openpyxl spends most of a big workbook's time on per-cell styles. The status
    cell is coloured by the raw status and shows ``label(status)`` (the reader's language) when given."""
    append_row(ws, [cell(h) for h in headers])
    for c in ws[1]:
        c.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        shown = list(row)
        if status_col is not None and label is not None and isinstance(row[status_col], str):
            shown[status_col] = label(row[status_col])
        append_row(ws, [cell(v) for v in shown])
        if status_col is not None:
            status = row[status_col]
            if isinstance(status, str) and status in _PATTERNS:
                ws.cell(number, status_col + 1).fill = _PATTERNS[status]
        for col in wrap:
            ws.cell(number, col + 1).alignment = _WRAP
    ws.freeze_panes = "A2"
    if ws.max_row > 1 or headers:
        ws.auto_filter.ref = ws.dimensions
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _when(report: dict[str, Any], value: str | None, lang: str) -> str:
    """A stored (UTC) time as the agency reads it: its zone, ROC dates for zh-TW (115/12/04 01:30:00)."""
    return format_datetime(value, lang, report.get("timezone") or DEFAULT_ZONE) if value else ""


def _day(value: str | None, lang: str) -> str | None:
    """A stored ISO date as the reader's calendar (115/12/04 in zh-TW)."""
    return format_date(date.fromisoformat(value[:10]), lang) if value else None


def _summary_rows(report: dict[str, Any], t: Labels, sentences: list[str]) -> list[list[Any]]:
    run, s = report["run"], report["summary"]
    as_of = report.get("evaluation", {}).get("as_of")
    rows: list[list[Any]] = [
        [t("run"), run["id"]], [t("status"), t.of("run_status", run["status"])],
        [t("started"), _when(report, run["started_at"], t.lang)],
        [t("finished"), _when(report, run["finished_at"], t.lang)],
        [t("evaluated_on"), format_date(date.fromisoformat(as_of), t.lang) if as_of else ""],
        [t.fmt("times_note", zone=report.get("timezone") or DEFAULT_ZONE), ""],
        [t("operator"), run["operator"]],
        [t("tool_version"), run["tool_version"]], [t("inventory_hash"), run["inventory_sha256"]],
    ]
    if run.get("batch"):
        rows.append([t("batch"), run["batch"]])
    for r in run.get("runs", []):
        rows.append([t("runs"), f"{r['id']} ({r['status']})"])
    rows.append([t("devices"), s["devices"]["total"]])
    rows += [[f"{t('devices')} · {t.of('device_status', k)}", s["devices"][k]]
             for k in ("ok", "partial", "failed", "not_tried")]
    for kind in ("service", "hotspot"):  # counted apart from the devices
        counts = s.get(kind + "s") or {}
        rows.append([f"{t.of('subject_kind', kind)} · {t('total')}", counts.get("total", 0)])
        rows += [[f"{t.of('subject_kind', kind)} · {t.of('device_status', k)}", counts.get(k, 0)]
                 for k in ("ok", "partial", "failed", "not_tried")]
    rows += [[f"{t('findings')} · {t.of('finding_status', k)}", v] for k, v in s["findings"].items()]
    rows += [[f"{t('findings_by_severity')} · {t.of('severity_names', k)}", v]
             for k, v in s["failed_by_severity"].items()]
    for fw in report["frameworks"]:
        for status, n in fw["counts"].items():
            rows.append([f"{fw['id']} · {t.of('control_status', status)}", n])
    rows += [["", line] for line in sentences]
    rows += [[t("section_failed"), f"{k}: {v}"] for k, v in s["section_errors"].items()]
    return rows


def build_workbook(report: dict[str, Any], *, lang: str = "zh-TW",
                   sections: Sequence[ReportSection] | None = None) -> Workbook:
    t = Labels(lang)
    wb = Workbook()
    used: set[str] = set()
    instances = {s.key: s for s in (sections if sections is not None else safe_sections())}
    extra: list[Sheet] = []
    sentences: list[str] = []
    for entry in report["section_index"]:
        sec = instances.get(entry["key"])
        if sec is None or entry["error"] or entry["generic"]:
            continue
        try:
            data = report["sections"][entry["key"]]
            extra.extend(sec.sheets(data, lang))
            sentences.extend(sec.summary(data, lang))
        except Exception as exc:
            log.error("report section %s: sheets failed: %s", entry["key"], describe_error(exc))
            sentences.append(f"{t('section_failed')}: {entry['key']}: {describe_error(exc)}")

    from reports.audit.html import finding_text, reason_text

    reason = reason_text(t)
    fmsg = finding_text(t.lang)
    ws = wb.active
    assert ws is not None
    ws.title = _sheet_title(t("xlsx_summary"), used)
    _fill(ws, [t("key"), t("value")], _summary_rows(report, t, sentences), widths=(40, 90), wrap=(1,))

    _fill(wb.create_sheet(_sheet_title(t("xlsx_devices"), used)),
          [t("device"), t("run"), t("address"), t("agency"), t("site"), t("role"), t("platform"), t("status"),
           t("collectors"), t("cause"), "brand", "model", "serial", t("findings"), t("findings_by_severity")],
          [[d["name"], d["run"], d["address"], d["agency"], d["site"], d["role"], d["platform"], d["status"],
            "; ".join(f"{c['collector']}={t.of('collection_status', c['status'])}" for c in d["collections"]),
            "; ".join(f"{c['collector']}: {t.of('error_classes', c['error_class'])}: {t.stored(c['cause'])}"
                      for c in d["collections"]
                      if c["status"] != "ok"),
            d["identity"].get("brand"), d["identity"].get("model"), d["identity"].get("serial"),
            d["findings"], d["failed_by_severity"]] for d in report["devices"]],
          status_col=7, widths=(18, 24, 16, 14, 14, 12, 14, 10, 40, 50, 14, 20, 18, 24, 24), wrap=(9,),
          label=lambda v: t.of("device_status", v))

    _fill(wb.create_sheet(_sheet_title(t("xlsx_findings"), used)),
          [t("ref"), t("run"), t("check"), t("title"), t("subject"), t("device"), t("agency"), t("status"),
           t("severity"), t("message"), t("controls"), t("observations"), t("artifacts"), t("remediation")],
          [[f["ref"], f["run"], f["check_id"], t.pick(f["title"], f["title_zh"]), f["subject"], f["device"],
            f["agency"], f["status"], t.of("severity_names", f["severity"]), fmsg(f), f["controls"],
            [o["id"] for o in f["evidence"]["observations"]], [a["sha256"] for a in f["evidence"]["artifacts"]],
            t.pick(f["remediation"], f.get("remediation_zh")) if f["status"] != "pass" else ""]
           for f in report["findings"]],
          status_col=7, widths=(8, 24, 28, 30, 30, 16, 14, 10, 10, 60, 36, 16, 40, 40), wrap=(9, 13),
          label=lambda v: t.of("finding_status", v))

    _fill(wb.create_sheet(_sheet_title(t("xlsx_controls"), used)),
          [t("framework"), t("control"), t("title"), t("status"), t("reason"), t("next_due"), t("overdue"),
           t("findings")],
          [[c["framework"], c["id"], t.pick(c["title"], c["title_zh"]), c["status"], reason(c["reason"]),
            _day((c["schedule"] or {}).get("next_due"), t.lang), (c["schedule"] or {}).get("overdue"),
            [f["ref"] for f in c["findings"]]] for c in report["controls"]],
          status_col=3, widths=(16, 16, 40, 12, 50, 12, 8, 40), wrap=(2, 4),
          label=lambda v: t.of("control_status", v))

    for sheet in extra:  # sections' sheets: names, headers and stored English texts in the reader's language
        _fill(wb.create_sheet(_sheet_title(i18n.label(sheet.name, t.lang), used)),
              [i18n.label(h, t.lang) for h in sheet.headers],
              [[REDACTOR.redact(t.stored(v)) if isinstance(v, str) else v for v in row] for row in sheet.rows])
    started = report["run"].get("started_at")
    if started:
        when = datetime.fromisoformat(started).replace(tzinfo=None, microsecond=0)
        wb.properties.created = when
        wb.properties.modified = when
    wb.properties.creator = "netcomply"
    wb.properties.title = f"netcomply audit report {report['run']['id']}"
    return wb


def write_xlsx(report: dict[str, Any], path: Path, *, lang: str = "zh-TW",
               sections: Sequence[ReportSection] | None = None) -> Path:
    """Write the workbook byte-for-byte reproducibly: openpyxl's ``save`` stamps "now" into the document
    properties and every ZIP member, so the workbook is written through its ExcelWriter into memory and the ZIP
    is re-packed with the run's start time on every member."""
    wb = build_workbook(report, lang=lang, sections=sections)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    started = report["run"].get("started_at")
    stamp = (datetime.fromisoformat(started).timetuple()[:6] if started else (1980, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return path
