"""CLI tables in the reader's language: titles and columns by their English text from the ``cli`` catalog domain,
status and error values by the report's own names, causes by :func:`netcomply.i18n.stored`.

Why by English text: every command already passes its English headers to ``Out.table``; translating there keeps one
place for the language and leaves ``--format json`` (the machine interface) byte for byte as it was.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

from netcomply import i18n

#: Value names per column, in the order tried (a run status, a finding status, a control status...).
_GROUPS = {"status": ("run_status", "finding_status", "control_status", "collection_status", "device_status"),
           "error": ("error_classes",)}


def cli_lang() -> str:
    """NETCOMPLY_LANG when it names a language netcomply speaks; English otherwise (scripts parse English)."""
    lang = os.environ.get("NETCOMPLY_LANG", "en")
    return lang if lang in i18n.LANGS else "en"


def _header(text: str | None, lang: str) -> str | None:
    if text is None or lang == "en":
        return text
    return i18n.render(i18n.parse("cli", text), lang, text)


def _cell(column: str, value: Any, lang: str) -> Any:
    if not isinstance(value, str) or lang == "en":
        return value
    if column in ("cause", "message", "why not"):
        return i18n.stored(value, lang)
    if column == "basis":
        return i18n.reason(value, lang)
    for group in _GROUPS.get(column, ()):
        if i18n.has(f"audit.{group}.{value}"):
            return i18n.text(f"audit.{group}.{value}", lang)
    return value


def localize_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]], lang: str
                   ) -> tuple[str | None, list[str], list[list[Any]]]:
    """The table as a ``lang`` reader sees it; English input comes back unchanged for ``en``."""
    shown = [[_cell(columns[i] if i < len(columns) else "", v, lang) for i, v in enumerate(row)] for row in rows]
    return _header(title, lang), [_header(c, lang) or c for c in columns], shown
