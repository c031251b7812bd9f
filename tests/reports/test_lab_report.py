"""End to end against the lab: ``netcomply audit --out`` writes the report, SoA and evidence pack; the HTML is
opened in headless Chromium; the PDF is read page by page for Traditional Chinese text in CJK fonts (no tofu);
``netcomply report`` and a re-judged run reproduce the report byte for byte."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from netcomply.app.cli.main import app
from netcomply.app.lab.manager import LabInfo
from reports.evidence import verify_pack

from .conftest import digest

pytestmark = pytest.mark.lab

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
REPRODUCIBLE = ("report.json", "report.zh-TW.html", "report.xlsx")


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        text += "".join(traceback.format_exception(result.exception))  # what went wrong, in the assert message
    return result.exit_code, text


@pytest.fixture(scope="module")
def audited(lab_cli_audit: dict[str, Any], city_lab: LabInfo, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, Any]:
    """The session's ``netcomply audit --out --evidence-key --format json`` of the lab (tests/conftest.py); this
    module re-judges into the store, so it works on its own copy of it."""
    base = tmp_path_factory.mktemp("lab-report")
    assert lab_cli_audit["returncode"] == 3, lab_cli_audit["said"]  # the lab fails some devices on purpose
    payload = json.loads(lab_cli_audit["stdout"])
    db = base / "store.db"
    shutil.copy2(lab_cli_audit["db"], db)
    return {"out": lab_cli_audit["out"], "db": db, "run": payload["run"], "payload": payload,
            "key": lab_cli_audit["key"], "base": base, "inventory": city_lab.inventory}


def test_audit_out_writes_report_soa_and_evidence_pack(audited: dict[str, Any]) -> None:
    out: Path = audited["out"]
    names = {p.name for p in out.iterdir()}
    assert {"summary.json", "report.json", "report.zh-TW.html", "report.zh-TW.pdf", "report.xlsx", "soa.xlsx",
            "soa.zh-TW.html", f"evidence-{audited['run']}.zip"} <= names
    report = json.loads((out / "report.json").read_text())
    assert sum(c["framework"] == "iso27001:2022" for c in report["controls"]) == 93
    assert report["run"]["id"] == audited["run"] and report["run"]["status"] == "partial"
    failed = {d["name"]: d for d in report["devices"] if d["status"] in ("failed", "partial")}
    assert failed["dt-badpw1"]["collections"][0]["error_class"] == "auth_failed"
    assert report["summary"]["devices"]["total"] >= 25
    assert not report["summary"]["section_errors"], report["summary"]["section_errors"]
    pack = out / f"evidence-{audited['run']}.zip"
    assert verify_pack(pack, public_key=Path(str(audited["key"]) + ".pub")).ok
    # One byte changed in one member: verify fails and names it.
    tampered = audited["base"] / "tampered.zip"
    with zipfile.ZipFile(pack) as src, zipfile.ZipFile(tampered, "w", zipfile.ZIP_DEFLATED) as dst:
        victim = next(n for n in src.namelist() if n.startswith("artifacts/"))
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, (bytes([data[0] ^ 1]) + data[1:]) if name == victim else data)
    result = verify_pack(tampered, public_key=Path(str(audited["key"]) + ".pub"))
    assert not result.ok and victim in " ".join(str(p) for p in result.problems)


def test_zh_tw_deliverables_of_the_lab_audit_are_traditional_chinese(audited: dict[str, Any]) -> None:
    """The demo-like audit (every area: vendor, firewall, IPv6, hotspots): at most 20 English function words outside
    code and identifiers in each zh-TW HTML (issue 18), and no raw status or Python value a person would read."""
    from tests.i18n.english_words import english_function_words, offending_lines, visible_text

    for name in ("report.zh-TW.html", "soa.zh-TW.html"):
        html = (audited["out"] / name).read_text(encoding="utf-8")
        words = english_function_words(html)
        assert sum(words.values()) <= 20, (name, words.most_common(10), offending_lines(html))
        shown = visible_text(html)
        for raw in ("not_tried", "not_assessed", "batch=None", "collectors=["):
            assert raw not in shown, (name, raw)
    sheets = load_workbook(audited["out"] / "report.xlsx", read_only=True).sheetnames
    assert "Vendor devices" not in sheets and "IPv6 readiness" not in sheets and "設備廠牌" in sheets


def test_report_command_and_rejudging_reproduce_the_report(audited: dict[str, Any]) -> None:
    first = {name: digest(audited["out"] / name) for name in REPRODUCIBLE}
    again = audited["base"] / "again"
    code, text = _cli("report", "--run", audited["run"], "--db", str(audited["db"]), "--out", str(again),
                      "--formats", "json,html,xlsx", "--quiet")
    assert code == 0, text
    assert {name: digest(again / name) for name in REPRODUCIBLE} == first
    code, text = _cli("compliance", "judge", "--run", audited["run"], "-i", str(audited["inventory"]),
                      "--db", str(audited["db"]), "--quiet")
    assert code == 0, text
    rejudged = audited["base"] / "rejudged"
    code, text = _cli("report", "--run", audited["run"], "--db", str(audited["db"]), "--out", str(rejudged),
                      "--formats", "json,html,xlsx", "--quiet")
    assert code == 0, text
    assert {name: digest(rejudged / name) for name in REPRODUCIBLE} == first


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (tools/system-deps.sh)")
def test_html_report_in_headless_chromium(audited: dict[str, Any], tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    page_path = audited["out"] / "report.zh-TW.html"
    url = page_path.as_uri()
    console_errors: list[str] = []
    page_errors: list[str] = []
    requests: list[str] = []
    failed: list[str] = []
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            page = context.new_page()
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.goto(url, wait_until="load")
            assert audited["run"] in page.title()
            assert page.locator("#summary h2").inner_text() == "摘要"
            assert page.locator("#summary .nc-headline").is_visible()
            assert page.locator("svg.nc-chart").count() >= 4
            assert page.locator("#summary svg.nc-chart rect.nc-bar").count() > 0
            missing = page.evaluate("""() => Array.from(document.querySelectorAll('a[href^="#"]'))
                .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
                .filter(id => id && !document.getElementById(id))""")
            assert missing == []
            duplicated = page.evaluate("""() => { const seen = {}; const dup = [];
                document.querySelectorAll('[id]').forEach(e => { if (seen[e.id]) dup.push(e.id); seen[e.id] = 1; });
                return dup; }""")
            assert duplicated == []
            # Drill-down: a worst finding's link opens its collapsed details.
            link = page.locator("#summary a[href^='#finding-']").first
            target = link.get_attribute("href")
            assert target
            link.click()
            assert page.locator(target).evaluate("e => e.open") is True
            # Filtering hides devices that do not match.
            page.fill("input.nc-filter[data-target=devices]", "dt-badpw1")
            visible = page.locator("details[data-filter-group=devices]:not(.nc-hidden)").count()
            assert visible == 1
        finally:
            context.close()
    assert console_errors == [] and page_errors == []
    assert failed == []
    assert set(requests) == {url}  # nothing but the page itself: no network, no CDN


def _to_unicode(font: Any) -> dict[int, str]:
    """CID -> text from a font's ToUnicode CMap (bfchar and bfrange entries)."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    cmap = stream.get_object().get_data().decode("latin-1")
    out: dict[int, str] = {}

    def text(hexstr: str) -> str:
        return bytes.fromhex(hexstr).decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for cid, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(cid, 16)] = text(uni)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, start in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = int(start, 16)
            for i, cid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[cid] = chr(first + i)
    return out


def test_pdf_pages_have_traditional_chinese_in_cjk_fonts_without_tofu(audited: dict[str, Any]) -> None:
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    reader = PdfReader(audited["out"] / "report.zh-TW.pdf")
    assert reader.metadata is not None and reader.metadata.creation_date is not None
    assert reader.metadata.creation_date.strftime("%Y%m%d") == audited["run"][:8]
    pages = [page.extract_text() or "" for page in reader.pages]
    assert len(pages) >= 5
    # the paper edition: cover, table of contents, then the summary first
    assert "網路設備合規稽核報告" in pages[0] and pages[1].startswith("目錄") and pages[2].startswith("摘要")
    assert all(CJK.search(text) for text in pages), [i for i, t in enumerate(pages) if not CJK.search(t)]
    assert any("控制措施" in text and "A.8.20" in text for text in pages)  # the controls pages
    assert not any("\ufffd" in text for text in pages)
    checked_fonts = 0
    cjk_chars: set[str] = set()
    seen_fonts: set[int] = set()
    for number, page in enumerate(reader.pages, start=1):
        resources: Any = page["/Resources"]
        fonts = resources.get("/Font", {})
        for font_ref in fonts.values():
            font = font_ref.get_object()
            ident = getattr(font_ref, "idnum", None) or id(font)
            if ident in seen_fonts:
                continue  # the same embedded font on another page: checked once
            seen_fonts.add(ident)
            mapping = _to_unicode(font)
            cjk = {cid: ch for cid, ch in mapping.items() if CJK.search(ch)}
            if not cjk:
                continue
            assert "CJK-TC" in str(font["/BaseFont"]) or "CJKtc" in str(font["/BaseFont"]), (number, font["/BaseFont"])
            assert 0 not in cjk, f"page {number}: {cjk[0]!r} drawn with .notdef (tofu)"
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            program = (descriptor.get("/FontFile3") or descriptor.get("/FontFile2")).get_object().get_data()
            tt = TTFont(BytesIO(program))
            order = tt.getGlyphOrder()
            glyphs = tt.getGlyphSet()
            for cid, ch in cjk.items():
                assert cid < len(order) and order[cid] != ".notdef", (number, ch, cid)
                pen = BoundsPen(glyphs)
                glyphs[order[cid]].draw(pen)
                assert pen.bounds is not None, f"page {number}: {ch!r} has an empty glyph"
                cjk_chars.add(ch)
            checked_fonts += 1
    assert checked_fonts >= 1
    assert {"網", "路", "稽", "核"} <= cjk_chars


def test_demo_store_copy_is_not_touched_by_report(audited: dict[str, Any], tmp_path: Path) -> None:
    """`netcomply report` only reads: the store file is byte-identical afterwards."""
    copy = tmp_path / "copy.db"
    shutil.copy(audited["db"], copy)
    before = digest(copy)
    code, text = _cli("report", "--run", audited["run"], "--db", str(copy), "--out", str(tmp_path / "r"),
                      "--formats", "json", "--quiet")
    assert code == 0, text
    assert digest(copy) == before
