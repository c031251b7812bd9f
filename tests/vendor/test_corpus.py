"""Identification over the development corpus: 1,800 published SNMP recordings of real devices (LibreNMS), each
trimmed to what netcomply reads, labelled by the source (LibreNMS's OS label in the file name, mapped to a vendor
through its OS definitions and tests/vendor/corpus/label_vendors.yaml), never by netcomply's own output.

The issue's goals are brand right >= 98 %, unknown <= 1 %, LibreNMS agreement >= 98 %. The agreement goal is met and
is a plain test; the other two are below their goals, so they are strict xfail tests (they start failing the day the
goal is met, so the marker has to go); the floors below them are regression guards at today's figures. ``prc_brand`` never wrong holds today and is a
plain test."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from collectors.vendor import corpus, librenms
from collectors.vendor.kb import load_kb

CORPUS = Path(__file__).resolve().parent / "corpus"


@lru_cache(maxsize=1)
def measured() -> corpus.Measure:
    return corpus.measure(load_kb(), corpus.load_rows(), corpus.load_labels())


def summary() -> dict[str, object]:
    return measured().summary()


def test_corpus_is_large_real_and_sourced() -> None:
    rows = corpus.load_rows()
    assert len(rows) >= 500
    assert len({r["os"] for r in rows}) >= 300
    sources = (CORPUS / "SOURCES").read_text(encoding="utf-8")
    assert "Jellyfrog/librenms" in sources and "commit" in sources
    for r in rows:
        assert r["path"] == f"tests/snmpsim/{r['id']}.snmprec"
        assert set(r) <= {"id", "os", "path", "sys_descr", "sys_object_id", "entity", "engine_id", "vendor_oids",
                          "enterprises", "macs", "standard_identity"}, r["id"]  # trimmed to the objects netcomply reads


def test_prc_brand_is_never_wrong_on_the_corpus() -> None:
    s = summary()
    assert s["prc_wrong"] == 0, s["prc_wrong_ids"]


def test_brand_and_unknown_floors() -> None:
    """Regression guards at the figures measured in round 9 (brand 97.00 %, unknown 1.28 %: 1749 and 23 of 1803);
    round 7 (brand 96.84 %, unknown 1.28 %: 1746 and 23 of 1803; round 6: 96.73 %, 1744; three LibreNMS labels that name no maker, edfa, bison and bcm963, left the 1806; round 5: 96.07 %, 1.77 %; round
    4: 95.6 %, 2.3 %; round 3: 95.3 %, 2.3 %; round 2: 92.5 %, 2.9 % on the Aug 2026 corpus; round 1: 88.1 %, 4.5 %
    on the Feb one)."""
    s = summary()
    assert float(s["brand_accuracy"]) >= 0.9700  # type: ignore[arg-type]
    assert float(s["unknown_rate"]) <= 0.0128  # type: ignore[arg-type]


@pytest.mark.xfail(strict=True, reason="goal of issue 16 not met: brand right is 97.0 % on the corpus (held out: 92.6 %)")
def test_goal_brand_right_98_percent() -> None:
    assert float(summary()["brand_accuracy"]) >= 0.98  # type: ignore[arg-type]


@pytest.mark.xfail(strict=True, reason="goal of issue 16 not met: 1.3 % of the corpus has no brand (23 of 1803)")
def test_goal_unknown_at_most_1_percent() -> None:
    assert float(summary()["unknown_rate"]) <= 0.01  # type: ignore[arg-type]


def test_held_out_families_do_as_well_as_the_tuned_ones() -> None:
    """The vendor families held out by hash keep the PRC bar and stay within 10 points of the rest."""
    outcomes = measured().outcomes
    held = corpus.Measure([o for o in outcomes if corpus.holdout(o.label.vendor)]).summary()
    tuned = corpus.Measure([o for o in outcomes if not corpus.holdout(o.label.vendor)]).summary()
    assert held["labelled"] >= 100 and held["prc_wrong"] == 0
    assert float(held["brand_accuracy"]) >= float(tuned["brand_accuracy"]) - 0.10  # type: ignore[arg-type]


@pytest.mark.parametrize("os_name", ["fiberhome-switch", "dcn-software", "bdcom", "raisecom", "vsolution", "fs-bdcom",
                                     "tplink_dsl", "huawei-smu", "vrp_1", "cdata"])
def test_prc_makers_the_issue_names_are_found(os_name: str) -> None:
    """FiberHome, DCN, BDCOM, Raisecom, V-SOL, FS, the TP-Link under a DSL alliance's number, partial Huawei answers."""
    hits = [o for o in measured().outcomes if o.row["id"] == os_name or o.row["id"].startswith(os_name + "_")]
    assert hits, os_name
    for o in hits:
        assert o.right, (o.row["id"], o.verdict.brand, o.verdict.manufacturer)
        assert o.verdict.prc_brand is True, (o.row["id"], o.verdict.prc_rule, o.verdict.prc_detail)


def test_librenms_replay_agrees_with_its_own_labels() -> None:
    """The replay of LibreNMS's detection names the recording's own OS for most recordings (its snmpget rules are
    not replayed): a check that the comparison compares with LibreNMS, not with a broken imitation."""
    labels = corpus.load_labels()
    order = librenms.detection_order(labels.os_defs)
    rows = corpus.load_rows()
    same = sum(1 for r in rows if librenms.detect(labels.os_defs, order, r.get("sys_descr"),
                                                  r.get("sys_object_id")) == r["os"])
    assert same / len(rows) >= 0.80


def test_agreement_table_is_current() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("compare", CORPUS.parents[2] / "tools" / "vendor_librenms_compare.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.DOC.read_text(encoding="utf-8") == module.build(), (
        "docs/vendor-librenms-agreement.md is stale: run .venv/bin/python tools/vendor_librenms_compare.py")


def test_librenms_os_definitions_are_kept_as_data() -> None:
    defs = json.loads((CORPUS / "librenms_os.json").read_text(encoding="utf-8"))
    assert defs["vrp"]["icon"] == "huawei" and defs["comware"]["discovery"]


def _agreement() -> float:
    kb = load_kb()
    labels = corpus.load_labels()
    order = librenms.detection_order(labels.os_defs)
    both = agree = 0
    for o in measured().outcomes:
        detected = librenms.detect(labels.os_defs, order, o.row.get("sys_descr"), o.row.get("sys_object_id"))
        lab = labels.of(detected) if detected else None
        if lab is None or lab.vendor is None or o.verdict.brand is None:
            continue
        both += 1
        agree += corpus.same_vendor(kb, o.verdict, lab)
    return agree / both


def test_goal_librenms_agreement_98_percent() -> None:
    """Met in round 6: 98.09 % (1647 of 1679), once a UPS network card is named by its own words and the UPS-MIB's
    manufacturer (the managed UPS's) names the brand only when the card names nobody. 97.91 % after round 5 (97.55 %
    once the UPS-MIB was read as the brand; OEM facts then added 8); 97.96 % after round 4, 97.8 % round 3, 95.5 %
    at its start."""
    assert _agreement() >= 0.98


def test_cli_captures_of_real_devices() -> None:
    """ntc-templates captures (show version, display version, manuinfo, ...): PRC never wrong, floors at today's
    figures (round 3: brand 95.9 %, unknown 4.1 %, from part-number families; round 2: 86.2 %, 13 % unknown). What
    stays unknown says nothing of its maker (a `show version` without a model, an inventory of optics only)."""
    cli = corpus.load_cli()
    assert len(cli) >= 100 and len({r["platform"] for r in cli}) >= 25
    s = corpus.measure_cli(load_kb(), cli, corpus.load_labels()).summary()
    assert s["prc_wrong"] == 0, s["prc_wrong_ids"]
    assert float(s["brand_accuracy"]) >= 0.95  # type: ignore[arg-type]
    assert float(s["unknown_rate"]) <= 0.05  # type: ignore[arg-type]
