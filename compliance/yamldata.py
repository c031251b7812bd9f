"""Reading the YAML files users and the project keep (catalogs, thresholds, decisions, duty records).

One loader so that every file gets the same treatment: line numbers for every key (via the inventory's
line-aware parser), duplicate keys reported instead of silently dropped, and every problem collected into one
:class:`InputError` (``FILE:LINE: message``) so a user fixes a file in one pass.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netcomply.errors import InputError, InputProblem
from netcomply.inventory.problems import dotted
from netcomply.inventory.yamlsrc import LineMap, parse_yaml


@dataclass
class YamlDoc:
    """A parsed file plus a place to collect problems about its content, each with its line."""

    file: str
    data: Any
    lines: LineMap
    problems: list[InputProblem] = field(default_factory=list)

    def problem(self, path: tuple[Hashable, ...], message: str, *, key: str | None = None) -> None:
        """A problem at ``path``: its line (line 1 for a file with no content at all) and its key."""
        line = self.lines.key_line(path) or 1
        self.problems.append(InputProblem(self.file, line, message, key or (dotted(path) if path else None)))

    def raise_if_problems(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def read_yaml(path: str | Path, *, what: str = "file") -> YamlDoc:
    """Parse ``path``; an unreadable file or bad YAML raises :class:`InputError` at once."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(InputProblem(name, None, f"{what} not found")) from None
    except OSError as exc:
        raise InputError(InputProblem(name, None, f"cannot read {what}: {exc.strerror or exc}")) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(InputProblem(name, line, f"{what} is not UTF-8 text; save it as UTF-8")) from None
    parsed = parse_yaml(text, name)
    problems = list(parsed.problems)
    for dup_path, line, first in parsed.duplicates:
        where = f" (first written on line {first})" if first else ""
        problems.append(InputProblem(name, line, f"key {dup_path[-1]!r} written twice{where}"))
    if problems:
        raise InputError(problems)
    return YamlDoc(name, parsed.data, parsed.lines)
