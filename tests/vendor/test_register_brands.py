"""The asset register settles what a device's own answers leave open (issue 16: OEM and white-label devices).

Devices are real LibreNMS recordings (tests/vendor/corpus/librenms.jsonl, Jellyfrog/librenms@4ab87302): two Quanta
switches that answer only Broadcom's reference agent ("FASTPATH Switching", enterprise 4413), which names no
brand; a Hikvision NVR; a Cisco Catalyst 2960-X. The register rows are an agency's, as a clerk types them.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from collectors.vendor.judge import judge_run
from collectors.vendor.kb import KnowledgeBase, load_kb
from collectors.vendor.makers import RULE_GROUP, RULE_KB, RULE_NONE, RULE_OUI, RULE_PLACE
from collectors.vendor.register_brands import read_brand, register_readings
from compliance.checks.base import JudgeContext
from compliance.checks.vendor import run_vendor_checks
from compliance.judge import judge_run as rejudge
from netcomply.app.pipelines.vendor import VendorOptions, judge_and_check
from netcomply.i18n import render
from netcomply.inventory.registers import AssetRecord, ExceptionRecord, register_observation_data
from netcomply.models import Finding, Observation, Run
from netcomply.store import Store
from netcomply.vendor.cpe import asset_list
from reports.audit.html import environment
from reports.sections.base import SectionContext
from reports.sections.vendor import VendorSection

CORPUS = Path(__file__).parent / "corpus" / "librenms.jsonl"
TODAY = date(2026, 12, 5)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def _rows(*ids: str) -> dict[str, dict[str, Any]]:
    rows = {}
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] in ids:
                rows[row["id"]] = row
    assert set(rows) == set(ids)
    return rows


# ---------------------------------------------------------------------------------------------- reading the column


@pytest.mark.parametrize(("text", "brand", "prc"), [
    ("Cisco Systems", "Cisco", False),
    ("HIKVISION", "Hikvision", True),
    ("  Huawei   Technologies ", "Huawei", True),
    ("HPE", "HPE", False),
    ("海康威視", "Hikvision", True),  # registers write the brand column in Chinese as often as in English
    ("华为技术有限公司", "Huawei", True),
    ("新華三", "H3C", True),
    ("思科", "Cisco", False),
    ("合勤科技", "ZyXEL", False),
])
def test_a_register_brand_is_read_through_the_knowledge_base(kb: KnowledgeBase, text: str, brand: str,
                                                             prc: bool) -> None:
    got = read_brand(kb, text)
    assert (got["brand"], got["prc"], got["prc_rule"]) == (brand, prc, "knowledge_base")
    assert got["text"] == " ".join(text.split())


def test_a_brand_nobody_lists_is_judged_by_its_own_words_or_left_open(kb: KnowledgeBase) -> None:
    place = read_brand(kb, "Shenzhen Example Network Technology Co., Ltd.")
    assert place["brand"] is None and place["prc"] is True and place["prc_rule"] == "registered_place"
    assert read_brand(kb, "中華電信")["prc"] is None  # a Taiwanese carrier's name holds 華 but is no brand listed
    unknown = read_brand(kb, "Example Widgets Inc.")
    assert unknown["brand"] is None and unknown["prc"] is None and unknown["family"] == "Example Widgets Inc."


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_text_reads_without_error_and_never_as_a_silent_no(text: str) -> None:
    """A register's column is free text: whatever it holds, the reading says which rule decided, and "no" only
    when a rule says so: a brand the knowledge base lists, a group, or a registration's country."""
    got = read_brand(load_kb(), text)
    assert got["prc_rule"] in (RULE_KB, RULE_GROUP, RULE_PLACE, RULE_OUI, RULE_NONE)
    if got["prc"] is False:
        assert got["prc_rule"] in (RULE_KB, RULE_GROUP, RULE_OUI)
    if got["prc_rule"] == RULE_NONE:
        assert got["prc"] is None


# ------------------------------------------------------------------------------------------------------ the checks


def _identity(name: str, brand: str | None, prc: bool | None, *, manufacturer: str | None = None,
              oid: int = 1) -> Observation:
    data: dict[str, Any] = {"name": name, "address": None, "brand": brand, "manufacturer": manufacturer or brand, "model": None,
            "serial": None, "prc_brand": prc, "confidence": 0.9 if brand else 0.0, "evidence": [],
            "conflicts": [], "status": "identified" if brand else "unknown"}
    return Observation(device=name, collector="vendor_judge", kind="vendor.identity", data=data, source="judge",
                       id=oid)


def _judge(kb: KnowledgeBase, obs: list[Observation], register: list[AssetRecord],
           exceptions: list[ExceptionRecord] | None = None) -> dict[tuple[str, str], Finding]:
    data = {"today": TODAY, "asset_register": register, "exceptions": exceptions or [],
            "register_brands": register_readings(kb, register),
            "brand_families": {n: kb.family_of(n) for o in obs for n in (o.data["brand"], o.data["manufacturer"])
                               if n}}
    return {(f.check_id, f.subject): f for f in run_vendor_checks(obs, JudgeContext(run_id="r", data=data))}


def _asset(asset_id: str, name: str, brand: str, line: int = 2) -> AssetRecord:
    return AssetRecord(asset_id, name, None, brand, None, None, None, line)


def test_an_unknown_device_the_register_calls_a_prc_brand_fails_unless_excepted(kb: KnowledgeBase) -> None:
    obs = [_identity("oem1", None, None)]
    got = _judge(kb, obs, [_asset("A-1", "oem1", "海康威視 HIKVISION")])
    f = got[("vendor.prc_brand_on_network", "oem1")]
    assert f.status.value == "fail" and f.details["decided_by"] == "asset_register"
    assert f.details["register_prc_rule"] == "knowledge_base"
    assert "A-1" in f.message and "Hikvision" in f.message
    assert render(f.details["msg"], "zh-TW").startswith("廠牌未知：財產清冊 A-1 記載為大陸廠牌")
    assert got[("vendor.unknown_vendor", "oem1")].status.value == "manual"  # the device itself is still unconfirmed
    excepted = _judge(kb, obs, [_asset("A-1", "oem1", "Hikvision")],
                      [ExceptionRecord("A-1", date(2026, 1, 5), date(2026, 2, 1), "VLAN 990", True,
                                       date(2027, 12, 31), 2)])
    assert excepted[("vendor.prc_brand_on_network", "oem1")].status.value == "pass"


def test_an_unknown_device_the_register_calls_another_brand_stays_for_review_with_the_register_shown(
        kb: KnowledgeBase) -> None:
    got = _judge(kb, [_identity("oem2", None, None)], [_asset("A-2", "oem2", "Cisco Systems")])
    assert ("vendor.prc_brand_on_network", "oem2") not in got  # never a silent "no"
    f = got[("vendor.unknown_vendor", "oem2")]
    assert f.status.value == "manual" and "A-2 records Cisco Systems (Cisco) (not a PRC brand)" in f.message
    assert f.details["register_prc"] is False


def test_register_and_device_agree_by_family_and_manufacturer(kb: KnowledgeBase) -> None:
    assert kb.family_of("Aruba") == "HPE"  # the fact the first case stands on
    obs = [_identity("ap1", "Aruba", False, oid=1), _identity("sw1", "HPE", False, manufacturer="H3C", oid=2),
           _identity("sw2", "Cisco", False, oid=3), _identity("cam1", "Hikvision", None, oid=4)]
    register = [_asset("A-1", "ap1", "HPE"), _asset("A-2", "sw1", "H3C"), _asset("A-3", "sw2", "Juniper Networks"),
                _asset("A-4", "cam1", "HIKVISION 海康")]
    got = _judge(kb, obs, register)
    mismatch = {s: got[("vendor.register_brand_mismatch", s)].status.value for s in ("ap1", "sw1", "sw2", "cam1")}
    assert mismatch == {"ap1": "pass", "sw1": "pass", "sw2": "fail", "cam1": "pass"}
    # cam1's own answers left its PRC status open (say, only a host name named it); the register settles it
    assert got[("vendor.prc_brand_on_network", "cam1")].status.value == "fail"


def test_a_register_naming_another_maker_decides_nothing(kb: KnowledgeBase) -> None:
    """The device names Reolink-like open status but the register names another maker: a disagreement to look at,
    not a verdict taken from the register."""
    got = _judge(kb, [_identity("cam2", "Lorex", None)], [_asset("A-5", "cam2", "Dahua")])
    assert ("vendor.prc_brand_on_network", "cam2") not in got
    assert got[("vendor.register_brand_mismatch", "cam2")].status.value == "fail"


# ------------------------------------------------------------------------------- a stored run, judged and re-judged


def _snmp_system(row: dict[str, Any]) -> dict[str, Any]:
    oid = row.get("sys_object_id")
    enterprise = int(oid.split(".")[6]) if oid and oid.startswith("1.3.6.1.4.1.") else None
    return {"sys_descr": row.get("sys_descr"), "sys_object_id": oid, "sys_uptime_ticks": None, "sys_contact": None,
            "sys_name": row["id"], "sys_location": None, "enterprise": enterprise, "entity": row.get("entity") or []}


def test_a_stored_run_is_judged_by_its_register_and_re_judged_alike(tmp_path: Path) -> None:
    rows = _rows("quanta_4", "quanta_5", "hikvision-nvr", "ios_2960x")
    register = tmp_path / "財產清冊.csv"
    register.write_text("財產編號,設備名稱,廠牌,型號\n"
                        "A-1,quanta_4,海康威視 HIKVISION,DS-3E0510P\n"
                        "A-2,quanta_5,Cisco Systems,\n"
                        "A-3,hikvision-nvr,HIKVISION,\n"
                        "A-4,ios_2960x,Juniper,\n", encoding="utf-8")
    kb = load_kb()
    with Store.open(tmp_path / "audit.db") as store:
        run = store.create_run(Run(id="r-register", started_at=datetime(2026, 12, 5, 2, 0, tzinfo=UTC),
                                   operator="t", tool_version="t"))
        store.add_observations(run.id, [Observation(device=r["id"], collector="snmp_system", kind="device.snmp_system",
                                                    data=_snmp_system(r), source="snmp") for r in rows.values()])
        result = judge_and_check(store, run, kb, {}, VendorOptions(register=register, today=TODAY),
                                 register_observation_data(register, None))
        verdicts = {v.name: (v.brand, v.prc_brand) for v in result.judgement.devices}
        assert verdicts["quanta_4"] == (None, None) and verdicts["quanta_5"] == (None, None)
        first = {(f.check_id, f.subject): f.status.value for f in result.findings}
        assert first[("vendor.prc_brand_on_network", "quanta_4")] == "fail"
        assert ("vendor.prc_brand_on_network", "quanta_5") not in first
        assert first[("vendor.register_brand_mismatch", "hikvision-nvr")] == "pass"
        assert first[("vendor.register_brand_mismatch", "ios_2960x")] == "fail"
        again = {(f.check_id, f.subject): f.status.value for f in rejudge(store, run.id)
                 if f.check_id.startswith("vendor.")}
        assert again == first
        assets = {a.name: a for a in asset_list(result.asset_rows())}  # the VANS list: what the register adds
        assert (assets["quanta_4"].brand, assets["quanta_4"].model) == ("Hikvision", "DS-3E0510P")
        assert assets["quanta_4"].brand_from == assets["quanta_4"].model_from == "asset register A-1"
        assert assets["quanta_4"].cpe is not None and ":hikvision:ds-3e0510p:" in assets["quanta_4"].cpe
        assert (assets["quanta_5"].brand, assets["quanta_5"].cpe, assets["quanta_5"].missing) == ("Cisco", None,
                                                                                                  "model")
        assert assets["ios_2960x"].brand_from is None  # the device's own brand stands; the register disagrees
        readings = list(store.observations(run.id, kind="vendor.register_reading"))
        assert len(readings) == 1 and readings[0].data["register_brands"]["A-1"]["brand"] == "Hikvision"
        judge_run(store, run.id, kb)  # the register read again, to the same reading: nothing new stored
        assert len(list(store.observations(run.id, kind="vendor.register_reading"))) == 1

        stored = store.get_run(run.id)
        ctx = SectionContext(store=store, run=stored, observations=list(store.observations(run.id)),
                             findings=store.findings(run.id), evaluation=None, lang="zh-TW")
        data = VendorSection().build(ctx)
    assert data is not None
    by_name = {d["name"]: d for d in data["devices"]}
    assert by_name["quanta_4"]["prc_effective"] is True and by_name["quanta_4"]["register_brand"]["decided"]
    assert by_name["quanta_4"]["register"]["state"] == "not_listed"
    assert by_name["quanta_5"]["prc_effective"] is None
    assert data["counts"]["prc_by_register"] == 1 and "quanta_4" in data["prc_devices"]
    unknown = {u["name"]: u for u in data["unknown"]}
    assert "A-2 records Cisco Systems" in unknown["quanta_5"]["settle"]
    assert render(unknown["quanta_4"]["settle_msg"], "zh-TW").startswith("財產清冊 A-1 記載為 海康威視 HIKVISION")
    assert any("依財產清冊記載判定" in line for line in VendorSection().summary(data, "zh-TW"))
    env = environment().overlay(undefined=jinja2.StrictUndefined)
    html = env.get_template(VendorSection.template).render(
        data=data, charts={}, lang="zh-TW", L=lambda en, zh: zh, sev=lambda s: Markup(s))
    assert "<td>海康威視 HIKVISION（財產清冊記載）</td>" in html  # in the PRC-brand table, by the register's words
