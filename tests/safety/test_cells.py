"""The spreadsheet-safe writer's own rules: what is neutralised, that numbers stay numbers, that text is stored as
text by openpyxl and read back unchanged, and that CSV quoting round-trips through the csv module."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from netcomply.safety.cells import (
    MAX_CELL_CHARS,
    CsvWriter,
    DictCsvWriter,
    append_row,
    cell_value,
    csv_field,
    is_formula_like,
    neutralise,
    set_cell,
)

OWASP = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\n=1+1", "\x00=1",
         '=HYPERLINK("http://192.0.2.7/x","open")', "=cmd|' /C calc'!A0", "-", "+886 2 2720 8889"]
#: Full-width and small forms (NFKC folds them to = + - @), and invisible leads a spreadsheet may skip.
ODD = ["＝1+1", "＋1", "－1", "＠SUM(A1)", "﹦1", "﹢1", "﹣1", "﹫x", " =1+1", "\u3000=1", "\u00a0=1", "\u200b=1",
       "\ufeff=1", "\u2028=1", "\x0b=1"]
PLAIN = ["", "x", "a=1", "1+1", "O'Brien", "'=already guarded", "資訊科", "192.0.2.1", "2026-10-05", "#N/A", " x",
         "http://x/?a=1"]


@pytest.mark.parametrize("text", OWASP + ODD)
def test_formula_starts_are_neutralised(text: str) -> None:
    assert is_formula_like(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_is_left_alone(text: str) -> None:
    assert not is_formula_like(text)
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [None, True, 0, -5, -2.5, Decimal("-1.5"), date(2026, 1, 2),
                                   datetime(2026, 1, 2, 3, 4, tzinfo=UTC)])
def test_typed_values_stay_typed(value: object) -> None:
    assert cell_value(value) is value and csv_field(value) is value


def test_xlsx_cells_are_strings_or_numbers_never_formulas(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    row = append_row(ws, [*OWASP, *ODD, "#N/A", "#DIV/0!", 42, -3.5, None, "bell\x07", "x" * 40_000])
    set_cell(ws, 2, 1, "=SUM(A1:A3)")
    path = tmp_path / "t.xlsx"
    wb.save(path)
    back = load_workbook(path).active
    assert back is not None and row == 1
    cells = list(back[1])
    texts = OWASP + ODD
    for c, original in zip(cells, texts, strict=False):
        assert c.data_type == "s" and not is_formula_like(c.value), (c.value, original)
        assert c.value == _xml(cell_value(original))
        if original[0] not in "\x00\x0b":  # XML-illegal leads become U+FFFD, a visible character
            assert c.value == _xml("'" + original)
    rest = cells[len(texts):]
    assert [c.data_type for c in rest[:2]] == ["s", "s"] and [c.value for c in rest[:2]] == ["#N/A", "#DIV/0!"]
    assert (rest[2].value, rest[2].data_type) == (42, "n") and rest[3].value == -3.5
    assert rest[5].value == "bell\ufffd"  # XML cannot hold BEL; openpyxl would have raised
    assert len(rest[6].value) == MAX_CELL_CHARS
    assert (back.cell(2, 1).value, back.cell(2, 1).data_type) == ("'=SUM(A1:A3)", "s")


def _xml(text: str) -> str:
    """XML parsers read every CR as LF (XML 1.0 section 2.11), so text read back has LF where CR was written."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def test_dict_writer_keeps_the_csv_contract() -> None:
    buf = io.StringIO()
    w = DictCsvWriter(buf, ["a", "b"], lineterminator="\n")
    w.writeheader()
    w.writerow({"a": "=1", "b": 'x,"y"\nz'})
    w.writerow({"a": 3})
    assert buf.getvalue() == "a,b\n'=1,\"x,\"\"y\"\"\nz\"\n3,\n"
    with pytest.raises(ValueError, match="not in fieldnames"):
        w.writerow({"c": 1})


text_or_number = st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                           st.none())


@settings(max_examples=300)
@given(st.text(max_size=60))
def test_neutralised_text_is_never_formula_like_and_loses_nothing(text: str) -> None:
    safe = neutralise(text)
    assert not is_formula_like(safe)
    assert safe in (text, "'" + text)
    assert neutralise(safe) == safe  # idempotent: writing twice never doubles the apostrophe
    first = next((ch for ch in text if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl",
                                                                                       "Zp"))), "")
    if unicodedata.normalize("NFKC", first)[:1] in ("=", "+", "-", "@") or text[:1] in ("\t", "\r", "\n", "\x00"):
        assert safe == "'" + text


@settings(max_examples=200)
@given(st.lists(st.lists(text_or_number, min_size=1, max_size=5), min_size=1, max_size=5))
def test_csv_round_trips_through_the_csv_module(rows: list[list[object]]) -> None:
    buf = io.StringIO(newline="")
    CsvWriter(buf).writerows(rows)
    back = list(csv.reader(io.StringIO(buf.getvalue(), newline="")))
    expected = [["" if v is None else str(csv_field(v)) for v in row] for row in rows]
    assert back == expected
    assert not any(f.startswith(("=", "+", "@", "\t", "\r")) for row in back for f in row)
    assert not any(f.startswith("-") and not _is_number(f) for row in back for f in row)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=30), min_size=1, max_size=8))
def test_xlsx_text_reads_back_as_the_neutralised_text(tmp_path_factory: pytest.TempPathFactory,
                                                      values: list[str]) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    append_row(ws, values)
    path = tmp_path_factory.mktemp("x") / "p.xlsx"
    wb.save(path)
    back = load_workbook(path).active
    assert back is not None
    for c, v in zip(back[1], values, strict=False):
        if v == "":
            assert c.value is None
            continue
        assert c.data_type == "s"
        assert c.value == _xml(cell_value(v))
