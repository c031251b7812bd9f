"""The Statement of Applicability: decisions with clear errors, one entry per control, XLSX and HTML."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from compliance.evaluate import evaluate
from compliance.soa import Implemented, Soa, build_soa, load_decisions
from compliance.soa.html import render_html
from compliance.soa.xlsx import write_xlsx
from netcomply.errors import InputError
from netcomply.models import Finding, FindingStatus, Severity

DECISIONS = """agency: 範例市政府
version: "1.2"
approved_by: 資安長
approved_on: 2026-10-01
controls:
  A.8.28: {applicable: false, justification: 本機關未自行開發軟體}
  iso27001:2022/A.5.23: {applicable: true, implemented: true, evidence: [雲端服務管理程序 v2], owner: 資訊科}
  A.8.20: {applicable: true, implemented: true, evidence: [網路安全管理程序]}
  A.6.1: {applicable: true, justification: "=HYPERLINK(\\"http://x\\")"}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "soa.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def soa(tmp_path: Path) -> Soa:
    decisions = load_decisions(write(tmp_path, DECISIONS))
    findings = [
        Finding("collection.config_captured", "sw1", FindingStatus.PASS, Severity.LOW, "ok", [1], ["a" * 64],
                ["iso27001:2022/A.8.9"]),
        Finding("firewall.any_any", "fw1", FindingStatus.FAIL, Severity.HIGH, "any-any", [2], ["b" * 64],
                ["iso27001:2022/A.8.20"]),
    ]
    ev = evaluate(findings, as_of=date(2026, 11, 22), applicability=decisions.applicability())
    return build_soa(ev, decisions, run_id="20261122T000000Z")


def test_every_2022_control_has_an_entry(soa: Soa) -> None:
    assert len(soa.entries) == 93
    by = {e.id: e for e in soa.entries}
    assert by["A.8.28"].applicable is False and by["A.8.28"].implemented is Implemented.NOT_APPLICABLE
    assert by["A.8.9"].implemented is Implemented.YES and by["A.8.9"].artifacts == ("a" * 64,)
    assert by["A.5.23"].implemented is Implemented.DECLARED and by["A.5.23"].documents == ("雲端服務管理程序 v2",)
    # the agency says implemented, the audit says failing: shown as "no", with the conflict spelled out
    assert by["A.8.20"].implemented is Implemented.NO and by["A.8.20"].conflict
    assert by["A.5.1"].implemented is Implemented.UNKNOWN and not by["A.5.1"].decided


def test_xlsx_has_one_row_per_control_and_no_formulas(soa: Soa, tmp_path: Path) -> None:
    path = write_xlsx(soa, tmp_path / "out" / "soa.xlsx", lang="zh-TW")
    wb = load_workbook(path)
    ws = wb["SoA"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 93
    assert rows[0][0] == "A.5.1" and rows[0][2] == "資訊安全政策"
    a628 = next(r for r in rows if r[0] == "A.8.28")
    assert a628[4] == "否" and a628[5] == "本機關未自行開發軟體"
    assert rows[0][5] == "預設適用（未決定排除）"  # A.5.1: not decided, the default in the sheet's language
    a61 = next(r for r in rows if r[0] == "A.6.1")
    assert not str(a61[5]).startswith("=")
    assert ws.cell(1, 1).value == "控制措施"
    assert "摘要" in wb.sheetnames


def test_html_in_both_languages_is_self_contained(soa: Soa) -> None:
    zh = render_html(soa, lang="zh-TW")
    en = render_html(soa, lang="en")
    assert '<html lang="zh-TW">' in zh and "適用性聲明書" in zh and "網路安全" in zh
    assert "Statement of Applicability" in en and "Networks security" in en
    for page in (zh, en):
        assert page.count('<tr id="A.') == 93
        assert "<script" not in page and "src=" not in page and "href=" not in page
        assert "=HYPERLINK(&#34;http://x&#34;)" in page  # escaped text, not markup


def test_decision_errors_name_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "agency: x\ncontrols:\n  A.8.99: {applicable: true}\n  A.8.28: {applicable: false}\n"
                           "  A.5.1: {applicable: yes please}\n  A.5.2: {applicable: true, colour: red}\n"
                           "  A.5.3: {applicable: false, justification: x, implemented: true}\nextra: 1\n")
    with pytest.raises(InputError) as err:
        load_decisions(path)
    text = str(err.value)
    for line, words in ((3, "not an ISO/IEC 27001:2022 Annex A control"), (4, "needs a 'justification'"),
                        (5, "must be true or false"), (6, "unknown key 'colour'"), (7, "excluded and implemented"),
                        (8, "unknown key 'extra'")):
        assert f"{path}:{line}:" in text and words in text, (line, words, text)


def test_duplicate_and_qualified_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "controls:\n  A.5.1: {applicable: true}\n  iso27001:2022/A.5.1: {applicable: true}\n")
    with pytest.raises(InputError, match="decided twice"):
        load_decisions(path)
