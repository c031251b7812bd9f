"""YAML with line numbers: parse a document into plain Python data *and* a map from each key path to its line.

Why not ``yaml.safe_load``: it forgets where things came from, and it silently keeps the last of two
duplicate keys (a second ``cg-core1:`` host would quietly replace the first). Users need
``inventory.yaml:42: unknown key 'pasword_env'``, so we compose the node graph (with libyaml when available,
which keeps start marks) and build the data ourselves, recording for every mapping entry the line of its key
and of its value, and reporting duplicate keys instead of dropping them.

Anchors, aliases and merge keys (``<<: *base``) work as in YAML 1.1; keys written explicitly win over merged
ones, so overriding a merged key is not a duplicate.

Limits, each refused with a message naming it (an inventory of 110,000 hosts, about 10 MB, is well inside them):

* :data:`MAX_CHARS` characters per document (32 Mi): what the composed node graph may cost in memory;
* :data:`MAX_DEPTH` levels of nesting (64), which also stops recursive aliases (``&a [*a]``);
* :data:`MAX_ALIAS_VALUES` values reached again through aliases or merge keys (250,000): a "billion laughs"
  document is a few lines that expand to millions of values. Values written out in the file do not count, so a
  big plain inventory is never mistaken for one.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from netcomply.errors import InputProblem

#: A location inside the document: mapping keys and sequence indexes from the root.
Path = tuple[Hashable, ...]

_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
MAX_DEPTH = 64  # deeper than any real inventory; stops recursive aliases (&a [*a])
MAX_ALIAS_VALUES = 250_000  # values built a second time because an alias or merge key points at them again
MAX_CHARS = 32 * 1024 * 1024

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LineMap:
    """Where each path was written. ``key_lines`` holds the line of a mapping key (1-based); ``value_lines``
    the line where the value starts (for sequence items: the item)."""

    key_lines: dict[Path, int] = field(default_factory=dict)
    value_lines: dict[Path, int] = field(default_factory=dict)

    def key_line(self, path: Path) -> int | None:
        """Line of the key at ``path``, else of the nearest enclosing entry that has one."""
        return self._nearest(path, self.key_lines, self.value_lines)

    def value_line(self, path: Path) -> int | None:
        """Line of the value at ``path``, else of its key, else of the nearest enclosing entry."""
        return self._nearest(path, self.value_lines, self.key_lines)

    @staticmethod
    def _nearest(path: Path, first: dict[Path, int], second: dict[Path, int]) -> int | None:
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            for table in (first, second):
                line = table.get(prefix)
                if line is not None:
                    return line
        return None


@dataclass
class ParsedYaml:
    data: Any
    lines: LineMap
    problems: list[InputProblem]
    #: (path, line, line of the first occurrence) for each key written twice in one mapping
    duplicates: list[tuple[Path, int, int | None]] = field(default_factory=list)


class _Builder:
    """Turns a composed node graph into Python data, recording lines and duplicate keys."""

    def __init__(self, file: str, seen: set[int] | None = None) -> None:
        self.file = file
        self.lines = LineMap()
        self.problems: list[InputProblem] = []
        self.duplicates: list[tuple[Path, int, int | None]] = []
        self.constructor = SafeConstructor()
        #: ids of the nodes built so far: a node met again was reached through an alias (the composer shares
        #: the anchored node), so its values count as alias expansion (shared with merge builders)
        self.seen: set[int] = set() if seen is None else seen
        self.again = 0

    def problem(self, node: Node, message: str, key: str | None = None) -> None:
        self.problems.append(InputProblem(self.file, node.start_mark.line + 1, message, key))

    def build(self, node: Node, path: Path, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise _TooDeep(node, f"YAML nested deeper than {MAX_DEPTH} levels (or a recursive alias)")
        ident = id(node)
        if ident in self.seen:
            self.again += 1
            if self.again > MAX_ALIAS_VALUES:
                raise _TooDeep(node, f"YAML aliases (*name) or merge keys (<<) expand to more than "
                               f"{MAX_ALIAS_VALUES:,} values: refused as an alias bomb (\"billion laughs\"); "
                               "share settings through groups and defaults instead")
        else:
            self.seen.add(ident)
        self.lines.value_lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            out = []
            for index, item in enumerate(node.value):
                out.append(self.build(item, (*path, index), depth + 1))
            return out
        return self._scalar(node)

    def _scalar(self, node: Node) -> Any:
        if node.tag == _STR_TAG:  # most values: what SafeConstructor.construct_yaml_str returns, 10x cheaper
            return node.value
        if node.tag == _MERGE_TAG:
            return "<<"
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.problem(node, f"cannot read this value: {reason}")
            return None

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merges.append(value_node)
                continue
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, "a mapping key must be a plain name, not a list or mapping")
                continue
            key = self._scalar(key_node)
            if not isinstance(key, Hashable):  # pragma: no cover - scalars are hashable
                continue
            key_path = (*path, key)
            if key in out:
                self.duplicates.append((key_path, key_node.start_mark.line + 1, self.lines.key_lines.get(key_path)))
                continue
            self.lines.key_lines[key_path] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, key_path, depth + 1)
        for merge in merges:
            sources = merge.value if isinstance(merge, SequenceNode) else [merge]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self.problem(source, "a merge key (<<) must point at a mapping or a list of mappings")
                    continue
                merged = _Builder(self.file, self.seen)
                merged.again = self.again
                value = merged._mapping(source, path, depth + 1)
                self.again = merged.again
                self.problems.extend(merged.problems)
                self.duplicates.extend(merged.duplicates)
                for key, item in value.items():
                    if key not in out:  # explicit keys win; earlier merges win over later ones
                        out[key] = item
                        for table, mine in ((merged.lines.key_lines, self.lines.key_lines),
                                            (merged.lines.value_lines, self.lines.value_lines)):
                            for sub, line in table.items():
                                if sub[: len(path) + 1] == (*path, key):
                                    mine.setdefault(sub, line)
        return out


class _TooDeep(Exception):
    def __init__(self, node: Node, reason: str) -> None:
        super().__init__(reason)
        self.node = node
        self.reason = reason


def parse_yaml(text: str, file: str) -> ParsedYaml:
    """Parse one YAML document. Syntax errors, duplicate keys and unreadable values become problems with
    their line; ``data`` is None when the text could not be parsed at all."""
    if len(text) > MAX_CHARS:
        return ParsedYaml(None, LineMap(), [InputProblem(
            file, None, f"YAML document of {len(text):,} characters: larger than the limit of {MAX_CHARS:,}")])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        return ParsedYaml(None, LineMap(), [InputProblem(file, line, f"YAML syntax error: {what}")])
    except ReaderError as exc:  # a control character: it knows its position, not its line
        line = text.count("\n", 0, exc.position) + 1
        what = f"character U+{exc.character:04X}" if isinstance(exc.character, int) else "character"
        return ParsedYaml(None, LineMap(), [InputProblem(file, line, f"YAML does not allow the control {what}")])
    except yaml.YAMLError as exc:  # e.g. "expected a single document in the stream"
        return ParsedYaml(None, LineMap(), [InputProblem(file, None, f"YAML error: {exc}")])
    except RecursionError:  # only the pure-Python composer recurses (libyaml stops at its own depth limit)
        return ParsedYaml(None, LineMap(), [InputProblem(file, None, f"YAML nested deeper than {MAX_DEPTH} levels")])
    if node is None:
        return ParsedYaml(None, LineMap(), [])
    builder = _Builder(file)
    try:
        data = builder.build(node, ())
    except _TooDeep as exc:
        builder.problem(exc.node, exc.reason)
        return ParsedYaml(None, builder.lines, builder.problems, builder.duplicates)
    return ParsedYaml(data, builder.lines, builder.problems, builder.duplicates)
