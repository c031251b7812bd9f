"""Fuzzing every firewall parser: random text and mutations of the real corpus files (lines dropped, repeated,
swapped, cut, words replaced by hostile pieces). Each input gives rule sets or netcomply's InputError naming the
file; never another exception (no IndexError, KeyError, RecursionError...). ``NC_FUZZ_EXAMPLES`` raises the
number of examples for a long hunt."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.firewall.anomaly import analyze
from collectors.firewall.parsers import PARSERS, parse_text
from netcomply.errors import InputError

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text())["files"]
EXTRA = {"nft": ["tests/firewall/fixtures/city-edge.nft.json", "tests/firewall/fixtures/nft_list_ruleset_a.txt"],
         "paloalto_panos": ["tests/firewall/fixtures/panos_running_config.xml"],
         "juniper_junos": ["tests/firewall/fixtures/junos_display_xml.xml"],
         "fortinet": ["tests/firewall/fixtures/fortigate_vdoms.conf"]}
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("NC_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PIECES = ["", "{", "}", "[", "]", ";", '"', "'", "\\", "#", "/*", "*/", "\x00", "\t", "\r", "\ufeff", "\u2028",
          "edit", "next", "end", "config", "set", "delete", "move", "top", "before", "after", "clone", "to",
          "rename", "purge", "unset", "append", "-A", "-N", "-j", "-g", "RETURN", "ACCEPT", "!", "-s", "--dport",
          "permit", "deny", "any", "host", "eq", "range", "object-group", "access-list", "extended", "standard",
          "term", "from", "then", "except", "policy", "from-zone", "to-zone", "rules", "vsys", "index:",
          "999.1.1.1", "10.0.0.0/33", "::/0", "0.0.0.0", "255.255.255.255", "-1", "65536", "9" * 40, "a" * 300,
          "<", ">", "</entry>", "<entry name=\"x\">", "&amp;", "]]>", "{\"nftables\": [", "\"rule\":", "null"]
PLATFORMS = ["cisco_asa", "cisco_ios", "fortinet", "iptables", "juniper_junos", "paloalto_panos", "nft"]


def _seeds(platform: str) -> list[str]:
    files = [CORPUS / "files" / e["file"] for e in MANIFEST if e["platform"] == platform][::4]
    files += [ROOT / p for p in EXTRA.get(platform, [])]
    return [f.read_text() for f in files]


SEEDS = {p: _seeds(p) for p in PLATFORMS}


@st.composite
def mutated(draw: st.DrawFn, platform: str) -> str:
    lines = draw(st.sampled_from(SEEDS[platform])).splitlines()
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            lines = [draw(st.sampled_from(PIECES))]
        k = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "repeat", "swap", "cut", "word", "insert", "truncate"]))
        if op == "drop":
            del lines[k]
        elif op == "repeat":
            lines.insert(k, lines[k])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[k], lines[j] = lines[j], lines[k]
        elif op == "cut":
            lines[k] = lines[k][: draw(st.integers(0, max(len(lines[k]) - 1, 0)))]
        elif op == "word":
            words = lines[k].split(" ")
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(PIECES))
            lines[k] = " ".join(words)
        elif op == "insert":
            lines.insert(k, " ".join(draw(st.lists(st.sampled_from(PIECES), max_size=6))))
        else:
            lines = lines[:k]
    return "\n".join(lines)


def _result_or_input_error(text: str, platform: str | None) -> None:
    try:
        sets = parse_text(text, platform, "fuzz.cfg")
    except InputError as exc:
        assert exc.problems and all(p.file == "fuzz.cfg" for p in exc.problems)
        return
    for rs in sets:
        for r in rs.rules:
            assert r.status == "exact" or r.reason, r  # every rule not exact says why
        if len(rs.rules) <= 300:
            analyze(rs)  # whatever a parser makes, the analysis can read


@pytest.mark.parametrize("platform", PLATFORMS)
def test_mutated_real_files(platform: str) -> None:
    assert SEEDS[platform] and platform in PARSERS

    @FUZZ
    @given(mutated(platform), st.booleans())
    def run(text: str, detect: bool) -> None:
        _result_or_input_error(text, None if detect else platform)

    run()


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=40),
       st.sampled_from([None, *PLATFORMS]))
def test_random_text(pieces: list[str], platform: str | None) -> None:
    _result_or_input_error(" ".join(pieces).replace(" \n ", "\n"), platform)
