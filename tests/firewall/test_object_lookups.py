"""Object lookups stay linear in the object count (issue 17: a PAN-OS policy of 3 rules over 3,000 address objects
ran for minutes). Counted, not timed: how often the object lists are scanned, whatever the machine's speed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from collectors.firewall.parsers import parse_text
from collectors.firewall.parsers.xmltree import Node

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_firewall import panos_policy_xml  # the benchmark's generator: one definition of the case


@pytest.mark.parametrize("n", [200, 2000])
def test_panos_object_lists_are_scanned_a_bounded_number_of_times(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: dict[str, int] = {}
    original = Node.entries

    def counting(self: Node, *path: str) -> list[Node]:
        calls[path[0] if path else ""] = calls.get(path[0] if path else "", 0) + 1
        return original(self, *path)

    monkeypatch.setattr(Node, "entries", counting)
    sets = parse_text(panos_policy_xml(n), "paloalto_panos", "bench.xml")
    rules = [r for rs in sets for r in rs.rules]
    assert [r.name for r in rules] == ["allow-groups", "deny-half", "deny-all"]
    # every member resolved: the allow rule's sources are the n/2 distinct host objects
    assert len(rules[0].src) == n // 2 and len(rules[1].src) == n // 4
    assert calls.get("address", 0) <= 4 and calls.get("address-group", 0) <= 4, calls  # was one scan per member
