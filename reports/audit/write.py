"""Write the report's files into a folder: report.json, report.<lang>.html, report.<lang>.pdf, report.xlsx."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from netcomply.errors import InputError
from reports.audit.locale import check_lang

FORMATS = ("json", "html", "pdf", "xlsx")


def report_json(report: dict[str, Any]) -> str:
    """Canonical JSON: sorted keys, UTF-8 text, two-space indent, trailing newline (byte-identical re-renders).
    The dict was redacted string by string when it was built (:func:`reports.audit.builder.redact_tree`)."""
    return json.dumps(report, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def parse_formats(value: str | Sequence[str]) -> list[str]:
    items = [v.strip() for v in (value.split(",") if isinstance(value, str) else value) if v.strip()]
    bad = [v for v in items if v not in FORMATS]
    if bad or not items:
        raise InputError(f"unknown report format(s) {', '.join(bad) or '(none)'}: expected a comma-separated "
                         f"list of {', '.join(FORMATS)}", file="--formats")
    return sorted(set(items), key=FORMATS.index)


def ensure_out_dir(out_dir: Path) -> Path:
    """Create ``out_dir`` (and parents) and prove it is writable, before any long work starts."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder: {exc.strerror or exc}", file=str(out_dir)) from None
    if not out_dir.is_dir() or not os.access(out_dir, os.W_OK | os.X_OK):
        raise InputError("the output folder is not writable", file=str(out_dir))
    return out_dir


def write_report(
    report: dict[str, Any],
    out_dir: Path,
    *,
    langs: Sequence[str] = ("zh-TW",),
    formats: Sequence[str] = ("json", "html", "xlsx", "pdf"),
    sections: Sequence[Any] | None = None,
    on_file: Callable[[str], None] | None = None,
    pdf_langs: Sequence[str] | None = None,
) -> list[Path]:
    """Write the chosen formats in the chosen languages; returns the paths in the order written.
    The XLSX is written once, in the first language (its sheet names and headers follow it). ``pdf_langs``
    narrows the PDF to some of the languages (a PDF takes far longer than everything else together)."""
    from reports.audit.html import render_html

    for lang in langs:
        check_lang(lang)
    ensure_out_dir(out_dir)
    written: list[Path] = []

    def note(path: Path) -> None:
        written.append(path)
        if on_file:
            on_file(path.name)

    if "json" in formats:
        path = out_dir / "report.json"
        path.write_text(report_json(report), encoding="utf-8")
        note(path)
    for lang in langs:
        if "html" in formats:
            path = out_dir / f"report.{lang}.html"
            path.write_text(render_html(report, lang=lang, sections=sections), encoding="utf-8")
            note(path)
    if "xlsx" in formats:
        from reports.audit.xlsx import write_xlsx

        note(write_xlsx(report, out_dir / "report.xlsx", lang=langs[0], sections=sections))
    for lang in (langs if pdf_langs is None else [x for x in langs if x in pdf_langs]):
        if "pdf" in formats:
            from reports.audit.pdf import write_pdf

            html = render_html(report, lang=lang, for_pdf=True, sections=sections)
            note(write_pdf(html, out_dir / f"report.{lang}.pdf", report=report))
    return written
