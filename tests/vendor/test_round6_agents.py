"""Issue 16, round 6 (lead): devices whose own agent names its maker in a place netcomply did not read or weigh.

* a UPS network card's firmware name (UPS-MIB ``upsIdentAgentSoftwareVersion``, "RemotEye4 v1.04": Toshiba's card);
* a firewall appliance's kernel release (Sophos UTM's ``-smp64`` builds with a git-hash tag) behind net-snmp's
  sysObjectID;
* a thermometer whose whole sysDescr is its product name (Papouch "TME");
* an SNMPv3 engine id that carries the agent maker's own enterprise (Megatec, 13409) while the sysObjectID is a
  number the knowledge base doesn't know (Phoenixtec's UPS-MIB 935, which NetAgent cards answer): the registry-only
  number yields to the agent's own maker, as it yields to a label.

Each real row below was unknown or wrong before this round. The guards show the new facts fire on nothing else:
every labelled row of every corpus, near words, and a switch whose sysObjectID the knowledge base does know.
"""

from __future__ import annotations

import pytest

from collectors.vendor import corpus, standard_identity
from collectors.vendor.kb import KnowledgeBase, load_kb
from tests.vendor.test_round5_lines import _compiled, _same_family, _texts, _tuned_row
from tests.vendor.test_round6_history import _every_labelled_row, _history

#: brand -> the alias pattern this round added to it (collectors/vendor/data/knowledge.yaml)
ADDED = {
    "Sophos": r"\d+\.\d+\.\d+-[\d.]+\.g[0-9a-f]{7}(?:\.rb\d+)?-smp(?:64)?\b",
    "Toshiba": r"RemotEye ?\d*",
    "Papouch": r"^(?:SNMP )?TME$",
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.mark.parametrize("row_id", ["sophos", "sophos_1", "sophos_utm", "papouch-tme", "papouch-tme_1", "remoteye4",
                                    "netagent2_2"])
def test_a_real_device_is_named_by_its_own_agent(kb: KnowledgeBase, row_id: str) -> None:
    row, label = _tuned_row(row_id)
    verdict = corpus.verdict_of(kb, row)
    assert corpus.same_vendor(kb, verdict, label), (verdict.brand, label.vendor)
    assert verdict.prc_brand is False


def test_the_card_firmware_names_the_brand_but_is_not_the_ups_version(kb: KnowledgeBase) -> None:
    """The agent's firmware is the card's, so it names the brand; the CPE version stays the UPS's own."""
    identity = {"ups_agent_software": "RemotEye4 v1.04"}
    [claim] = standard_identity.evidence(kb, identity, "1.3.6.1.4.1.8072.3.2.10", "card")
    assert (claim.brand, claim.signal, claim.model, claim.version) == ("Toshiba", "snmp.ups_agent_software", None,
                                                                       None)
    named = standard_identity.evidence(kb, {**identity, "ups_manufacturer": "EATON"}, None, "card")
    assert [e.brand for e in named] == ["Eaton"], "the manufacturer object, when answered, decides alone"


def test_the_engine_id_does_not_displace_a_number_the_knowledge_base_knows(kb: KnowledgeBase) -> None:
    """An HPE-branded switch H3C built answers HPE's sysObjectID and H3C's engine id: HPE stays the brand (the
    rule applies only to a number known from the IANA registry alone)."""
    h3c_engine = "800063a203" + "3ce5a6000001"  # enterprise 25506 (0x63a2), format 3 (MAC)
    hpe = corpus.verdict_of(kb, {"id": "hpe", "sys_object_id": "1.3.6.1.4.1.11.2.3.7.11.152", "engine_id": h3c_engine})
    assert hpe.brand in ("HP", "HPE"), hpe.brand
    registry_only = corpus.verdict_of(kb, {"id": "r", "sys_object_id": "1.3.6.1.4.1.935.1.1.1",
                                           "engine_id": "80003461030003ea0c3fe7"})
    assert registry_only.brand == "Megatec"


def test_no_added_pattern_fires_on_another_vendors_device(kb: KnowledgeBase) -> None:
    """The shipped patterns (:func:`_compiled` fails when one is missing) over every labelled row of every corpus
    (LibreNMS, history, walks, blind, both CLI corpora; standard identity objects included): each names only its
    own brand's devices, and each reads at least one of them."""
    patterns = [(brand, source, _compiled(brand, source, kb)) for brand, source in ADDED.items()]
    fired: list[str] = []
    caught: set[str] = set()
    for name, row, label in _every_labelled_row():
        if label.vendor is None:
            continue
        for text in _texts(row):
            for brand, _, pattern in patterns:
                if pattern.search(text) is None:
                    continue
                if _same_family(kb, brand, label):
                    caught.add(brand)
                else:
                    fired.append(f"{name}:{row['id']} ({label.vendor}): {brand}")
    assert fired == []
    assert caught == set(ADDED)


@pytest.mark.parametrize("text", [
    "Linux build 4.4.0-rc1-1.g1234567-default #1 SMP",  # openSUSE's git-built kernel: '-default', not '-smp64'
    "Linux fw 3.12.74-0.327535988-smp64 #1 SMP",  # no git-hash tag
    "Linux host 2.6.16.60-0.21-smp #1 SMP",  # SLES 10's -smp flavour, no tag
    "TME controller", "SNMP TME 2", "Remote Eye", "TIME",
])
def test_near_words_name_none_of_the_added_brands(kb: KnowledgeBase, text: str) -> None:
    named = {b for b, _ in kb.brands_in_text(text)}
    assert not named & set(ADDED), named


# ------------------------------------------------------------------ ENTITY rows that answer no entPhysicalClass

ENT = "1.3.6.1.2.1.47.1.1.1.1"


def test_an_agent_without_entity_classes_still_names_its_maker() -> None:
    """The live collector's reading of entPhysicalTable: chassis rows when any answers; else the first classless row
    that names a maker, its maker and model only (its description may be any part's); else the table's first row,
    classless, its description and model (the top of the containment tree)."""
    from collectors.snmp_system import entity_rows

    assert entity_rows([(f"{ENT}.12.1", "Siklu")]) == [{"index": "1", "mfg_name": "Siklu"}]
    assert entity_rows([(f"{ENT}.2.1", "PSU"), (f"{ENT}.2.2", "fan tray"), (f"{ENT}.12.2", "Delta"),
                        (f"{ENT}.13.2", "DPS-460")]) == [{"index": "2", "mfg_name": "Delta", "model_name": "DPS-460"}]
    assert entity_rows([(f"{ENT}.2.1", "chassis"), (f"{ENT}.5.1", 3), (f"{ENT}.2.7", "SFP"), (f"{ENT}.12.7", "FINISAR")]
                       ) == [{"index": "1", "descr": "chassis", "class": 3}]
    assert entity_rows([(f"{ENT}.5.7", 10), (f"{ENT}.12.7", "FINISAR")]) == [], "a classed module is not the device"
    # no row names a maker: the first row, classless, is the top of the tree; its description is read (round 7)
    assert entity_rows([(f"{ENT}.2.1", "board"), (f"{ENT}.12.1", " ")]) == [{"index": "1", "descr": "board"}]
    assert entity_rows([(f"{ENT}.12.1", " "), (f"{ENT}.2.2", "board")]) == [], "a later row is any part"


@pytest.mark.parametrize(("corpus_file", "row_id", "brand"), [
    ("history.jsonl", "Jellyfrog:siklu@066cec41d5", "Siklu"),  # was unknown: entPhysicalMfgName.1 only
    ("librenms.jsonl", "qnap_ts431", "QNAP"),  # was named by its Linux banner alone, so prc left to review
])
def test_a_recording_without_entity_classes_is_named_by_its_maker_object(kb: KnowledgeBase, corpus_file: str,
                                                                         row_id: str, brand: str) -> None:
    rows = _history() if corpus_file == "history.jsonl" else {r["id"]: r for r in corpus.load_rows()}
    row = rows[row_id]
    verdict = corpus.verdict_of(kb, row)
    assert (verdict.brand, verdict.prc_brand) == (brand, False)
    assert any(e.signal == "snmp.entPhysicalMfgName" for e in verdict.evidence if e.brand)


# ------------------------------------------------------------------ words that say what a device is, not who made it


@pytest.mark.parametrize("text", ["Switched PDU", "Switched Rack PDU", "Power Distribution Unit", "Metered Rack PDU"])
def test_a_description_of_the_device_names_no_registrant(kb: KnowledgeBase, text: str) -> None:
    """"Switched" leads one registrant's name (Switched Network Technologies) and "Power Distribution" is another's
    (Power Distribution, Inc.): said by a PDU about itself, they name neither."""
    from collectors.vendor import evidence as E

    assert [e.brand for e in E.from_text(kb, "snmp.sysDescr", text, "t", "descr") if e.brand] == []


def test_a_pdu_that_calls_itself_switched_is_named_by_its_maker(kb: KnowledgeBase) -> None:
    """LibreNMS recording digipower: brand "Switched Network Technologies" (from its words) before; DigiPower now."""
    row, label = _tuned_row("digipower")
    verdict = corpus.verdict_of(kb, row)
    assert verdict.brand is not None and corpus.same_vendor(kb, verdict, label) and "Switched" not in verdict.brand
