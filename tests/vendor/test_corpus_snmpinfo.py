"""The snmp-info corpus (tests/vendor/corpus/snmpinfo.jsonl, built by tools/vendor_corpus_snmpinfo.py): the device
answers netdisco/snmp-info's per-class tests mock, only the values copied from real devices, labelled by the maker
the class is for (snmpinfo_labels.yaml). It was measured once, blind (docs/vendor-snmpinfo-corpus.md): the floors
below are those figures, whole rows and partial answers, so a change that loses one of its devices fails here.

Every row names its source, commit and line, every label spelling has an entry with a reason, no row is a device of
the other corpora, ``prc_brand`` is never wrong, the builder gives the same rows from the same inputs, and the Perl
reader and the placeholder rules it is built on do what the builder's docstrings say."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.vendor import corpus
from tests.vendor.test_corpus_blind import ROW_KEYS as BLIND_ROW_KEYS
from tools.toolmodule import load

TOOL = load("vendor_corpus_snmpinfo")
MIRROR = Path("/work/.mirror/netdisco+snmp-info/repo")
#: The blind corpus's row keys, the test line a row comes from, and the second brand a row's label may accept.
ROW_KEYS = BLIND_ROW_KEYS | {"line", "label_brand"}


@pytest.fixture(scope="module")
def measured() -> dict[str, corpus.Measure]:
    return TOOL.measures()


@pytest.mark.parametrize("answer", ["whole", "partial"])
def test_prc_brand_is_never_wrong(measured: dict[str, corpus.Measure], answer: str) -> None:
    assert measured[answer].summary()["prc_wrong_ids"] == []


# Measured once, blind, at netcomply 4ef56e8 (docs/vendor-snmpinfo-corpus.md, TOOL.BLIND); floors, not goals.
@pytest.mark.parametrize(("answer", "right", "unknown", "other", "prc_yes"), [
    ("whole", 97, 3, 4, 8),
    ("partial", 72, 30, 2, 8),
])
def test_floors_at_the_blind_figures(measured: dict[str, corpus.Measure], answer: str, right: int, unknown: int,
                                     other: int, prc_yes: int) -> None:
    s = measured[answer].summary()
    assert s["labelled"] == 104
    assert s["brand_right"] >= right
    assert s["unknown"] <= unknown
    assert s["labelled"] - s["brand_right"] - s["unknown"] <= other
    assert sum(o.verdict.prc_brand is True for o in measured[answer].labelled() if o.label.prc) >= prc_yes
    assert TOOL.BLIND[answer]["brand_right"] == right and TOOL.BLIND[answer]["unknown"] == unknown


def test_every_row_is_sourced_trimmed_and_labelled() -> None:
    rows = TOOL.load_rows()
    block = (corpus.CORPUS / "SOURCES").read_text(encoding="utf-8").split(TOOL.SOURCES_BEGIN, 1)[1]
    block = block.split(TOOL.SOURCES_END, 1)[0]
    doc = yaml.safe_load(TOOL.LABELS.read_text(encoding="utf-8"))
    assert all(entry.get("reason") and "prc" in entry for entry in doc["manufacturers"].values())
    assert all(entry.get("reason") for entry in doc["rows"].values())
    assert len(rows) >= 100 and len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert set(row) <= ROW_KEYS, row["id"]
        assert re.fullmatch(r"[0-9a-f]{40}", row["commit"]) and row["path"].startswith(TOOL.UNDER), row["id"]
        assert row["id"].endswith(f"#L{row['line']}")
        assert f"repository {row['source_repo']}, commit {row['commit']}" in block, row["id"]
        assert row["label"] is None or row["label"] in doc["manufacturers"], row["id"]
        assert row.get("sys_descr") or row.get("sys_object_id") or row.get("entity"), row["id"]
    unlabelled = {r["path"] for r in rows if r["label"] is None}
    assert {TOOL._class_of(p) for p in unlabelled} <= set(doc["not_makers"])


def test_labels_name_prc_makers_and_many_brands() -> None:
    labels = TOOL.load_labels()
    assert all(labels.of(s).prc is True for s in ("Layer3::Huawei", "Layer3::H3C", "Layer3::Lenovo"))
    assert labels.of("Layer3::AlcatelLucent").prc is None and labels.of("Layer3::Juniper").prc is False
    assert len({labels.of(r["label"]).vendor for r in TOOL.load_rows() if r["label"]}) >= 50


def test_no_row_is_a_device_of_the_other_corpora() -> None:
    others = TOOL._corpus_rows()
    assert [r["id"] for r in TOOL.load_rows() if TOOL.not_new(r, others)] == []


def _mirror_at(commit: str) -> bool:
    if not MIRROR.is_dir():
        return False
    head = subprocess.run(["git", "--git-dir", str(MIRROR), "rev-parse", "HEAD"], capture_output=True, text=True)
    return head.stdout.strip() == commit


def test_the_builder_is_deterministic() -> None:
    """From the snmp-info snapshot the rows name, the builder gives the committed rows, twice the same."""
    committed = TOOL.ROWS.read_text(encoding="utf-8")
    commit = TOOL.B.load_rows(TOOL.ROWS)[0]["commit"]
    if not _mirror_at(commit):
        pytest.skip(f"no snapshot of netdisco/snmp-info at {commit} ({MIRROR}); fetch github:netdisco/snmp-info")
    first, second = TOOL.rows_of(str(MIRROR)), TOOL.rows_of(str(MIRROR))
    assert first == second
    assert TOOL.jsonl(first[0]) == committed


def test_the_report_holds_the_blind_figures() -> None:
    text = TOOL.DOC.read_text(encoding="utf-8")
    assert TOOL.BLIND_COMMIT in text
    for answer, f in TOOL.BLIND.items():
        assert f"| {answer} | {f['labelled']} | {f['brand_right']} (" in text


def test_every_miss_has_one_general_cause(measured: dict[str, corpus.Measure]) -> None:
    for m in measured.values():
        for o in m.labelled():
            if not o.right:
                assert TOOL.cause(o) in TOOL.CAUSES
                assert (TOOL.cause(o) in ("registrant", "other-maker")) == (o.verdict.brand is not None)


# --- the Perl reader ----------------------------------------------------------------------------------------------

def _single_quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30), min_size=1,
                      max_size=4))
def test_single_quoted_strings_and_concatenation_read_back(parts: list[str]) -> None:
    """Any text written as Perl single-quoted strings, joined by ``.`` or built up with ``.=``, reads back as the
    text: the value a sysDescr cache entry holds."""
    joined = " . ".join(_single_quoted(p) for p in parts)
    reader = TOOL.read_module(f"my $d = {joined};\nmy $c = {{ '_description' => $d, '_id' => '.1.3.6.1.4.1.9.1.1' }};")
    assert reader.hashes[0][1]["_description"] == "".join(parts)
    built = "my $d = '';\n" + "".join(f"$d .= {_single_quoted(p)};\n" for p in parts)
    reader = TOOL.read_module(built + "$test->{info}{_description} = $d;")
    assert reader.assigned == [(built.count("\n") + 1, "_description", "".join(parts))]


def test_double_quotes_interpolate_and_escape() -> None:
    source = 'my $m = "XR524";\nmy $c = {\n  \'_description\' => "$m, FW:\\r\\nV6",\n  \'_id\' => \'.1.3\',\n};'
    [(line, item)] = TOOL.read_module(source).hashes
    assert (line, item["_description"], item["_id"]) == (2, "XR524, FW:\r\nV6", ".1.3")


def test_a_value_the_reader_cannot_evaluate_is_left_out() -> None:
    """A call or arithmetic is not an answer copied from a device: the entry is skipped, the rest of the hash read."""
    source = "my $c = { '_layers' => 2 * 3, '_id' => '.1.3.6.1.4.1.9.1.2', '_b_mac' => pack(\"H*\", '0019c6aabbcc') };"
    [(_, item)] = TOOL.read_module(source).hashes
    assert "_layers" not in item and item["_id"] == ".1.3.6.1.4.1.9.1.2"
    assert item["_b_mac"] == bytes.fromhex("0019c6aabbcc")


# --- the placeholder rules (values from the source: each kind the builder keeps or leaves out) -------------------

@pytest.mark.parametrize(("descr", "invented"), [
    ("My Bogus ACS6008 Description", True),
    ("My Allied hub AT-1234T version 3.10", True),
    ("firewall", True),
    ("", True),
    (None, True),
    ("Linux hostname 2.6.39 #1 Fri Dec 8 18:57:40 UTC 2017 armv5tejl", False),
    ("ONEOS5-VOIP_H323-V4.3R4E18", False),
    ("Cisco Controller", False),
])
def test_placeholder_descr(descr: Any, invented: bool) -> None:
    assert TOOL.placeholder_descr(descr) is invented


def test_placeholder_oid() -> None:
    answered = {"1.3.6.1.4.1.40310"}
    assert TOOL.placeholder_oid(".100.3.6.1.4.1.20540.2.1", answered)
    assert TOOL.placeholder_oid(".1.3.6.1.4.1.9", answered)
    assert not TOOL.placeholder_oid(".1.3.6.1.4.1.40310", answered)
    assert not TOOL.placeholder_oid(".1.3.6.1.4.1.2011.2.239.12", answered)


@pytest.mark.parametrize(("value", "invented"), [
    ("123456ABC", True), ("12345", True), ("ABC1234D56F", True), ("CT24227201ZQ", False), ("CES1750D", False),
])
def test_placeholder_serial(value: str, invented: bool) -> None:
    assert TOOL.placeholder_serial(value) is invented


@pytest.mark.parametrize(("value", "invented"), [
    (bytes.fromhex("0123456789AB"), True), (bytes.fromhex("00140D123456"), True),
    (bytes.fromhex("000000000034"), True), (bytes.fromhex("0000944037B3"), False),
    (bytes.fromhex("4018B13A4C40"), False),
])
def test_placeholder_mac(value: bytes, invented: bool) -> None:
    assert TOOL.placeholder_mac(value) is invented


def test_a_vendor_librenms_files_under_a_held_out_family_stays_blind() -> None:
    """The held-out split is of LibreNMS's vendor families: a label naming a member (LibreNMS files sixnet under Red
    Lion, and lists Linksys among Cisco's names) is held out when the family is; a tuned family is not."""
    for member, family in (("Sixnet", "Red Lion"), ("Linksys", "Cisco")):
        assert TOOL.held_out(member) is (corpus.holdout(member) or corpus.holdout(family))
    assert not TOOL.held_out("Huawei") and not corpus.holdout("Huawei")
    assert not TOOL.held_out(None)
