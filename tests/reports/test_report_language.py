"""A zh-TW reader sees Traditional Chinese (issue 18): the report and the SoA built from the report tests' judged
run, rendered in zh-TW, hold at most 20 English function words outside code and identifiers; statuses, finding
messages, fixes, reasons and run parameters are in the reader's language; the English report's sentences read."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from compliance.engine import evaluate_run
from compliance.soa import build_soa
from compliance.soa.decisions import Decisions
from compliance.soa.html import render_html as render_soa
from netcomply.inventory import load_inventory
from netcomply.store import Store
from reports.audit import build_report, write_report
from reports.audit.html import render_html
from reports.sections.hotspot import HotspotSection
from tests.i18n.english_words import english_function_words, offending_lines, visible_text

LIMIT = 20  # the bound: English function words outside code in each zh-TW HTML


def _assert_chinese(html: str) -> None:
    words = english_function_words(html)
    assert sum(words.values()) <= LIMIT, (words.most_common(10), offending_lines(html))


def test_zh_tw_report_is_traditional_chinese(store: Store, run_id: str, inventory: Path) -> None:
    report = build_report(store, [run_id], inventory=load_inventory(inventory))
    html = render_html(report, lang="zh-TW")
    _assert_chinese(html)
    # Finding messages come from the catalog: the refused login's asset finding is in Chinese with its cause.
    assert "資產無法查證" in html and "SSH 登入遭拒" in html
    # Statuses, never the raw values; the parameters row is not Python's repr.
    shown = visible_text(html)
    for raw in ("not_tried", "not_assessed", "not_applicable", "auth_failed"):
        assert raw not in shown, raw
    assert "collectors=[" not in html and "batch=None" not in html and "蒐集項目：" in html
    assert "資通安全責任等級" in html and "資通安全管理法" in html
    # Control titles that are the project's translation are marked 譯, and the mark is explained.
    assert html.count(">譯</sup>") == len(report["controls"]) and "標示「譯」" in html


def test_english_report_keeps_english_messages(store: Store, run_id: str, inventory: Path) -> None:
    report = build_report(store, [run_id], inventory=load_inventory(inventory))
    html = render_html(report, lang="en")
    assert "asset not verifiable" in html and "SSH login refused" in html
    finding = next(f for f in report["findings"] if f["check_id"] == "collection.asset_verifiable"
                   and f["status"] == "fail")
    assert finding["message"].startswith("asset not verifiable: ")  # report.json keeps the English message
    assert finding["details"]["msg"]["id"] == "finding.collection.asset_not_verifiable"


def test_zh_tw_soa_is_traditional_chinese_and_marks_translations(store: Store, run_id: str,
                                                                 inventory: Path) -> None:
    inv = load_inventory(inventory)
    soa = build_soa(evaluate_run(store, run_id), Decisions(), run_id=run_id, agencies=list(inv.agencies.values()))
    html = render_soa(soa, lang="zh-TW")
    _assert_chinese(html)
    assert "no automated evidence" not in html and "無自動化佐證" in html
    # Control titles that are the project's translation (not CNS 27001 wording) carry the mark, explained once.
    assert html.count(">譯</sup>") == sum(e.zh_source != "cns" for e in soa.entries)
    assert "標示「譯」" in html


def test_zh_tw_workbook_and_chart_legend(store: Store, run_id: str, inventory: Path, tmp_path: Path) -> None:
    """Sheet names, statuses and the collection chart's legend were English (Findings / fail / ok error skipped)."""
    report = build_report(store, [run_id], inventory=load_inventory(inventory))
    write_report(report, tmp_path, langs=("zh-TW",), formats=("xlsx",))
    book = load_workbook(tmp_path / "report.xlsx", read_only=True)
    assert {"摘要", "設備", "稽核發現", "控制措施", "蒐集涵蓋率"} <= set(book.sheetnames)
    findings = list(book["稽核發現"].iter_rows(values_only=True))
    header, rows = findings[0], findings[1:]
    statuses = {row[header.index("狀態")] for row in rows}
    assert statuses and statuses <= {"通過", "未通過", "錯誤", "人工審查", "未評估", "不適用"}, statuses
    assert any(str(row[header.index("說明")]).startswith("資產無法查證") for row in rows)
    legend = re.findall(r'class="nc-legend"[^>]*>([^<]*)<', render_html(report, lang="zh-TW"))
    assert legend and not {"ok", "error", "skipped"} & set(legend), legend


def _hotspot_data(availability: Any) -> dict[str, Any]:
    return {"availability": availability, "verdicts": {"not_assessed": 18}, "window_days": 30, "hotspots": 18,
            "outages": 0, "policy": []}


@pytest.mark.parametrize("availability", [None, 99.5])
def test_hotspot_summary_sentence_reads(availability: Any) -> None:
    """The old sentence was '18 hotspots were available no data of the known time in the 30 days ...'."""
    en = HotspotSection().summary(_hotspot_data(availability), "en")[0]
    assert "available no data" not in en and "of the known time" not in en
    if availability is None:
        assert en == ("Hotspots: 18; no samples in the 30 days before the audit, so availability is unknown; "
                      "outages: 0; hotspots below the minimum: 0.")
    else:
        assert en == ("Hotspots: 18; availability over the 30 days before the audit: 99.5% of the sampled time; "
                      "outages: 0; hotspots below the minimum: 0.")
    zh = HotspotSection().summary(_hotspot_data(availability), "zh-TW")[0]
    assert zh.startswith("近 30 日 18 個熱點") and ("無取樣資料" in zh) == (availability is None)
