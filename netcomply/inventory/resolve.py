"""Inheritance: from a host's layer, its groups' layers and the defaults to one set of values.

Precedence, highest first::

    host  >  its groups in listed order  >  their parent groups (breadth first)  >  defaults

The group chain is a breadth-first walk from the host's own groups, each group kept at its first (highest)
position: the groups a host names directly always beat the ancestors it only inherits. Scalars take the
first value set along the chain (``null`` counts as not set); ``ssh``, ``snmp`` and ``vars`` are deep-merged
key by key; ``tags`` are the union, highest layer's first. Every resolved value remembers the path it came
from (its *provenance*) so a problem found after merging still points at the line that caused it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from netcomply.inventory.yamlsrc import Path

SCALARS = ("platform", "role", "site", "agency", "level")
MERGED = ("ssh", "snmp", "vars")


@dataclass(frozen=True)
class Layer:
    """One source of settings: ``path`` is where it lives in the file (``('groups', 'cisco')``)."""

    path: Path
    data: Mapping[str, Any]


@dataclass
class Resolved:
    """A host's values after inheritance, and for each value path the file path it came from."""

    values: dict[str, Any] = field(default_factory=dict)
    provenance: dict[Path, Path] = field(default_factory=dict)


def group_chain(direct: Sequence[str], parents: Mapping[str, Sequence[str]]) -> list[str]:
    """Breadth-first linearisation of ``direct`` groups and their ancestors, without repeats.
    Groups missing from ``parents`` are kept (so callers can report them) but not expanded; cycles end."""
    chain: list[str] = []
    seen: set[str] = set()
    queue = list(direct)
    while queue:
        name = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        chain.append(name)
        queue.extend(parents.get(name, ()))
    return chain


def find_cycles(parents: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Each distinct cycle among groups once, as ``[a, b, ..., a]`` starting at the first group (file order)
    that is on it."""
    cycles: list[list[str]] = []
    seen_sets: set[frozenset[str]] = set()
    done: set[str] = set()
    for start in parents:
        if start in done:
            continue
        # Iterative depth-first search (group chains may be long); `path` is the current chain of groups.
        path: list[str] = [start]
        on_path: set[str] = {start}
        iters = [iter(parents.get(start, ()))]
        while iters:
            parent = next(iters[-1], None)
            if parent is None:
                iters.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                continue
            if parent not in parents or parent in done:
                continue
            if parent in on_path:
                cycle = [*path[path.index(parent):], parent]
                key = frozenset(cycle)
                if key not in seen_sets:
                    seen_sets.add(key)
                    cycles.append(cycle)
                continue
            path.append(parent)
            on_path.add(parent)
            iters.append(iter(parents.get(parent, ())))
    return cycles


def _merge(candidates: list[tuple[Path, Any]], at: Path, provenance: dict[Path, Path]) -> Any:
    """Merge values for one key, highest precedence first. The first value wins; if it is a mapping, it is
    merged with the mappings right below it, down to the first layer that set something else."""
    source, winner = candidates[0]
    if not isinstance(winner, Mapping):
        provenance[at] = source
        return winner
    stack: list[tuple[Path, Mapping[str, Any]]] = []
    for src, value in candidates:
        if not isinstance(value, Mapping):
            break
        stack.append((src, value))
    provenance[at] = source
    out: dict[str, Any] = {}
    keys: list[str] = []
    for _, mapping in stack:
        keys.extend(k for k in mapping if k not in keys)
    for key in keys:
        below = [((*src, key), m[key]) for src, m in stack if key in m and m[key] is not None]
        if below:
            out[key] = _merge(below, (*at, key), provenance)
    return out


def resolve_layers(layers: Sequence[Layer]) -> Resolved:
    """Resolve ``layers`` (highest precedence first) into one set of values with provenance."""
    result = Resolved()
    for name in (*SCALARS, *MERGED):
        candidates = [((*layer.path, name), layer.data[name]) for layer in layers
                      if layer.data.get(name) is not None]
        if candidates:
            result.values[name] = _merge(candidates, (name,), result.provenance)
    tags: list[str] = []
    for layer in layers:
        for tag in layer.data.get("tags") or ():
            if tag not in tags:
                tags.append(tag)
    result.values["tags"] = tags
    return result
