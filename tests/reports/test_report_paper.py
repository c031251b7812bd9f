"""The paper edition (PDF) read back with pypdf: a cover with agency, scope, period, version and classification on
page 1; a table of contents whose page numbers point at the pages the sections start on; a running header and
footer on every page; the sign-off block; and condensed tables that still account for every finding and control."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from pypdf import PdfReader

from netcomply.inventory import load_inventory
from netcomply.store import Store
from reports.audit import build_report, write_report
from reports.audit.html import STANDARD_REASONS, render_html
from reports.audit.paper import control_digest, finding_groups

from .conftest import INVENTORY, T0, make_run

TOC_LINE = re.compile(r"^(.+?)\s*\.{3,}\s*(\d+)$")


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The conftest's judged run, rendered to PDF once for every test of this module (a PDF takes seconds)."""
    base = tmp_path_factory.mktemp("paper")
    inventory = base / "city.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    with Store.open(base / "store.db") as store:
        run_id = make_run(store, inventory, "20260302T013000Z-pap1", T0)
        report = build_report(store, [run_id], inventory=load_inventory(inventory), doc_version="2.1",
                              classification="一般公務機密")
    files = write_report(report, base / "out", langs=["zh-TW", "en"], formats=["pdf"])
    pages = {p.name: PdfReader(p) for p in files}
    return {"report": report, "zh": pages["report.zh-TW.pdf"], "en": pages["report.en.pdf"]}


def _texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def _outline(reader: PdfReader) -> dict[str, int]:
    """Bookmark title -> 1-based page (WeasyPrint makes one per heading, pointing at the heading's page)."""
    found: dict[str, int] = {}

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.setdefault(item.title, reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    return found


def test_cover_on_page_one(paper: dict[str, Any]) -> None:
    cover = _texts(paper["zh"])[0]
    for expected in ("網路設備合規稽核報告", "範例市政府", "範例區公所", "網路設備 3 台", "稽核期間",
                     "民國115年3月2日 09:30:00", "版次 2.1", "一般公務機密", paper["report"]["run"]["id"]):
        assert expected in cover, expected
    assert "稽核發現" not in cover.split("\n")[0]  # the cover is a page of its own, not the summary
    english = _texts(paper["en"])[0]
    assert "Example City Government" in english and "2026-03-02 09:30:00" in english and "Version 2.1" in english


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_toc_page_numbers_point_at_the_sections(paper: dict[str, Any], lang: str) -> None:
    reader = paper[lang]
    texts = _texts(reader)
    toc_page = next(i for i, text in enumerate(texts) if text.startswith(("目錄", "Contents")))
    assert toc_page == 1
    entries = [(m.group(1), int(m.group(2))) for line in texts[toc_page].splitlines()
               if (m := TOC_LINE.match(line.strip()))]
    assert len(entries) >= 7  # summary, sections, agencies, devices, controls, findings, sign-off
    outline = _outline(reader)
    for title, page in entries:
        assert outline.get(title) == page, (title, page, outline.get(title))
        assert title in texts[page - 1], (title, page)
    assert [page for _, page in entries] == sorted(page for _, page in entries)
    assert entries[-1][1] == len(texts)  # the sign-off closes the report


@pytest.mark.parametrize(("lang", "footer"), [("zh", "第 {i} 頁，共 {n} 頁"), ("en", "Page {i} of {n}")])
def test_running_header_and_footer_on_every_page(paper: dict[str, Any], lang: str, footer: str) -> None:
    texts = _texts(paper[lang])
    n = len(texts)
    title = "網路設備合規稽核報告" if lang == "zh" else "Network compliance audit report"
    for i, text in enumerate(texts, start=1):
        assert footer.format(i=i, n=n) in text, (i, text[-200:])
        assert paper["report"]["run"]["id"] in text and "一般公務機密" in text and title in text


def test_sign_off_block_closes_the_report(paper: dict[str, Any]) -> None:
    last = _texts(paper["zh"])[-1]
    for expected in ("簽核", "稽核人員", "覆核", "核定", "民國 ______ 年 ____ 月 ____ 日"):
        assert expected in last
    english = _texts(paper["en"])[-1]
    assert all(word in english for word in ("Sign-off", "Auditor", "Reviewed by", "Approved by"))


def test_condensed_tables_account_for_every_finding_and_control(store: Store, run_id: str) -> None:
    report = build_report(store, [run_id])
    groups = finding_groups(report["findings"])
    not_passed = [f for f in report["findings"] if f["status"] != "pass"]
    assert sum(g["count"] for g in groups) == len(not_passed)
    assert Counter((g["check_id"], g["status"]) for g in groups).most_common(1)[0][1] <= 5  # one per severity
    assert len(groups) <= len(not_passed)
    digest = control_digest(report["controls"], STANDARD_REASONS)
    listed = [c["control"] for rows in digest["shown"].values() for c in rows]
    compact = [i for marks in digest["compact"].values() for ids in marks.values() for i in ids]
    assert len(listed) + len(compact) == len(report["controls"])
    html = render_html(report, lang="zh-TW", for_pdf=True)
    assert html.count('class="nc-compact-ids"') >= 1 and 'id="signoff"' in html and 'id="cover"' in html
    assert 'id="cover"' not in render_html(report, lang="zh-TW")  # the screen edition has none of the paper parts


def test_every_page_uses_traditional_chinese_glyphs(paper: dict[str, Any]) -> None:
    """The running header and footer too: margin boxes do not inherit the body's font, and a fallback picks the
    Japanese forms of the same characters."""
    for number, page in enumerate(paper["zh"].pages, start=1):
        fonts = page["/Resources"].get("/Font", {})
        names = [str(ref.get_object()["/BaseFont"]) for ref in fonts.values()]
        assert not [n for n in names if "CJK-JP" in n or "CJKjp" in n or "CJK-SC" in n], (number, names)


def test_firewall_section_on_paper_lists_medium_and_worse_and_counts_the_rest() -> None:
    from .test_report_contrast import _firewall_fragment

    screen, paper_html = _firewall_fragment("zh-TW"), _firewall_fragment("zh-TW", for_pdf=True)
    assert re.findall(r'data-severity="(\w+)"', screen) == ["critical", "high", "medium", "low", "info"]
    assert re.findall(r'data-severity="(\w+)"', paper_html) == ["critical", "high", "medium"]
    assert "另有低或資訊等級之發現 2 項" in paper_html and "nc-paper-minor" not in screen
