"""Shared pieces of the robustness tests: mutations of real fixtures, hostile snippets, and the one assertion
every parser and importer must satisfy -- a result, or netcomply's bad-input error naming file and line or key.

The example count is modest by default so that the suite stays fast; ``NC_FUZZ_EXAMPLES=5000`` runs a long hunt.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from netcomply.errors import InputError, InputProblem

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
EXAMPLES = int(os.environ.get("NC_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

#: Pieces that break naive parsers: quoting, separators, YAML syntax, encodings, line ends, big numbers, sentinels.
NASTY = [
    "", "\x00", "\r", "\n", "\r\n", '"', "'", ",", ";", ":", ": ", "{", "}", "[", "]", "- ", "*a", "&a ", "<<: ",
    "#", "\t", " ", "\ufeff", "\u2028", "\x85", "\x0b", "\x1c", "9" * 30, "9" * 5000, "-1", "0", "999.1.1.1", "::",
    "%", "=cmd|' /C calc'!A0", "\u3000", "２", "²", "٣", "😀", "a" * 300, "null", "~", "yes", "2026-13-45",
    "0001-01-01", "9999-12-31T23:00:00-05:00", "1e999", "nan", "!!python/object/apply:os.system ['id']",
    "&a [*a]", "!!binary AAAA", "? ", "|\n  x", ">-", "2001:db8::1/129", "ffff:" * 9, "[" * 70, "{a: " * 70,
    "up", "down", "nor", "config wlan create 1 x", "==[", "inet6 ", "security wpa2 psk", "1D:2H:3M:4S",
]

piece = st.one_of(st.sampled_from(NASTY), st.text(max_size=12))


@st.composite
def mutated(draw: Any, text: str) -> str:
    """``text`` after one to six random edits: insert, delete, replace a slice; drop, repeat or swap lines;
    truncate. Starting from real data keeps most of the structure, so the parsers go deep before failing."""
    s = text
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "drop_line", "dup_line", "swap", "truncate"]))
        if op in ("drop_line", "dup_line", "swap"):
            lines = s.splitlines(keepends=True)
            if len(lines) < 2:
                continue
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if op == "drop_line":
                del lines[i]
            elif op == "dup_line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            s = "".join(lines)
            continue
        i = draw(st.integers(0, len(s)))
        if op == "insert":
            s = s[:i] + draw(piece) + s[i:]
        elif op == "delete":
            s = s[:i] + s[i + draw(st.integers(1, 40)):]
        elif op == "replace":
            s = s[:i] + draw(piece) + s[i + draw(st.integers(1, 10)):]
        else:
            s = s[:i]
    return s


def fixture_text(*parts: str) -> str:
    return (TESTS.joinpath(*parts)).read_text(encoding="utf-8")


def assert_problems_located(problems: list[InputProblem], file: str) -> None:
    """Every problem names the file and a line or a key, and says something."""
    assert problems, "an InputError must hold at least one problem"
    for p in problems:
        assert p.file and file in p.file, p
        assert p.line is not None or p.key, f"neither line nor key: {p}"
        assert p.line is None or p.line >= 1, p
        assert p.message.strip(), p


T = TypeVar("T")


def result_or_input_error(call: Callable[[], T], file: str) -> T | None:
    """Run ``call``; a bad-input error must be located (file and line/key); anything else fails the test."""
    try:
        return call()
    except InputError as exc:
        assert_problems_located(exc.problems, file)
        return None
