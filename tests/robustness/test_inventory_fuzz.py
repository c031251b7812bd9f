"""The inventory loader under fuzzing and at its limits.

Any text -- the sample and the lab inventories mutated, any value at any key, random YAML -- gives a validation
report whose problems each name the file and a line or key; ``load_inventory`` raises nothing but InputError.
Issue 14: a 10 MB inventory of 110,000 plain hosts was refused as "aliases of aliases?"; a big plain document must
load and an alias bomb must be refused with a message that says so (the full 110,000 hosts are timed by
benchmarks/bench_inventory.py, not here).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from fuzzkit import FUZZ, ROOT, assert_problems_located, mutated, piece
from hypothesis import given
from hypothesis import strategies as st

from netcomply.errors import InputError
from netcomply.inventory import load_inventory, validate_inventory
from netcomply.inventory.yamlsrc import MAX_ALIAS_VALUES, MAX_CHARS, parse_yaml

SAMPLE = ROOT / "inventory" / "sample-city.yaml"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
SAMPLE_DOC = yaml.safe_load(SAMPLE_TEXT)


def _check(path: Path) -> None:
    report = validate_inventory(path, environ={})
    if report.problems:
        assert_problems_located(report.problems, str(path))
        assert report.inventory is None
    else:
        assert report.inventory is not None
    try:
        load_inventory(path, environ={})
    except InputError as exc:
        assert_problems_located(exc.problems, str(path))


@FUZZ
@given(text=mutated(SAMPLE_TEXT))
def test_mutated_sample_inventory(tmp_path: Path, text: str) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(text, encoding="utf-8")
    _check(path)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            out += _paths(value, (*prefix, index))
    return out


PATHS = _paths(SAMPLE_DOC)
values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.dates(), piece),
                      lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(piece, inner, max_size=3)),
                      max_leaves=6)


@FUZZ
@given(data=st.data())
def test_any_value_at_any_key(tmp_path: Path, data: st.DataObject) -> None:
    doc = copy.deepcopy(SAMPLE_DOC)
    for _ in range(data.draw(st.integers(1, 4))):
        path = data.draw(st.sampled_from(PATHS))
        parent = doc
        try:
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = data.draw(values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed this path
    target = tmp_path / "inv.yaml"
    target.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _check(target)


@FUZZ
@given(raw=st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "inv.yaml"
    path.write_bytes(raw)
    _check(path)


def test_plain_values_past_the_old_node_cap_load() -> None:
    """510,000 written-out values (the old cap was 500,000 of any kind) are not an alias bomb."""
    text = "v: [" + ",".join(['""'] * 510_000) + "]\n"
    parsed = parse_yaml(text, "big.yaml")
    assert parsed.problems == [] and len(parsed.data["v"]) == 510_000


def test_plain_inventory_of_many_hosts_loads(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text("hosts:\n" + "".join(f"  h{i}: {{address: 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}, "
                                         f"platform: cisco_ios, role: switch}}\n" for i in range(3000)),
                    encoding="utf-8")
    inventory = load_inventory(path, environ={})
    assert len(inventory.devices) == 3000 and inventory.devices[-1].address == "10.0.11.183"


BOMB = "".join(f"{c}: &{c} [{','.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))


def test_alias_bomb_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text('a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' + BOMB + "hosts: {}\n", encoding="utf-8")
    report = validate_inventory(path, environ={})
    (problem,) = report.problems
    assert problem.file == str(path) and problem.line is not None
    assert "alias bomb" in problem.message and f"{MAX_ALIAS_VALUES:,}" in problem.message


def test_merge_keys_within_the_alias_limit_load(tmp_path: Path) -> None:
    """Merge keys (<<: *base) are alias use too; a few thousand hosts sharing a base mapping are fine."""
    path = tmp_path / "inv.yaml"
    path.write_text("x-base: &base {platform: cisco_ios, role: switch, site: hq}\nhosts:\n"
                    + "".join(f"  h{i}: {{<<: *base, address: 192.0.2.{i % 250 + 1}}}\n" for i in range(2000)),
                    encoding="utf-8")
    report = validate_inventory(path, environ={})
    assert [p.message for p in report.problems if "alias" in p.message] == []


def test_document_past_the_size_limit_is_refused() -> None:
    parsed = parse_yaml("#" * (MAX_CHARS + 1), "huge.yaml")
    assert parsed.data is None and "larger than the limit" in parsed.problems[0].message


@pytest.mark.parametrize("text", ["[" * 100_000, "- " * 100_000 + "x", "a: &a [*a]\n", "&a [*a, *a]"])
def test_deep_and_recursive_documents(tmp_path: Path, text: str) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(text, encoding="utf-8")
    _check(path)
    assert validate_inventory(path, environ={}).problems


@FUZZ
@given(raw=st.binary(max_size=200))
def test_env_file_of_any_bytes(tmp_path: Path, raw: bytes) -> None:
    """The env_file an inventory names is input too (a Big5 env file was a UnicodeDecodeError traceback)."""
    (tmp_path / "site.env").write_bytes(raw)
    path = tmp_path / "inv.yaml"
    path.write_text("env_file: site.env\nhosts:\n  r1: {address: 192.0.2.1, ssh: {password_env: PW}}\n",
                    encoding="utf-8")
    report = validate_inventory(path, environ={})
    for problem in report.problems:
        assert problem.file.endswith(("site.env", "inv.yaml")) and problem.line is not None, problem
