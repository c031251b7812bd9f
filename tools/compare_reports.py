#!/usr/bin/env python3
"""Compare two audit reports (``report.json``) apart from what changes on every run: ids, times, durations,
hashes, ports and secrets of the lab.

Why: a refactoring must leave the demo's verdicts alone. Run ``make demo`` (or ``netcomply demo --out DIR``)
before and after the change and compare the two ``report.json`` files:

    python tools/compare_reports.py out/before/report.json out/after/report.json

Exit 0 when they are equal after normalisation, 1 with one line per difference (a JSON path, the value before
and after) otherwise, 2 when a file can't be read. ``--ignore PATH_GLOB`` (repeatable) leaves out more paths,
e.g. ``--ignore 'run.tool_version'``.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Values that differ between two runs of the same lab: replaced by a placeholder before comparing.
_VOLATILE_VALUES = [
    (re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{6}"), "<run-id>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"), "<time>"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "<sha256>"),
    (re.compile(r"\b[0-9a-f]{40}\b"), "<sha1>"),
    (re.compile(r"\blab[0-9a-f]{12}\b"), "<lab-community>"),
    (re.compile(r"(127\.0\.0\.1|::1|localhost)[:.#](\d{2,5})\b"), r"\1:<port>"),
    (re.compile(r"/tmp/[^\s\"']+"), "<tmp-path>"),
    (re.compile(r"\d+(?:\.\d+)? ?(?:ms|s)\b"), "<duration>"),
]

#: Keys whose values are times, durations or counters of the run itself, never verdicts.
_VOLATILE_KEYS = re.compile(
    r"(^|_)(id|ids|started_at|finished_at|generated_at|generated|at|time|times|seconds|duration|duration_s|elapsed"
    r"|uptime|uptime_s|attempts|pid|port|sha256|digest|hash)$"
)


def normalise(value: Any, path: str = "") -> Any:
    """The report with its volatile parts replaced, so that two runs of the same lab compare equal."""
    if isinstance(value, dict):
        return {k: ("<volatile>" if _VOLATILE_KEYS.search(str(k)) else normalise(v, f"{path}.{k}" if path else k))
                for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, str):
        for pattern, placeholder in _VOLATILE_VALUES:
            value = pattern.sub(placeholder, value)
        return value
    if isinstance(value, float):
        return round(value, 4)
    return value


def differences(a: Any, b: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Every path at which ``a`` and ``b`` differ, depth first; lists compare element by element."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            sub = f"{path}.{key}" if path else str(key)
            if key not in a:
                yield sub, "<missing>", b[key]
            elif key not in b:
                yield sub, a[key], "<missing>"
            else:
                yield from differences(a[key], b[key], sub)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield f"{path}.length", len(a), len(b)
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            yield from differences(x, y, f"{path}[{i}]")
    elif a != b:
        yield path, a, b


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"{path}: cannot read a report: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 100 else text[:97] + "..."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--ignore", action="append", default=[], metavar="PATH_GLOB",
                        help="leave out paths matching this glob (e.g. 'run.tool_version', 'sections.*.charts')")
    parser.add_argument("--max", type=int, default=50, help="print at most this many differences")
    args = parser.parse_args(argv)
    before, after = normalise(_load(args.before)), normalise(_load(args.after))
    found = [d for d in differences(before, after)
             if not any(fnmatch.fnmatchcase(d[0], pattern) for pattern in args.ignore)]
    for path, x, y in found[: args.max]:
        print(f"{path}: {_short(x)} -> {_short(y)}")
    if len(found) > args.max:
        print(f"... and {len(found) - args.max} more")
    if found:
        print(f"{len(found)} difference(s)", file=sys.stderr)
        return 1
    print("equal apart from ids, times, hashes and ports")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
