"""The line-aware YAML reader: lines of keys and values, duplicates, merges, hostile shapes."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from netcomply.inventory.yamlsrc import parse_yaml

TEXT = """\
top:
  a: 1
  b:
    - x
    -
      c: 2
flow: {d: 3, e: [4, 5]}
"""


def test_key_and_value_lines():
    parsed = parse_yaml(TEXT, "f.yaml")
    assert parsed.problems == [] and parsed.duplicates == []
    assert parsed.data == yaml.safe_load(TEXT)
    lines = parsed.lines
    assert lines.key_line(("top", "a")) == 2
    assert lines.key_line(("top", "b")) == 3
    assert lines.value_line(("top", "b", 0)) == 4
    assert lines.key_line(("top", "b", 1, "c")) == 6
    assert lines.value_line(("flow", "e", 1)) == 7
    assert lines.key_line(("top", "a", "missing", "deeper")) == 2  # nearest enclosing entry


def test_duplicates_are_reported_not_dropped():
    parsed = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert parsed.duplicates == [(("a",), 3, 1)]
    assert parsed.data == {"a": 1, "b": 2}  # the first one is kept; either way it is an error


def test_merge_keys_explicit_wins_and_is_no_duplicate():
    parsed = parse_yaml("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n", "f.yaml")
    assert parsed.duplicates == [] and parsed.problems == []
    assert parsed.data["item"] == {"x": 1, "y": 3}
    assert parsed.lines.key_line(("item", "x")) == 1  # merged from the anchor's line
    assert parsed.lines.key_line(("item", "y")) == 4


def test_recursive_alias_and_bad_merge_are_problems():
    for text in ("a: &a [*a]\n", "a: &a\n  b: *a\n", "x: " + "[" * 100 + "]" * 100 + "\n"):
        deep = parse_yaml(text, "f.yaml")
        assert deep.data is None
        assert [(p.line, p.message) for p in deep.problems] == [
            (1, "YAML nested deeper than 64 levels (or a recursive alias)")]
    bad = parse_yaml("a: &s 1\nb: {<<: *s}\n", "f.yaml")
    assert [p.line for p in bad.problems] == [1]
    assert "merge key" in bad.problems[0].message


def test_complex_key_and_unknown_tag():
    parsed = parse_yaml("? [a, b]\n: 1\nc: !vault |\n  abc\n", "f.yaml")
    assert [p.line for p in parsed.problems] == [1, 3]


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
                    lambda inner: st.one_of(st.lists(inner, max_size=3),
                                            st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                    max_leaves=10))
def test_agrees_with_safe_load(value):
    text = yaml.safe_dump(value)
    parsed = parse_yaml(text, "f.yaml")
    assert parsed.problems == []
    assert parsed.data == yaml.safe_load(text)
