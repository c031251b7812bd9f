"""Issue 16, round 5 (helper FACTS): products whose agent answers under another organisation's enterprise number, or
names only the product, resolve to the brand on the box through sourced facts kept as data
(``collectors/vendor/data/knowledge.yaml``): the makers' own MIBs (ORGANIZATION / CONTACT-INFO, the subtree they
define; LibreNMS's mibs/ at Jellyfrog/librenms@4ab87302), the IANA registry's notes and the Wikipedia article named.

Each fact is checked on the real LibreNMS recording that showed it (tests/vendor/corpus/librenms.jsonl; the old,
wrong verdict is in the comment), and each new alias, enterprise number and OID prefix is checked never to fire on a
device another maker's label names in any corpus (LibreNMS, walks, blind, ntc CLI captures).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from collectors.vendor import corpus
from collectors.vendor.kb import KnowledgeBase, load_kb
from collectors.vendor.pen import name_key

ROOT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=1)
def _rows() -> dict[str, dict[str, Any]]:
    return {str(r["id"]): r for r in corpus.load_rows()}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.mark.parametrize(("recording", "brand", "family", "prc"), [
    # Montclair-MIB (ORGANIZATION 'Montclair', Middleton WI) under Softlab GmbH's 1385; was Softlab
    ("montclair-edfa_mhfa32", "Montclair", "Montclair", False),
    # a Radlan (RND, 89) agent whose sysObjectID carries Netgear's product OID 4526.100.4.25; was RND
    ("netgear_2", "Netgear", "Netgear", False),
    # Carel's pCOWeb (9839) followed by Rittal's 2606 in a Rittal LCP DX; was Carel
    ("pcoweb-rittal-lcp-3311_lcp-dx-3311", "Rittal", "Rittal", False),
    ("pcoweb-rittalchiller", "Rittal", "Rittal", False),  # the same subtree in a Rittal IT chiller (right before)
    # 'EMC SOHO-NAS Storage.': Iomega's NAS, LenovoEMC since 2013; was unknown
    ("lenovoemc", "Iomega", "Lenovo", True),
    # 'IMCO SNMP Agent' under IMV Victron's 818; the brand's country is not established; was IMV Victron
    ("imcopower-big", "IMCO", "IMCO", None),
    # 'Base Station V3.84': Apple AirPort firmware (Rapid7 Recog 'Apple Base Station V3.84 Compatible'); was unknown
    ("airport_3", "AirPort", "Apple", False),
])
def test_oem_products_resolve_to_the_brand_on_the_box(kb: KnowledgeBase, recording: str, brand: str, family: str,
                                                     prc: bool | None) -> None:
    v = corpus.verdict_of(kb, _rows()[recording])
    assert v.brand == brand
    assert kb.family(v.brand) == family
    assert v.prc_brand is prc


def test_the_registrant_stays_the_manufacturer(kb: KnowledgeBase) -> None:
    assert corpus.verdict_of(kb, _rows()["netgear_2"]).manufacturer == "RND"
    assert corpus.verdict_of(kb, _rows()["pcoweb-rittal-lcp-3311_lcp-dx-3311"]).manufacturer == "Carel"


def test_an_oem_fact_never_clears_a_prc_brand(kb: KnowledgeBase) -> None:
    """Iomega is Lenovo's (LenovoEMC): its sub-brand is judged PRC like its owner, never cleared."""
    assert kb.prc("Iomega") is True
    assert kb.family("Iomega") == "Lenovo"
    assert kb.prc("IMCO") is None  # country not established: the agency decides


# ------------------------------------------------------------------------------------------ precision

NEW_BRANDS = ("Montclair", "Iomega", "IMCO", "AirPort")
NEW_PREFIXES = {"1.3.6.1.4.1.89.1.1.1.3.6.1.4.1.4526": "Netgear", "1.3.6.1.4.1.9839.2606": "Rittal"}
NEW_NUMBERS = {1385: "Montclair"}


def _blind() -> Any:
    spec = importlib.util.spec_from_file_location("vendor_corpus_blind", ROOT / "tools" / "vendor_corpus_blind.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _labelled_rows() -> Iterator[tuple[str, Mapping[str, Any], corpus.Label]]:
    labels = corpus.load_labels()
    for row in corpus.load_rows():
        yield "librenms", row, labels.of(str(row["os"]), str(row["id"]))
    walk_rows, walk_labels = corpus.load_walks()
    for row in walk_rows:
        yield "walks", row, walk_labels.of(row.get("label"), row.get("label_brand"))
    blind = _blind()
    blind_labels = blind.load_labels()
    for row in blind.load_rows():
        yield "blind", row, blind_labels.of(row.get("label"), row.get("label_brand"))
    for row in corpus.load_cli():
        yield "ntc_cli", row, labels.of_platform(str(row["platform"]))


def _texts(row: Mapping[str, Any]) -> Iterator[str]:
    for key in ("sys_descr", "text"):
        if row.get(key):
            yield str(row[key])
    for ent in row.get("entity") or []:
        for key in ("descr", "mfg_name", "model_name"):
            if isinstance(ent, Mapping) and ent.get(key):
                yield str(ent[key])


def _same_family(kb: KnowledgeBase, brand: str, label: corpus.Label) -> bool:
    family = kb.family(brand)
    for name in label.accept:
        canon = kb.canonical(name)
        if (canon and kb.family(canon) == family) or name_key(name) == name_key(brand):
            return True
        if any(kb.family(b) == family for b, _ in kb.brands_in_text(name)):
            return True
    return False


def _fires(kb: KnowledgeBase, row: Mapping[str, Any]) -> Iterator[str]:
    """The new facts that read ``row``: a new brand's alias in its text, a new prefix or number in its sysObjectID."""
    for text in _texts(row):
        for brand in NEW_BRANDS:
            if any(p.search(text) for p in kb.brands[brand].aliases):
                yield brand
    oid = str(row.get("sys_object_id") or "").lstrip(".")
    for prefix, brand in NEW_PREFIXES.items():
        if oid == prefix or oid.startswith(prefix + "."):
            yield brand
    parts = oid.split(".")
    if oid.startswith("1.3.6.1.4.1.") and len(parts) > 6 and parts[6].isdigit() and int(parts[6]) in NEW_NUMBERS:
        yield NEW_NUMBERS[int(parts[6])]


def test_new_facts_fire_on_no_other_vendors_device(kb: KnowledgeBase) -> None:
    fired: list[str] = []
    caught = 0
    for name, row, label in _labelled_rows():
        if label.vendor is None:
            continue
        for brand in _fires(kb, row):
            if _same_family(kb, brand, label):
                caught += 1
            else:
                fired.append(f"{name}:{row['id']} ({label.vendor}): {brand}")
    assert fired == []
    assert caught >= 7  # each fact reads the real devices of its own brand


@pytest.mark.parametrize("text", [
    "EMC CLARiiON CX4-120", "EMC Data Domain", "Montclair", "IMCO", "imco power", "HWg-STE: SNMP agent",
    "Linux SNMP-System", "SOHO NAS", "DECT Base Station V3.84", "Base Station V3.84 (build 7)",
])
def test_new_aliases_stay_silent_on_near_words(kb: KnowledgeBase, text: str) -> None:
    assert not [b for b, _ in kb.brands_in_text(text) if b in NEW_BRANDS]


def test_the_new_entries_carry_their_source(kb: KnowledgeBase) -> None:
    for brand in NEW_BRANDS:
        note = kb.brands[brand].note or ""
        assert any(s in note for s in ("MIB", "Wikipedia", "Recog")), brand
    for prefix in NEW_PREFIXES:
        note = kb.oid_prefixes[prefix].note
        assert note and "MIB" in note
    assert "Montclair-MIB" in (kb.enterprises[1385].note or "")
