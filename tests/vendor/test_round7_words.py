"""Issue 16, round 7: a device's words that name its maker and that netcomply did not read.

* the kernel release of a Linux banner, which an appliance maker tags with its name (``el6.f5``, ``EXINDAsmp``,
  ``el7.nutanix``) behind net-snmp's sysObjectID or none (:mod:`collectors.vendor.kernel_tags`);
* the first ENTITY-MIB row when the agent states no class for any row: the top of the containment tree ("Aruba
  6300 VSF Stack", "Juniper Virtual Chassis Switch", "Fortinet FGT_1500D, HW Serial#: ...")
  (:func:`collectors.snmp_system.chassis_rows`);
* a brand name joined to the next word by an underscore ("HP_3PAR 7200c").

These matter most when a device answers its words and not its numbers (no sysObjectID: the issue's "partial
answers"), so the real rows below are judged both whole and as such a partial answer (``tools/vendor_partial.py``).
Each was unknown before this round. The guards show the new readings fire on no other vendor's device in any
corpus.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.snmp_system import chassis_rows, entity_rows
from collectors.vendor import corpus, kernel_tags, makers, pen
from collectors.vendor.kb import KnowledgeBase, literal_head, load_kb
from tests.vendor.test_round5_lines import _texts, _tuned_row
from tests.vendor.test_round6_history import _every_labelled_row
from tools.toolmodule import load as load_tool

PARTIAL = load_tool("vendor_partial")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def _partial_verdict(kb: KnowledgeBase, row: Mapping[str, Any]) -> Any:
    return corpus.verdict_of(kb, PARTIAL.partial(row))


# ------------------------------------------------------------------------------------------ kernel tags


@pytest.mark.parametrize("row_id", ["f5", "f5_ve", "nutanix-aos", "exinda"])
def test_a_kernel_release_tag_names_the_appliance_maker(kb: KnowledgeBase, row_id: str) -> None:
    row, label = _tuned_row(row_id)
    verdict = _partial_verdict(kb, row)
    assert corpus.same_vendor(kb, verdict, label), (verdict.brand, label.vendor)
    claim = next(e for e in verdict.evidence if e.brand == verdict.brand)
    assert "kernel release is tagged" in claim.note
    assert verdict.prc_brand is not True


def test_the_host_name_is_never_read_as_a_kernel_tag(kb: KnowledgeBase) -> None:
    assert kernel_tags.makers_tagged(kb, "Linux f5-nutanix-exinda 4.19.0-21-amd64 #1 SMP Debian") == []
    assert kernel_tags.release_of("Linux f5-box 4.19.0-21-amd64 #1 SMP") == "4.19.0-21-amd64"
    assert kernel_tags.release_of("Linux version 3.10.0-327.el7.x86_64 (mockbuild@x86-034)") == "3.10.0-327.el7.x86_64"
    assert kernel_tags.release_of("Linux 5.10.0") == "5.10.0"
    assert kernel_tags.release_of("FreeBSD f5 12.1-RELEASE") is None


@pytest.mark.parametrize(("banner", "brand"), [
    # F5 BIG-IP 10.x/11.x (netdisco/snmp-info xt/lib/Test/SNMP/Info/Layer3/F5.pm, a real BIG-IP's sysDescr)
    ("Linux bigip1 2.6.18-164.11.1.el5.1.0.f5app #1 SMP Thu Oct 25 15:30:27 PDT 2012 x86_64", "F5"),
    ("Linux host 2.6.32-431.56.1.el6.f5.x86_64 #1 SMP", "F5"),
])
def test_a_tag_with_a_build_flavour_ending_still_names_its_maker(kb: KnowledgeBase, banner: str, brand: str) -> None:
    assert [t.brand for t in kernel_tags.makers_tagged(kb, banner)] == [brand]


@pytest.mark.parametrize("word", ["pveapp", "whatapp", "xsmp", "desktopsmp", "smart", "webapp"])
def test_a_flavour_ending_on_a_word_that_is_no_brand_names_nobody(kb: KnowledgeBase, word: str) -> None:
    assert kernel_tags.makers_tagged(kb, f"Linux host 4.9.0-{word}-1 #1 SMP") == []


@pytest.mark.parametrize("word", ["sonoma", "target", "lighthouse", "gryphon"])
def test_a_code_name_several_registrants_bear_names_no_maker(kb: KnowledgeBase, word: str) -> None:
    """Kernel words seen in real banners (boards' and products' code names): each is in several registered names,
    so none of them is the one maker the word names."""
    assert pen.registrations_naming(word) > 1
    assert kernel_tags.makers_tagged(kb, f"Linux host 4.9.0-{word}-1 #1 SMP") == []


@pytest.mark.parametrize("word", ["rockchip", "sunxi", "mvebu", "qcom", "amzn2", "el7", "generic", "rt"])
def test_chip_board_and_distribution_words_name_no_maker(kb: KnowledgeBase, word: str) -> None:
    assert kernel_tags.makers_tagged(kb, f"Linux host 4.4.194-{word} #1 SMP PREEMPT") == []


@given(st.lists(st.sampled_from(sorted(kernel_tags.NOT_MAKERS)), min_size=1, max_size=6),
       st.lists(st.integers(min_value=0, max_value=999), min_size=1, max_size=4))
def test_release_words_never_hold_a_word_that_names_no_maker(words: list[str], numbers: list[int]) -> None:
    release = ".".join(str(n) for n in numbers) + "-" + ".".join(w + str(n) for w, n in zip(words, numbers * 6,
                                                                                             strict=False))
    assert kernel_tags.release_words(release) == []


def test_kernel_tags_fire_on_no_other_vendors_device(kb: KnowledgeBase) -> None:
    fired = []
    seen = 0
    for name, row, label in _every_labelled_row():
        if label.vendor is None:
            continue
        for tag in kernel_tags.makers_tagged(kb, str(row.get("sys_descr") or "")):
            seen += 1
            verdict = corpus.verdict_of(kb, {"id": "tag", "sys_descr": row["sys_descr"]})
            if verdict.brand != tag.brand or not corpus.same_vendor(kb, verdict, label):
                fired.append((name, row.get("id"), tag.word, label.vendor))
    assert seen >= 5, "the guard must see the tags fire"
    assert fired == []


# ------------------------------------------------------------------------------------------ ENTITY top row


@pytest.mark.parametrize("row_id", ["arubaos-cx_6300m", "fortigate_1500d-sensors", "junos_ex4600mp"])
def test_a_classless_first_entity_row_names_the_device(kb: KnowledgeBase, row_id: str) -> None:
    row, label = _tuned_row(row_id)
    assert all("class" not in r for r in row["entity"]), "the agent states no class"
    verdict = _partial_verdict(kb, row)
    assert corpus.same_vendor(kb, verdict, label), (verdict.brand, label.vendor)
    assert any(e.signal == "snmp.entPhysicalDescr" and e.brand == verdict.brand for e in verdict.evidence)


def test_the_hardware_under_another_brands_os_does_not_outweigh_its_words(kb: KnowledgeBase) -> None:
    """PicOS on an Edgecore box: its sysDescr and sysObjectID say Pica8, the classless first row says Edgecore.
    The row weighs less than the device's own description, so the brand stays Pica8."""
    row, _label = _tuned_row("picos")
    assert "Edgecore" in row["entity"][0]["descr"]
    assert corpus.verdict_of(kb, row).brand == "Pica8"


def test_chassis_rows_keep_the_first_classless_row_only_when_no_row_names_a_maker() -> None:
    walk = [("1.3.6.1.2.1.47.1.1.1.1.2.1", "Aruba 6300 VSF Stack"),
            ("1.3.6.1.2.1.47.1.1.1.1.11.1", ""),
            ("1.3.6.1.2.1.47.1.1.1.1.2.101001", "6300M 24-port SFP+ and 4-port SFP56 Switch"),
            ("1.3.6.1.2.1.47.1.1.1.1.11.101001", "SG19KMX0MQ")]
    assert entity_rows(walk) == [{"index": "1", "descr": "Aruba 6300 VSF Stack"}]
    named = [{"index": "1", "descr": "Stack"}, {"index": "2", "mfg_name": "Siklu", "model_name": "EH-8010"}]
    assert chassis_rows(named) == [{"index": "2", "mfg_name": "Siklu", "model_name": "EH-8010"}]
    port_first = [{"index": "1", "class": 10, "descr": "Ethernet Port"}, {"index": "2", "descr": "Cisco thing"}]
    assert chassis_rows(port_first) == [], "a first row of a stated class other than chassis is never read"


# ------------------------------------------------------------------------------------------ underscores


def test_an_underscore_separates_a_brand_from_the_next_word(kb: KnowledgeBase) -> None:
    assert ("HP", "HP") in kb.brands_in_text("HP_3PAR 7200c, ID: 00000, InForm OS version: 3.2.2 (MU3)")
    assert kb.brands_in_text("CHP_X200") == [], "still whole words: a brand inside a longer word is not named"


# ------------------------------------------------------------------------------------------ known PRC organisations


def _literal_aliases() -> list[tuple[makers.Group, str]]:
    """Each group's plain-word aliases long enough for free text (no regular-expression syntax in them)."""
    out = []
    for group in makers.load_makers().groups:
        for pattern in group.text_patterns:
            alias = pattern.pattern.removeprefix(r"(?<![\w])").removesuffix(r"(?![\w])")
            if re.fullmatch(r"[A-Za-z][A-Za-z .&-]*", alias):
                out.append((group, alias))
    return out


def test_a_text_naming_a_known_prc_organisation_names_its_brand(kb: KnowledgeBase) -> None:
    """Every organisation prc_makers.yaml knows by a plain name, named first in a sysDescr, is the brand, and the
    group's judgement decides ``prc_brand`` (before round 7 a maker the knowledge base did not list as a brand came
    back unknown: "Yeastar S-Series VoIP PBX", "KEDACOM IPC")."""
    checked = 0
    for group, alias in _literal_aliases():
        if kb.brands_in_text(alias):
            continue  # a knowledge-base brand as well: its own entry decides
        verdict = corpus.verdict_of(kb, {"id": "t", "sys_descr": f"{alias} X100 V2.1"})
        known = kb.brand(group.name)  # "fiber home": the group's spelling, the knowledge base's brand
        expected = (known.prc, "knowledge_base") if known else (group.prc, "prc_group")
        assert (verdict.brand, verdict.prc_brand, verdict.prc_rule) == (group.name, *expected), alias
        checked += 1
    assert checked >= 40


def test_short_acronyms_of_organisations_are_not_read_in_free_text(kb: KnowledgeBase) -> None:
    """"GWD" is GW Delight's registered acronym, and in free text any other thing's word."""
    assert makers.groups_in_text("GWD uplink 10G") == []
    assert makers.judge_maker(kb, "GWD").prc is True, "an organisation's registered name still names it"


def test_a_known_organisation_named_as_compatible_is_not_the_brand(kb: KnowledgeBase) -> None:
    verdict = corpus.verdict_of(kb, {"id": "t", "sys_descr": "SIP phone X3, compatible with Yeastar PBX"})
    assert verdict.brand is None


def test_known_organisations_name_no_other_vendors_device(kb: KnowledgeBase) -> None:
    fired = []
    seen = 0
    for name, row, label in _every_labelled_row():
        if label.vendor is None or not any(makers.groups_in_text(t) for t in _texts(row)):
            continue
        seen += 1
        verdict = corpus.verdict_of(kb, row) if "text" not in row else None
        if verdict is not None and verdict.brand and not corpus.same_vendor(kb, verdict, label):
            fired.append((name, row.get("id"), verdict.brand, label.vendor))
    assert seen >= 20, "the guard must see the organisations named"
    assert fired == []


def test_a_prc_group_names_the_brand_without_the_knowledge_base() -> None:
    """Huawei's VRP banner ("Huawei Versatile Routing Platform Software ...") with a knowledge base that lacks
    Huawei: the PRC-maker list's group names the brand from the text and says yes, with or without Recog."""
    from tests.vendor.test_recog import _kb_without, _rows

    kb = _kb_without("Huawei")
    verdict = corpus.verdict_of(kb, {"id": "vrp_4", "sys_descr": _rows()["vrp_4"]["sys_descr"]})
    assert (verdict.brand, verdict.prc_brand, verdict.prc_rule) == ("Huawei", True, "prc_group")
    assert any("PRC-maker list" in (e.note or "") for e in verdict.evidence if e.kind == "label")


# ------------------------------------------------------------------------------------------ entPhysicalMfgName


def _chassis(mfg: str, descr: str = "") -> dict[str, Any]:
    return {"id": "t", "sys_descr": descr, "entity": [{"index": "1", "class": 3, "mfg_name": mfg, "model_name": "X1"}]}


def test_a_maker_the_knowledge_base_does_not_list_is_named_by_the_chassis_row(kb: KnowledgeBase) -> None:
    """RFC 6933: entPhysicalMfgName is "the name of the manufacturer of this physical component". A maker neither the
    knowledge base nor the PRC-maker list names is still the brand the chassis states (before round 7: unknown), and
    the PRC judgement reads its registered-style name ("Shenzhen ..." is a PRC place)."""
    verdict = corpus.verdict_of(kb, _chassis("Shenzhen Example Technology Co., Ltd."))
    assert verdict.brand == "Shenzhen Example Technology"
    assert (verdict.prc_brand, verdict.prc_rule) == (True, "registered_place")
    group = corpus.verdict_of(kb, _chassis("KSTAR"))
    assert (group.brand, group.prc_brand, group.prc_rule) == ("KSTAR", True, "prc_group")


def test_a_maker_the_chassis_row_names_yields_to_the_devices_own_brand(kb: KnowledgeBase) -> None:
    """ADVA's FSP 150 (LibreNMS adva_fsp150_ge112): its chassis row names Sanmina, the contract manufacturer of the
    board, and its sysDescr is ADVA's model number; answered without its sysObjectID, the brand stays ADVA."""
    row, label = _tuned_row("adva_fsp150_ge112")
    assert row["entity"][0]["mfg_name"] == "Sanmina"
    verdict = _partial_verdict(kb, row)
    assert corpus.same_vendor(kb, verdict, label), verdict.brand


@pytest.mark.parametrize("value", ["To be filled by O.E.M.", "Default string", "System manufacturer", "OEM",
                                   "Unknown", "N/A", "UN344269584", "MP-118 FXS", "0x00", "--"])
def test_a_placeholder_or_another_columns_text_names_no_maker(kb: KnowledgeBase, value: str) -> None:
    verdict = corpus.verdict_of(kb, _chassis(value))
    assert verdict.brand is None and verdict.prc_brand is None


def test_a_chip_makers_name_in_the_chassis_row_is_the_boards_maker_not_the_brand(kb: KnowledgeBase) -> None:
    verdict = corpus.verdict_of(kb, _chassis("Realtek"))
    assert verdict.brand is None and verdict.manufacturer == "Realtek"


@given(st.text(alphabet=st.characters(codec="ascii", categories=("L", "N", "P", "Zs")), min_size=1, max_size=40))
def test_any_chassis_maker_value_names_at_most_what_the_row_says(value: str) -> None:
    """Whatever a chassis row's maker column holds, a brand in the verdict is one the row's maker claim names (the
    row is the only signal), and a PRC judgement comes only with a brand."""
    verdict = corpus.verdict_of(load_kb(), _chassis(value))
    claims = {e.brand for e in verdict.evidence if e.signal == "snmp.entPhysicalMfgName" and e.kind == "label"}
    assert verdict.brand is None or verdict.brand in claims, (value, verdict.brand, claims)
    assert verdict.prc_brand is None or verdict.brand is not None


def test_a_classless_rows_unlisted_maker_is_not_the_brand(kb: KnowledgeBase) -> None:
    """A classless row that names a maker may be any part's (a power supply, an optic): only a knowledge-base brand
    counts from it, as before round 7; the same name in a chassis row is the device's maker."""
    parts = {"id": "t", "entity": [{"index": "1", "descr": "PSU"},
                                   {"index": "2", "mfg_name": "Finisar Corp.", "model_name": "FTLX8571D3BCL"}]}
    assert corpus.verdict_of(kb, parts).brand is None
    assert corpus.verdict_of(kb, _chassis("Finisar Corp.")).brand is not None


# ------------------------------------------------------------------------------------------ alias needles


def test_every_alias_needle_occurs_in_every_text_its_alias_matches(kb: KnowledgeBase) -> None:
    """The cheap first test of an alias (its literal head, ``kb._needle``) must never skip a text the alias matches:
    checked for every alias of every brand against every text of every corpus."""
    texts = {t for _name, row, _label in _every_labelled_row() for t in _texts(row)}
    checked = 0
    for brand in kb.brands.values():
        for pattern, needle in zip(brand.aliases, brand.needles, strict=True):
            core = pattern.pattern.removeprefix(r"(?<![^\W_]|-)(?:").removesuffix(r")(?![^\W_])")
            if needle is None or needle == core.lower().replace("\\", ""):
                continue  # a plain word's needle is the word itself: only literal heads of real patterns are checked
            for text in texts:
                if pattern.search(text):
                    checked += 1
                    assert needle in text.lower(), (brand.name, pattern.pattern, needle, text[:80])
    assert checked > 100


@given(st.from_regex(r"[A-Za-z]{2,8}", fullmatch=True), st.sampled_from(["", "?", "*"]),
       st.from_regex(r"[a-z]{1,6}", fullmatch=True), st.text(max_size=20))
def test_a_literal_head_is_in_every_match(word: str, quantifier: str, tail: str, around: str) -> None:
    pattern = f"{word}{quantifier}{tail}(?= X| Y)"
    head = literal_head(pattern)
    for text in (f"{around}{word}{tail} X", f"{word[:-1]}{tail} Y{around}"):
        if re.search(pattern, text):
            assert head in text.lower(), (pattern, head, text)
    assert literal_head(f"{word}|{tail}") == ""
