"""The blind corpus (tests/vendor/corpus/blind.jsonl, built by tools/vendor_corpus_blind.py): real devices' SNMP
answers from projects nobody here tuned or measured the identification on (thola, checkmk-agent-output, simengine,
pre-GitHub OpenNMS), labelled by those projects (blind_labels.yaml). It was measured once, blind, and its misses
are not read (docs/vendor-blind-corpus.md): the floors below are those figures, so a change that loses a device
of it fails here without anyone having tuned on it.

Every row names its source and commit, every label spelling has an entry, no row is a device of the corpora the
rules were tuned or measured on, ``prc_brand`` is never wrong, and the Checkmk stored-walk reader the builder adds
reads real lines as the corpus holds them."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.vendor import corpus, recordings
from collectors.vendor.kb import load_kb

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "blind"
#: What a row may hold: the objects netcomply reads (as walks.jsonl rows) and where the row came from.
ROW_KEYS = {"id", "source_repo", "commit", "path", "kind", "label", "sys_descr", "sys_object_id", "entity",
            "engine_id", "enterprises", "vendor_oids", "macs", "skipped_count", "standard_identity"}


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vendor_corpus_blind", ROOT / "tools" / "vendor_corpus_blind.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _tool()


@pytest.fixture(scope="module")
def measured() -> corpus.Measure:
    return corpus.measure_walks(load_kb(), TOOL.load_rows(), TOOL.load_labels())


def test_prc_brand_is_never_wrong(measured: corpus.Measure) -> None:
    assert measured.summary()["prc_wrong_ids"] == []


# Measured once, blind, at netcomply 84ddf9f (docs/vendor-blind-corpus.md); floors, not goals.
@pytest.mark.parametrize(("source", "labelled", "right", "unknown"), [
    (None, 26, 25, 1),
    ("inexio/thola", 5, 5, 0),
    ("spearheadsys/checkmk-agent-output", 6, 6, 0),
    ("Seneca-CDOT/simengine", 3, 3, 0),
    ("roskens/opennms-pre-github", 12, 11, 1),
])
def test_floors_at_the_blind_figures(measured: corpus.Measure, source: str | None, labelled: int, right: int,
                                     unknown: int) -> None:
    part = corpus.Measure([o for o in measured.outcomes
                           if source is None or o.row["source_repo"] == source]).summary()
    assert part["labelled"] == labelled
    assert part["brand_right"] >= right
    assert part["unknown"] <= unknown


def test_every_row_is_sourced_trimmed_and_labelled_by_its_source() -> None:
    rows = TOOL.load_rows()
    sources = (corpus.CORPUS / "SOURCES").read_text(encoding="utf-8")
    block = sources.split(TOOL.SOURCES_BEGIN, 1)[1].split(TOOL.SOURCES_END, 1)[0]
    doc = yaml.safe_load(TOOL.LABELS.read_text(encoding="utf-8"))
    assert all(entry.get("reason") and "prc" in entry for entry in doc["manufacturers"].values())
    assert len(rows) >= 26 and len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert set(row) <= ROW_KEYS, row["id"]
        assert re.fullmatch(r"[0-9a-f]{40}", row["commit"]) and row["path"], row["id"]
        assert f"repository {row['source_repo']}, commit {row['commit']}" in block, row["id"]
        assert row["label"] in doc["manufacturers"], f"{row['label']!r} has no entry in blind_labels.yaml"
        assert row.get("sys_descr") or row.get("sys_object_id") or row.get("entity"), row["id"]


def test_no_row_is_a_device_of_the_tuned_or_measured_corpora() -> None:
    """The rules were tuned on librenms.jsonl and walks.jsonl has been read while tuning: neither may repeat here."""
    seen = {(r.get("sys_descr"), r.get("sys_object_id"))
            for r in [*corpus.load_rows(), *corpus.load_walks()[0]] if r.get("sys_descr") or r.get("sys_object_id")}
    assert [r["id"] for r in TOOL.load_rows() if (r.get("sys_descr"), r.get("sys_object_id")) in seen] == []


def test_labels_cover_prc_makers_and_not_only_one_brand() -> None:
    """The label file is written from maker names: the banned brands it names are PRC, the rows span makers."""
    labels = TOOL.load_labels()
    assert all(labels.of(s).prc is True for s in ("huawei", "zte", "hikvision", "dahua", "tplink"))
    assert labels.of("HPE").prc is None and labels.of("cisco").prc is False
    assert len({labels.of(r["label"]).vendor for r in TOOL.load_rows()}) >= 12


@pytest.mark.parametrize(("fixture", "row_id"), [
    ("checkmk_cisco-3750.head", "checkmk-agent-output:snmp/cisco-3750"),
    ("checkmk_eaton-9135.head", "checkmk-agent-output:snmp/eaton-9135"),
])
def test_checkmk_stored_walk_lines_read_as_the_corpus_row(fixture: str, row_id: str) -> None:
    """Real lines of Checkmk stored walks (a sysDescr as quoted hex with CR LF inside, one bare): the builder's
    reader gives the sysDescr and sysObjectID the corpus row holds."""
    rows = {r["id"]: r for r in TOOL.load_rows()}
    got = recordings.facts(TOOL.checkmk_objects((FIXTURES / fixture).read_text(encoding="utf-8")))
    assert (got["sys_descr"], got["sys_object_id"]) == (rows[row_id]["sys_descr"], rows[row_id]["sys_object_id"])
    assert "\r\n" in rows["checkmk-agent-output:snmp/cisco-3750"]["sys_descr"]


@settings(max_examples=150, deadline=None)
@given(octets=st.binary(min_size=1, max_size=64))
def test_checkmk_hex_values_read_as_the_transport_reads_octets(octets: bytes) -> None:
    """Checkmk writes a string as quoted, space-separated upper-case hex (with a trailing space): any bytes written
    that way read back as the SNMP transport reads the same octets."""
    raw = '"' + " ".join(f"{b:02X}" for b in octets) + ' "'
    assert TOOL.checkmk_value(raw) == recordings.octets_value(octets)
    [(oid, value, _)] = TOOL.checkmk_objects(f".1.3.6.1.2.1.1.1.0 {raw}\n")
    assert (oid, value) == ("1.3.6.1.2.1.1.1.0", recordings.octets_value(octets))


@settings(max_examples=150, deadline=None)
@given(maker=st.sampled_from(["cisco", "mikrotik", "dlink", "stonegate", "huawei"]),
       before=st.sampled_from(["", "entPhysicalTable-", "nms-"]),
       after=st.sampled_from(["", "1700", "-192.168.0.1-walk", "_DES-3026", "TestData1"]),
       ext=st.sampled_from([".properties", ".txt"]))
def test_a_maker_word_is_found_in_a_file_name(maker: str, before: str, after: str, ext: str) -> None:
    """However OpenNMS named a walk around the maker (prefix, model number, address, camelCase), the maker word is
    found; a name with no maker word gives none."""
    makers = {"cisco", "mikrotik", "dlink", "stonegate", "huawei"}
    assert TOOL.maker_in_name(f"a/src/test/resources/{before}{maker}{after}{ext}", makers) == maker
    assert TOOL.maker_in_name(f"a/src/test/resources/{before}router{after}{ext}", makers) is None
