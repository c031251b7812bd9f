"""PRC-maker judgement for organisations the ban list does not name, from data (``data/prc_makers.yaml``).

Why: the knowledge base names a hundred brands, the PEN and IEEE registries tens of thousands of makers. An
unknown maker must never become "not PRC" by default, and a PRC maker the ban list forgot (FiberHome, Raisecom,
BDCOM, DCN, ...) must not slip through. So the judgement is a chain of named rules, each from data with sources,
and the verdict keeps which rule decided (``rule``) and why (``detail``); when no rule decides, the answer is
``None``: unknown, needs review.

Rules, in order: the knowledge base's brand; a known PRC group, subsidiary or OEM brand; a PRC place in the
registered name; the IEEE OUI registrant country of the same organisation; else unknown.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from collectors.vendor.kb import KnowledgeBase, literal_head
from collectors.vendor.pen import name_key

DATA = Path(__file__).resolve().parent / "data" / "prc_makers.yaml"

RULE_KB = "knowledge_base"
RULE_GROUP = "prc_group"
RULE_PLACE = "registered_place"
RULE_OUI = "oui_country"
RULE_NONE = "no_rule"


@dataclass(frozen=True)
class MakerJudgement:
    """``prc``: True (PRC brand or maker), False (not), None (unknown: needs review)."""

    prc: bool | None
    rule: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"prc": self.prc, "rule": self.rule, "detail": self.detail}


@dataclass(frozen=True)
class Group:
    name: str
    prc: bool | None
    patterns: tuple[re.Pattern[str], ...]
    source: str
    screen: re.Pattern[str] = re.compile("")  # all patterns at once, case-insensitive: a cheap first test
    text_patterns: tuple[re.Pattern[str], ...] = ()  # the aliases long enough to read in free text (TEXT_ALIAS_LETTERS)
    text_needles: tuple[str, ...] = ()  # per text pattern, the lower-case text it must contain (a cheap first test)


#: The fewest letters an alias holds to be read in free text: short acronyms ("DCN", "GWD", "TCL") are other
#: things' words there ("DCN port": an optical node's data-communication network), though safe in a registered
#: organisation's name.
TEXT_ALIAS_LETTERS = 4


@dataclass(frozen=True)
class MakerData:
    version: str
    groups: tuple[Group, ...]
    places: re.Pattern[str]
    review_countries: frozenset[str]


def _alias(pattern: str) -> re.Pattern[str]:
    flags = 0 if pattern.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w]){pattern}(?![\w])", flags)


def _group(raw: Mapping[str, Any]) -> Group:
    aliases = [str(a) for a in raw.get("aliases") or [raw["name"]]]
    in_text = [a for a in aliases if sum(c.isalpha() for c in a) >= TEXT_ALIAS_LETTERS]
    return Group(str(raw["name"]), raw.get("prc"), tuple(_alias(a) for a in aliases), str(raw.get("source", "")),
                 re.compile("|".join(f"(?:{a})" for a in aliases), re.IGNORECASE),
                 tuple(_alias(a) for a in in_text), tuple(literal_head(a) for a in in_text))


@functools.lru_cache(maxsize=2)
def load_makers(path: str | None = None) -> MakerData:
    doc = yaml.safe_load(Path(path or DATA).read_text(encoding="utf-8")) or {}
    groups = tuple(_group(g) for g in doc.get("groups") or [])
    places = re.compile(r"(?<![\w])(?:" + "|".join(doc.get("places") or ["China"]) + r")(?![\w])", re.IGNORECASE)
    return MakerData(str(doc.get("version", "")), groups, places, frozenset(doc.get("review_countries") or ()))


def groups_in_text(text: str) -> list[tuple[Group, str]]:
    """``(group, the matched words)`` for each known organisation (``groups``) a free text names by one of its
    longer aliases (:attr:`Group.text_patterns`): a brand the knowledge base does not list but this file does
    ("Yeastar S-Series VoIP PBX", "KEDACOM IPC") is still a brand the text names."""
    low = text.lower()
    found: list[tuple[Group, str]] = []
    for group in load_makers().groups:
        m = next((m for p, needle in zip(group.text_patterns, group.text_needles, strict=True)
                  if needle in low and (m := p.search(text))), None)
        if m:
            found.append((group, m.group(0)))
    return found


# ------------------------------------------------------------------------------------------ IEEE OUI countries


@functools.lru_cache(maxsize=1)
def oui_countries() -> Mapping[str, Counter[str]]:
    """name key -> countries of the IEEE MA-L registrants of that name (netaddr's bundled registry), and the
    registered names themselves (for the place rule)."""
    import netaddr.eui as eui

    path = Path(eui.__file__).resolve().parent / "oui.txt"
    out: dict[str, Counter[str]] = {}
    org: str | None = None
    last: str | None = None
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if "(base 16)" in line:
                if org is not None and last:
                    out.setdefault(name_key(org), Counter())[last] += 1
                org, last = line.split("(base 16)", 1)[1].strip(), None
            elif org is not None and line.strip() and "(hex)" not in line:
                last = line.strip()
    if org is not None and last:
        out.setdefault(name_key(org), Counter())[last] += 1
    return {k: Counter({c: n for c, n in v.items() if re.fullmatch(r"[A-Z]{2}", c)}) for k, v in out.items()}


def _by_country(name: str, data: MakerData) -> MakerJudgement | None:
    countries = oui_countries().get(name_key(name))
    if not countries:
        return None
    listed = ", ".join(f"{c} ({n})" for c, n in countries.most_common())
    where = f"IEEE OUI registrant {name!r}: {listed}"
    if set(countries) == {"CN"}:
        return MakerJudgement(True, RULE_OUI, where)
    if "CN" in countries or set(countries) & data.review_countries:
        return MakerJudgement(None, RULE_OUI, where + "; a PRC or Hong Kong/Macau registration: needs review")
    return MakerJudgement(False, RULE_OUI, where)


# ------------------------------------------------------------------------------------------ the chain


def judge_maker(kb: KnowledgeBase, brand: str | None, registrants: tuple[str, ...] = ()) -> MakerJudgement:
    """Is ``brand`` (made by ``registrants``: the PEN / OUI organisations that named it) a PRC brand?"""
    if not brand:
        return MakerJudgement(None, RULE_NONE, "no brand identified")
    known = kb.brand(brand)
    if known is not None and known.prc is not None:
        return MakerJudgement(known.prc, RULE_KB, f"knowledge base: {known.name} is {'' if known.prc else 'not '}"
                              "a PRC brand")
    if known is not None:  # a knowledge-base brand whose PRC status is deliberately left open: the agency decides
        return MakerJudgement(None, RULE_KB, f"knowledge base: {known.name}: {known.note or 'the agency decides'}")
    data = load_makers()
    names = tuple(dict.fromkeys((brand, *registrants)))
    for group in data.groups:
        for name in names:
            if name == group.name or (group.screen.search(name) and any(p.search(name) for p in group.patterns)):
                return MakerJudgement(group.prc, RULE_GROUP, f"{name!r} is {group.name}: {group.source}")
    for name in names:
        m = data.places.search(name)
        if m:
            return MakerJudgement(True, RULE_PLACE, f"registered name {name!r} names the PRC place {m.group(0)!r}")
    for name in names:
        judged = _by_country(name, data)
        if judged is not None:
            return judged
    return MakerJudgement(None, RULE_NONE, f"no rule knows {' / '.join(names)}: needs review (registrant's "
                          "country, owner, the product's label)")
