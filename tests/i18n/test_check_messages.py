"""The firewall and vendor checks write catalog messages (issue 18): every finding carries ``details["msg"]`` whose
English is the stored ``message``, and whose zh-TW holds no English function word outside the parameters that are
device names, rule text or quoted output; firewall fixes carry ``fix_msg``. Runs stored before (English only) are
still shown in Chinese through the same entries.

The rule sets are real device configurations and captures (tests/firewall/fixtures, sources in its SOURCES file).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

import compliance.checks.firewall  # noqa: F401  (registers the firewall checks)
from compliance.checks.base import JudgeContext, registered
from compliance.checks.vendor import run_vendor_checks
from netcomply import i18n
from netcomply.app.pipelines.firewall import load_rule_sets
from netcomply.inventory.registers import AssetRecord, ExceptionRecord
from netcomply.models import Finding, Observation
from tests.i18n.english_words import FUNCTION_WORDS

FIXTURES = Path(__file__).resolve().parents[1] / "firewall" / "fixtures"
FILES = ("asa_running_config.txt", "district-legacy.nft.json", "fortigate_v6_74.conf", "panos_running_config.xml",
         "junos_display_xml.xml", "iptables_save_c.txt", "ios_show_ip_access_lists.txt")


def _firewall_findings(name: str) -> list[Finding]:
    from collectors.firewall.observe import observations

    obs: list[Observation] = []
    for rs in load_rule_sets([FIXTURES / name], None):
        rs.counters_since = datetime(2025, 1, 1, tzinfo=UTC)  # old enough counters: the unused check judges
        obs.extend(observations([rs], "fw", "firewall_rules", f"file:{rs.source}"))
    for k, o in enumerate(obs):
        o.id = k
    ctx = JudgeContext(run_id="r", data={"now": "2026-12-01T00:00:00+00:00"})
    return [f for check_id, cls in sorted(registered().items()) if check_id.startswith("firewall.")
            for f in cls().run(obs, ctx)]


def _english_words(message: dict[str, Any]) -> list[str]:
    """Function words of the zh-TW text that the entry itself wrote (parameters that are plain text, i.e. names,
    rule text or device output, are blanked first)."""
    params = {k: (v if isinstance(v, dict) else "X") for k, v in message["params"].items()}
    text = i18n.render({"id": message["id"], "params": params}, "zh-TW")
    return [w for w in text.replace("(", " ").replace(")", " ").split() if w.lower() in FUNCTION_WORDS]


def _assert_catalog_message(f: Finding, *, fix: bool) -> None:
    message = f.details.get("msg")
    assert message and i18n.has(message["id"]), (f.check_id, f.message)
    assert i18n.render(message, "en") == f.message
    assert not _english_words(message), (f.check_id, i18n.render(message, "zh-TW"))
    if fix:
        assert i18n.has(f.details["fix_msg"]["id"]) and i18n.render(f.details["fix_msg"], "en") == f.details["fix"]


@pytest.mark.parametrize("name", FILES)
def test_every_firewall_finding_is_a_catalog_message(name: str) -> None:
    findings = _firewall_findings(name)
    failed = [f for f in findings if f.status.value == "fail"]
    assert failed, name  # real configurations: each has something to report
    for f in findings:
        _assert_catalog_message(f, fix=f.status.value == "fail")


def test_firewall_messages_keep_their_english_and_read_in_chinese() -> None:
    findings = [f for name in FILES for f in _firewall_findings(name) if f.status.value == "fail"]
    kinds = {f.details["kind"] for f in findings}
    assert {"any_any", "no_log", "no_comment", "wide", "no_final_deny"} <= kinds, kinds
    wide = next(f for f in findings if f.details["kind"] == "wide")
    assert " is overly wide: " in wide.message
    assert "範圍過寬" in i18n.render(wide.details["msg"], "zh-TW")
    assert "overly" not in i18n.render(wide.details["msg"], "zh-TW")


def test_counter_basis_and_removable_set_are_messages() -> None:
    from compliance.checks import firewall

    members = [{"line": n, "name": f"acl line {n}"} for n in range(1, 16)]
    anomaly = {"message": "line 3 (acl line 3) is redundant: everything it matches already gets the same action "
                          "from line 9 (acl line 9)", "details": {"in_removable_set": True}}
    tail, details = firewall._removable_set(firewall._Group(), anomaly, members) or (None, {})
    message = firewall._anomaly_message(anomaly, tail)
    english = i18n.render(message, "en")
    assert english == (anomaly["message"] + ". It can be deleted together with the other rules of its set (lines "
                       "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 3 more): deleting all 15 leaves every packet's "
                       "decision unchanged")
    chinese = i18n.render(message, "zh-TW")
    assert "為多餘規則" in chinese and "另 3 行" in chinese and "and" not in chinese and details["removable_set_size"] == 15


def test_english_stored_by_earlier_runs_is_still_translated() -> None:
    """Findings judged before the checks wrote messages hold English only: the same entries translate it."""
    old = ("acl #3 permits clear-text or dangerous service(s): telnet, ftp", "Enable logging on the rule.",
           "cam1 is a PRC brand on the audited network (in the inventory); no exception is listed")
    shown = [i18n.stored(text, "zh-TW") for text in old]
    assert shown == ["acl #3 允許明文或高風險服務：telnet, ftp", "於該規則啟用日誌記錄。",
                     "cam1 為大陸廠牌，位於受稽核網路（列於設備清冊）；未列冊為例外"]


def _identity(name: str, brand: str | None, prc: bool | None, oid: int, **extra: Any) -> Observation:
    data = {"name": name, "address": f"192.0.2.{oid}", "brand": brand, "manufacturer": extra.pop("manufacturer", brand),
            "manufacturer_prc": extra.pop("manufacturer_prc", prc), "model": extra.pop("model", None),
            "serial": None, "prc_brand": prc, "confidence": extra.pop("confidence", 0.95), "evidence": [],
            "conflicts": extra.pop("conflicts", []), "status": "identified" if brand else "no_answer", **extra}
    return Observation(device=name, collector="vendor_judge", kind="vendor.identity", data=data, source="judge",
                       id=oid)


def test_every_vendor_finding_is_a_catalog_message() -> None:
    obs = [_identity("cam1", "Hikvision", True, 1, model="DS-2CD2143G0-I"),
           _identity("cam2", "Dahua", True, 2), _identity("sw1", "Cisco", False, 3),
           _identity("u1", None, None, 4, model="X100"), _identity("u2", "TP-Link", True, 5, confidence=0.3),
           _identity("c1", "H3C", True, 6, conflicts=[{"signal": "snmp.sysDescr", "brand": "HPE"}]),
           _identity("h1", "HPE", False, 7, manufacturer="H3C", manufacturer_prc=True),
           _identity("n1", "Acme", None, 8, prc_detail=None)]
    exceptions = [ExceptionRecord("cam2", date(2024, 1, 1), None, None, False, date(2025, 1, 1), 2),
                  ExceptionRecord("cam1", date(2024, 1, 1), date(2024, 2, 1), "VLAN 990", True, date(2030, 1, 1), 3)]
    register = [AssetRecord("A-1", "sw1", None, "Juniper", None, None, None, 2),
                AssetRecord("A-9", "gone", "198.51.100.9", "Cisco", None, None, None, 3)]
    findings = run_vendor_checks(obs, JudgeContext(run_id="r", data={"today": date(2026, 12, 1),
                                                                      "exceptions": exceptions,
                                                                      "asset_register": register}))
    assert {f.check_id for f in findings} == {
        "vendor.prc_brand_on_network", "vendor.prc_exception_invalid", "vendor.not_in_register",
        "vendor.register_not_seen", "vendor.register_brand_mismatch", "vendor.unknown_vendor",
        "vendor.signal_conflict", "vendor.prc_manufacturer_review"}
    for f in findings:
        _assert_catalog_message(f, fix=False)
    invalid = next(f for f in findings if f.subject == "exception:cam2")
    assert invalid.details["problems"] == ["no approval by the competent authority",
                                           "not isolated from the official network",
                                           "past its end of life (2025-01-01): overdue for disposal"]
    assert i18n.render(invalid.details["msg"], "zh-TW") == (
        "cam2 之例外列冊：未經主管機關核定；未與公務網路隔離；已逾使用年限（2025-01-01）：應予銷毀")
    unknown = next(f for f in findings if f.subject == "u1" and f.check_id == "vendor.not_in_register")
    assert unknown.message == "unknown brand X100 at 192.0.2.4 is not in the asset register"
