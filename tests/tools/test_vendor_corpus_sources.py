"""tools/vendor_corpus.py rewrites its own blocks of tests/vendor/corpus/SOURCES; the delimited blocks other corpus
tools write (blind, history, cli_more) must survive a rebuild, in place (a rebuild used to drop them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.toolmodule import load

CORPUS_SOURCES = Path(__file__).resolve().parents[2] / "tests" / "vendor" / "corpus" / "SOURCES"


def test_a_rebuild_of_one_block_keeps_every_other_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tool = load("vendor_corpus")
    monkeypatch.setattr(tool, "OUT", tmp_path)
    original = CORPUS_SOURCES.read_text(encoding="utf-8")
    (tmp_path / "SOURCES").write_text(original, encoding="utf-8")
    tool.set_sources_block("ntc_cli.jsonl:", "ntc_cli.jsonl: rebuilt\n  from somewhere\n")
    rebuilt = (tmp_path / "SOURCES").read_text(encoding="utf-8")
    assert "ntc_cli.jsonl: rebuilt" in rebuilt
    for delimited in [line for line in original.splitlines() if line.startswith("# --- ")]:
        assert delimited in rebuilt
    assert rebuilt.index("librenms.jsonl:") < rebuilt.index("ntc_cli.jsonl: rebuilt") < rebuilt.index("walks.jsonl:")
    tool.set_sources_block("ntc_cli.jsonl:", original[original.index("ntc_cli.jsonl:"):original.index("# --- ")])
    assert (tmp_path / "SOURCES").read_text(encoding="utf-8") == original


def test_a_delimited_block_is_replaced_in_place_and_a_new_one_goes_before_walks(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The blind, history and cli_more tools share one writer; the blind tool's own copy used to move its block
    after the others on every rebuild."""
    tool = load("vendor_corpus")
    monkeypatch.setattr(tool, "OUT", tmp_path)
    original = CORPUS_SOURCES.read_text(encoding="utf-8")
    (tmp_path / "SOURCES").write_text(original, encoding="utf-8")
    begin, end = "# --- blind.jsonl (tools/vendor_corpus_blind.py) ---", "# --- end of blind.jsonl ---"
    tool.set_delimited_block(begin, end, f"{begin}\nblind.jsonl: rebuilt\n{end}\n")
    rebuilt = (tmp_path / "SOURCES").read_text(encoding="utf-8")
    assert rebuilt.index(begin) == original.index(begin) and "blind.jsonl: rebuilt" in rebuilt
    assert rebuilt.count(begin) == 1 and original.split(end, 1)[1] == rebuilt.split(end, 1)[1]
    new_begin, new_end = "# --- new.jsonl (tools/x.py) ---", "# --- end of new.jsonl ---"
    tool.set_delimited_block(new_begin, new_end, f"{new_begin}\nnew.jsonl: 1 row\n{new_end}\n")
    text = (tmp_path / "SOURCES").read_text(encoding="utf-8")
    assert text.index(new_end) < text.index("\nwalks.jsonl:") and text.count(new_begin) == 1
