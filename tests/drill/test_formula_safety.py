"""The drill report XLSX and its restricted annex hold no formula (issue 14, point 3).

The bug: department names and positions such as ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` were stored as
formulas, and GoPhish's protective apostrophe, removed on the way in (so ``'-kim@`` matches the roster), was
never put back on the way out. Here the GoPhish CSV export (fixtures: judy's name and position are
apostrophe-guarded as GoPhish writes them) and a roster whose departments and titles are formulas go through
``netcomply drill report -f xlsx --annex``; the API's JSON (no apostrophes at all) must end the same way.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from netcomply.app.cli.drill_cmd import app

HYPERLINK = '=HYPERLINK("http://192.0.2.7/x","open")'
DDE = "=cmd|' /C calc'!A0"
OWASP_LEADS = ("=", "+", "-", "@", "\t", "\r")


def _hostile_roster(fixtures: Path, tmp_path: Path) -> Path:
    """The fixture roster with two departments and a title made formulas (HR exports do not escape them)."""
    rows = list(csv.reader(io.StringIO((fixtures / "roster.csv").read_text(encoding="utf-8-sig"))))
    for row in rows[1:]:
        if row[1] == "資訊科":
            row[1] = HYPERLINK
        elif row[1] == "秘書科":
            row[1] = DDE
            row[2] = "@SUM(A1)"
    out = tmp_path / "roster.csv"
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)  # the input file, as an HR system would write it
    out.write_text(buf.getvalue(), encoding="utf-8")
    return out


def _cells(path: Path) -> list[str]:
    texts = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{path.name}!{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                if isinstance(c.value, str):
                    assert not c.value.startswith(OWASP_LEADS), (path.name, ws.title, c.coordinate, c.value)
                    texts.append(c.value)
    return texts


def test_drill_report_and_annex_xlsx(fixtures: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["report", str(fixtures / "gophish-results.csv"),
                                   str(fixtures / "gophish-events.csv"), "--roster",
                                   str(_hostile_roster(fixtures, tmp_path)), "-f", "xlsx", "--annex", "--lang", "en",
                                   "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    report = _cells(out / "report.xlsx")
    assert "'" + HYPERLINK in report and "'" + DDE in report  # the departments, neutralised
    annex = _cells(out / "annex-restricted.xlsx")
    assert "'" + HYPERLINK in annex and "'" + DDE in annex and "'@SUM(A1)" in annex
    # GoPhish had guarded judy's name ("'=cmd|' /C calc'!A0" + "'@home"): guarded again, not a formula
    assert any(t.startswith("'=cmd|") for t in annex)
    assert "'-kim@agency.gov.tw" in annex  # the address the importer un-escaped to match the roster


def test_gophish_api_json_values_are_neutralised_too(fixtures: Path, tmp_path: Path) -> None:
    doc = json.loads((fixtures / "gophish-api-results.json").read_text(encoding="utf-8"))
    people = doc["results"] if isinstance(doc, dict) else doc
    people[0]["position"] = HYPERLINK
    people[0]["first_name"] = DDE
    api = tmp_path / "api.json"
    api.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["report", str(api), "-f", "xlsx", "--annex", "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    annex = _cells(out / "annex-restricted.xlsx")
    assert any(t.startswith("'" + DDE) for t in annex), annex[:40]
