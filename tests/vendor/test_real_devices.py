"""Identification on facts from real devices: published SNMP recordings (LibreNMS) and CLI captures (ntc-templates).

The bar: the brand is right for every device, ``prc_brand`` is never wrong, and it is unknown (None) only where no
signal we read names a brand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from collectors.vendor import evidence as E
from collectors.vendor.identify import Verdict, identify
from collectors.vendor.kb import KnowledgeBase, load_kb

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "real_devices.yaml"
CLI_DIR = Path(__file__).resolve().parent / "fixtures" / "cli"
TABLE = Path(__file__).resolve().parents[2] / "docs" / "vendor-real-devices.md"


def entries() -> list[dict[str, Any]]:
    return list(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))


def evidence_of(kb: KnowledgeBase, entry: dict[str, Any]) -> list[E.Evidence]:
    """One fixture entry as the judge would see it: SNMP system data, vendor scalars, CLI output, an ARP MAC."""
    ev: list[E.Evidence] = []
    src = entry["source"]
    if entry.get("snmp"):
        ev += E.from_snmp_system(kb, entry["snmp"], src)
    if entry.get("vendor_oids"):
        ev += E.from_vendor_oids(kb, {str(k): v for k, v in entry["vendor_oids"].items()}, src)
    cli = dict(entry.get("cli") or {})
    cli.update({cmd: (CLI_DIR / name).read_text(encoding="utf-8") for cmd, name in (entry.get("cli_file") or {}).items()})
    if cli:
        ev += E.from_cli(kb, cli, entry.get("facts"), src)
    if entry.get("lldp"):
        ev += E.from_lldp(kb, entry["lldp"], src)
    if entry.get("arp_mac"):
        ev += E.from_mac(kb, str(entry["arp_mac"]), "arp.mac", src)
    return ev


def verdict_of(kb: KnowledgeBase, entry: dict[str, Any]) -> Verdict:
    return identify(kb, evidence_of(kb, entry), name=entry["id"])


ENTRIES = entries()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_brand_and_prc_brand_are_right(entry: dict[str, Any]) -> None:
    kb = load_kb()
    verdict = verdict_of(kb, entry)
    expect = entry["expect"]
    assert verdict.brand == expect["brand"], [e.to_dict() for e in verdict.evidence]
    assert verdict.prc_brand is expect["prc_brand"]
    if "manufacturer" in expect:
        assert verdict.manufacturer == expect["manufacturer"]
    if expect["brand"] is None:
        assert not any(e.brand for e in verdict.evidence), "unknown although a signal names a brand"
    else:
        assert 0.0 < verdict.confidence <= 1.0
        assert any(e.brand for e in verdict.evidence)


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.get("facts", {}).get("model")],
                         ids=lambda e: e["id"])
def test_model_comes_from_the_device(entry: dict[str, Any]) -> None:
    verdict = verdict_of(load_kb(), entry)
    assert verdict.model == entry["facts"]["model"]


def test_the_set_is_broad_enough() -> None:
    """At least 40 distinct devices across at least 15 brands, PRC and others."""
    brands = {e["expect"]["brand"] for e in ENTRIES if e["expect"]["brand"]}
    assert len({e["id"] for e in ENTRIES}) >= 40
    assert len(brands) >= 15
    assert {"Huawei", "ZTE", "H3C", "Hikvision", "Dahua", "TP-Link", "Ruijie"} <= brands


def test_hpe_comware_is_hpe_made_by_h3c_and_not_prc() -> None:
    kb = load_kb()
    by_id = {e["id"]: e for e in ENTRIES}
    v = verdict_of(kb, by_id["ntc hp_comware manuinfo_5930"])
    assert (v.brand, v.prc_brand) == ("HPE", False)
    v = verdict_of(kb, by_id["librenms comware"])
    assert (v.brand, v.manufacturer, v.prc_brand) == ("HP", "H3C", False)


def test_generic_agents_say_nothing() -> None:
    """net-snmp's 8072 and Broadcom's 4413 name no brand; the EdgeSwitch is found by its own description."""
    kb = load_kb()
    by_id = {e["id"]: e for e in ENTRIES}
    edge = verdict_of(kb, by_id["librenms edgeswitch"])
    oid_ev = [e for e in edge.evidence if e.signal == "snmp.sysObjectID"]
    assert oid_ev and all(e.brand is None for e in oid_ev)
    assert edge.brand == "Ubiquiti"


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.get("cli_file") or e["id"].startswith(
    ("librenms-notes", "switch-library", "mist lldp", "capture ", "lldp "))], ids=lambda e: e["id"])
def test_model_read_from_text_and_cli_inventories(entry: dict[str, Any]) -> None:
    """Models the descr_models patterns and the elabel / RGOS parsers read (no parsed facts given)."""
    verdict = verdict_of(load_kb(), entry)
    assert verdict.model == entry["expect"]["model"]
    assert verdict.model_from


# ------------------------------------------------------------------------------------------ the published table

def signals_of(verdict: Verdict) -> str:
    """The signals that named a brand or a maker, in first-seen order."""
    seen: list[str] = []
    for e in verdict.evidence:
        if (e.brand or e.manufacturer) and e.signal not in seen:
            seen.append(e.signal)
    return ", ".join(seen) or "-"


def table_markdown() -> str:
    """docs/vendor-real-devices.md: one row per real device of the fixture, with the verdict computed now."""
    kb = load_kb()
    yn = {True: "yes", False: "no", None: "unknown"}
    rows = []
    for entry in ENTRIES:
        v = verdict_of(kb, entry)
        expect = entry["expect"]
        right = v.brand == expect["brand"] and v.prc_brand is expect["prc_brand"]
        rows.append(f"| {entry['expect'].get('model', '')} | {v.model or ''} | {v.brand or 'unknown'} | {v.manufacturer or ''} "
                    f"| {signals_of(v)} | {yn[v.prc_brand]} | {'right' if right else 'WRONG'} | {entry['source']} |")
    brands = {e["expect"]["brand"] for e in ENTRIES if e["expect"]["brand"]}
    prc = {e["expect"]["brand"] for e in ENTRIES if e["expect"]["prc_brand"]}
    head = [
        "# Vendor identification on real devices",
        "",
        "Generated by `python tests/vendor/test_real_devices.py --write` from `tests/vendor/fixtures/real_devices.yaml`",
        "(facts re-typed from published SNMP recordings and CLI captures of real devices; sources per row). The test",
        "`test_the_published_table_is_current` fails when this file and the verdicts the code gives today differ.",
        "",
        f"{len(ENTRIES)} devices, {len({e['expect'].get('model') for e in ENTRIES})} distinct models, {len(brands)} "
        f"brands ({len(prc)} PRC brands: {', '.join(sorted(prc))}). `prc_brand` is never wrong; it is unknown only "
        "where no signal read names a brand.",
        "",
        "| model (truth) | model read | brand (verdict) | manufacturer | signals that named it | PRC brand | vs truth "
        "| source |",
        "|---|---|---|---|---|---|---|---|",
    ]
    return "\n".join(head + rows) + "\n"


def test_the_published_table_is_current() -> None:
    assert TABLE.read_text(encoding="utf-8") == table_markdown(), (
        "docs/vendor-real-devices.md is stale: run `python tests/vendor/test_real_devices.py --write`")


if __name__ == "__main__":
    import sys

    if "--write" in sys.argv:
        TABLE.parent.mkdir(parents=True, exist_ok=True)
        TABLE.write_text(table_markdown(), encoding="utf-8")
    else:
        sys.stdout.write(table_markdown())
