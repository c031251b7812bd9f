"""The firewall parsers on a corpus of real public configurations (batfish/batfish, aerleon/aerleon and
networktocode/ntc-templates test data; manifest.json names each file's repository, path and commit).

For every file: auto-detection names the platform its project files it under; parsing gives a result (never
an error); the rule lines the result accounts for are exactly the independent count of count_rules.py (no
silent drop, no invented rule); the parse coverage is no lower than when the corpus was built. On Batfish's
example network, the ACL lines equal Batfish's own model (viModel.ref) and the unreachable lines equal its
published filterLineReachability answer.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from collectors.firewall.anomaly import analyze
from collectors.firewall.parsers import detect, parse_text
from collectors.firewall.parsers.accounting import covered_lines

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from count_rules import COUNT  # noqa: E402

MANIFEST = json.loads((HERE / "manifest.json").read_text())["files"]
ANSWERS = json.loads((HERE / "batfish_answers.json").read_text())
LIVE = HERE / "files" / "batfish" / "example-live"


def _text(entry: dict[str, object]) -> str:
    return (HERE / "files" / str(entry["file"])).read_text()


def test_the_corpus_is_large_varied_and_sourced() -> None:
    assert len(MANIFEST) >= 150
    assert len({e["repo"] for e in MANIFEST}) >= 3
    assert len({e["platform"] for e in MANIFEST}) >= 6
    for e in MANIFEST:
        assert e["repo"] and e["path"] and len(e["commit"]) == 40 and e["rules"] > 0
        assert (HERE / "files" / e["file"]).stat().st_size <= 65536


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_every_rule_line_is_accounted_for(entry: dict[str, object]) -> None:
    text = _text(entry)
    platform = str(entry["platform"])
    assert COUNT[platform](text) == entry["rules"]  # the manifest still says what the file says
    assert detect(text) == platform
    sets = parse_text(text, platform, str(entry["file"]))
    assert len(covered_lines(sets)) == entry["rules"]
    rules = [r for rs in sets for r in rs.rules]
    exact = sum(r.status == "exact" for r in rules)
    assert exact / len(rules) >= float(entry["coverage_at_least"]) - 1e-4  # type: ignore[arg-type]
    for r in rules:
        if r.status != "exact":
            assert r.reason  # every rule not analysed exactly says why


def test_acl_lines_equal_batfish_model_of_the_example_network() -> None:
    for node, acls in ANSWERS["acl_lines"].items():
        path = LIVE / f"{node}.cfg"
        if not acls:
            assert not path.exists()  # no ACL: the simple count found no rule, the file is not in the corpus
            continue
        sets = {rs.name: rs for rs in parse_text(path.read_text(), None, str(path))}
        assert set(sets) == set(acls), node
        for name, lines in acls.items():
            ours = [r.provenance.text for r in sets[name].rules]
            assert len(ours) == len(lines), (node, name)
            assert all(o.endswith(b) for o, b in zip(ours, lines, strict=True)), (node, name)


def test_unreachable_lines_equal_batfish_filter_line_reachability() -> None:
    found = []
    for path in sorted(LIVE.glob("*.cfg")):
        for rs in parse_text(path.read_text(), None, str(path)):
            for a in analyze(rs):
                if a.kind in ("shadowed", "redundant") and not a.details.get("by_later"):
                    found.append({"Sources": [f"{path.stem}: {rs.name}"],
                                  "Unreachable_Line": rs.rules[a.rule].provenance.text,
                                  "Blocking_Lines": sorted(rs.rules[k].provenance.text for k in a.related),
                                  "Different_Action": a.kind == "shadowed"})
    expected = [{k: row[k] for k in ("Sources", "Unreachable_Line", "Blocking_Lines", "Different_Action")}
                for row in ANSWERS["filter_line_reachability"]]
    for row in expected:
        row["Blocking_Lines"] = sorted(row["Blocking_Lines"])
    key = lambda r: (r["Sources"], r["Unreachable_Line"])  # noqa: E731
    assert sorted(found, key=key) == sorted(expected, key=key)


def test_every_corpus_file_goes_through_the_whole_offline_audit() -> None:
    """Parse, analyse and judge (``firewall analyze``) each file: the new rule sets (nat chains, local-in,
    filter terms, rule lines not read) never break the analysis or the checks."""
    from netcomply.app.pipelines.firewall import audit

    for e in MANIFEST:
        doc = audit([HERE / "files" / str(e["file"])], None)
        assert doc["rules"] >= 1, e["file"]
