"""Junos brace (curly) configuration (``show configuration``, a saved ``juniper.conf``) -> ``set`` statements.

Why translate: Junos defines ``display set`` as the flat rendering of the same hierarchy, so one reader
(:mod:`collectors.firewall.parsers.junos_set`) serves both forms, as it does for ``display xml``. A block
``a b { c d; }`` is the statement ``set a b c d``; a list ``[ x y ]`` is one statement per member;
``inactive:`` becomes a ``deactivate`` statement; ``replace:`` (a ``load replace`` file) drops what an earlier
block said at that path (``delete`` statement); ``/* */`` and ``#`` comments and ``protect:`` are skipped.
Each statement keeps the line it came from. Unbalanced braces are an input error naming the line.
"""

from __future__ import annotations

import re

from netcomply.errors import InputError, InputProblem

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{};\[\]]|[^\s{};\[\]"]+')
MAX_DEPTH = 64


def looks_like_brace(text: str) -> bool:
    """A brace configuration: a top-level ``word {`` line and no ``set`` statements before it."""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "/*", "*", "## ")):
            continue
        if line.startswith(("set ", "deactivate ", "delete ")):
            return False
        if re.match(r"^(?:(?:replace|inactive|protect):\s*)*[\w-]+(?:\s+[^\s{;]+)*\s*\{\s*(?:#.*)?$", line):
            return True
    return False


def _tokens(text: str, source: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    in_comment = False
    for k, raw in enumerate(text.splitlines(), 1):
        line = raw
        while line:
            if in_comment:
                end = line.find("*/")
                if end < 0:
                    line = ""
                    break
                line, in_comment = line[end + 2:], False
                continue
            start = line.find("/*")
            head = line if start < 0 else line[:start]
            hash_at = _comment_start(head)
            if hash_at >= 0:
                head, start = head[:hash_at], -1
                line = ""
            out.extend((k, m.group(0)) for m in _TOKEN.finditer(head))
            if start < 0:
                break
            line, in_comment = line[start + 2:], True
    return out


def _comment_start(text: str) -> int:
    """Where a ``#`` comment starts outside quotes, or -1."""
    quoted = False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == "#" and not quoted and (i == 0 or text[i - 1].isspace()):
            return i
    return -1


def to_set(text: str, source: str) -> list[tuple[int, str]]:
    """The configuration as ``(line, "set ..." / "deactivate ..." / "delete ...")`` pairs in order."""
    out: list[tuple[int, str]] = []
    path: list[list[str]] = []
    words: list[str] = []
    flags: set[str] = set()
    first = 0
    in_list = False
    listed: list[str] = []
    for k, tok in _tokens(text, source):
        if not words and not in_list:
            first = k
        if tok in ("replace:", "inactive:", "protect:"):
            flags.add(tok[:-1])
            continue
        if tok == "[":
            in_list, listed = True, []
            continue
        if in_list:
            if tok == "]":
                in_list = False
                for item in listed or [""]:
                    words.append(item)
                    _emit(out, first, path, words, flags)
                    words.pop()
                words, flags = [], set()
            elif tok not in (";", "{", "}"):
                listed.append(tok)
            continue
        if tok == "{":
            if len(path) >= MAX_DEPTH:
                raise InputError(InputProblem(source, k, f"blocks nested deeper than {MAX_DEPTH}"))
            here = [w for part in path for w in part] + words
            if "replace" in flags:
                out.append((first, "delete " + " ".join(here)))
            out.append((first, "set " + " ".join(here)))  # the block's own line: where its policy starts
            if "inactive" in flags:
                out.append((first, "deactivate " + " ".join(here)))
            path.append(words)
            words, flags = [], set()
        elif tok == ";":
            if words:
                _emit(out, first, path, words, flags)
            words, flags = [], set()
        elif tok == "}":
            if words:
                _emit(out, first, path, words, flags)
                words, flags = [], set()
            if not path:
                raise InputError(InputProblem(source, k, "'}' closes no block"))
            path.pop()
        else:
            words.append(tok)
    if path:
        raise InputError(InputProblem(source, None, f"{len(path)} block(s) not closed at the end of the file "
                                      f"(opened by '{' '.join(path[-1])}')"))
    return out


def _emit(out: list[tuple[int, str]], line: int, path: list[list[str]], words: list[str], flags: set[str]) -> None:
    here = " ".join([w for part in path for w in part] + words)
    out.append((line, f"set {here}"))
    if "inactive" in flags:
        out.append((line, f"deactivate {here}"))
