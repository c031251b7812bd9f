"""Property tests: random valid inventories resolve as inheritance predicts; random damage only ever yields
InputError (never a traceback)."""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcomply.errors import InputError
from netcomply.inventory import load_inventory

SAMPLE = Path(__file__).resolve().parents[2] / "inventory" / "sample-city.yaml"
SAMPLE_DOC = yaml.load(SAMPLE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# NC_INVENTORY_EXAMPLES=5000 for a long hunt; the default keeps the suite fast.
SETTINGS = settings(max_examples=int(os.environ.get("NC_INVENTORY_EXAMPLES", "100")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

word = st.sampled_from(["a", "b", "c", "d"])
scalar_var = st.one_of(st.integers(-5, 5), word, st.booleans())
var_value = st.one_of(scalar_var, st.dictionaries(word, scalar_var, max_size=3))


@st.composite
def layer(draw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, strategy in (
        ("platform", st.sampled_from(["cisco_ios", "huawei", "hp_comware", "fortinet"])),
        ("role", word), ("site", word), ("level", st.sampled_from("ABCDE")),
        ("tags", st.lists(st.sampled_from(["t0", "t1", "t2", "t3"]), max_size=3)),
        ("vars", st.dictionaries(word, var_value, max_size=3)),
        ("ssh", st.fixed_dictionaries({}, optional={"port": st.integers(1, 65535), "username": word,
                                                     "timeout": st.integers(1, 60)})),
        ("snmp", st.fixed_dictionaries({}, optional={"port": st.integers(1, 65535), "retries": st.integers(0, 10),
                                                      "community_env": st.sampled_from(["RO1", "RO2"])})),
    ):
        if draw(st.booleans()):
            out[key] = draw(strategy)
    return out


@st.composite
def inventories(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(0, 6))
    names = [f"g{i}" for i in range(n)]
    groups = {}
    for i, name in enumerate(names):
        spec = draw(layer())
        # Parents only among later groups: no cycles by construction.
        parents = draw(st.lists(st.sampled_from(names[i + 1:]), unique=True, max_size=3)) if i + 1 < n else []
        if parents:
            spec["groups"] = parents
        groups[name] = spec
    hosts = {}
    for i in range(draw(st.integers(1, 5))):
        spec = draw(layer())
        spec["address"] = f"192.0.2.{i + 1}"
        if names:
            spec["groups"] = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
        hosts[f"h{i}"] = spec
    doc: dict[str, Any] = {"defaults": draw(layer()), "groups": groups, "hosts": hosts}
    return doc


def predicted_chain(direct: list[str], groups: dict[str, Any]) -> list[str]:
    """Level by level: direct groups, then their parents in order, then grandparents ... first place wins."""
    chain: list[str] = []
    level = list(direct)
    while level:
        next_level: list[str] = []
        for name in level:
            if name not in chain:
                chain.append(name)
                next_level.extend(groups[name].get("groups", []))
        level = next_level
    return chain


def overlay(lower: Any, higher: Any) -> Any:
    if isinstance(lower, dict) and isinstance(higher, dict):
        out = dict(lower)
        for key, value in higher.items():
            out[key] = overlay(lower[key], value) if key in lower else value
        return out
    return higher


def write_doc(doc: Any, directory: str) -> Path:
    path = Path(directory) / "inv.yaml"
    path.write_text(yaml.dump(doc, Dumper=_DUMPER, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@SETTINGS
@given(inventories())
def test_random_inventories_resolve_as_predicted(doc):
    with tempfile.TemporaryDirectory() as tmp:
        inv = load_inventory(write_doc(doc, tmp), environ={"RO1": "x", "RO2": "y"})
    assert [d.name for d in inv.devices] == list(doc["hosts"])
    for device in inv.devices:
        host = doc["hosts"][device.name]
        chain = predicted_chain(host.get("groups", []), doc["groups"])
        layers = [host, *(doc["groups"][g] for g in chain), doc["defaults"]]
        assert list(device.groups) == chain
        for key in ("platform", "role", "site", "level"):
            assert getattr(device, key) == next((lay[key] for lay in layers if key in lay), None), key
        expected_tags: list[str] = []
        for lay in layers:
            for tag in lay.get("tags", []):
                if tag not in expected_tags:
                    expected_tags.append(tag)
        assert list(device.tags) == expected_tags
        merged: dict[str, Any] = {}
        for lay in reversed(layers):
            merged = overlay(merged, {k: lay[k] for k in ("vars", "ssh", "snmp") if k in lay})
        assert device.vars == merged.get("vars", {})
        for block in ("ssh", "snmp"):
            got = getattr(device, block)
            if block not in merged:
                assert got is None
            else:
                assert {key: getattr(got, key) for key in merged[block]} == merged[block]


MUTATION_CHARS = st.sampled_from([*":-[]{}#&*!|>'\",?%@` \t\nabcX0123.", "\n  ", "<<: ", "- ", "password: "])


@st.composite
def text_mutation(draw: Any) -> str:
    text = SAMPLE.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "insert", "dup_line", "swap_lines"]))
        lines = text.splitlines(keepends=True)
        if op == "delete" and text:
            start = draw(st.integers(0, len(text) - 1))
            text = text[:start] + text[start + draw(st.integers(1, 40)):]
        elif op == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + "".join(draw(st.lists(MUTATION_CHARS, min_size=1, max_size=8))) + text[at:]
        elif op == "dup_line" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            text = "".join(lines[: i + 1] + lines[i:])
        elif op == "swap_lines" and len(lines) > 1:
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
    return text


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8),
              st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6,
)


def _paths(data: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _paths(value, (*path, index))
    return out


@st.composite
def data_mutation(draw: Any) -> Any:
    doc = copy.deepcopy(SAMPLE_DOC)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        value = draw(json_values)
        if not path:
            doc = value if draw(st.booleans()) else doc
            continue
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        op = draw(st.sampled_from(["replace", "delete", "add_key"]))
        if op == "replace":
            parent[path[-1]] = value
        elif op == "delete":
            del parent[path[-1]]
        elif isinstance(parent[path[-1]], dict):
            parent[path[-1]][draw(st.text(max_size=10))] = value
    return doc


def _load_only_input_errors(path: Path) -> None:
    """load_inventory either succeeds or raises InputError with located problems; nothing else escapes."""
    try:
        inv = load_inventory(path, environ={})
    except InputError as exc:
        assert exc.problems and all(p.file == str(path) or p.file.endswith(".env") for p in exc.problems)
    else:
        assert inv.devices is not None


@SETTINGS
@given(text_mutation())
def test_text_mutations_raise_only_input_error(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inv.yaml"
        path.write_text(text, encoding="utf-8")
        _load_only_input_errors(path)


@SETTINGS
@given(data_mutation())
def test_data_mutations_raise_only_input_error(doc):
    with tempfile.TemporaryDirectory() as tmp:
        _load_only_input_errors(write_doc(doc, tmp))
