"""CSV text into records that know the line they started on, with a bounded cell size and never a ``csv.Error``.

Why one reader: every CSV a user hands netcomply (drill exports, HR roster, asset and exception registers) must
end in a result or in ``FILE:LINE: what is wrong`` (exit 2). The standard ``csv`` module raises ``csv.Error``
(an internal error to the CLI) on a cell longer than its field limit -- which is exactly what a missing closing
quote produces, since the rest of the file becomes one cell -- and counts records, not lines, when a quoted cell
spans lines. This module reads with a documented limit and reports where the bad record started.

:data:`FIELD_LIMIT` is 1 MiB of characters per cell (Python's own default is 128 KiB): far above any drill
export or register cell seen (GoPhish's event ``details`` JSON is a few hundred bytes), while a cell past it is
refused with its line instead of being held in memory. The module's global ``csv.field_size_limit`` is set
only while a text is being read and restored afterwards.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from netcomply.errors import InputError, InputProblem

FIELD_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class Record:
    """One CSV record: the physical line it starts on (1-based) and its cells."""

    line: int
    cells: list[str]


@contextmanager
def _limit() -> Iterator[None]:
    previous = csv.field_size_limit(FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _error(file: str, line: int, exc: csv.Error) -> InputError:
    if "field larger than field limit" in str(exc):
        message = (f"a cell is longer than {FIELD_LIMIT:,} characters, the limit for one CSV cell (a missing "
                   "closing quote makes the rest of the file one cell)")
    else:
        message = f"not valid CSV: {exc}"
    return InputError(InputProblem(file, line, message))


def read_records(text: str, file: str) -> list[Record]:
    """Every record of ``text`` (blank ones included, as empty lists) with its starting line.

    Raises :class:`InputError` naming ``file`` and the line where the record that could not be read starts.
    """
    out: list[Record] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    with _limit():
        try:
            for cells in reader:
                out.append(Record(start, cells))
                start = reader.line_num + 1
        except csv.Error as exc:
            raise _error(file, start, exc) from None
    return out


def first_record(text: str, file: str) -> list[str]:
    """The first record of ``text`` (the header), read under the same limit; ``[]`` for an empty text."""
    reader = csv.reader(io.StringIO(text, newline=""))
    with _limit():
        try:
            return next(reader, [])
        except csv.Error as exc:
            raise _error(file, 1, exc) from None


__all__ = ["FIELD_LIMIT", "Record", "first_record", "read_records"]
