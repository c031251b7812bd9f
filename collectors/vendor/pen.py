"""The IANA Private Enterprise Numbers registry: every enterprise number resolves to its registrant.

A sysObjectID under 1.3.6.1.4.1.N names whoever built the SNMP agent. The knowledge base names about a hundred of
those numbers; real networks answer thousands. The full registry (about 62,000 entries) ships as a dated snapshot,
``data/enterprises.tsv.gz`` (Wireshark's ``enterprises.tsv`` layout: ``<number><TAB><registrant>``, ``#`` comments,
one ``# (last updated YYYY-MM-DD)`` line), so identification stays offline and reproducible.

Update the snapshot from a newer copy (Debian's libwireshark-data ships one, or IANA's own ``enterprise-numbers``
text file, which this reads too)::

    .venv/bin/python -m collectors.vendor.pen update /usr/share/wireshark/enterprises.tsv
    .venv/bin/python -m collectors.vendor.pen update enterprise-numbers.txt

``registrant_brand`` turns a registrant's legal name into the short name a product carries ("Eaton Corporation"
-> "Eaton"), and ``name_key`` is the comparison key used across registries (PEN, IEEE OUI, brand labels).
"""

from __future__ import annotations

import functools
import gzip
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent / "data" / "enterprises.tsv.gz"

_URL = re.compile(r"\s*\(?https?://\S*\s*\)?|\s*#.*$|\s*\([^)]*\)?")
_ABBR = re.compile(r"\((?:abbr\.?|short:?)\s*([^)]+)\)", re.IGNORECASE)
#: Legal-form and filler words that are not part of the name a product carries.
_SUFFIX_WORDS = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "plc", "gmbh", "ag",
    "sa", "s", "a", "spa", "srl", "sas", "bv", "nv", "ab", "as", "oy", "kg", "kk", "pte", "pty", "sdn", "bhd",
    "the", "group", "holding", "holdings", "international", "intl", "usa", "america", "technology",
    "technologies", "tech", "communications", "communication", "networks", "network", "networking",
    "systems", "system", "electronics", "electronic", "industries", "industrial", "enterprises", "solutions",
    "software", "products", "telecom", "telecommunications", "labs", "laboratories", "and", "of", "de", "mbh",
    "information", "science", "sciences", "engineering", "enterprise", "corporate",
}
_LEGAL_TAIL = re.compile(
    r"(?:[\s,]+(?:Inc\.?|Incorporated|Corp\.?|Corporation|Co\.?|Company|Ltd\.?|Limited|LLC|L\.L\.C\.|PLC|GmbH(?:\s*&\s*Co\.?\s*KG)?"
    r"|AG|S\.?A\.?|S\.p\.A\.?|S\.r\.l\.?|SAS|B\.V\.?|N\.V\.?|AB|A/S|AS|Oy|KG|K\.K\.|Pte|Pty|Sdn\.? Bhd\.?"
    r"|s\.r\.o|Ltda|GmbH & Co|Group|Holdings?|Intl\.?|USA|America|Japan|Europe)\.?)+\s*$",
    re.IGNORECASE)


_JOINED_FORM = re.compile(r"(?<=[a-z][.,])(?=(?:Co|Ltd|Inc|Corp|GmbH|S\.A)\b)", re.IGNORECASE)


#: Registrants whose number names no product maker: standards bodies, open-source agents, reserved numbers.
#: Devices answer under them (net-snmp on embedded Linux, the Broadband Forum's TR-069 tree on CPEs).
GENERIC_REGISTRANT = re.compile(
    r"(?<![\w])(?:net-snmp|ucd-snmp|ucd|forum|ietf|iana|reserved|consortium|alliance|association|universit\w*|foundation"
    r"|project|working group|standardi[sz]ation|broadcom|lwip|tcp/ip stack)(?![\w])", re.IGNORECASE)


def generic(registrant: str) -> bool:
    return bool(GENERIC_REGISTRANT.search(registrant))


@dataclass(frozen=True)
class Registry:
    """The snapshot: number -> registrant, and the date IANA's list had when it was taken."""

    names: Mapping[int, str]
    updated: str | None
    path: str

    def registrant(self, number: int | None) -> str | None:
        return None if number is None else self.names.get(number)

    def label(self) -> str:
        return f"IANA PEN registry snapshot ({len(self.names)} entries, updated {self.updated or 'unknown'})"


def parse(lines: Iterable[str]) -> tuple[dict[int, str], str | None]:
    """Either layout: Wireshark's ``N<TAB>name`` or IANA's ``N`` line followed by an indented name line."""
    names: dict[int, str] = {}
    updated: str | None = None
    pending: int | None = None
    for raw in lines:
        line = raw.rstrip("\n\r")
        m = re.search(r"last updated (\d{4}-\d{2}-\d{2})", line)
        if m and updated is None:
            updated = m.group(1)
        if line.startswith("#") or not line.strip():
            continue
        head = re.match(r"^(\d+)(?:[ \t]+(\S.*))?$", line)
        if head:
            number, name = int(head.group(1)), head.group(2)
            if name:
                names[number] = name.strip()
                pending = None
            else:
                pending = number
        elif pending is not None and line.startswith(" "):
            names[pending] = line.strip()
            pending = None
    return names, updated


def load(path: str | None = None) -> Registry:
    """The registry (the shipped snapshot, or ``path``), read once however it is called (``load()``, ``load(None)``)."""
    return _load(path)


@functools.lru_cache(maxsize=2)
def _load(path: str | None) -> Registry:
    src = Path(path) if path else SNAPSHOT
    opener = gzip.open if src.suffix == ".gz" else open
    with opener(src, "rt", encoding="utf-8", errors="replace") as fh:
        names, updated = parse(fh)
    return Registry(names, updated, str(src))


def clean_registrant(name: str) -> str:
    """The registrant without URLs, notes and trailing legal forms: ``HUAWEI Technology Co.,Ltd`` -> ``HUAWEI``."""
    abbr = _ABBR.search(name)
    if abbr:
        return abbr.group(1).strip()
    name = _URL.sub("", name).strip().strip(",;")
    spaced = _JOINED_FORM.sub(" ", name.replace("_", " "))  # "System Co.ltd", "Unisys_Corp": forms glued on
    short = _LEGAL_TAIL.sub("", spaced).strip().strip(",;-")
    return short if short and short != spaced else name


@functools.lru_cache(maxsize=65536)
def registrant_brand(name: str) -> str:
    """The brand a registrant's products carry, as the registry spells it, legal forms dropped."""
    short = clean_registrant(name)
    if short.isupper() and len(short) > 4 and " " not in short:  # "HUAWEI", "MIKROTIK": shown in title case
        return short.title()
    return short


@functools.lru_cache(maxsize=131072)
def name_key(name: str) -> str:
    """A comparison key for organisation and brand names: lower case, letters and digits, legal forms and filler
    words dropped (``Zhejiang Dahua Technology Co., Ltd.`` -> ``zhejiang dahua``)."""
    words = re.findall(r"[a-z0-9]+", _URL.sub("", name).lower().replace("&", " and "))
    kept = [w for w in words if w not in _SUFFIX_WORDS]
    return " ".join(kept or words)


COMMON_WORD_REGISTRANTS = 20  # a word in more registrants' names than this is a common word
#: Words a device's own description uses for what it is or does ("Switched Rack PDU", "Power Distribution Unit",
#: "Metered ePDU"): rare in the registry, so they would pass the commonness tests, yet a registrant named by them
#: alone ("Switched Network Technologies", "Power Distribution, Inc.") is not named by a text that says them.
DESCRIPTIVE_WORDS = frozenset({
    "switched", "managed", "unmanaged", "metered", "monitored", "outlet", "distribution", "power", "unit", "rack",
    "smart", "intelligent", "digital", "wireless", "industrial", "advanced", "remote", "secure", "environmental",
    "ethernet", "access", "point", "controller", "gateway", "router", "switch", "video", "recorder", "camera",
    "server", "storage", "management", "card", "module", "sensor", "monitor", "converter", "media", "optical",
    "transmitter", "receiver", "amplifier", "modem", "embedded", "uninterruptible", "supply", "battery",
    "inverter", "charger", "console", "terminal", "station", "link", "bridge", "repeater"})


def text_index(path: str | None = None) -> Mapping[str, str]:
    """See :func:`_text_index` (built once per registry: ``text_index()`` and ``text_index(None)`` share it)."""
    return _text_index(path)


@functools.lru_cache(maxsize=2)
def _text_index(path: str | None) -> Mapping[str, str]:
    """name -> registrant, for registrants whose product name is distinctive enough to find in free text.

    One word (``Teltonika``, ``Grandstream``): at least five letters and in at most three registrants' names
    (``network``, ``power``, ``linux`` are in hundreds: common words, not names). Two or three words (``Blue
    Coat``, ``Allied Telesis``): not all of them common words. Standards bodies and generic agents are left out."""
    registry = load(path)
    seen: dict[str, int] = {}
    for name in registry.names.values():
        for word in set(re.findall(r"[a-z][a-z0-9-]+", _URL.sub("", name).lower())):
            seen[word] = seen.get(word, 0) + 1
    index: dict[str, str] = {}
    for name in registry.names.values():
        if generic(name):
            continue
        phrase = " ".join(re.findall(r"[a-z0-9][a-z0-9-]*", registrant_brand(name).lower()))
        words = phrase.split()
        if len(words) == 1:
            ok = (len(phrase) >= 5 and phrase[0].isalpha() and seen.get(phrase, 0) <= 3 and phrase not in _SUFFIX_WORDS
                  and phrase not in DESCRIPTIVE_WORDS)
        else:
            ok = 2 <= len(words) <= 3 and any(seen.get(w, 0) <= COMMON_WORD_REGISTRANTS
                                              for w in words if len(w) > 2 and w not in DESCRIPTIVE_WORDS)
        if ok:
            index.setdefault(phrase, name)
    return index


FIRST_WORD_SHARE = 0.8  # a brand word leads most of the registrant names it occurs in
FIRST_WORD_MAX = 15  # ... and occurs in few of them (``Global``, ``Digital`` lead hundreds)


@dataclass(frozen=True)
class _WordCounts:
    """How the registry's names use each word: which names it leads (whole, or as the first part of a hyphenated
    first word), and in how many names it occurs (as a word; as a word or a hyphen part)."""

    leads: Mapping[str, list[int]]
    heads: Mapping[str, list[int]]
    occurs: Mapping[str, int]
    parts: Mapping[str, int]


@functools.lru_cache(maxsize=2)
def _word_counts(path: str | None) -> _WordCounts:
    registry = load(path)
    leads: dict[str, list[int]] = {}
    heads: dict[str, list[int]] = {}
    occurs: dict[str, int] = {}
    parts: dict[str, int] = {}
    for number, name in registry.names.items():
        words = re.findall(r"[a-z][a-z0-9-]+", _URL.sub("", name).lower())
        if not words or generic(name):
            continue
        leads.setdefault(words[0], []).append(number)
        if "-" in words[0]:
            heads.setdefault(words[0].split("-", 1)[0], []).append(number)
        for w in set(words):
            occurs[w] = occurs.get(w, 0) + 1
        for part in {part for w in words for part in w.split("-")}:
            parts[part] = parts.get(part, 0) + 1
    return _WordCounts(leads, heads, occurs, parts)


def brand_words(path: str | None = None) -> Mapping[str, str]:
    """See :func:`_brand_words` (built once per registry, however it is called)."""
    return _brand_words(path)


@functools.lru_cache(maxsize=2)
def _brand_words(path: str | None) -> Mapping[str, str]:
    """word -> registrant, for words that lead the registered names of one company family (``Samsung``
    Electronics, ``Samsung`` SDS; ``Barracuda`` Networks): at least five letters, leading at least 80 % of the
    registrant names they occur in, and in at most 15 of them. The oldest registration names the family.

    A hyphenated first word leads with its first part too ("Rittal-Werk Rudolf Loh GmbH" -> ``rittal``: the name
    the product carries, "Rittal IT Chiller"), counted among every name that holds the part as a word or a hyphen
    part; a joined or hyphenated word alone would never match the text's own words."""
    registry = load(path)
    counts = _word_counts(path)
    out = _leading(registry, counts.leads, counts.occurs)
    for word, name in _leading(registry, counts.heads, counts.parts).items():
        out.setdefault(word, name)
    return out


def registrations_naming(word: str, path: str | None = None) -> int:
    """In how many registered names ``word`` occurs, as a word or a hyphen part (``rittal``: 1; ``orion``: 9)."""
    return _word_counts(path).parts.get(word.lower(), 0)


def _leading(registry: Registry, leads: Mapping[str, list[int]], occurs: Mapping[str, int]) -> dict[str, str]:
    """The words of ``leads`` (word -> numbers of the names it leads) that pass the brand-word tests."""
    out: dict[str, str] = {}
    for word, numbers in leads.items():
        n = occurs.get(word, 0)
        if (len(word) >= 5 and word[0].isalpha() and word not in _SUFFIX_WORDS and word not in DESCRIPTIVE_WORDS
                and n <= FIRST_WORD_MAX
                and len(numbers) >= FIRST_WORD_SHARE * n):
            out[word] = registry.names[min(numbers)]
    return out


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


def registrants_in_text(text: str, path: str | None = None, *, leading_words: bool = False
                        ) -> list[tuple[str, str]]:
    """``(registrant, the words)`` for every registrant name that occurs in ``text`` (whole words, each
    capitalised as a name is: ``example.org`` is not the registrant "Example")."""
    index = text_index(path)
    words = _WORD.findall(text)
    found: dict[str, str] = {}
    for i in range(len(words)):
        for registrant, chunk in _names_at(words, i, index):
            found.setdefault(registrant, chunk)
        if "-" in words[i]:
            for part in words[i].split("-"):
                name = index.get(part.lower())
                if name and name not in found and len(part) >= 5 and part[0].isupper():
                    found[name] = part
    if leading_words and not found and words:
        found.update(_leading_word(words[0], path))
    return list(found.items())


def leading_registrant(text: str, path: str | None = None) -> tuple[str, str] | None:
    """``(registrant, the words)`` named by the text's own first word(s): a registered name ("Xerox Phaser 8550DP",
    "Allied Telesis AT-8000S") or the word leading a family of registrations ("TANDBERG Codec"). A product writes
    its maker's name first; names further on are often parts, partners or emulations ("... IBM/EPSON 5.29.01")."""
    words = _WORD.findall(text)
    if not words:
        return None
    named = next(_names_at(words, 0, text_index(path)), None)
    return named or next(iter(_leading_word(words[0], path).items()), None)


def _names_at(words: list[str], i: int, index: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """``(registrant, the words)`` for the registered names that start at word ``i``, longest first: three, two or
    one words, each capitalised as a name is, also joined ("Net Gear" -> ``netgear``)."""
    for n in (3, 2, 1):
        chunk = words[i:i + n]
        if len(chunk) < n or not all(w[0].isupper() or w[0].isdigit() for w in chunk):
            continue
        for key in dict.fromkeys((" ".join(chunk).lower(), *(("".join(chunk).lower(),) if n > 1 else ()))):
            name = index.get(key)
            if name:
                yield name, " ".join(chunk)


def _leading_word(first: str, path: str | None) -> dict[str, str]:
    """The text's own first word when it leads a family of registrations ("Barracuda Load Balancer", "SHARP
    MX-2614N"), or its capitalised head does: the brand joined to a product word ("ZebraNet Wired PS")."""
    if not first[0].isupper():
        return {}
    name = brand_words(path).get(first.lower())
    if name:
        return {name: first}
    for head in _camel_head(first):  # a joined head must name one registration: "Think" of ThinkCentre names ten
        name = brand_words(path).get(head.lower())
        if name and registrations_naming(head, path) == 1:
            return {name: head}
    return {}


_CAMEL_HEAD = re.compile(r"^([A-Z][a-z]{4,})(?=[A-Z][a-z])")


def _camel_head(word: str) -> tuple[str, ...]:
    """The capitalised head of a word joined in camel case (``ZebraNet`` -> ``Zebra``): five letters or more, so
    that ``NetBotz``, ``ProCurve``, ``AirOS`` give nothing."""
    m = _CAMEL_HEAD.match(word)
    return (m.group(1),) if m else ()


def update(source: str, target: Path = SNAPSHOT) -> tuple[int, str | None]:
    """Write ``source`` (either layout) as the shipped snapshot. Refuses a file with too few entries."""
    with open(source, encoding="utf-8", errors="replace") as fh:
        names, updated = parse(fh)
    if len(names) < 50000:
        raise SystemExit(f"{source}: only {len(names)} enterprise numbers read; expected the full registry (>50,000)")
    body = [f"# IANA Private Enterprise Numbers, from {Path(source).name}", f"# (last updated {updated or 'unknown'})"]
    body += [f"{n}\t{names[n]}" for n in sorted(names)]
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("\n".join(body) + "\n")
    for cached in (_load, _text_index, _word_counts, _brand_words):
        cached.cache_clear()  # everything read from the registry is read again from the new snapshot
    return len(names), updated


if __name__ == "__main__":  # pragma: no cover - the documented update command
    if len(sys.argv) != 3 or sys.argv[1] != "update":
        raise SystemExit("usage: python -m collectors.vendor.pen update <enterprises.tsv | enterprise-numbers>")
    count, when = update(sys.argv[2])
    print(f"{count} enterprise numbers (updated {when}) -> {SNAPSHOT}")
