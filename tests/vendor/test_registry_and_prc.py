"""The IANA PEN registry, the PRC-maker rule chain, the tri-state ``prc_brand`` and partial SNMP answers."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.vendor import evidence as E
from collectors.vendor import makers, pen
from collectors.vendor.identify import STATUS_NO_ANSWER, STATUS_UNKNOWN, identify
from collectors.vendor.kb import load_kb
from compliance.checks.base import JudgeContext
from compliance.checks.vendor import UnknownVendor
from netcomply.contracts.vendor import CONTRACTS, PRC_RULES, prc_state
from netcomply.models import FindingStatus, Observation

# ------------------------------------------------------------------------------------------ the registry


def test_the_full_registry_ships_with_its_date() -> None:
    reg = pen.load()
    assert len(reg.names) > 60000
    assert reg.updated == "2024-08-23"
    assert reg.registrant(2011) == "HUAWEI Technology Co.,Ltd"
    assert reg.registrant(3807) == "Wuhan Research Institute of Posts and Telecommunications"
    assert "62240 entries" in reg.label()


def test_every_enterprise_number_of_the_corpus_resolves() -> None:
    """sysObjectIDs of 1,800 real devices: every enterprise number names a registrant."""
    from collectors.snmp_system import enterprise_number
    from collectors.vendor.corpus import load_rows

    numbers = {n for r in load_rows() if (n := enterprise_number(r.get("sys_object_id"))) is not None}
    missing = {n for n in numbers if pen.load().registrant(n) is None}
    assert len(numbers) > 400
    # only numbers assigned after the snapshot was taken, or never assigned (Dahua's 1004849, a test 9999999)
    newest = max(pen.load().names)
    assert all(n > newest for n in missing), missing


def test_update_reads_both_layouts(tmp_path: Path) -> None:
    iana = tmp_path / "enterprise-numbers"
    lines = ["PRIVATE ENTERPRISE NUMBERS", "(last updated 2026-11-30)", "Decimal", "| Organization"]
    for n in range(60000):
        lines += [str(n), f"  Maker {n} Co., Ltd.", "    Contact", "      mail&example.com"]
    iana.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "snap.tsv.gz"
    count, updated = pen.update(str(iana), target)
    assert (count, updated) == (60000, "2026-11-30")
    with gzip.open(target, "rt", encoding="utf-8") as fh:
        names, when = pen.parse(fh)
    assert names[42] == "Maker 42 Co., Ltd." and when == "2026-11-30"
    small = tmp_path / "small.tsv"
    small.write_text("1\tA\n2\tB\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="only 2 enterprise numbers"):
        pen.update(str(small), tmp_path / "x.gz")


@pytest.mark.parametrize(("raw", "brand"), [
    ("HUAWEI Technology Co.,Ltd", "HUAWEI Technology"), ("Eaton Corporation", "Eaton"),
    ("Zhongxing Telecom Co.,ltd. (abbr. ZTE)", "ZTE"), ("IBM (https://w3.ibm.com/standards )", "IBM"),
    ("A10 Networks (previously 'Raksha Networks Inc.')", "A10 Networks"), ("MIKROTIK", "Mikrotik"),
])
def test_registrant_brand(raw: str, brand: str) -> None:
    assert pen.registrant_brand(raw) == brand


@given(st.text(min_size=1, max_size=60))
def test_names_never_clean_to_nothing(name: str) -> None:
    if name.strip():
        assert pen.registrant_brand(name) or not pen.clean_registrant(name)
    assert pen.name_key(pen.name_key(name)) == pen.name_key(name) or not pen.name_key(name)


def test_registrant_is_manufacturer_evidence() -> None:
    """An enterprise the knowledge base does not know still names its maker, from the registry (Ruby Tech, a
    Taiwanese switch maker; Eaton was the example until round 8 gave it a knowledge-base entry)."""
    kb = load_kb()
    assert kb.canonical("Ruby Tech") is None
    ev = E.from_sys_object_id(kb, "1.3.6.1.4.1.5205.1", "test")
    assert ev[0].registrant == "Ruby Tech Corp." and ev[0].manufacturer == "Ruby Tech" and ev[0].brand == "Ruby Tech"
    v = identify(kb, ev)
    assert (v.brand, v.manufacturer, v.prc_brand, v.prc_rule) == ("Ruby Tech", "Ruby Tech", False, makers.RULE_OUI)


def test_generic_registrants_name_no_brand() -> None:
    kb = load_kb()
    for oid in ("1.3.6.1.4.1.8072.3.2.10", "1.3.6.1.4.1.3561.1", "1.3.6.1.4.1.16972", "1.3.6.1.4.1.26381"):
        assert not any(e.brand for e in E.from_sys_object_id(kb, oid, "t")), oid


def test_registrant_names_in_free_text_need_a_capitalised_name() -> None:
    assert [w for _, w in pen.registrants_in_text("Linux Teltonika-RUT240.com 3.18.44")] == ["Teltonika"]
    assert pen.registrants_in_text("FreeBSD host.example.org 10.0-RELEASE") == []


# ------------------------------------------------------------------------------------------ the PRC rule chain


@pytest.mark.parametrize(("brand", "registrants", "prc", "rule"), [
    ("ZTE", (), True, makers.RULE_KB),
    ("HP", (), False, makers.RULE_KB),
    ("Foo", ("Beijing Raisecom Scientific & Technology Development Co., Ltd.",), True, makers.RULE_GROUP),
    ("Shenzhen Foo Bar", (), True, makers.RULE_PLACE),
    ("Wuhan Research Institute of Posts and Telecommunications", (), True, makers.RULE_PLACE),
    ("Tailyn", ("Tailyn Technologies",), False, makers.RULE_OUI),
    ("Alcatel-Lucent Enterprise", (), None, makers.RULE_KB),  # left open on purpose: the agency decides
    ("Qwzxv Widgets", (), None, makers.RULE_NONE),
])
def test_rule_chain(brand: str, registrants: tuple[str, ...], prc: bool | None, rule: str) -> None:
    judged = makers.judge_maker(load_kb(), brand, registrants)
    assert (judged.prc, judged.rule) == (prc, rule), judged.detail
    assert judged.rule in PRC_RULES


_KNOWN = {b.lower() for b in load_kb().brands}


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_regex(r"[QXZ][qxzvjk]{3,8} (?:Labs|Devices|Gear)", fullmatch=True))
def test_a_brand_nobody_knows_is_never_silently_not_prc(brand: str) -> None:
    """No list, place, group or registry knows these names: the answer must be "unknown", never "no". This fails
    if the chain's last rule (or the verdict) defaults to False."""
    kb = load_kb()
    assert brand.lower() not in _KNOWN
    judged = makers.judge_maker(kb, brand)
    assert judged.prc is None and judged.rule == makers.RULE_NONE
    v = identify(kb, [E.Evidence("snmp.sysDescr", brand, "t", brand=brand, weight=0.8, kind="label")])
    assert v.brand == brand and v.prc_brand is None and v.prc_state == "unknown"


def test_unknown_prc_state_is_a_manual_finding() -> None:
    data = {"brand": "Qwzxv Labs", "prc_brand": None, "confidence": 0.9, "prc_detail": "no rule knows Qwzxv Labs",
            "status": "identified"}
    obs = Observation(device="d1", collector="vendor_judge", kind="vendor.identity", data=data, source="judge", id=7)
    findings = list(UnknownVendor().run([obs], JudgeContext(run_id="r1", data={"today": date(2026, 12, 4)})))
    assert [f.status for f in findings] == [FindingStatus.MANUAL]
    assert "unknown" in findings[0].message and "Qwzxv" in findings[0].message


def test_maker_registration_alone_is_review_not_yes() -> None:
    """A Shenzhen-registered maker answering its own number, with no label: the product may be an OEM's."""
    kb = load_kb()
    ev = E.from_sys_object_id(kb, "1.3.6.1.4.1.50224.3.1.1", "t")  # Shenzhen HS Fiber (sold as PARKS)
    v = identify(kb, ev)
    assert v.prc_brand is None and v.prc_rule == "maker_only"


def test_contract_states() -> None:
    assert [prc_state(x) for x in (True, False, None)] == ["yes", "no", "unknown"]
    assert CONTRACTS["vendor.identity"][1] == 2


# ------------------------------------------------------------------------------------------ partial answers


def test_sysdescr_and_entity_without_sysobjectid_are_used() -> None:
    """The device answers sysDescr and ENTITY-MIB but not sysObjectID: identified from what it did answer."""
    kb = load_kb()
    data = {"sys_descr": "S5735-L48T4X-A1", "sys_object_id": None,
            "entity": [{"index": "1", "class": 3, "mfg_name": "Huawei", "model_name": "S5735-L48T4X-A1"}]}
    v = identify(kb, E.from_snmp_system(kb, data, "t"))
    assert (v.brand, v.prc_brand, v.model) == ("Huawei", True, "S5735-L48T4X-A1")


def test_an_answer_that_names_nothing_is_unknown_not_no_answer() -> None:
    """Old code: a sysDescr naming no brand gave no evidence at all and the verdict said "no answer"."""
    kb = load_kb()
    v = identify(kb, E.from_snmp_system(kb, {"sys_descr": "Linux box 5.10.0 armv7l"}, "t"))
    assert v.status == STATUS_UNKNOWN and v.brand is None and v.prc_brand is None
    assert any(e.signal == "snmp.sysDescr" for e in v.evidence)
    assert identify(kb, []).status == STATUS_NO_ANSWER


def test_private_subtree_identifies_a_generic_agent() -> None:
    """net-snmp's sysObjectID, but the agent answers Ubiquiti's own MIB: the maker is read from that."""
    kb = load_kb()
    ev = E.from_snmp_system(kb, {"sys_descr": "Linux 3.14.65 armv7l", "sys_object_id": "1.3.6.1.4.1.8072.3.2.10"},
                            "t") + E.from_enterprise_subtrees(kb, [2021, 41112], "1.3.6.1.4.1.8072.3.2.10", "t")
    v = identify(kb, ev)
    assert v.brand == "Ubiquiti" and v.prc_brand is False


@pytest.mark.parametrize(("descr", "brand"), [
    ("Barracuda Load Balancer ADC", "Barracuda"),  # sysDescr strings of LibreNMS recordings, net-snmp agents
    ("SHARP MX-2614N", "Sharp"),
    ("Linux Teltonika-RUT240.com 3.18.44 #1 Fri Jun 7 08:39:02 UTC 2019 mips", "Teltonika"),
    ("Linux hostname 3.10.77 #8451 SMP Wed Jan 4 00:31:32 CST 2017 x86_64", None),
])
def test_registered_names_in_a_sysdescr(descr: str, brand: str | None) -> None:
    kb = load_kb()
    v = identify(kb, E.from_snmp_system(kb, {"sys_descr": descr, "sys_object_id": "1.3.6.1.4.1.8072.3.2.10"}, "t"))
    assert v.brand == brand
    if brand is None:
        assert v.prc_brand is None


def test_cli_output_is_not_searched_for_registered_words() -> None:
    """`show system` says "Status" and "Supervisor": ordinary words some company registered, not brands."""
    kb = load_kb()
    ev = E.from_cli(kb, {"show system": "Switch System Status\nSupervisor: active\nBootstrap 1.2\n"}, None, "t")
    assert not any(e.brand for e in ev)
