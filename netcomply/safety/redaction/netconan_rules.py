"""netconan's detection, used as facts: its default sensitive-line regexes (RANCID's, plus its own extras) and
its reserved words, locating the secret value of a line the way netconan does.

netconan replaces values with look-alike fakes; netcomply masks them instead, so only netconan's *detection*
is used: for each of its regexes that locates the value (an item index), the value's span in the line. Its
line-scrubbing regexes (no index) are covered by :mod:`netcomply.safety.redaction.rules`, which locate those
values. Three guards keep netconan's broad regexes off lines without secrets: its own reserved words (a value
such as ``chain`` in ``key chain X`` is syntax), prose (descriptions, remarks, banners, comments) and a short
list of known non-secret forms found on real configurations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from netconan.default_reserved_words import default_reserved_words
from netconan.sensitive_item_removal import generate_default_sensitive_item_regexes

from netcomply.safety.redaction.masks import MASK_RE, MASK_START
from netcomply.safety.redaction.rules import PROSE_WORD, QUALIFIERS

_QUALIFIER = re.compile(QUALIFIERS, re.IGNORECASE)
_PROSE_WORD = re.compile(PROSE_WORD)
#: Up to two tokens and then a mask: what precedes a mask is its syntax (see ``rules.V``).
_TOKEN_AFTER = re.compile(r"[ \t]+\S")  # a value follows: what came before was its type code or encoding
_PATTERN_MASK = re.compile(r"<secret:[a-z0-9-]+>")  # a later pattern mask: the line was redacted already
_BEFORE_MASK = re.compile(r"[\"';,]?(?:[ \t]+[^\s<\"]+){0,2}[ \t]+\"?" + MASK_START)

#: netconan regexes whose "value" is no secret: a PPP hostname.
_SKIPPED = ("hostname )(",)
#: Forms netconan's broad ``key``/``password``/``secret`` regexes take for values although they hold none.
_NOT_SECRET = re.compile(
    r"^\s*(?:description|remark|alias|banner|name|!|#|//)|\bkey chain\b|\bcrypto key\b|^\s*key \d+\s*$"
    r"|\bpassword encryption\b|\bkey config-key\b|\bauthentication key-chain\b|\bkey-chain\b|\bsecret-key-\b"
    r"|\bsnmp-server host \S+ (?:use-vrf|vrf|filter-vrf|source-interface) \S+\s*$|^\s*no enable password level"
    r"|^\s*config snmp community (?:create|delete) \S+\s*$",
    re.IGNORECASE,
)
#: A cheap test before netconan's regexes run on a line: every one of them needs one of these words.
_PREFILTER = re.compile(
    r"pass|secret|key|communit|snmp|pre-shared|syscon|ppp|isis|standby|authentication|PreShared", re.IGNORECASE
)
#: Kind of a netconan match, from the words before the value (first hit wins).
_KINDS = (
    ("community", "snmp-community"), ("snmp-server host", "snmp-community"), ("snmp", "snmp-community"),
    ("radius", "radius-key"), ("tacacs", "tacacs-key"), ("tacplus", "tacacs-key"),
    ("pre-shared", "ike-psk"), ("pre_shared", "ike-psk"), ("presharedkey", "ike-psk"), ("isakmp", "ike-psk"),
    ("ospf", "ospf-key"), ("ntp", "ntp-key"), ("enable", "enable-secret"), ("username", "user-password"),
    ("ppp", "ppp-password"), ("ftp", "ftp-password"), ("isis", "isis-password"), ("domain-password", "isis-password"),
    ("area-password", "isis-password"), ("standby", "hsrp-key"), ("vrrp", "vrrp-key"), ("session-key", "ipsec-key"),
    ("encrypted-password", "password-hash"), ("authentication-key", "auth-key"), ("password", "password"),
    ("secret", "secret"), ("key", "key"),
)
_ENCLOSING_HEAD = "'\"[{"
_ENCLOSING_TAIL = "'\"]};,"


_Entry = tuple[re.Pattern[str], "int | None", tuple[str, ...]]

#: netconan regexes that start at a bare word ("password X", "secret X", "key X" ...). Made for configuration
#: files, they would mask prose in reports and logs ("Use of secret authentication information", an ISO 27001
#: control title): their value counts only when the match starts its line, as a configuration command does.
_BARE_STARTS = (
    "(?P<prefix>(password|passwd)", "(?P<prefix>(enable )?secret", "(?P<prefix>(\\S )*pre-shared-key",
    "(?P<prefix>key(", "(?P<prefix>(hello-)?authentication-key", "(?P<prefix>(\\S* )*snmp", '(?<=key ")',
)


@lru_cache(maxsize=1)
def _groups() -> tuple[tuple[_Entry, ...], ...]:
    """netconan's compiled default regex groups, in its order. As in netconan, the first group with a match
    decides a line; a group without an item index (netconan scrubs the whole line) or in :data:`_SKIPPED`
    yields no span here: :mod:`netcomply.safety.redaction.rules` locates those values.

    Each regex comes with the literal words of its pattern: a match holds at least one of them, so a line with
    none of them is skipped without running the regex (netconan's look-behind prefix makes every search slow)."""
    return tuple(
        tuple((regex, None if index is None or any(s in regex.pattern for s in _SKIPPED) else int(index),
               _literal_words(regex.pattern))
              for regex, index in group)
        for group in generate_default_sensitive_item_regexes()
    )


@lru_cache(maxsize=1)
def _bare() -> frozenset[re.Pattern[str]]:
    return frozenset(regex for group in _groups() for regex, _, _ in group
                     if regex.pattern.split(")|(?<=^ ))", 1)[-1].startswith(_BARE_STARTS))


@lru_cache(maxsize=1)
def _group_index() -> tuple[dict[str, frozenset[int]], frozenset[int]]:
    """Which groups each literal word can wake up, and the groups that must always run (a regex with no word):
    a line then visits only the few groups its words allow, in netconan's order."""
    by_word: dict[str, set[int]] = {}
    always: set[int] = set()
    for gid, group in enumerate(_groups()):
        for _, _, words in group:
            if not words:
                always.add(gid)
            for w in words:
                by_word.setdefault(w, set()).add(gid)
    return {w: frozenset(g) for w, g in by_word.items()}, frozenset(always)


@lru_cache(maxsize=1)
def _all_words() -> frozenset[str]:
    return frozenset(w for group in _groups() for _, _, words in group for w in words)


def _literal_words(pattern: str) -> tuple[str, ...]:
    """Lower-cased words of three letters or more in ``pattern`` (after netconan's shared prefix). Every match
    of a pattern that has a mandatory literal word contains one of these; an empty tuple means "always run"."""
    body = pattern.split(")|(?<=^ ))", 1)[-1]
    words = set(re.findall(r"[a-z][a-z_-]{2,}", body.lower()))
    return tuple(sorted(words)) if words else ()


@lru_cache(maxsize=1)
def _reserved() -> frozenset[str]:
    return frozenset(w.lower() for w in default_reserved_words)


def _kind(prefix: str) -> str:
    low = prefix.lower()
    return next((kind for word, kind in _KINDS if word in low), "secret")


def _trim(line: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a value span past the quotes, brackets and separators netconan also keeps around a value."""
    while start < end and line[start] in _ENCLOSING_HEAD:
        start += 1
    while end > start and line[end - 1] in _ENCLOSING_TAIL:
        end -= 1
    return start, end


def _is_value(line: str, start: int, end: int) -> bool:
    value = line[start:end]
    if not value or value.lower() in _reserved() or set(value) <= {"*"} or value.startswith("-----"):
        return False
    if (_QUALIFIER.fullmatch(value) or (value.isdigit() and len(value) <= 2)) and _TOKEN_AFTER.match(line, end):
        return False  # "password irreversible-cipher $1c$...", "community 7 0825...": encoding, then the value
    # Part of a mask (redacting twice changes nothing) or right before one (a type code or qualifier).
    if any(m.start() < end and start < m.end() for m in MASK_RE.finditer(line)):
        return False
    return not _BEFORE_MASK.match(line, end) and not _PATTERN_MASK.search(line, end)


def line_spans(line: str, words_in_text: frozenset[str] | None = None) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of each secret value netconan's detection finds in one line. ``words_in_text``: the
    literal words present in the whole text (a shortcut, see :func:`text_spans`)."""
    if not _PREFILTER.search(line) or _NOT_SECRET.search(line):
        return
    low = line.lower()
    present = {w for w in (_all_words() if words_in_text is None else words_in_text) if w in low}
    groups = _groups()
    by_word, always = _group_index()
    wanted = set(always).union(*(by_word[w] for w in present))
    for gid in sorted(wanted):
        found: list[tuple[int, int, str]] = []
        if _group_spans(line, groups[gid], present, found):
            yield from found
            return  # as in netconan, the first group with a match decides the line


def _group_spans(line: str, group: tuple[_Entry, ...], present: set[str], found: list[tuple[int, int, str]]) -> bool:
    """Append to ``found`` the values one netconan group locates in ``line``; whether any regex of it matched."""
    matched = False
    for regex, index, words in group:
        if words and present.isdisjoint(words):
            continue
        bare = regex in _bare()
        for m in regex.finditer(line):
            matched = True
            if index is None or m.group(index) is None:
                continue
            if bare and (line[: m.start()].strip() or _PROSE_WORD.match(line, m.start(index))):
                continue
            start, end = _trim(line, *m.span(index))
            if _is_value(line, start, end):
                found.append((start, end, _kind(line[: m.start(index)][-60:])))
    return matched


def text_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """:func:`line_spans` over every line of ``text``, offsets in ``text``."""
    low = text.lower()
    words_in_text = frozenset(w for w in _all_words() if w in low)
    pos = 0
    for line in text.splitlines(keepends=True):
        if _PREFILTER.search(line):
            for start, end, kind in line_spans(line, words_in_text):
                yield pos + start, pos + end, kind
        pos += len(line)
