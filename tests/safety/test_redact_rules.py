"""The redactor's shortcuts never change a result: lines without a trigger word and rules whose words are absent
are skipped only where they could not have matched; netconan's regexes run only on lines holding one of their
words. Checked against running every rule and every netconan regex on every line, on the corpus and on
generated text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from netconan.sensitive_item_removal import generate_default_sensitive_item_regexes

from netcomply.safety.redaction import engine, netconan_rules, rules
from netcomply.safety.redaction.engine import Redactor

CORPUS = Path(__file__).parent / "redaction_corpus"
TEXTS = [json.loads(line)["line"] for name in ("corpus.jsonl", "documented.jsonl")
         for line in (CORPUS / name).read_text().splitlines()]
CONFIGS = [p.read_text() for p in sorted((CORPUS / "configs").glob("*.txt"))]


def _slow_rule_spans(text: str) -> set[tuple[int, int, str]]:
    """Every rule on the whole text, no shortcut."""
    found = set()
    for rule in rules.RULES:
        for a, b in engine._value_spans(rule.pattern, text):
            found.add((a, b, rule.kind))
    return found


def _fast_rule_spans(text: str) -> set[tuple[int, int, str]]:
    lines = engine._TriggerLines(text)
    if not lines.text:
        return set()
    return {(a, b, kind) for a, b, prio, kind in lines.spans(text, None) if prio <= engine._GENERIC}


@pytest.mark.parametrize("text", CONFIGS + TEXTS[::7], ids=lambda t: t[:40])
def test_shortcuts_find_what_every_rule_on_every_line_finds(text: str) -> None:
    assert _slow_rule_spans(text) == _fast_rule_spans(text)


def test_every_rule_match_holds_a_trigger_word_and_an_anchor() -> None:
    for text in CONFIGS + TEXTS:
        for rule in rules.RULES:
            for m in rule.pattern.finditer(text):
                line_start = text.rfind("\n", 0, m.start()) + 1
                line_end = text.find("\n", m.end() - 1 if m.end() > m.start() else m.end())
                line = text[line_start: len(text) if line_end < 0 else line_end].lower()
                assert any(w in line for w in rules.TRIGGER_WORDS), (rule.kind, line)
                if rule.anchors:
                    assert any(a in m.group(0).lower() for a in rule.anchors), (rule.kind, m.group(0))


def _netconan_all(line: str) -> list[tuple[int, int, str]]:
    """netconan's groups without the word shortcut."""
    saved = netconan_rules._group_index, netconan_rules._all_words
    try:
        all_groups = frozenset(range(len(netconan_rules._groups())))
        netconan_rules._group_index = lambda: ({}, all_groups)  # type: ignore[assignment]
        netconan_rules._all_words = lambda: frozenset()  # type: ignore[assignment]
        stripped = [tuple((r, i, ()) for r, i, _ in g) for g in netconan_rules._groups()]
        saved_groups = netconan_rules._groups
        netconan_rules._groups = lambda: stripped  # type: ignore[assignment]
        try:
            return list(netconan_rules.line_spans(line))
        finally:
            netconan_rules._groups = saved_groups  # type: ignore[assignment]
    finally:
        netconan_rules._group_index, netconan_rules._all_words = saved  # type: ignore[assignment]


@pytest.mark.parametrize("line", TEXTS, ids=lambda t: t[:40])
def test_netconan_word_shortcut_changes_nothing(line: str) -> None:
    for single in line.splitlines():
        assert list(netconan_rules.line_spans(single)) == _netconan_all(single)


def test_netconan_regexes_are_all_used() -> None:
    n = sum(len(g) for g in generate_default_sensitive_item_regexes())
    assert sum(len(g) for g in netconan_rules._groups()) == n > 50


_WORDS = sorted({w for r in rules.RULES for w in r.anchors} | set(rules.TRIGGER_WORDS))
_TOKEN = st.one_of(st.sampled_from(_WORDS), st.sampled_from(["7", "0", "ENC", "cipher", "192.0.2.1", '"x"']),
                   st.text(alphabet="abcXYZ019$%^#-_.:/@", min_size=1, max_size=12))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_TOKEN, min_size=1, max_size=8).map(" ".join), min_size=1, max_size=6))
def test_generated_text_same_with_and_without_shortcuts(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert {(a, b) for a, b, _ in _slow_rule_spans(text)} == {(a, b) for a, b, _ in _fast_rule_spans(text)}
    out = Redactor().redact(text)
    assert Redactor().redact(out) == out
