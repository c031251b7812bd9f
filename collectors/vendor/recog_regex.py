"""Rapid7 Recog's patterns are Ruby (Onigmo) regular expressions: their translation to Python's ``re``.

Why a module of its own: the translation is the part of the Recog database that can silently go wrong (a pattern
that compiles in Python but means something else), so it is kept apart, small and tested on every fingerprint's own
examples (``tests/vendor/test_recog.py``).

Ruby -> Python: ``\\z`` -> ``\\Z``; ``\\Z`` -> end or before a final newline; ``\\h``/``\\H`` -> (not) a hex digit;
``(?<x>..)`` -> ``(?P<x>..)`` (and, as in Ruby, plain groups stop capturing beside named ones); ``\\k<x>`` ->
``(?P=x)``; an inline ``(?i)`` in the middle of a pattern -> a scoped group to the end of its enclosing group
(Onigmo's reading); Ruby's ``(?m)`` (dot matches newline) -> Python's ``s``; POSIX bracket classes spelled out.
``^``/``$`` always match at line ends (as in Ruby: ``re.MULTILINE``), ``\\d``/``\\w``/``\\s`` are ASCII (as in Ruby:
``re.ASCII``). Possessive quantifiers and atomic groups are Python's own since 3.11. What Python lacks (``\\G``,
``\\p{..}``, class intersection, nested classes) raises :class:`Untranslatable`: the caller counts such a
fingerprint and leaves it out.

:func:`required_literal` gives each pattern a text every match contains: a cheap substring test that spares running
hundreds of regexes on every sysDescr.
"""

from __future__ import annotations

import re
import warnings


class Untranslatable(ValueError):
    """A Ruby regex construct Python's ``re`` has no equivalent for (``\\G``, ``\\p{..}``, class intersection)."""


# --------------------------------------------------------------------------------------------- Ruby -> Python

#: Escapes outside a character class: Ruby's spelling -> Python's.
_ESCAPES = {"z": r"\Z", "Z": r"(?=\n?\Z)", "h": "[0-9a-fA-F]", "H": "[^0-9a-fA-F]", "e": r"\x1b",
            "R": r"(?:\r\n|[\n\v\f\r])"}
_NO_EQUIVALENT = set("GKXpPgyYc")
_POSIX = {"alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
          "space": r" \t\r\n\v\f", "xdigit": "0-9a-fA-F", "punct": r"!-/:-@\[-`{-~", "word": r"\w",
          "blank": r" \t", "cntrl": r"\x00-\x1f\x7f", "print": r"\x20-\x7e", "graph": r"\x21-\x7e"}
_RUBY_FLAGS = {"i": "i", "m": "s", "x": "x"}  # Ruby's (?m) is dot-matches-newline: Python's s


def translate(pattern: str) -> str:
    """A Ruby (Onigmo) regex as Python ``re`` source (see the module docstring); :class:`Untranslatable` when it
    uses a construct Python lacks."""
    out: list[str] = []
    closers: list[int] = [0]  # per open group: scoped-flag groups opened inside it, closed where it closes
    named = re.search(r"\(\?<[A-Za-z_]", pattern) is not None  # Ruby: plain groups don't capture beside named ones
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            piece, i = _escape(pattern, i)
        elif c == "[":
            piece, i = _char_class(pattern, i)
        elif c == "(":
            piece, i = _group_open(pattern, i, closers, named)
        elif c == ")":
            if len(closers) == 1:
                raise Untranslatable("unbalanced ')'")
            piece, i = ")" * closers.pop() + ")", i + 1
        else:
            piece, i = c, i + 1
        out.append(piece)
    if len(closers) != 1:
        raise Untranslatable("unbalanced '('")
    return "".join(out) + ")" * closers[0]


def _escape(pattern: str, i: int) -> tuple[str, int]:
    if i + 1 >= len(pattern):
        raise Untranslatable("trailing backslash")
    d = pattern[i + 1]
    if d in _ESCAPES:
        return _ESCAPES[d], i + 2
    if d == "k" and pattern.startswith("<", i + 2):  # \k<name>: a named back-reference
        end = pattern.find(">", i + 3)
        if end < 0:
            raise Untranslatable("unterminated \\k<name>")
        return f"(?P={pattern[i + 3:end]})", end + 1
    if d in _NO_EQUIVALENT or (d == "x" and pattern.startswith("{", i + 2)):
        raise Untranslatable(f"\\{d} has no Python equivalent")
    return pattern[i:i + 2], i + 2


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    """``[...]`` from ``pattern[i]``: POSIX bracket names and ``\\h`` spelled out; nested classes and ``&&`` refused."""
    out = ["["]
    j = i + 1
    if pattern.startswith("^", j):
        out.append("^")
        j += 1
    if pattern.startswith("]", j):  # a leading ']' is a literal
        out.append(r"\]")
        j += 1
    while j < len(pattern):
        c = pattern[j]
        if c == "]":
            return "".join(out) + "]", j + 1
        if c == "\\":
            if j + 1 >= len(pattern):
                raise Untranslatable("trailing backslash")
            d = pattern[j + 1]
            if d == "h":
                out.append("0-9a-fA-F")
            elif d in _NO_EQUIVALENT or d in "HRXz":
                raise Untranslatable(f"\\{d} inside a character class")
            else:
                out.append(pattern[j:j + 2])
            j += 2
            continue
        if c == "[":
            m = re.match(r"\[:(\^?)(\w+):\]", pattern[j:])
            if not m or m.group(2) not in _POSIX or m.group(1):
                raise Untranslatable("nested character class")
            out.append(_POSIX[m.group(2)])
            j += m.end()
            continue
        if pattern.startswith("&&", j):
            raise Untranslatable("character class intersection (&&)")
        out.append(c)
        j += 1
    raise Untranslatable("unterminated character class")


def _group_open(pattern: str, i: int, closers: list[int], named: bool) -> tuple[str, int]:
    rest = pattern[i:]
    m = re.match(r"\(\?<([A-Za-z_]\w*)>", rest)
    if m:
        closers.append(0)
        return f"(?P<{m.group(1)}>", i + m.end()
    m = re.match(r"\(\?([imx]*)(?:-([imx]*))?([:)])", rest)
    if m and (m.group(1) or m.group(2) is not None):
        on = "".join(_RUBY_FLAGS[f] for f in m.group(1))
        off = "".join(_RUBY_FLAGS[f] for f in m.group(2) or "")
        flags = on + (f"-{off}" if off else "")
        if m.group(3) == ":":  # a scoped group: Python reads it the same
            closers.append(0)
            return f"(?{flags}:", i + m.end()
        closers[-1] += 1  # (?i) mid-pattern: Onigmo applies it to the end of the enclosing group
        return f"(?{flags}:", i + m.end()
    if rest.startswith("(?#"):
        end = pattern.find(")", i)
        if end < 0:
            raise Untranslatable("unterminated comment group")
        return "", end + 1
    if rest.startswith("(?") and not re.match(r"\(\?(?::|=|!|<=|<!|>)", rest):
        raise Untranslatable(f"group syntax {rest[:4]!r}")
    closers.append(0)
    if named and not rest.startswith("(?"):
        return "(?:", i + 1
    return "(", i + 1


FLAG_NAMES = {"REG_ICASE": re.IGNORECASE, "REG_DOT_NEWLINE": re.DOTALL, "REG_LINE_ANY_CRLF": re.DOTALL,
              "REG_MULTILINE": 0}  # Ruby's ^ and $ always match at line ends: re.MULTILINE is always on


def compile_pattern(pattern: str, flags: str | None = None) -> re.Pattern[str]:
    """A Recog pattern and its ``flags`` attribute (``REG_ICASE,REG_DOT_NEWLINE``) compiled as Python ``re``."""
    value = re.MULTILINE | re.ASCII
    for name in re.split(r"[\s,|;]+", flags or ""):
        if not name:
            continue
        if name not in FLAG_NAMES:
            raise Untranslatable(f"unknown flag {name!r}")
        value |= FLAG_NAMES[name]
    source = translate(pattern)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Python's "possible nested set" warnings: a Ruby class Python reads otherwise
        try:
            return re.compile(source, value)
        except (re.error, FutureWarning, DeprecationWarning) as exc:
            raise Untranslatable(f"Python re: {exc}") from None


_OPTIONAL = re.compile(r"[?*]|\{0*(?:,\d*)?\}")  # a quantifier that allows zero repeats: ?, *, {0}, {0,n}, {,n}
_REPEATED = re.compile(r"\+|\{\d+(?:,\d*)?\}")  # one that allows several


def required_literal(pattern: str, flags: str | None = None) -> tuple[str, bool]:
    """A text every match of the (Ruby) ``pattern`` contains, and whether it is compared case-insensitively (a
    leading ``(?i)`` or ``REG_ICASE``): the longest run of plain characters at the pattern's top level, read up to
    an inline flag change; ``""`` when the top level has an alternation. A prefilter: a text without it cannot
    match, so only fingerprints whose literal occurs run their regex."""
    lead = re.match(r"\(\?([imx]+)\)", pattern)
    folded = "REG_ICASE" in (flags or "") or (lead is not None and "i" in lead.group(1))
    if lead is not None and "x" in lead.group(1):  # extended mode: spaces are not text
        return "", folded
    runs = _top_level_runs(pattern[lead.end():] if lead else pattern)
    best = max(runs, key=len, default="")
    if folded and not best.isascii():
        return "", folded
    return (best.lower() if folded else best), folded


def _top_level_runs(body: str) -> list[str]:
    """The runs of plain characters that every match holds, in order (none when the top level alternates)."""
    runs, run = [], ""
    i = 0
    while i < len(body):
        atom, char = _atom(body, i)
        if atom is None:  # an inline flag change, or unbalanced: read no further
            break
        if char == "|":
            return []
        optional = _OPTIONAL.match(body, atom)
        quant = optional or _REPEATED.match(body, atom)
        if char is not None and not optional:
            run += char
        if char is None or quant:
            runs.append(run)
            run = ""
        i = quant.end() if quant else atom
        if i < len(body) and body[i] in "?+":  # lazy or possessive quantifier
            i += 1
    return [*runs, run]


def _atom(body: str, i: int) -> tuple[int | None, str | None]:
    """Where the atom at ``body[i]`` ends, and its character when it is one plain character (``|`` for a top-level
    alternation; None for anything else: a class, a group, an escape class, an anchor, a dot)."""
    c = body[i]
    if c == "\\":
        if i + 1 >= len(body):
            return None, None
        d = body[i + 1]
        return i + 2, (None if d.isalnum() else d)
    if c == "[":
        return _class_end(body, i), None
    if c == "(":
        if re.match(r"\(\?[imx]*(?:-[imx]*)?\)", body[i:]):
            return None, None
        end = _group_end(body, i)
        return (None, None) if end is None else (end, None)
    if c in ".^${}+?*)":
        return i + 1, None
    return i + 1, c


def _group_end(body: str, i: int) -> int | None:
    depth = 0
    j = i
    while j < len(body):
        c = body[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(body, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return None


def _class_end(body: str, i: int) -> int:
    j = i + 1
    if body.startswith("^", j):
        j += 1
    if body.startswith("]", j):
        j += 1
    while j < len(body):
        if body[j] == "\\":
            j += 2
            continue
        if body[j] == "]":
            return j + 1
        if body.startswith("[:", j):
            end = body.find(":]", j)
            j = end + 2 if end > 0 else j + 1
            continue
        j += 1
    return len(body)
