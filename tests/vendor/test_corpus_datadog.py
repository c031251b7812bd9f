"""The Datadog corpus (tests/vendor/corpus/datadog.jsonl, built by tools/vendor_corpus_datadog.py): the SNMP test
recordings of DataDog/integrations-core whose identity objects were evidently captured from a device, labelled by
file name and Datadog profile (datadog_labels.yaml). It was measured once, blind (docs/vendor-datadog-corpus.md): the
floors below are those figures, whole rows and partial answers.

Every row names its source and commit, every label has a reason, no row is a device of the other corpora,
``prc_brand`` is never wrong, the builder gives the same rows from the same inputs, and its placeholder rules flag
the generated and hand-written recordings (the shapes seen in the source) and keep the captured ones."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from collectors.vendor import corpus
from tests.vendor.test_corpus_blind import ROW_KEYS
from tools.toolmodule import load

TOOL = load("vendor_corpus_datadog")
#: The snapshot (a git directory) or, as round 8 built it, the extract of identity lines with its MANIFEST.
SOURCES_DIRS = (Path("/work/.mirror/DataDog+integrations-core/repo"), Path("/work/notes/s9/datadog_extract"),
                Path("/tmp/dd9/data"))


@pytest.fixture(scope="module")
def measured() -> dict[str, corpus.Measure]:
    return TOOL.measures()


@pytest.mark.parametrize("answer", ["whole", "partial"])
def test_prc_brand_is_never_wrong(measured: dict[str, corpus.Measure], answer: str) -> None:
    assert measured[answer].summary()["prc_wrong_ids"] == []


# Measured once, blind, at netcomply d749781 (TOOL.BLIND); floors, not goals.
@pytest.mark.parametrize(("answer", "right", "unknown"), [("whole", 3, 0), ("partial", 3, 0)])
def test_floors_at_the_blind_figures(measured: dict[str, corpus.Measure], answer: str, right: int,
                                     unknown: int) -> None:
    s = measured[answer].summary()
    assert s["labelled"] == 3
    assert s["brand_right"] >= right and s["unknown"] <= unknown
    assert TOOL.BLIND[answer]["brand_right"] == right and TOOL.BLIND[answer]["unknown"] == unknown


def test_every_row_is_sourced_labelled_and_new() -> None:
    rows = TOOL.load_rows()
    block = (corpus.CORPUS / "SOURCES").read_text(encoding="utf-8").split(TOOL.SOURCES_BEGIN, 1)[1]
    block = block.split(TOOL.SOURCES_END, 1)[0]
    doc = yaml.safe_load(TOOL.LABELS.read_text(encoding="utf-8"))
    assert all(entry.get("reason") and "prc" in entry for entry in doc["manufacturers"].values())
    assert rows and len({r["id"] for r in rows}) == len(rows)
    others = TOOL.others()
    for row in rows:
        assert set(row) <= ROW_KEYS, row["id"]
        assert re.fullmatch(r"[0-9a-f]{40}", row["commit"]) and row["path"].startswith(TOOL.UNDER), row["id"]
        assert f"{row['path']} (repository {TOOL.REPO}, commit {row['commit']})" in block, row["id"]
        assert row["label"] in doc["manufacturers"], row["id"]
        assert row.get("sys_descr") and TOOL.placeholder_reason({}, row) is None, row["id"]
        assert not TOOL.S.not_new(row, others), row["id"]


def test_the_builder_is_deterministic() -> None:
    """From the snapshot (or the extract round 8 built from), the builder gives the committed rows, twice."""
    source = next((p for p in SOURCES_DIRS if (p / "MANIFEST").is_file() or (p / "HEAD").is_file()), None)
    if source is None:
        pytest.skip("no DataDog/integrations-core snapshot or extract here; see tools/vendor_corpus_datadog.py")
    first, second = TOOL.rows_of(str(source)), TOOL.rows_of(str(source))
    assert first == second
    assert TOOL.S.jsonl(first[0]) == TOOL.ROWS.read_text(encoding="utf-8")


def test_the_report_holds_the_blind_figures() -> None:
    text = TOOL.DOC.read_text(encoding="utf-8")
    assert TOOL.BLIND_COMMIT in text
    for answer, f in TOOL.BLIND.items():
        assert f"| {answer} | {f['labelled']} | {f['brand_right']} (" in text


# --- the placeholder rules, on the shapes the source holds (values as the files hold them) -----------------------

def _facts(descr: str | None = None, oid: str = "1.3.6.1.4.1.9.1.1639", **more: Any) -> dict[str, Any]:
    return {**({"sys_descr": descr} if descr is not None else {}), "sys_object_id": oid, **more}


@pytest.mark.parametrize(("objects", "facts", "reason"), [
    ({}, _facts(None), "no-descr"),
    ({}, _facts(""), "no-descr"),
    ({}, _facts("huawei-routers Device Description"), "template"),
    ({}, _facts("3Com Huawei Device Desc"), "template"),
    ({}, _facts("Thunder Series TH5630, ACOS 4.1.0-P5, (Comment: This profile is partially generated from MIB)"),
     "template"),
    ({}, _facts("oxen acted but acted kept"), "filler"),
    ({}, _facts("Jaded zombies quaintly forward"), "filler"),
    ({TOOL.SYS_NAME: "catalyst-1200.example"}, _facts("Cisco Catalyst 1200 C1200-24P-4G Smart Switch"), "placeholder"),
    ({TOOL.SYS_NAME: "x.device.name"}, _facts("Cisco Adaptive Security Appliance Version 9.8(2)"), "placeholder"),
    ({}, _facts("Cisco Controller", macs=["00:00:00:00:00:01"]), "placeholder"),
    ({}, _facts("Cisco IOS Software, Version 15.2", entity=[{"index": "1", "serial": "FOC1234ABCD"}]), "placeholder"),
    ({}, _facts("Aruba CX 6300 Version FL.10.08", oid="1.3.6.1.4.1.47196.4.1.1.1.999"), "placeholder"),
])
def test_generated_and_hand_written_recordings_are_left_out(objects: dict[str, Any], facts: dict[str, Any],
                                                            reason: str) -> None:
    assert TOOL.placeholder_reason(objects, facts) == reason


@pytest.mark.parametrize("facts", [
    _facts("Cisco IOS XR Software (Cisco ASR9K Series),  Version 6.4.2[Default]"),
    _facts("Cisco IOS Software [Bengaluru], ASR1000 Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.6.4",
           entity=[{"index": "1", "serial": "FOX1849G1AB"}], macs=["00:1b:54:c2:67:00"]),
    # A real string that uses a filler word among others is not generated.
    _facts("Kept alive by their forward engine, Product X 2.1"),
])
def test_captured_recordings_are_kept(facts: dict[str, Any]) -> None:
    assert TOOL.placeholder_reason({TOOL.SYS_NAME: "core-rtr-01"}, facts) is None
