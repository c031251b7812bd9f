"""The device's own MACs (dot1dBaseBridgeAddress, ifPhysAddress) as a last-resort brand signal.

Real data only: OUIs through netaddr's bundled IEEE registry, a published recording of a real Ubiquiti EdgeSwitch
whose agent is Realtek's reference agent (tests/vendor/fixtures/own_macs, SOURCES beside it), and the corpus.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from hypothesis import given
from hypothesis import strategies as st

from collectors.vendor import corpus, own_macs, recordings
from collectors.vendor.evidence import Evidence, from_text
from collectors.vendor.identify import identify
from collectors.vendor.kb import load_kb
from collectors.vendor.oui import locally_administered, multicast

FIXTURES = Path(__file__).parent / "fixtures" / "own_macs"
ROOT = Path(__file__).resolve().parents[2]
KB = load_kb()

HUAWEI = "00:e0:fc:12:34:56"  # HUAWEI TECHNOLOGIES CO.,LTD
UBIQUITI = "18:e8:29:ba:73:be"  # Ubiquiti Inc
INTEL = "00:1b:21:12:34:56"  # Intel Corporate: a NIC chip
TQ = "00:d0:93:12:34:56"  # TQ - COMPONENTS GMBH: a system-on-module maker
ROUTERBOARD = "4c:5e:0c:12:34:56"  # Routerboard.com: MikroTik's hardware line


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vendor_corpus_tool", ROOT / "tools" / "vendor_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------------------ the filter


def test_virtual_redundancy_local_multicast_and_null_macs_are_not_hardware() -> None:
    kept = own_macs.candidates([
        "00:50:56:aa:bb:cc",  # VMware
        "00:0c:29:aa:bb:cc",  # VMware
        "00:15:5d:01:02:03",  # Hyper-V
        "52:54:00:12:34:56",  # QEMU/KVM (locally administered)
        "00:00:5e:00:01:0a",  # VRRP
        "00:00:0c:07:ac:01",  # HSRP v1
        "01:00:5e:00:00:01",  # IPv4 multicast
        "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "not a mac", None,
        "0019.c6aa.bbcc",  # ZTE, Cisco's dotted form
        "00:00:0c:12:34:56",  # Cisco's own OUI outside the HSRP range stays
    ])
    assert kept == ["00:19:c6:aa:bb:cc", "00:00:0c:12:34:56"]


def test_one_mac_per_oui_comes_first_and_the_limit_holds() -> None:
    macs = [f"18:e8:29:ba:73:{i:02x}" for i in range(10)] + [HUAWEI]
    assert own_macs.candidates(macs, 2) == ["18:e8:29:ba:73:00", HUAWEI]
    assert own_macs.candidates(macs)[:2] == ["18:e8:29:ba:73:00", HUAWEI] and len(own_macs.candidates(macs)) == 11


_MAC = st.builds(lambda b: ":".join(f"{x:02x}" for x in b), st.binary(min_size=6, max_size=6))


@given(st.lists(st.one_of(_MAC, st.sampled_from(["00:50:56:00:00:01", "00:00:5e:00:01:01", "", "zz"])),
                max_size=30), st.integers(min_value=1, max_value=8))
def test_candidates_are_distinct_hardware_macs_of_the_input(macs: list[str], limit: int) -> None:
    got = own_macs.candidates(macs, limit)
    assert len(got) == len(set(got)) <= limit
    assert set(got) <= set(macs)
    for mac in got:
        assert not locally_administered(mac) and not multicast(mac) and own_macs.virtual_note(mac) is None
    hardware = {m for m in macs if own_macs.hardware(m)}
    assert len(got) == min(limit, len(hardware))
    ouis = {m[:8] for m in hardware}
    assert len({m[:8] for m in got}) == min(len(got), len(ouis))  # every OUI shows before any repeat


# ---------------------------------------------------------------------------------------------- the evidence


def test_a_brand_oui_is_a_lowest_weight_maker_claim_and_parts_name_nothing() -> None:
    ev = {e.value: e for e in own_macs.evidence(KB, [HUAWEI, INTEL, TQ, ROUTERBOARD], "test")}
    assert (ev[HUAWEI].brand, ev[HUAWEI].kind, ev[HUAWEI].registrant) == ("Huawei", "maker",
                                                                          "HUAWEI TECHNOLOGIES CO.,LTD")
    assert ev[HUAWEI].weight == own_macs.load().weight < min(KB.weights.values())
    assert ev[ROUTERBOARD].brand == "MikroTik" and "RouterBOARD" in (ev[ROUTERBOARD].note or "")
    for part in (INTEL, TQ):
        assert ev[part].brand is None and ev[part].weight == 0 and "part" in (ev[part].note or "")


def test_an_iab_block_is_resolved_and_an_unknown_registrant_names_no_brand() -> None:
    """00:50:c2 is an IEEE-RA block sub-assigned in IABs: the IAB registrant is the organisation; one the knowledge
    base does not know is shown for review but names no brand (82 % right on the corpus: too weak)."""
    (e,) = own_macs.evidence(KB, ["00:50:c2:0d:e1:55"], "test")
    assert e.registrant and e.registrant != own_macs.IEEE_RA
    assert e.brand is None and e.kind == "info"


def _descr(text: str) -> list[Evidence]:
    return from_text(KB, "snmp.sysDescr", text, "test sysDescr", "sysdescr_text")


def test_own_macs_never_outvote_another_signal() -> None:
    """A Cisco label with a Huawei NIC: Cisco, no conflict, not PRC (the OUI is shown, not counted)."""
    v = identify(KB, _descr("Cisco IOS Software, C2960X Software") + own_macs.evidence(KB, [HUAWEI], "test"))
    assert (v.brand, v.prc_brand, v.conflicts) == ("Cisco", False, [])
    assert any(e.signal == own_macs.SIGNAL for e in v.evidence)


def test_alone_they_decide_but_never_make_prc_no() -> None:
    """Only the OUI names the brand: a PRC brand's OUI flags yes, a non-PRC brand's stays unknown (needs review:
    the NIC's buyer may be an OEM's supplier)."""
    huawei = identify(KB, own_macs.evidence(KB, [HUAWEI], "test"))
    assert (huawei.brand, huawei.prc_brand) == ("Huawei", True)
    ubnt = identify(KB, own_macs.evidence(KB, [UBIQUITI], "test"))
    assert ubnt.brand == "Ubiquiti" and KB.prc("Ubiquiti") is False
    assert ubnt.prc_brand is None and ubnt.prc_state == "unknown" and ubnt.prc_rule == "maker_only"


@given(st.lists(_MAC, min_size=1, max_size=6))
def test_own_macs_alone_are_never_a_silent_no(macs: list[str]) -> None:
    v = identify(KB, own_macs.evidence(KB, macs, "test"))
    assert v.prc_brand is not False


# ------------------------------------------------------------------------------------- a real device, end to end


def test_a_real_edgeswitch_on_realteks_agent_is_named_by_its_own_macs() -> None:
    """The corpus tool keeps the recording's own MACs (bridge address first, at most four, one per OUI first), and
    only they name the brand: Ubiquiti, with PRC state "needs review" (a MAC alone never says "no")."""
    text = (FIXTURES / "edgeswitch_10xp.snmprec").read_text(encoding="utf-8")
    tool = _tool()
    rec = tool.trim(text, set())
    assert rec["macs"][0] == "18:e8:29:ba:73:be"  # dot1dBaseBridgeAddress
    assert 1 <= len(rec["macs"]) <= recordings.MAX_MACS and len(set(rec["macs"])) == len(rec["macs"])
    row = {"id": "edgeswitch_10xp", "path": "tests/snmpsim/edgeswitch_10xp.snmprec", **rec}
    without = corpus.verdict_of(KB, {k: v for k, v in row.items() if k != "macs"})
    assert without.brand is None  # Realtek's reference agent and mfg name: a chip, no brand
    v = corpus.verdict_of(KB, row)
    assert (v.brand, v.prc_brand, v.prc_rule) == ("Ubiquiti", None, "maker_only")


def test_the_corpus_keeps_own_macs_filtered() -> None:
    rows = corpus.load_rows()
    with_macs = [r for r in rows if r.get("macs")]
    assert len(with_macs) >= 700  # 750 of 1,909 recordings answer ifPhysAddress or dot1dBaseBridgeAddress
    for r in with_macs:
        assert 1 <= len(r["macs"]) <= 4 and r["macs"] == own_macs.candidates(r["macs"]), r["id"]
