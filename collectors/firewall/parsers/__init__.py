"""Parsers: one module per format, each ``parse(text, source) -> list[RuleSet]``.

:func:`parse_text` picks the parser by platform name or, when none is given, by what the text looks like.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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
    panos_set,
    panos_xml,
)
from collectors.firewall.parsers.accounting import account
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
    """``show running security-policy`` (with or without ``index:``), the XML configuration (``show config
    running``, running-config.xml), or the configuration as ``set`` statements or braces."""
    if text.lstrip().startswith("<"):
        return panos_xml.parse(text, source)
    if panos_set.looks_like_set(text) or (junos_brace.looks_like_brace(text) and "rulebase" in text):
        return panos_set.parse(text, source)
    return panos.parse(text, source)


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


_ASA_ONLY = re.compile(r"^(?:ASA Version |: Saved|\s*nameif |\s*security-level \d|object network |access-group \S+ "
                       r"(?:in|out) interface |.*\(hitcnt=\d+\))", re.MULTILINE)
_IOS_ONLY = re.compile(r"^(?:(?:Standard|Extended|Reflexive) IP access list |IPv6 access list |ip access-list |"
                       r"ipv6 access-list |\s+ip access-group |\s+ip address \d+\.\d+\.\d+\.\d+ \d|"
                       r"line vty |version 1[0-9]\.|ip route \d|router (?:ospf|bgp|eigrp|rip))", re.MULTILINE)
#: ``access-list NAME extended ... A.B.C.D 0.x.y.z``: a wildcard mask (IOS); ASA writes netmasks (255.x...).
_WILDCARD_ACL = re.compile(r"^access-list \S+ extended .*\b\d+\.\d+\.\d+\.\d+ 0\.\d+\.\d+\.\d+\b", re.MULTILINE)
_JUNOS_SET = re.compile(r"^(?:set|deactivate) (?:security|firewall|interfaces|system|policy-options|applications|"
                        r"routing-options|protocols|snmp|groups) ", re.MULTILINE)
_PANOS_SET = re.compile(r"^(?:set|delete|move) (?:rulebase|vsys|device-group|deviceconfig|shared|zone|address|"
                        r"address-group|service|service-group|network) ", re.MULTILINE)
_IPTABLES = re.compile(r"^(?:\[\d+:\d+\] )?(?:(?:sudo )?ip6?tables (?:-t \S+ )?)?(?:-A|--append|-N|--new-chain) \S+",
                       re.MULTILINE)


def _cisco(text: str) -> str | None:
    """IOS or ASA: ASA-only constructs decide; IOS files may hold ASA-style ``access-list NAME extended`` lines."""
    if _ASA_ONLY.search(text):
        return "cisco_asa"
    if _IOS_ONLY.search(text) or _WILDCARD_ACL.search(text):
        return "cisco_ios"
    if _ASA.search(text) or ("object-group network" in text and "network-object" in text):
        return "cisco_asa"
    if re.search(r"^access-list \d+ (?:permit|deny|remark)", text, re.MULTILINE):
        return "cisco_ios"
    return None


def detect(text: str) -> str | None:
    """The platform whose syntax ``text`` is in, or None: an order of tests from the most to the least specific."""
    head = text.lstrip()[:4000]
    if head.startswith("{") and '"nftables"' in head:
        return "nft"
    if _NFT_TEXT.search(head):
        return "nft"
    if "\n*filter" in "\n" + head or "iptables-save" in head[:300] or re.search(r"^\*(?:nat|mangle|raw|security)\s*$",
                                                                            head, re.MULTILINE):
        return "iptables"
    if re.search(r'^"[^"]+; index: \d+" \{', head, re.MULTILINE) or (
            re.search(r'^"[^"]+" \{\s*$', head, re.MULTILINE) and re.search(r"^\s+action \S+;", head, re.MULTILINE)):
        return "paloalto_panos"
    if head.startswith("<"):
        if re.search(r"<config[\s>]", text) and ("<devices>" in text or "<rulebase>" in text):
            return "paloalto_panos"
        if "<configuration" in text:
            return "juniper_junos"
    if _PANOS_SET.search(text) and not _JUNOS_SET.search(text):
        return "paloalto_panos"
    if _JUNOS_SET.search(text):
        return "juniper_junos"
    if re.search(r"^config (?:firewall|system|vdom|global)\b", text, re.MULTILINE):
        return "fortinet"
    if junos_brace.looks_like_brace(text):
        if re.search(r"^\s*(?:rulebase|deviceconfig|vsys|device-group) \{", text, re.MULTILINE):
            return "paloalto_panos"
        if re.search(r"^(?:security|firewall|interfaces|system|policy-options|applications) \{", text, re.MULTILINE):
            return "juniper_junos"
    cisco = _cisco(text)
    if cisco:
        return cisco
    if _IPTABLES.search(text):
        return "iptables"
    return None


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a parser builds its objects: parsers make no reference cycles, and
    the collector's passes over hundreds of thousands of young objects cost a third of a large parse."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def parse_text(text: str, platform: str | None, source: str) -> list[RuleSet]:
    """Every rule set in ``text``; bad or unrecognisable input raises :class:`InputError` (file: message)."""
    p = platform or detect(text)
    if p is None:
        raise InputError(InputProblem(source, None, "cannot tell the format; give --platform "
                                      f"({', '.join(sorted(PARSERS))})"))
    if p not in PARSERS:
        raise InputError(InputProblem(source, None, f"unknown platform {p!r}; known: {', '.join(sorted(PARSERS))}"))
    try:
        with gc_paused():
            sets = account(PARSERS[p](text, source), text, p, source)
    except RecursionError:
        raise InputError(InputProblem(source, None, "nested too deeply to be a configuration")) from None
    if not sets:
        raise InputError(InputProblem(source, None, f"no rule set found in this {p} input"))
    return sets
