"""Parsers: one module per format, each ``parse(text, source) -> list[RuleSet]``.

:func:`parse_text` picks the parser by platform name or, when none is given, by what the text looks like.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from collectors.firewall.model import RuleSet
from collectors.firewall.parsers import (
    cisco_asa,
    cisco_ios,
    fortigate,
    iptables,
    junos_brace,
    junos_set,
    junos_xml,
    nft_json,
    nft_text,
    panos,
    panos_xml,
)
from netcomply.errors import InputError, InputProblem

_NFT_TEXT = re.compile(r"^\s*table\s+(?:ip|ip6|inet|arp|bridge|netdev)\s+\S+\s*\{", re.MULTILINE)
_ASA = re.compile(r"^\s*access-list \S+ (line \d+ )?(extended|webtype) ", re.MULTILINE)

def junos(text: str, source: str) -> list[RuleSet]:
    """``show configuration`` (brace), ``| display set`` or ``| display xml``: the same statements each way."""
    if text.lstrip().startswith("<"):
        return junos_xml.parse(text, source)
    if junos_brace.looks_like_brace(text):
        return junos_xml.remap(junos_brace.to_set(text, source), source, "brace")
    return junos_set.parse(text, source)


def paloalto(text: str, source: str) -> list[RuleSet]:
    """``show running security-policy`` or the XML configuration (``show config running``, running-config.xml)."""
    return panos_xml.parse(text, source) if text.lstrip().startswith("<") else panos.parse(text, source)


def nft(text: str, source: str) -> list[RuleSet]:
    """``nft -j list ruleset`` (JSON) or ``nft list ruleset`` (native text): the same rules either way."""
    return nft_json.parse(text, source) if text.lstrip().startswith("{") else nft_text.parse(text, source)


PARSERS: dict[str, Callable[[str, str], list[RuleSet]]] = {
    "cisco_asa": cisco_asa.parse,
    "cisco_ios": cisco_ios.parse,
    "cisco_xe": cisco_ios.parse,
    "nft": nft,
    "nftables": nft,
    "iptables": iptables.parse,
    "juniper_junos": junos,
    "paloalto_panos": paloalto,
    "fortinet": fortigate.parse,
}


def detect(text: str) -> str | None:
    head = text.lstrip()[:4000]
    if head.startswith("{") and '"nftables"' in head:
        return "nft"
    if _NFT_TEXT.search(head):
        return "nft"
    if "\n*filter" in "\n" + head or "iptables-save" in head[:300]:
        return "iptables"
    if re.search(r'^"[^"]+; index: \d+" \{', head, re.MULTILINE):
        return "paloalto_panos"
    if "set security policies " in text:
        return "juniper_junos"
    if head.startswith("<") and re.search(r"<config[\s>]", text) and "<rulebase>" in text:
        return "paloalto_panos"
    if head.startswith("<") and "<configuration" in text and "<security>" in text:
        return "juniper_junos"
    if "config firewall policy" in text or "config system interface" in head:
        return "fortinet"
    if _ASA.search(head) or "(hitcnt=" in head or ("object-group network" in head and "network-object" in head):
        return "cisco_asa"
    if "IP access list" in head or "ip access-list" in head or "IPv6 access list" in head or \
            head.startswith("access-list ") or "\naccess-list " in head:
        return "cisco_ios"
    return None


def parse_text(text: str, platform: str | None, source: str) -> list[RuleSet]:
    """Every rule set in ``text``; bad or unrecognisable input raises :class:`InputError` (file: message)."""
    p = platform or detect(text)
    if p is None:
        raise InputError(InputProblem(source, None, "cannot tell the format; give --platform "
                                      f"({', '.join(sorted(PARSERS))})"))
    if p not in PARSERS:
        raise InputError(InputProblem(source, None, f"unknown platform {p!r}; known: {', '.join(sorted(PARSERS))}"))
    sets = PARSERS[p](text, source)
    if not sets:
        raise InputError(InputProblem(source, None, f"no rule set found in this {p} input"))
    return sets
