"""The drill area's layout and its report stack (issues 15 and 18): the drill report renders through the audit
report's charts, dates and PDF path, its pass rule and marks have one source, and the layers hold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import compliance.checks.drill as drill_checks
import compliance.thresholds
import reports.audit.pdf
from collectors.drill.ingest import load_drill
from collectors.drill.roster import load_roster
from compliance.drill import metrics
from compliance.drill.config import load_thresholds
from compliance.drill.privacy import Pseudonymiser, load_key
from netcomply.app.pipelines.drill import run
from reports.drill import render


@pytest.fixture
def doc(fixtures: Path) -> dict[str, Any]:
    drill = load_drill([fixtures / "gophish-results.csv", fixtures / "gophish-events.csv"])
    result = run(drill, load_thresholds(), Pseudonymiser(load_key()), roster=load_roster(fixtures / "roster.csv"))
    return json.loads(json.dumps(result.document, default=str))


def test_the_checks_judge_with_the_metrics_one_below_rule() -> None:
    """One pass rule: the check's ``below`` is the metrics' (it was a second copy, tested at the boundary once)."""
    assert drill_checks.below is metrics.below
    assert not metrics.below(6, 100, 0.06) and metrics.below(5, 100, 0.06)


def test_drill_marks_are_read_through_compliance_thresholds(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The drill config asks :mod:`compliance.thresholds` for the marks (it opened thresholds.yaml by path)."""
    shipped = yaml.safe_load(compliance.thresholds.THRESHOLDS_FILE.read_text(encoding="utf-8"))
    shipped["drill"]["click_rate_max"] = 0.035
    moved = tmp_path / "thresholds.yaml"
    moved.write_text(yaml.safe_dump(shipped, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(compliance.thresholds, "THRESHOLDS_FILE", moved)
    assert load_thresholds().click_rate_max == 0.035


def test_charts_are_the_report_stacks(doc: dict[str, Any]) -> None:
    html = render.html(doc, "en")
    assert html.count('<svg class="nc-chart') == 1  # the department bars; no trend without earlier drills
    shown = [d for d in doc["departments"] if not d["suppressed"] and d["open_rate"] is not None]
    assert html.count('class="nc-bar"') == sum(1 for d in shown if d["open_rate"] is not None) + len(shown)


def test_zh_tw_report_dates_are_roc(doc: dict[str, Any]) -> None:
    start = doc["drill"]["start"]
    assert start.startswith("2026-")
    zh, en = render.html(doc, "zh-TW"), render.html(doc, "en")
    roc = f"115/{start[5:7]}/{start[8:10]}"
    assert roc in zh and roc not in en and start[:10] in en


def test_pdf_goes_through_the_audit_pdf_fetch_blocker(doc: dict[str, Any], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A URL slipped into the page is refused by the audit PDF's fetcher (the drill's own PDF fetched it)."""
    pytest.importorskip("weasyprint")
    refused: list[str] = []
    blocker = reports.audit.pdf._no_fetch

    def spy(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        refused.append(url)
        return blocker(url, *args, **kwargs)

    monkeypatch.setattr(reports.audit.pdf, "_no_fetch", spy)
    page = render.html(doc, "zh-TW").replace("</body>", '<img src="http://192.0.2.7/beacon.png"></body>')
    out = tmp_path / "report.pdf"
    render.pdf(page, out, doc)
    assert refused == ["http://192.0.2.7/beacon.png"]
    pypdf = pytest.importorskip("pypdf")
    info = pypdf.PdfReader(out).metadata
    assert info is not None and info.title == f"netcomply drill report drill {doc['drill']['name']}"


def test_xlsx_dates_are_the_readers(doc: dict[str, Any], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    start = doc["drill"]["start"]
    for lang, shown in (("zh-TW", f"115/{start[5:7]}/{start[8:10]}"), ("en", start[:10])):
        render.xlsx(doc, tmp_path / f"{lang}.xlsx", lang)
        summary = load_workbook(tmp_path / f"{lang}.xlsx").worksheets[0]
        assert str(summary.cell(2, 2).value).startswith(shown)
