"""The SoA as an XLSX workbook (openpyxl): the sheet auditors annotate, plus a summary sheet.

Both titles (English and Chinese) are always present; headers and values follow ``lang``. Cells are written by
:mod:`netcomply.safety.cells`, as text, never as formulas: a justification that starts with ``=`` must not
become one (CSV/XLSX injection).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from compliance.soa.labels import labels
from compliance.soa.model import DEFAULT_JUSTIFICATION, Implemented, Soa
from netcomply import i18n
from netcomply.safety.cells import append_row

_FILLS = {
    Implemented.YES: "C6EFCE", Implemented.PARTIAL: "FFEB9C", Implemented.NO: "FFC7CE",
    Implemented.DECLARED: "DDEBF7", Implemented.UNKNOWN: "EDEDED", Implemented.NOT_APPLICABLE: "FFFFFF",
}


def write_xlsx(soa: Soa, path: str | Path, *, lang: str = "zh-TW") -> Path:
    t = labels(lang)
    iv, sv = t["implemented_values"], t["status_values"]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "SoA"
    headers = [t["control"], f"{t['title']} (EN)", f"{t['title']} (中文)", t["theme"], t["applicable"],
               t["justification"], t["implemented"], t["status"], t["reason"], t["documents"], t["findings"],
               t["observations"], t["artifacts"], t["owner"], t["conflict"]]
    append_row(ws, headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for e in soa.entries:
        group = soa.groups.get(e.group, (e.group, e.group))
        append_row(ws, (
            e.id, e.title, e.title_zh, group[1] if lang == "zh-TW" else group[0],
            t["answer_yes"] if e.applicable else t["answer_no"],
            e.justification if e.decided and e.justification != DEFAULT_JUSTIFICATION else t["default_justification"],
            iv[e.implemented.value],
            sv[e.status.value],
            i18n.reason(e.reason, lang), "\n".join(e.documents),
            ", ".join(f"{sv.get(k, k)}: {n}" for k, n in e.findings.items()),
            e.observations, "\n".join(e.artifacts[:20]) + (f"\n(+{len(e.artifacts) - 20})" if len(e.artifacts) > 20
                                                          else ""),
            e.owner or "", e.conflict or "",
        ))
        ws.cell(ws.max_row, 7).fill = PatternFill("solid", fgColor=_FILLS[e.implemented])
    for index, width in enumerate((10, 40, 28, 14, 8, 40, 14, 12, 40, 30, 18, 10, 30, 12, 30), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions

    summary = wb.create_sheet(t["summary"])
    head = soa.header(lang, t)
    for label, value in ((t["doc_title"], t["subtitle"]), (t["agency"], head["agency"]), (t["run"], soa.run_id or ""),
                         (t["as_of"], head["as_of"]), (t["version"], head["version"]),
                         (t["approved"], head["approved"]), (t["decisions"], soa.decisions_source or "")):
        append_row(summary, [label, value])
    append_row(summary, [])
    append_row(summary, [t["implemented"], t["count"]])
    for value in Implemented:
        append_row(summary, [iv[value.value], sum(e.implemented is value for e in soa.entries)])
    append_row(summary, [])
    append_row(summary, [t["translation_note"]])
    append_row(summary, [t["generated"]])
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 50
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
