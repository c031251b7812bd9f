"""Spreadsheet-safe tabular output: the one way netcomply writes a value into an XLSX cell or a CSV field.

Everything netcomply exports comes from data it does not control: device names, ACL remarks, SNMP strings, HR
rosters, phishing-drill exports. A spreadsheet runs a cell whose text starts with ``=`` (``=HYPERLINK(...)``,
the DDE payload ``=cmd|' /C calc'!A0``) as a formula when the file is opened, so no value from data may ever
reach a spreadsheet as one (OWASP "CSV Injection"; OWASP ASVS 5.0 V1.2.10).

The rule (:func:`is_formula_like`): a text is *formula-like* when

* it starts with TAB, CR, LF or NUL (spreadsheets skip or split on them and read what follows), or
* its first visible character -- after any leading whitespace, control or format characters (a zero-width
  space, a BOM), folded by Unicode NFKC so that full-width ``＝ ＋ － ＠`` and the small forms ``﹦ ﹢ ﹣ ﹫``
  count as their ASCII selves -- is one of ``= + - @``.

A formula-like text is *neutralised* by a leading apostrophe (:func:`neutralise`), the escape OWASP names and
GoPhish's own CSV export (PapaParse ``escapeFormulae``) uses: Excel and LibreOffice read ``'=x`` as the text
``=x``, and a re-edited cell stays text. The same escaped text goes into CSV and XLSX, so a value reads the same
in every export. Numbers, booleans, dates and None are typed values, never formulas, and pass unchanged
(``-5`` stays the number -5).

XLSX (:func:`append_row`, :func:`set_cell`): every text cell is stored with ``data_type`` ``'s'`` (a string);
openpyxl would otherwise store text starting with ``=`` as a formula and ``#N/A`` as an error value. Characters
XML 1.0 cannot hold (C0 controls but TAB/CR/LF, lone surrogates) become U+FFFD instead of making openpyxl fail,
and text is cut to Excel's 32,767-character cell limit. netcomply writes no formulas of its own.

CSV (:class:`CsvWriter`, :class:`DictCsvWriter`): RFC 4180 quoting by the standard :mod:`csv` module (a field
holding ``,``, ``"``, CR or LF is quoted, quotes doubled), every field neutralised. Quoting keeps a hostile
``x,=1+1`` in one field for any reader that splits on commas; a spreadsheet that splits a comma file on
another character (``;`` in some locales) re-cuts every line and is beyond what a CSV file can promise: the
XLSX exports are the safe choice there.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

#: Characters that make a spreadsheet read the rest of a cell as a formula (after NFKC folding).
FORMULA_LEADS = frozenset("=+-@")
#: Characters that are dangerous as the very first character of a cell (OWASP, ASVS): skipped or split on.
CONTROL_LEADS = frozenset("\t\r\n\x00")
#: The escape: a leading apostrophe marks a cell as text in Excel, LibreOffice and Google Sheets.
ESCAPE = "'"
#: Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32_767

#: Typed values a spreadsheet stores as what they are (never as text, never as a formula).
_TYPED = (bool, int, float, Decimal, datetime, date, time, timedelta)
#: What XML 1.0 (and so XLSX) cannot carry: C0 controls except TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _invisible(ch: str) -> bool:
    """Whitespace, control and format characters: a spreadsheet may look past them to the next character."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read ``text`` (or what follows its invisible lead) as a formula."""
    if not text:
        return False
    first = text[0]
    if " " < first < "\x7f":  # visible ASCII, nearly every cell: no folding needed
        return first in FORMULA_LEADS
    if first in CONTROL_LEADS:
        return True
    for ch in text:
        if _invisible(ch):
            continue
        folded = unicodedata.normalize("NFKC", ch)
        return folded[:1] in FORMULA_LEADS
    return False


def neutralise(text: str) -> str:
    """``text`` with the leading apostrophe when it is formula-like; unchanged otherwise (idempotent)."""
    return ESCAPE + text if is_formula_like(text) else text


def _text(value: Any) -> str:
    """The plain ``str`` of a value (a str subclass such as a StrEnum member gives its own text)."""
    return str.__str__(value) if isinstance(value, str) else str(value)


def cell_value(value: Any) -> Any:
    """The value to store in a spreadsheet cell: typed values as they are, anything else as neutralised,
    XML-clean text within Excel's cell limit."""
    if value is None or isinstance(value, _TYPED):
        return value
    text = neutralise(_NOT_XML.sub("\ufffd", _text(value)))
    return text[:MAX_CELL_CHARS]


def csv_field(value: Any) -> Any:
    """The value to give :mod:`csv` for one field: typed values as they are, text neutralised."""
    if value is None or isinstance(value, _TYPED):
        return value
    return neutralise(_text(value))


# ---------------------------------------------------------------------------------------------------- XLSX


def _as_text(cell: Cell) -> Cell:
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never 'f' (formula) or 'e' (error), whatever the text looks like
    return cell


def append_row(ws: Worksheet, values: Iterable[Any]) -> int:
    """Append one row of values to ``ws``, each stored as a typed value or as text; returns its row number."""
    from openpyxl.cell.cell import Cell

    cells = []
    for value in values:
        cell = Cell(ws, value=cell_value(value))
        if cell.data_type != "n" and isinstance(cell.value, str):
            cell.data_type = "s"  # never 'f' (formula) or 'e' (error), whatever the text looks like
        cells.append(cell)
    ws.append(cells)
    return ws._current_row


def append_rows(ws: Worksheet, rows: Iterable[Iterable[Any]]) -> None:
    for row in rows:
        append_row(ws, row)


def set_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Put ``value`` into ``ws`` at (row, column) as a typed value or as text, never as a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = cell_value(value)
    return _as_text(cell)


# ----------------------------------------------------------------------------------------------------- CSV


class CsvWriter:
    """:func:`csv.writer` with every field neutralised (RFC 4180 quoting, ``\\r\\n`` lines unless told)."""

    def __init__(self, stream: TextIO, *, lineterminator: str = "\r\n") -> None:
        self._writer = csv.writer(stream, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_field(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class DictCsvWriter:
    """:class:`csv.DictWriter`'s contract (missing keys are ``restval``, unknown keys an error), neutralised."""

    def __init__(self, stream: TextIO, fieldnames: Sequence[str], *, lineterminator: str = "\r\n",
                 restval: Any = "") -> None:
        self.fieldnames = list(fieldnames)
        self.restval = restval
        self._rows = CsvWriter(stream, lineterminator=lineterminator)

    def writeheader(self) -> None:
        self._rows.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, Any]) -> None:
        unknown = [k for k in row if k not in self.fieldnames]
        if unknown:
            raise ValueError(f"dict contains fields not in fieldnames: {', '.join(map(repr, unknown))}")
        self._rows.writerow([row.get(name, self.restval) for name in self.fieldnames])

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)
