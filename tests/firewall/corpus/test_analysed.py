"""Issue 17's goal on the corpus: at least 95% of the files that hold rules are *analysed* (some rule parsed,
exactly or as an honest approximation), and no file analyses fewer of its rules than the manifest's floor
(``analysed_at_least``, raised only). An approximation is honest when it says why and, if it may match less than
its fields say, is partial: never used to prove another rule dead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collectors.firewall.model import ParseStatus, Rule
from collectors.firewall.parsers import parse_text

HERE = Path(__file__).parent
MANIFEST = json.loads((HERE / "manifest.json").read_text())["files"]


def _rules(entry: dict[str, object]) -> list[Rule]:
    text = (HERE / "files" / str(entry["file"])).read_text()
    return [r for rs in parse_text(text, str(entry["platform"]), str(entry["file"])) for r in rs.rules]


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_each_file_analyses_at_least_its_floor(entry: dict[str, object]) -> None:
    rules = _rules(entry)
    analysed = [r for r in rules if r.status != ParseStatus.UNPARSED]
    assert len(analysed) / len(rules) >= float(entry.get("analysed_at_least", 0.0)) - 1e-4  # type: ignore[arg-type]
    for r in analysed:
        if r.status == ParseStatus.APPROXIMATE:
            assert r.reason  # says why


def test_at_least_95_percent_of_files_are_analysed() -> None:
    files = [any(r.status != ParseStatus.UNPARSED for r in _rules(e)) for e in MANIFEST]
    assert sum(files) / len(files) >= 0.95, f"{sum(files)}/{len(files)}"
