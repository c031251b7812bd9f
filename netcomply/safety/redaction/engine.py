"""The one redactor: known secrets, netconan's detection and netcomply's rules, masked in one pass.

Every detector looks at the original text; the union of what they find is masked at once, so no detector is
confused by another's mask. Where spans overlap, the mask takes the most specific name: a rule of
:mod:`~netcomply.safety.redaction.rules` (which knows the syntax), then netconan's detection, then the
hash/ciphertext shapes, then a registered value (``<redacted>``). Text that is already a mask is never masked
again, so redacting twice changes nothing and artifact hashes stay stable.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable
from typing import Any

from netcomply.safety.redaction import netconan_rules
from netcomply.safety.redaction.masks import MASK, MASK_RE, mask
from netcomply.safety.redaction.rules import FORTI_SET_NAME, FORTI_SNMP_BLOCK, PEM, RULES, TOKENS, TRIGGER_WORDS

_MIN_LITERAL = 4  # shorter strings would mask ordinary words; they are caught by patterns instead

#: Factory defaults published in every vendor manual ("public"/"private" SNMP communities, "cisco", "admin").
#: They are no secret, and masking them as words would mangle ordinary text ("public-wifi", "administrative
#: SSID", control titles). Where they sit in a configuration line the patterns still mask the value; that a
#: device still uses one is a weakness the checks report, which a mask would hide.
WELL_KNOWN_DEFAULTS = frozenset({"public", "private", "cisco", "admin", "password", "secret", "default", "manager",
                                 "community", "changeme"})

# Priority of a detector's name for a span (lower wins): a rule naming a specific kind, a generic rule
# ("password", "secret", "key"), netconan, the hash/ciphertext shapes, a registered value.
_RULE, _GENERIC, _NETCONAN, _TOKEN, _LITERAL = 0, 1, 2, 3, 4
_GENERIC_KINDS = frozenset({"password", "secret", "key"})

Span = tuple[int, int, int, str]  # start, end, priority, kind


class Redactor:
    """Masks known secret values and secret-bearing configuration syntax of every platform. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._literals: set[str] = set()
        self._literal_re: re.Pattern[str] | None = None
        self._dirty = False

    def add_secret(self, value: str | None) -> None:
        """Register a secret value so that it is masked everywhere from now on."""
        if not value or len(value) < _MIN_LITERAL or MASK_RE.fullmatch(value) or value.lower() in WELL_KNOWN_DEFAULTS:
            return
        with self._lock:
            if value not in self._literals:
                self._literals.add(value)
                self._dirty = True  # compiled on next use: adding 1,000 secrets compiles once, not 1,000 times

    def add_secrets(self, values: Iterable[str | None]) -> None:
        for value in values:
            self.add_secret(value)

    def known(self, text: str) -> bool:
        """Whether ``text`` still holds a registered secret (outside masks): the store's refusal test."""
        literal_re = self._literal_pattern()
        return literal_re is not None and bool(_outside_masks(_literal_spans(literal_re, text), text))

    def _literal_pattern(self) -> re.Pattern[str] | None:
        if self._dirty:
            with self._lock:
                if self._dirty:
                    self._literal_re = re.compile(_trie_regex(self._literals)) if self._literals else None
                    self._dirty = False
        return self._literal_re

    def spans(self, text: str, platform: str | None = None) -> list[Span]:
        """Every secret span the detectors find in ``text`` (``platform``: a family, or None for all rules)."""
        spans: list[Span] = []
        literal_re = self._literal_pattern()
        if literal_re is not None:
            spans.extend(_literal_spans(literal_re, text))
        # Multi-line syntax on the whole text; line syntax only on the lines with a trigger word, gathered into
        # one smaller text (most configuration lines hold none: the rules then scan a tenth of the bytes).
        spans.extend((a, b, _RULE, "private-key") for a, b in _pem_body_lines(text))
        for block in FORTI_SNMP_BLOCK.finditer(text):
            base = block.start()
            spans.extend((base + a, base + b, _RULE, "snmp-community")
                         for a, b in _value_spans(FORTI_SET_NAME, block.group(0)))
        lines = _TriggerLines(text)
        if lines.text:
            spans.extend(lines.spans(text, platform))
        return _outside_masks(spans, text)

    def redact(self, text: str, platform: str | None = None) -> str:
        """Mask every secret in ``text``."""
        if not text:
            return text
        spans = self.spans(text, platform)
        return _mask_spans(text, spans) if spans else text

    def redact_bytes(self, data: bytes, platform: str | None = None) -> bytes:
        return self.redact(data.decode("utf-8", errors="surrogateescape"), platform).encode("utf-8", "surrogateescape")

    def redact_obj(self, value: object) -> object:
        """Redact every string inside a JSON-like structure (dicts, lists, tuples)."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {k: self.redact_obj(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.redact_obj(v) for v in value]
        return value


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _trigger_line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line holding a :data:`TRIGGER_WORDS` word, in order. ``str.find`` per word over an
    ASCII-lowered copy (same offsets) is many times faster than one case-insensitive alternation regex."""
    low = text.translate(_ASCII_LOWER)
    starts: set[int] = set()
    for word in TRIGGER_WORDS:
        pos = low.find(word)
        while pos >= 0:
            line_start = low.rfind("\n", 0, pos) + 1
            starts.add(line_start)
            nl = low.find("\n", pos)
            pos = low.find(word, nl) if nl >= 0 else -1
    spans = []
    for start in sorted(starts):
        end = text.find("\n", start)
        spans.append((start, len(text) if end < 0 else end))
    return spans


class _TriggerLines:
    """The lines of a text that hold a :data:`TRIGGER` word, joined, with the way back to the text's offsets."""

    def __init__(self, text: str) -> None:
        pieces: list[str] = []
        self.starts: list[int] = []  # offset of each piece in the joined text
        self.origins: list[int] = []  # offset of the same piece in the original text
        joined = 0
        for start, end in _trigger_line_spans(text):
            self.starts.append(joined)
            self.origins.append(start)
            pieces.append(text[start:end])
            joined += end - start + 1
        self.text = "\n".join(pieces)

    def to_original(self, pos: int) -> int:
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.origins[i] + pos - self.starts[i]

    def spans(self, original: str, platform: str | None) -> list[Span]:
        text = self.text
        low = text.translate(_ASCII_LOWER)
        found: list[Span] = []
        for rule in RULES:
            if rule.anchors and not any(a in low for a in rule.anchors):
                continue  # none of the rule's words is here: it cannot match
            if rule.platforms is None or platform is None or platform in rule.platforms:
                prio = _GENERIC if rule.kind in _GENERIC_KINDS else _RULE
                found.extend((a, b, prio, rule.kind) for a, b in _value_spans(rule.pattern, text))
        # netconan's spans where no rule located a value: a rule knows the syntax (netconan's "authentication-key
        # ([^;]+)" would take "1 value X" whole where the rule takes X).
        ruled = _Ruled([(a, b) for a, b, _, _ in found])
        found.extend((a, b, _NETCONAN, kind) for a, b, kind in netconan_rules.text_spans(text)
                     if not ruled.overlaps(a, b))
        for a, b in _value_spans(TOKENS, text):
            found.append((a, b, _TOKEN, "password-hash" if text[a] == "$" else "encrypted-secret"))
        # A span is inside one line (a pattern that crossed a joint between two lines found nothing real).
        return [(self.to_original(a), self.to_original(a) + (b - a), prio, kind) for a, b, prio, kind in found
                if self.to_original(b - 1) == self.to_original(a) + (b - 1 - a)]


def _pem_body_lines(text: str) -> list[tuple[int, int]]:
    """Each line of each PEM private key's body, masked one by one so the text keeps its lines (a diff of a
    redacted configuration still lines up)."""
    spans = []
    for start, end in _value_spans(PEM, text):
        pos = start
        for line in text[start:end].splitlines(keepends=True):
            body = line.rstrip("\r\n")
            if body.strip():
                spans.append((pos, pos + len(body)))
            pos += len(line)
    return spans


class _Ruled:
    """The rule spans of a text, answering "does [start, end) touch one?" in O(log n): spans sorted by start,
    with the largest end seen so far."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans.sort()
        self.starts = [a for a, _ in spans]
        self.max_end: list[int] = []
        top = -1
        for _, b in spans:
            top = max(top, b)
            self.max_end.append(top)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # spans starting before ``end``
        return i > 0 and self.max_end[i - 1] > start


def _literal_spans(literal_re: re.Pattern[str], text: str) -> list[Span]:
    return [(m.start(), m.end(), _LITERAL, "") for m in literal_re.finditer(text) if m.end() > m.start()]


def _trie_regex(words: Iterable[str]) -> str:
    """One regex matching any of ``words``, longest first, shaped as a prefix tree. A flat alternation of
    a thousand literals makes the regex engine try every one at every position; a trie tries each character
    once per branch."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # end of a word

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy: prefer the longer secret; fall back to the shorter one that ends here.
        return f"(?:{body})?" if ends else body

    return build(trie)


def _value_spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The span of the value group (``q``, ``v`` or ``w``) of every match."""
    spans = []
    for m in pattern.finditer(text):
        groups = m.groupdict()
        name = next((g for g in ("q", "v", "w") if groups.get(g)), None)
        if name is not None:
            spans.append(m.span(name))
    return spans


def _outside_masks(spans: list[Span], text: str) -> list[Span]:
    """``spans`` with the masks already in ``text`` cut out: a mask is never masked again (idempotency), and a
    registered secret that happens to be part of a mask's text is no leak."""
    masks = [m.span() for m in MASK_RE.finditer(text)]
    if not masks:
        return spans
    mask_starts = [a for a, _ in masks]
    out: list[Span] = []
    for start, end, prio, kind in spans:
        pieces = [(start, end)]
        # masks never overlap one another: the ones that can touch [start, end) are a short run found by bisect
        first = max(0, bisect.bisect_right(mask_starts, start) - 1)
        for m_start, m_end in masks[first:bisect.bisect_left(mask_starts, end)]:
            if m_start >= end or m_end <= start:
                continue
            pieces = [p for a, b in pieces for p in ((a, min(b, m_start)), (max(a, m_end), b)) if p[1] > p[0]]
        out.extend((a, b, prio, kind) for a, b in pieces if text[a:b].strip())
    return out


def _mask_spans(text: str, spans: list[Span]) -> str:
    """Replace the union of ``spans`` with masks named by the most specific detector of each union."""
    spans.sort()
    out: list[str] = []
    pos = 0
    cur_start, cur_end, cur_prio, cur_kind = spans[0]
    for start, end, prio, kind in spans[1:]:
        if start < cur_end:
            cur_end = max(cur_end, end)
            if prio < cur_prio:
                cur_prio, cur_kind = prio, kind
            continue
        out.extend((text[pos:cur_start], _name(cur_prio, cur_kind)))
        pos = cur_end
        cur_start, cur_end, cur_prio, cur_kind = start, end, prio, kind
    out.extend((text[pos:cur_start], _name(cur_prio, cur_kind), text[cur_end:]))
    return "".join(out)


def _name(prio: int, kind: str) -> str:
    return MASK if prio == _LITERAL else mask(kind)
