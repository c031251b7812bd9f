"""Reading spreadsheet-made CSV safely: encodings, BOMs, formula escapes and line numbers for errors.

GoPhish's web UI exports with PapaParse's ``escapeFormulae``: a text cell starting with ``= + - @`` (or tab/CR)
gets a leading ``'`` so Excel does not run it. We undo that, or an address like ``-alice@x`` or a position like
``+886 ...`` would not match the roster. Taiwanese offices often save CSV from Excel as Big5 (cp950), so we fall
back to it when the file is not UTF-8.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from netcomply.csvread import first_record, read_records
from netcomply.errors import InputError, InputProblem

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def unescape_formula(value: str) -> str:
    """Remove the anti-formula apostrophe that PapaParse adds (only when it guards a formula character)."""
    if len(value) >= 2 and value[0] == "'" and value[1] in _FORMULA_START:
        return value[1:]
    return value


def read_text(path: Path) -> str:
    """File text as UTF-8 (with or without BOM), else cp950; a clear InputError when unreadable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(InputProblem(str(path), None, f"cannot read: {exc.strerror or exc}")) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        return raw.decode("cp950")
    except UnicodeDecodeError:
        line = raw.count(b"\n", 0, first_bad) + 1
        raise InputError(InputProblem(str(path), line, "not UTF-8 or Big5 (cp950) text; save it as "
                                      "'CSV UTF-8'")) from None


@dataclass(frozen=True)
class Row:
    """One CSV record with the physical line it started on (records may span lines inside quotes)."""

    line: int
    values: dict[str, str]

    def get(self, *names: str) -> str:
        for name in names:
            value = self.values.get(name)
            if value:
                return value
        return ""


def header_of(text: str, file: str = "<csv>") -> list[str]:
    """The normalised header of a CSV text (for format detection); InputError when it cannot be read."""
    return [h.strip().lstrip("\ufeff") for h in first_record(text, file)]


def rows(text: str, file: str, required: tuple[str, ...] = ()) -> Iterator[Row]:
    """Yield rows with formula escapes removed. Missing required columns are one InputError up front; a record
    that is not CSV (a cell over :data:`netcomply.csvread.FIELD_LIMIT`) is an InputError with its line."""
    records = read_records(text, file)
    if not records:
        raise InputError(InputProblem(file, 1, "empty file: expected a CSV header"))
    header = [h.strip().lstrip("\ufeff") for h in records[0].cells]
    missing = [c for c in required if c not in header]
    if missing:
        found = ", ".join(header)
        raise InputError(InputProblem(file, 1, f"missing column(s) {', '.join(missing)}; found {found[:300]}"))
    for record in records[1:]:
        cells = record.cells
        if not cells or all(not v.strip() for v in cells):
            continue
        if len(cells) > len(header):
            raise InputError(InputProblem(file, record.line, f"{len(cells)} fields but the header has {len(header)}"))
        values = {h: unescape_formula(v.strip()) for h, v in zip(header, cells, strict=False)}
        yield Row(record.line, values)
