"""Write one Statement of Applicability as its files: one XLSX (in the first language) and one HTML page per
language. The one place both `netcomply compliance soa` and `netcomply audit --out` / `report` write it from."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from compliance.soa.html import write_html
from compliance.soa.model import Soa
from compliance.soa.xlsx import write_xlsx


def write_soa(statement: Soa, out_dir: Path, langs: Sequence[str], *, xlsx_name: str = "soa.xlsx") -> list[Path]:
    """``out_dir/xlsx_name`` and ``out_dir/soa.<lang>.html`` for each language; returns the paths written."""
    files = [write_xlsx(statement, out_dir / xlsx_name, lang=langs[0])]
    files += [write_html(statement, out_dir / f"soa.{lang}.html", lang=lang) for lang in langs]
    return files
