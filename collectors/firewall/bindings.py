"""What each ACL or filter is bound to, per platform, and so what it *is*: its role.

Why: an ACL is not a firewall by itself. The same ``access-list 101 permit ip host 1.0.1.0 host 255.255.255.0``
is a packet filter on ``ip access-group 101 in``, a prefix filter in ``route-map X`` / ``match ip address 101``
(where "source" and "destination" mean prefix and mask), the list of who may poll SNMP, or the inside addresses
NAT translates. Judging a route filter for "no logging" or "no final deny" is a false alarm; judging a VTY ACL
by its source width is the right question. Roles:

* ``packet_filter``: bound to an interface (``ip access-group``, ``ipv6 traffic-filter``, ASA ``access-group``,
  Junos ``family inet filter input``), a zone pair or a policy (FortiGate, PAN-OS, SRX, nftables/iptables
  hooks: always packet filters);
* ``management``: protects the device itself (VTY ``access-class``, ``snmp-server community X RO ACL``,
  ``ip http access-class``, ``ntp access-group``, ASA ``control-plane``, a Junos filter on ``lo0``, the
  ``input`` hook of nftables/iptables);
* ``route_filter``: route maps, distribute lists, prefix matches (``match ip address``, ``distribute-list``,
  Junos ``policy-statement ... from prefix-list``);
* ``nat``: ``ip nat inside source list ACL`` (and route maps used by NAT);
* ``classifier``: selects traffic for something else (crypto maps, class maps, policy routing, captures);
* ``unbound``: referenced by nothing in a *complete* configuration;
* ``unknown``: the input does not show the configuration (``show ip access-lists`` alone): nothing is known,
  so it is judged as a packet filter, as before this module existed.

An ACL with several uses has every one of their roles. Pure text reading: no network, no judging.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from collectors.firewall.model import RuleSet
from netcomply.contracts.firewall import (  # the role names, one type shared with the checks and the report
    CLASSIFIER,
    MANAGEMENT,
    NAT,
    PACKET_FILTER,
    ROLES,
    ROUTE_FILTER,
    UNBOUND,
    UNKNOWN,
)

__all__ = ["CLASSIFIER", "MANAGEMENT", "NAT", "PACKET_FILTER", "ROLES", "ROUTE_FILTER", "UNBOUND", "UNKNOWN",
           "Uses", "assign_roles", "cisco_asa_uses", "cisco_ios_uses", "juniper_uses", "roles_of", "uses_of"]

#: Platforms whose rule sets are zone or hook policies: always packet filters.
ZONE_PLATFORMS = ("fortinet", "paloalto_panos", "nft", "iptables")


@dataclass
class Uses:
    """ACL name -> (role, where) uses found in one configuration, and whether it is a whole configuration."""

    by_acl: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    complete: bool = False
    #: route map -> its ACLs; route map -> the role its user gives it (route filter unless said otherwise)
    route_maps: dict[str, list[str]] = field(default_factory=dict)
    route_map_roles: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: Lines outside the ACL definitions: an ACL named in one we do not know is "unknown", never "unbound".
    others: list[str] = field(default_factory=list)

    def mentioned(self, name: str) -> str | None:
        """A line outside the ACL definitions that names ``name`` as a whole word (a use not modelled here)."""
        rx = re.compile(rf"(?<![\w.:/-]){re.escape(name)}(?![\w.:/-])")
        return next((line for line in self.others if rx.search(line)), None)

    def add(self, acl: str, role: str, where: str) -> None:
        self.by_acl.setdefault(acl, []).append((role, where))

    def resolve_route_maps(self) -> None:
        """Give each route map's ACLs the role of the route map's users (BGP, redistribution: route filter)."""
        for rm, acls in self.route_maps.items():
            users = self.route_map_roles.get(rm) or [(ROUTE_FILTER, f"route-map {rm}")]
            for acl in acls:
                for role, where in users:
                    self.add(acl, role, f"route-map {rm} ({where})" if role != ROUTE_FILTER else f"route-map {rm}")


# ------------------------------------------------------------------------------------------ Cisco IOS/NX-OS

#: A whole configuration names its host; a partition (``show running-config partition access-list``) or a
#: ``| section`` output does not, and is never read as "nothing else uses this ACL".
_IOS_COMPLETE = re.compile(r"^hostname \S", re.MULTILINE)
_PARTIAL = re.compile(r"^Configuration of Partition", re.MULTILINE)
_SNMP_COMMUNITY = re.compile(r"^snmp-server community \S+(?: view \S+)?(?: (?:RO|RW|ro|rw))?"
                             r"(?: ipv6 (\S+))?(?: (\S+))?\s*$")
_SNMP_NXOS = re.compile(r"^snmp-server community \S+ use-(?:ipv4|ipv6)?acl (\S+)")
_SNMP_GROUP = re.compile(r"^snmp-server group \S+ v\S+(?: \S+)*? access (?:ipv6 )?(\S+)")
_HTTP = re.compile(r"^ip http access-class (?:ipv4 |ipv6 )?(\S+)")
_NTP = re.compile(r"^ntp access-group (?:ipv4 |ipv6 )?(?:peer|serve|serve-only|query-only) (\S+)")
_NAT_LIST = re.compile(r"^ip nat (?:inside|outside) source list (\S+)")
_NAT_RM = re.compile(r"^ip nat (?:inside|outside) source route-map (\S+)")
_DISTRIBUTE = re.compile(r"^(?:neighbor \S+ )?distribute-list (?!prefix\b|route-map\b|gateway\b)(\S+)")
_IOS_GLOBAL = ((_HTTP, MANAGEMENT, "ip http access-class"), (_NTP, MANAGEMENT, "ntp access-group"),
               (_SNMP_NXOS, MANAGEMENT, "snmp-server community"), (_SNMP_GROUP, MANAGEMENT, "snmp-server group"),
               (_NAT_LIST, NAT, "ip nat source list"))


def _blocks(text: str) -> Iterable[tuple[str, str]]:
    """(enclosing top-level line or "", stripped line) for every line: the context of indented commands."""
    context = ""
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("!"):
            continue
        if not raw[0].isspace():
            context = raw.strip()
            yield "", context
        else:
            yield context, raw.strip()


def _ios_interface(uses: Uses, context: str, line: str) -> None:
    w = line.split()
    iface = context.split(None, 1)[1] if " " in context else context
    if w[:2] in (["ip", "access-group"], ["ipv6", "traffic-filter"], ["ip", "port"]) and len(w) >= 3:
        if w[:2] == ["ip", "port"]:
            w = w[1:]  # NX-OS port ACL: "ip port access-group NAME in"
        direction = w[3] if len(w) > 3 else "in"
        uses.add(w[2], PACKET_FILTER, f"{iface} {direction}")
    elif w[:3] == ["ip", "policy", "route-map"] and len(w) > 3:
        uses.route_map_roles.setdefault(w[3], []).append((CLASSIFIER, f"policy routing on {iface}"))


def _ios_block_line(uses: Uses, context: str, line: str) -> None:
    w = line.split()
    if context.startswith("interface "):
        _ios_interface(uses, context, line)
    elif context.startswith("line ") and w[:1] in (["access-class"], ["ipv6"]) and "access-class" in w[:2]:
        uses.add(w[w.index("access-class") + 1], MANAGEMENT, context)
    elif context.startswith("route-map ") and w[:2] in (["match", "ip"], ["match", "ipv6"]) and len(w) > 3 \
            and w[2] == "address" and w[3] not in ("prefix-list", "prefix"):
        uses.route_maps.setdefault(context.split()[1], []).extend(w[3:])
    elif context.startswith("class-map") and w[:2] == ["match", "access-group"] and len(w) > 2:
        uses.add(w[-1], CLASSIFIER, context)
    elif context.startswith("crypto map") and w[:2] == ["match", "address"] and len(w) > 2:
        uses.add(w[2], CLASSIFIER, context)
    elif context.startswith("router ") or context.startswith("address-family"):
        m = _DISTRIBUTE.match(line)
        if m:
            uses.add(m[1], ROUTE_FILTER, f"{context}: distribute-list")


def _ios_global(uses: Uses, line: str) -> None:
    m = _SNMP_COMMUNITY.match(line)
    if m:
        for acl in (m[1], m[2]):
            if acl and acl not in ("RO", "RW", "ro", "rw"):
                uses.add(acl, MANAGEMENT, "snmp-server community")
        return
    for rx, role, where in _IOS_GLOBAL:
        g = rx.match(line)
        if g:
            uses.add(g[1], role, where)
            return
    n = _NAT_RM.match(line)
    if n:
        uses.route_map_roles.setdefault(n[1], []).append((NAT, "ip nat source route-map"))


_DEFINITION = ("access-list ", "ip access-list ", "ipv6 access-list ", "mac access-list ", "object-group ",
               "Standard IP access list", "Extended IP access list", "IPv6 access list", "remark ")


_SECRET_WORDS = re.compile(r"\b(?:password|secret|key|community|key-string|pre-shared-key)\b", re.I)


def _other(uses: Uses, context: str, line: str) -> None:
    """Keep a line that may name an ACL in a way not modelled here; never one that may carry a secret."""
    if not (context or line).startswith(_DEFINITION) and not _SECRET_WORDS.search(line):
        uses.others.append(line if not context else f"{context} / {line}")


def cisco_ios_uses(text: str) -> Uses:
    uses = Uses(complete=bool(_IOS_COMPLETE.search(text)) and not _PARTIAL.search(text))
    for context, line in _blocks(text):
        _other(uses, context, line)
        if context:
            _ios_block_line(uses, context, line)
        else:
            _ios_global(uses, line)
    uses.resolve_route_maps()
    return uses


# ----------------------------------------------------------------------------------------------- Cisco ASA

_ASA_COMPLETE = re.compile(r"^(?:ASA Version |hostname \S|: Saved)", re.MULTILINE)
_ASA_GROUP = re.compile(r"^access-group (\S+) (?:(in|out) interface (\S+)( control-plane)?|global)")
_ASA_NAT = re.compile(r"^(?:nat|static) \([^)]*\) .*\baccess-list (\S+)")
_ASA_CRYPTO = re.compile(r"^crypto map \S+ \d+ match address (\S+)")
_ASA_CAPTURE = re.compile(r"^capture \S+ .*\baccess-list (\S+)")


def _asa_global(uses: Uses, line: str) -> None:
    g = _ASA_GROUP.match(line)
    if g:
        if g[4]:
            uses.add(g[1], MANAGEMENT, f"{g[3]} control-plane")
        else:
            uses.add(g[1], PACKET_FILTER, f"{g[3]} {g[2]}" if g[2] else "global")
        return
    for rx, role, where in ((_ASA_NAT, NAT, "nat"), (_ASA_CRYPTO, CLASSIFIER, "crypto map"),
                            (_ASA_CAPTURE, CLASSIFIER, "capture")):
        m = rx.match(line)
        if m:
            uses.add(m[1], role, where)
            return


def _asa_block_line(uses: Uses, context: str, line: str) -> None:
    w = line.split()
    if context.startswith("route-map ") and w[:3] == ["match", "ip", "address"] and len(w) > 3 \
            and w[3] != "prefix-list":
        uses.route_maps.setdefault(context.split()[1], []).extend(w[3:])
    elif context.startswith("class-map") and w[:2] == ["match", "access-list"] and len(w) > 2:
        uses.add(w[2], CLASSIFIER, context)
    elif context.startswith("group-policy") and w[:2] == ["vpn-filter", "value"] and len(w) > 2:
        uses.add(w[2], PACKET_FILTER, f"{context}: vpn-filter")
    elif context.startswith("group-policy") and w[:1] in (["split-tunnel-network-list"],
                                                           ["ipv6-split-tunnel-network-list"]) and len(w) > 2:
        uses.add(w[-1], CLASSIFIER, f"{context}: split tunnel")
    elif context.startswith("router ") and w[:1] == ["distribute-list"] and len(w) > 1:
        uses.add(w[1], ROUTE_FILTER, f"{context}: distribute-list")


def cisco_asa_uses(text: str) -> Uses:
    uses = Uses(complete=bool(_ASA_COMPLETE.search(text)))
    for context, line in _blocks(text):
        _other(uses, context, line)
        if context:
            _asa_block_line(uses, context, line)
        else:
            _asa_global(uses, line)
    uses.resolve_route_maps()
    return uses


# ---------------------------------------------------------------------------------------------------- Junos


def _junos_statements(text: str, source: str) -> list[list[str]]:
    from collectors.firewall.parsers.junos_brace import looks_like_brace, to_set
    from collectors.firewall.parsers.words import split_words

    if text.lstrip().startswith("<"):  # display xml: the same statements
        from collectors.firewall.parsers.junos_xml import to_set as xml_to_set

        lines = [s for _, s in xml_to_set(text, source)]
    else:
        lines = [s for _, s in to_set(text, source)] if looks_like_brace(text) else text.splitlines()
    return [split_words(s.strip())[1:] for s in lines if s.strip().startswith("set ")]


_FILTER_DIRECTIONS = ("input", "output", "input-list", "output-list")


def _junos_filter_use(uses: Uses, w: list[str]) -> bool:
    """``... [interfaces IF unit U] family F filter input|output|input-list|output-list NAME...`` anywhere
    (interfaces, groups, logical systems, forwarding options); a filter on ``lo0`` protects the device."""
    i = next((k for k in range(len(w) - 2) if w[k] == "filter" and w[k + 1] in _FILTER_DIRECTIONS), None)
    if i is None:
        return False
    family = w[i - 1] if i >= 2 and w[i - 2] == "family" else "inet"
    j = w.index("interfaces") if "interfaces" in w[:i] else -1
    where = (w[j + 1] + (f".{w[j + 3]}" if w[j + 2:j + 3] == ["unit"] else "")) if 0 <= j < i - 1 else w[0]
    role = MANAGEMENT if where.startswith("lo0") else PACKET_FILTER
    for name in w[i + 2:]:
        if name != "filter-name":  # display xml keeps the key element's name
            uses.add(f"filter {family}/{name}", role, f"{where} {w[i + 1].split('-')[0]}")
    return True


def juniper_uses(text: str, source: str) -> Uses:
    stmts = _junos_statements(text, source)
    uses = Uses(complete=any(w[:2] == ["system", "host-name"] or w[:1] == ["version"] for w in stmts))
    for w in stmts:
        if w[:1] != ["firewall"] and w[:2] != ["policy-options", "prefix-list"]:
            uses.others.append(" ".join(w))
        if _junos_filter_use(uses, w):
            continue
        if w[:2] == ["policy-options", "policy-statement"] and "prefix-list" in w[:-1]:
            uses.add(w[w.index("prefix-list") + 1], ROUTE_FILTER, f"policy-statement {w[2]}")
    return uses


# ---------------------------------------------------------------------------------------------- assignment


def uses_of(text: str, platform: str, source: str = "") -> Uses | None:
    """The uses a configuration states, or None for platforms whose rule sets are always packet filters."""
    if platform in ("cisco_ios", "cisco_xe", "cisco_nxos"):
        return cisco_ios_uses(text)
    if platform == "cisco_asa":
        return cisco_asa_uses(text)
    if platform == "juniper_junos":
        return juniper_uses(text, source)
    return None


#: What a zone or hook platform's parser says a rule set is (``extra["role"]``), when it is not a packet filter:
#: an iptables ``nat`` chain translates addresses (its ACCEPT means "do not translate"); a FortiOS
#: ``local-in-policy`` guards the device itself, and what it leaves open falls through to ``allowaccess``.
_PARSER_ROLES = {"nat": (NAT,), "local-in": (MANAGEMENT,)}


def _fixed_roles(rs: RuleSet) -> tuple[str, ...]:
    """Roles of a rule set whose binding its own format states (zones, hooks, policies)."""
    stated = _PARSER_ROLES.get(str(rs.extra.get("role", "")))
    if stated is not None:
        return stated
    return (PACKET_FILTER, MANAGEMENT) if rs.management else (PACKET_FILTER,)


def roles_of(rs: RuleSet, uses: Uses | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(roles, where) of one rule set."""
    if uses is None or rs.platform in ZONE_PLATFORMS or rs.name == "security policies":
        return _fixed_roles(rs), tuple(rs.bound_to)
    found = uses.by_acl.get(rs.name, [])
    if not found:
        if not uses.complete:
            return (UNKNOWN,), ()
        named = uses.mentioned(rs.name.split("/", 1)[1] if rs.name.startswith("filter ") else rs.name)
        # the command's first words only: the rest of a configuration line is never copied into observations
        return ((UNKNOWN,), (f"unknown: named by '{' '.join(named.split()[:4])}'",)) if named else ((UNBOUND,), ())
    roles = tuple(r for r in ROLES if any(role == r for role, _ in found))
    return roles, tuple(dict.fromkeys(f"{role}: {where}" for role, where in found))


def assign_roles(rulesets: Iterable[RuleSet], text: str, source: str = "") -> None:
    """Set ``roles`` and ``uses`` of every rule set parsed from ``text``."""
    cache: dict[str, Uses | None] = {}
    for rs in rulesets:
        if rs.platform not in cache:
            cache[rs.platform] = uses_of(text, rs.platform, source)
        rs.roles, rs.uses = roles_of(rs, cache[rs.platform])
        if MANAGEMENT in rs.roles:
            rs.management = True
