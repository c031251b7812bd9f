"""The audit report built from a real store: deterministic bytes, every control, sections (and a failing one
kept apart), combined runs, and what the files hold."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any, ClassVar

from openpyxl import load_workbook

from compliance.catalog import catalogs
from compliance.judge import judge_run
from netcomply.i18n import LANGS
from netcomply.inventory import load_inventory
from netcomply.store import Store
from reports.audit import build_report, write_report
from reports.audit.html import render_html
from reports.sections.base import ReportSection, SectionContext
from reports.sections.collection import CollectionSection

from .conftest import T0, digest, make_run

FAST = ("json", "html", "xlsx")


def _write(store: Store, run_ids: list[str], out: Path, **kwargs: Any) -> dict[str, str]:
    report = build_report(store, run_ids, **kwargs)
    files = write_report(report, out, langs=["zh-TW", "en"], formats=FAST)
    return {p.name: digest(p) for p in files}


def test_rerendering_and_rejudging_give_identical_bytes(store: Store, run_id: str, tmp_path: Path) -> None:
    first = _write(store, [run_id], tmp_path / "a")
    again = _write(store, [run_id], tmp_path / "b")
    assert first == again
    before = {f.id for f in store.findings(run_id)}
    inv = load_inventory(store.get_run(run_id).inventory_source or "")
    judge_run(store, run_id, data={"devices": {d.name: d for d in inv.devices}})
    assert {f.id for f in store.findings(run_id)}.isdisjoint(before)  # the store gave the findings new ids
    rejudged = _write(store, [run_id], tmp_path / "c")
    assert rejudged == first
    assert set(first) == {"report.json", "report.zh-TW.html", "report.en.html", "report.xlsx"}


def test_xlsx_document_dates_are_the_runs(store: Store, run_id: str, tmp_path: Path) -> None:
    report = build_report(store, [run_id])
    path = write_report(report, tmp_path, formats=["xlsx"])[0]
    wb = load_workbook(path)
    assert wb.properties.created is not None and wb.properties.created.date() == T0.date()
    with zipfile.ZipFile(path) as zf:
        assert {info.date_time[:3] for info in zf.infolist()} == {(T0.year, T0.month, T0.day)}
    assert [ws.title for ws in wb.worksheets][:4] == ["摘要", "設備", "稽核發現", "控制措施"]
    findings = wb.worksheets[2]
    assert findings.freeze_panes == "A2" and findings.auto_filter.ref
    assert findings.max_row == len(report["findings"]) + 1


def test_every_control_of_every_framework_is_listed(store: Store, run_id: str) -> None:
    report = build_report(store, [run_id])
    per_framework: dict[str, set[str]] = {}
    for c in report["controls"]:
        per_framework.setdefault(c["framework"], set()).add(c["id"])
    assert len(per_framework["iso27001:2022"]) == 93
    assert len(per_framework["iso27001:2013"]) == 114
    for fw in catalogs().frameworks.values():
        assert per_framework[fw.id] == {c.id for c in fw.controls}
    html = render_html(report, lang="en")
    ids = set(re.findall(r'id="(control-[^"]+)"', html))
    assert len(ids) == len(report["controls"])


def test_findings_carry_evidence_and_stable_refs(store: Store, run_id: str) -> None:
    report = build_report(store, [run_id])
    refs = [f["ref"] for f in report["findings"]]
    assert refs == [f"F{n:04d}" for n in range(1, len(refs) + 1)]
    verified = next(f for f in report["findings"] if f["check_id"] == "collection.asset_verifiable"
                    and f["subject"] == "cg-core1")
    assert verified["status"] == "pass"
    assert verified["agency"] == "city-gov"
    art = verified["evidence"]["artifacts"][0]
    assert art["device"] == "cg-core1" and art["source"] and len(art["sha256"]) == 64
    assert all(o["device"] == "cg-core1" for o in verified["evidence"]["observations"])
    # The controls point back at the findings by the same refs.
    cited = {fr["ref"] for c in report["controls"] for fr in c["findings"]}
    assert cited <= set(refs) and cited


def test_devices_have_collector_status_identity_and_inventory_facts(store: Store, run_id: str) -> None:
    report = build_report(store, [run_id])
    devices = {d["name"]: d for d in report["devices"]}
    assert devices["cg-core1"]["status"] == "ok"
    assert devices["cg-core1"]["identity"]["model"] == "C9300-48P"
    assert devices["cg-core1"]["site"] == "city-hall"  # from the run's inventory file, unchanged since
    refused = devices["dt-sw1"]
    assert refused["status"] == "failed"
    assert {c["collector"]: c["error_class"] for c in refused["collections"]} == {
        "cli_facts": "auth_failed", "running_config": "auth_failed"}
    assert report["summary"]["devices"] == {"total": 3, "ok": 2, "partial": 0, "failed": 1, "not_tried": 0}


def test_an_inventory_changed_since_the_run_is_not_used(store: Store, run_id: str, inventory: Path) -> None:
    inventory.write_text(inventory.read_text() + "  dt-sw2: {address: 198.51.100.12, agency: district}\n")
    report = build_report(store, [run_id])
    assert report["inventory"][0]["used"] is False
    assert "changed" in report["inventory"][0]["note"]
    assert {d["name"] for d in report["devices"]} == {"cg-core1", "cg-cam1", "dt-sw1"}
    assert all(d["agency"] is None for d in report["devices"])


def test_a_section_per_collector(store: Store, run_id: str) -> None:
    report = build_report(store, [run_id])
    collectors = {c["collector"] for d in report["devices"] for c in d["collections"]}
    assert collectors == {"cli_facts", "running_config", "snmp_system"}
    sections = report["sections"]
    assert sections["collection"]["collectors"][0]["collector"] == "cli_facts"
    for collector in collectors:
        generic = sections.get(f"collector.{collector}")
        presented = any(e["key"] != "collection" and not e["generic"] and not e["error"]
                        and collector in (sections.get(e["key"]) or {}).get("collectors", [])
                        for e in report["section_index"])
        assert generic is not None or presented, collector
    assert sections["collector.running_config"]["kinds"] == {"device.config": 1}
    assert sections["collector.cli_facts"]["outcomes"] == {"error": 1, "ok": 1}


class Boom(ReportSection):
    key = "boom"
    order = 500
    title: ClassVar[dict[str, str]] = {"en": "Exploding area", "zh-TW": "會爆炸的區塊"}
    template = "sections/collection.html.j2"

    def build(self, ctx: SectionContext) -> dict[str, Any] | None:
        raise RuntimeError("the area's data is not what it expected")


class BadChart(ReportSection):
    key = "badchart"
    order = 600
    title: ClassVar[dict[str, str]] = {"en": "Bad chart", "zh-TW": "壞圖表"}
    template = "sections/collection.html.j2"

    def build(self, ctx: SectionContext) -> dict[str, Any] | None:
        return {"n": 1}

    def charts(self, data: dict[str, Any], lang: str) -> dict[str, str]:
        raise KeyError("series")


class NotJson(ReportSection):
    key = "notjson"
    order = 700
    title: ClassVar[dict[str, str]] = {"en": "Not JSON", "zh-TW": "非 JSON"}
    template = "sections/collection.html.j2"

    def build(self, ctx: SectionContext) -> dict[str, Any] | None:
        return {"when": ctx.run.started_at}


def test_a_failing_section_is_isolated_and_named(store: Store, run_id: str, tmp_path: Path) -> None:
    sections = [CollectionSection(), Boom(), BadChart(), NotJson()]
    report = build_report(store, [run_id], sections=sections)
    assert "RuntimeError: the area's data is not what it expected" in report["sections"]["boom"]["error"]
    assert "TypeError" in report["sections"]["notjson"]["error"]
    assert report["summary"]["section_errors"].keys() == {"boom", "notjson"}
    assert report["sections"]["collection"]["devices_tried"] == 3
    files = write_report(report, tmp_path, langs=["en"], formats=["json", "html", "xlsx"], sections=sections)
    html = (tmp_path / "report.en.html").read_text()
    for key, title in (("boom", "Exploding area"), ("badchart", "Bad chart"), ("notjson", "Not JSON")):
        box = html[html.index(f'id="section-{key}"'):]
        assert box.index('class="nc-error"') < box.index("</section>"), key
        assert title in box[:box.index("</section>")]
    assert "KeyError" in html  # the chart failure is named in its box
    assert 'id="section-collection"' in html and "nc-error" not in html.split('id="section-collection"')[1][:300]
    assert json.loads(files[0].read_text())["sections"]["boom"]["error"]


def test_combined_report_of_two_runs(store: Store, inventory: Path, tmp_path: Path) -> None:
    from datetime import timedelta

    a = make_run(store, inventory, "20260302T013000Z-ssh", T0, batch="2026-03", devices=("cg-core1", "dt-sw1"))
    b = make_run(store, inventory, "20260302T020000Z-snmp", T0 + timedelta(minutes=30), batch="2026-03",
                 devices=("cg-cam1",))
    single_a, single_b = build_report(store, [a]), build_report(store, [b])
    combined = build_report(store, [b, a])  # order given does not matter
    assert combined["combined"] is True
    assert [r["id"] for r in combined["run"]["runs"]] == [a, b]
    assert combined["run"]["id"] == b and combined["run"]["batch"] == "2026-03"
    assert {(d["run"], d["name"]) for d in combined["devices"]} == {(a, "cg-core1"), (a, "dt-sw1"), (b, "cg-cam1")}
    assert len(combined["findings"]) == len(single_a["findings"]) + len(single_b["findings"])
    # Controls are evaluated over the union: a control evidenced by either run cites findings of both.
    a9 = next(c for c in combined["controls"] if c["control"] == "iso27001:2022/A.5.9")
    assert {f["run"] for f in a9["findings"]} == {a, b}
    html = render_html(combined, lang="zh-TW")
    assert a in html and b in html and "綜合報告" in html
    from reports.audit.gather import runs_of_batch

    assert [r.id for r in runs_of_batch(store, "2026-03")] == [a, b]


def test_html_is_self_contained_and_anchors_resolve(store: Store, run_id: str) -> None:
    report = build_report(store, [run_id])
    for lang in LANGS:
        html = render_html(report, lang=lang)
        assert not re.search(r"(?:src|href)\s*=\s*\"(?:https?:|//|file:)", html)
        assert "@import" not in html and "url(" not in html
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        targets = set(re.findall(r'href="#([^"]*)"', html))
        assert targets and targets <= ids, sorted(targets - ids)[:5]
        assert html.count('class="nc-chart') >= 3


def test_pdf_is_reproducible_and_dated_by_the_run(store: Store, run_id: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    report = build_report(store, [run_id])
    first = write_report(report, tmp_path / "a", formats=["pdf"])[0]
    second = write_report(build_report(store, [run_id]), tmp_path / "b", formats=["pdf"])[0]
    assert first.read_bytes() == second.read_bytes()
    meta = PdfReader(first).metadata
    assert meta is not None and meta.creation_date is not None
    assert meta.creation_date.replace(tzinfo=None) == T0.replace(tzinfo=None)
