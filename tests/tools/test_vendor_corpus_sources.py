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
