"""The vendor section of the audit report, built from a real lab audit and compared with the lab's truth
(netcomply/app/lab/data/city.yaml), and its template rendered with Jinja2 in both languages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from netcomply.models import Inventory, Observation
from netcomply.store import Store
from reports.audit.html import environment
from reports.sections.base import SectionContext, load_sections
from reports.sections.vendor import VendorSection

pytestmark = pytest.mark.lab

TEMPLATES = Path(__file__).resolve().parents[2] / "reports" / "templates"


@pytest.fixture(scope="module")
def audited(lab_vendor_report_run: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One lab run of the vendor collectors (`netcomply vendors`) with an asset register, an exception register
    (dt-nvr1's by asset id, past its end of life) and a spot check: the session's (tests/conftest.py)."""
    with Store.open(lab_vendor_report_run["db"]) as store:
        yield {"store": store, "run": store.get_run(lab_vendor_report_run["data"]["run"]),
               "inv": lab_vendor_report_run["inv"]}


def context(audited: dict[str, Any], *, inventory: Inventory | None = None, lang: str = "zh-TW") -> SectionContext:
    store = audited["store"]
    run = store.get_run(audited["run"].id)
    return SectionContext(store=store, run=run, observations=list(store.observations(run.id)),
                          findings=store.findings(run.id), evaluation=None, inventory=inventory, lang=lang)


def truth(inv: Inventory) -> dict[str, dict[str, Any]]:
    return {d.name: {**d.vars.get("lab", {}), "agency": d.agency} for d in inv.devices}


def test_rows_match_the_lab_truth(audited: dict[str, Any]) -> None:
    data = VendorSection().build(context(audited, inventory=audited["inv"]))
    assert data is not None
    t = truth(audited["inv"])
    rows = {d["name"]: d for d in data["devices"]}
    assert set(rows) == set(t)
    for name, want in t.items():
        row = rows[name]
        assert row["agency"] == want["agency"]
        if row["brand"] is None:
            assert want.get("fault") and row["prc_brand"] is None, name
            continue
        assert (row["brand"], row["prc_brand"]) == (want["brand"], want["prc_brand"]), name
        assert all({"signal", "value", "source"} <= set(e) for e in row["evidence"]), name
    for name in ("ed-core1", "dt-ac1"):  # Huawei over SSH: the factory label (display elabel) is evidence
        label = [e for e in rows[name]["evidence"] if e["signal"] == "ssh.display_elabel.inventory"]
        assert label and label[0]["brand"] == "Huawei" and label[0]["model"] == t[name]["model"], name
        # Huawei bar codes: 20 characters from "21" (the lab's SSH and SNMP sides draw theirs independently)
        assert len(label[0]["serial"]) == 20 and label[0]["serial"].startswith("21"), name
        assert rows[name]["model_from"], name
    # unknowns first (issue 16: each needs a human, with the evidence that would settle it), then PRC brands, then
    # the rest
    order = [{None: 0, True: 1, False: 2}[d["prc_brand"]] for d in data["devices"]]
    assert order == sorted(order)
    assert [u["name"] for u in data["unknown"]] == [d["name"] for d in data["devices"] if d["prc_brand"] is None]
    assert all(u["settle"] for u in data["unknown"])
    assert data["prc_devices"] == sorted(n for n, w in t.items() if w["prc_brand"] and rows[n]["brand"])
    c = data["counts"]
    assert c["devices"] == len(t) and c["prc"] == len(data["prc_devices"])
    assert c["unknown"] == sum(1 for r in rows.values() if r["prc_brand"] is None)


def test_register_and_exception_states(audited: dict[str, Any]) -> None:
    data = VendorSection().build(context(audited, inventory=audited["inv"]))
    assert data is not None
    rows = {d["name"]: d for d in data["devices"]}
    assert rows["dt-cam1"]["register"]["state"] == "approved"
    assert rows["dt-cam1"]["register"]["asset_id"] == "DT-044"
    assert rows["dt-nvr1"]["register"]["state"] == "overdue"
    assert rows["ed-nvr1"]["register"]["state"] == "not_isolated"
    assert rows["cg-cam1"]["register"] == {**rows["cg-cam1"]["register"], "state": "not_listed", "in_register": True}
    assert rows["cg-core1"]["register"]["state"] is None  # not a PRC brand: no exception is asked for
    assert data["counts"]["prc_approved"] == 1 and data["counts"]["prc_overdue"] == 1
    missing = {m["name"] for m in data["not_in_register"]}
    assert "ed-core1" in missing and "cg-core1" not in missing and "dt-cam1" not in missing
    assert [a["asset_id"] for a in data["register_not_seen"]] == ["DT-099"]
    assert {e["device"]: e["status"] for e in data["exceptions"]} == {"dt-cam1": "pass", "DT-045": "fail",
                                                                       "ed-nvr1": "fail"}
    unknown = {u["name"] for u in data["unknown"]}
    assert "dt-badpw1" in unknown and "cg-core1" not in unknown
    lldp = {n["name"]: n for n in data["neighbours"] if n["via"] == "lldp"}
    assert lldp["IPCAM-LOBBY-02"]["brand"] == "Hikvision" and lldp["IPCAM-LOBBY-02"]["prc_brand"] is True
    sample = data["spot_check"]
    assert sample["drawn_by"] == "operator" and sample["seed"] == "2026" and len(sample["devices"]) == 3
    assert all(d["prc_brand"] is True for d in sample["devices"])


def test_build_is_deterministic_json_and_works_without_an_inventory(audited: dict[str, Any]) -> None:
    section = VendorSection()
    one = json.dumps(section.build(context(audited, inventory=audited["inv"])), sort_keys=True)
    two = json.dumps(section.build(context(audited, inventory=audited["inv"])), sort_keys=True)
    assert one == two
    bare = section.build(context(audited))
    assert bare is not None and all(d["agency"] is None for d in bare["devices"])
    assert [a["agency"] for a in bare["by_agency"]] == ["-"]


def test_the_report_proposes_a_sample_seeded_by_the_run_when_none_was_drawn(audited: dict[str, Any]) -> None:
    ctx = context(audited, inventory=audited["inv"])
    without = [o for o in ctx.observations if o.kind != "vendor.spot_check"]
    ctx2 = SectionContext(store=ctx.store, run=ctx.run, observations=without, findings=ctx.findings,
                          evaluation=None, inventory=ctx.inventory)
    data = VendorSection().build(ctx2)
    assert data is not None
    s = data["spot_check"]
    assert s["drawn_by"] == "report" and s["seed"] == ctx.run.id and len(s["devices"]) == 5
    assert VendorSection().build(ctx2) == data


def test_nothing_to_show_leaves_the_section_out(audited: dict[str, Any]) -> None:
    ctx = context(audited)
    other = [Observation(device="x", collector="c", kind="ipv6.interface", data={}, source="s")]
    empty = SectionContext(store=ctx.store, run=ctx.run, observations=other, findings=[], evaluation=None)
    assert VendorSection().build(empty) is None


def test_section_is_discovered() -> None:
    assert "vendor" in [s.key for s in load_sections()]


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_template_renders_every_part(audited: dict[str, Any], lang: str) -> None:
    section = VendorSection()
    data = section.build(context(audited, inventory=audited["inv"], lang=lang))
    assert data is not None
    charts = section.charts(data, lang)
    assert set(charts) == {"vendor-brands", "vendor-agencies"}
    # The report's own environment (its filters: ``day``, ``local``, ``anchor``), strict about undefined names.
    env = environment().overlay(undefined=jinja2.StrictUndefined)
    html = env.get_template(section.template).render(
        data=data, charts=charts, lang=lang, L=lambda en, zh: zh if lang == "zh-TW" else en,
        sev=lambda s: Markup(f'<span class="sev sev-{s}">{s}</span>'))
    assert html.count('<svg class="nc-chart') == 2
    for d in data["devices"]:
        assert f"<td>{d['name']}</td>" in html
    assert "IPCAM-LOBBY-02" in html and "DT-099" in html and 'class="sev sev-high"' in html
    assert ("已逾使用年限" in html) == (lang == "zh-TW") and ("past end of life" in html) == (lang == "en")
    assert html.count("<details>") == len(data["devices"])
    sheets = section.sheets(data, lang)
    assert sheets[0].name == "Vendor devices" and all(len(s.name) <= 31 for s in sheets)
    assert len(sheets[0].rows) == len(data["devices"])
    assert all(len(r) == len(s.headers) for s in sheets for r in s.rows)
    summary = section.summary(data, lang)
    assert 1 <= len(summary) <= 3 and str(data["counts"]["prc"]) in summary[0]
