"""The one rule model every firewall parser produces, and every analysis reads.

Why one model: an auditor asks the same questions of an ASA ACL, a FortiGate policy table and an nftables
chain. Each parser translates its vendor's syntax (objects and groups already expanded) into ordered
:class:`Rule` objects in a :class:`RuleSet`; the analyses never see vendor syntax.

Addresses and ports use the one encoding of :mod:`netcomply.contracts.addresses` (the checks read the same one):
integer ranges on one number line that holds both families, IPv6 ``[0, 2**128)`` first, then IPv4 above it.
The observations these objects become are typed by :mod:`netcomply.contracts.firewall`.

A rule a parser cannot model exactly says so (:class:`ParseStatus`): ``approximate`` rules carry a reason and,
when they may match only part of what their fields say (rate limits, unmodelled matches), ``partial=True`` so
that the analysis never uses them to hide another rule; ``unparsed`` rules are kept (with their text) and
counted in the parse coverage, but not analysed. A wrong "clean" answer is worse than an admitted gap.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from netcomply.contracts.addresses import (
    ADDR_MAX,
    ANY4,
    ANY6,
    ANY_ADDR,
    ANY_PORT,
    ANY_PROTO,
    V4_BASE,
    V6_SIZE,
    Interval,
    encode_cidr,
    encode_range,
    format_interval,
    ranges_to_json,
)
from netcomply.contracts.firewall import Action as ActionName
from netcomply.contracts.firewall import FirewallRule, FirewallRuleset, ServiceEntry, role_of
from netcomply.contracts.firewall import ParseStatus as ParseStatusName

__all__ = [
    "ADDR_MAX",
    "ANY4",
    "ANY6",
    "ANY_ADDR",
    "ANY_PORT",
    "ANY_PROTO",
    "V4_BASE",
    "V6_SIZE",
    "Action",
    "Interval",
    "ParseStatus",
    "Provenance",
    "Rule",
    "RuleSet",
    "Service",
    "address_count",
    "address_range",
    "format_interval",
    "masked_ranges",
    "merge_intervals",
    "netmask_network",
    "network",
]

#: Connection-tracking states (nftables ``ct state``, iptables ``--state``); rules without one match all.
CT_STATES = ("new", "established", "related", "invalid", "untracked")

ICMP, ICMP6, TCP, UDP = 1, 58, 6, 17


class Action(StrEnum):
    PERMIT = "permit"
    DENY = "deny"  # deny, drop, reject
    OTHER = "other"  # non-terminal (log-only, jump, return...): never analysed as a decision


class ParseStatus(StrEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"
    UNPARSED = "unparsed"


def network(text: str) -> Interval:
    """``"192.0.2.0/24"``, ``"2001:db8::1"``, ``"any"``/``"any4"``/``"any6"`` -> an address interval."""
    t = text.strip().lower()
    if t in ("any", "all", "0.0.0.0/0 ::/0"):
        return ANY_ADDR
    if t == "any4":
        return ANY4
    if t == "any6":
        return ANY6
    return encode_cidr(t)


def address_range(first: str, last: str) -> Interval:
    """An address range ``first-last`` (FortiGate iprange, nftables ``a-b``)."""
    return encode_range(first, last)


def netmask_network(addr: str, mask: str, *, wildcard: bool = False) -> Interval:
    """Cisco ``address netmask`` or ``address wildcard``; a non-contiguous wildcard raises ValueError."""
    m = int(ipaddress.IPv4Address(mask))
    if wildcard:
        m ^= 0xFFFFFFFF
    prefix = bin(m).count("1")
    if m != (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF:
        raise ValueError(f"non-contiguous mask {mask}")
    return network(f"{addr}/{prefix}")


#: A non-contiguous mask is expanded into at most this many ranges (2**10); beyond, its covering range is used.
MASK_RANGES_MAX = 1024


def masked_ranges(addr: str, mask: str, *, wildcard: bool,
                  limit: int = MASK_RANGES_MAX) -> tuple[tuple[Interval, ...], bool]:
    """The IPv4 addresses an ``address mask`` pair matches, any mask (contiguous or not), as sorted ranges; and
    whether that is exact. Why: ACLs use non-contiguous wildcards (``0.0.255.31``: a /27 in each of 256 /24s)
    and the analysis works on range lists, so the match is exact as long as the range count stays bounded.

    The low run of don't-care bits makes one range; each other don't-care bit doubles the count. Over ``limit``
    ranges, the one covering range is returned with ``False``: a superset, for the caller to mark partial."""
    care = int(ipaddress.IPv4Address(mask))
    dont = care if wildcard else care ^ 0xFFFFFFFF
    base = int(ipaddress.IPv4Address(addr)) & ~dont & 0xFFFFFFFF
    run = (dont ^ (dont + 1)) >> 1 if dont & 1 else 0  # the trailing ones of the don't-care mask
    holes = [b for b in range(32) if dont >> b & 1 and not run >> b & 1]
    if 2 ** len(holes) > limit:
        return ((V4_BASE + base, V4_BASE + (base | dont)),), False
    starts = [base]
    for b in holes:
        starts += [s | 1 << b for s in starts]
    return merge_intervals([(V4_BASE + s, V4_BASE + s + run) for s in starts]), True


def address_count(iv: Interval) -> int:
    return iv[1] - iv[0] + 1


def merge_intervals(ivs: list[Interval] | tuple[Interval, ...]) -> tuple[Interval, ...]:
    """Sort and merge overlapping or adjacent intervals: the canonical form of an address set."""
    out: list[list[int]] = []
    for lo, hi in sorted(ivs):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return tuple((a, b) for a, b in out)


@dataclass(frozen=True, slots=True)
class Service:
    """One protocol with its port ranges. For ICMP/ICMPv6 ``dport`` holds ``type*256 + code`` (ICMP has no
    ports, so the dimension is free), so "echo-request only" is as exact as "tcp/443 only"."""

    proto: Interval = ANY_PROTO
    sport: Interval = ANY_PORT
    dport: Interval = ANY_PORT
    name: str | None = None

    @classmethod
    def ip(cls, name: str | None = None) -> Service:
        return cls(name=name)

    @classmethod
    def port(cls, proto: int, lo: int, hi: int | None = None, *, sport: Interval = ANY_PORT,
             name: str | None = None) -> Service:
        return cls((proto, proto), sport, (lo, lo if hi is None else hi), name)

    @classmethod
    def icmp(cls, proto: int = ICMP, icmp_type: int | None = None, code: int | None = None,
             name: str | None = None) -> Service:
        if icmp_type is None:
            return cls((proto, proto), ANY_PORT, ANY_PORT, name)
        if code is None:
            return cls((proto, proto), ANY_PORT, (icmp_type * 256, icmp_type * 256 + 255), name)
        return cls((proto, proto), ANY_PORT, (icmp_type * 256 + code,) * 2, name)

    @property
    def is_any(self) -> bool:
        return self.proto == ANY_PROTO and self.sport == ANY_PORT and self.dport == ANY_PORT

    def label(self) -> str:
        if self.is_any:
            return "any"
        p = self.proto
        proto = {TCP: "tcp", UDP: "udp", ICMP: "icmp", ICMP6: "icmpv6"}.get(p[0], str(p[0])) if p[0] == p[1] \
            else f"proto {p[0]}-{p[1]}"
        if p[0] in (ICMP, ICMP6) and p[0] == p[1]:
            if self.dport == ANY_PORT:
                return proto
            return f"{proto} type {self.dport[0] // 256}" + (
                f" code {self.dport[0] % 256}" if self.dport[0] == self.dport[1] else "")
        parts = [proto]
        if self.sport != ANY_PORT:
            parts.append("sport " + _ports(self.sport))
        if self.dport != ANY_PORT:
            parts.append(_ports(self.dport))
        return "/".join(parts)

    def to_dict(self) -> ServiceEntry:
        return {"proto": list(self.proto), "sport": list(self.sport), "dport": list(self.dport),
                "name": self.name, "label": self.label()}


def _ports(iv: Interval) -> str:
    return str(iv[0]) if iv[0] == iv[1] else f"{iv[0]}-{iv[1]}"


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a rule came from: the file or command, the 1-based line, and the raw text of that line."""

    source: str
    line: int
    text: str


@dataclass(slots=True)
class Rule:
    """One ordered rule. Empty ``src_zones``/``dst_zones``/``states`` mean "any"."""

    index: int
    name: str
    action: Action
    provenance: Provenance
    src: tuple[Interval, ...] = (ANY_ADDR,)
    dst: tuple[Interval, ...] = (ANY_ADDR,)
    services: tuple[Service, ...] = (Service(),)
    src_zones: tuple[str, ...] = ()
    dst_zones: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    apps: tuple[str, ...] = ()  # application identities (PAN-OS App-ID); empty: any application
    log: bool = False
    enabled: bool = True
    comment: str | None = None
    owner: str | None = None
    schedule: str | None = None
    schedule_end: datetime | None = None
    hits: int | None = None
    status: ParseStatus = ParseStatus.EXACT
    reason: str | None = None
    partial: bool = False  # may match less than its fields say: never hides another rule
    src_names: tuple[str, ...] = ()
    dst_names: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def analysable(self) -> bool:
        """Takes part in the anomaly analysis: parsed, enabled and a terminal decision."""
        return self.status != ParseStatus.UNPARSED and self.enabled and self.action != Action.OTHER

    @property
    def blocker(self) -> bool:
        """May be used to prove that a later rule never fires (it surely matches all it says)."""
        return self.analysable and not self.partial

    def describe(self) -> str:
        src = ",".join(self.src_names) or ",".join(format_interval(i) for i in self.src)
        dst = ",".join(self.dst_names) or ",".join(format_interval(i) for i in self.dst)
        svc = ",".join(s.name or s.label() for s in self.services)
        return f"{self.action} {svc} from {src} to {dst}"

    def to_dict(self, ruleset: str) -> FirewallRule:
        """The ``firewall.rule`` observation (:class:`~netcomply.contracts.firewall.FirewallRule`) of this rule in
        the rule set ``ruleset``: JSON-safe; addresses as readable strings and as encoded ranges."""
        return {
            "ruleset": ruleset, "index": self.index, "name": self.name,
            "action": cast(ActionName, self.action.value),
            "src": [format_interval(i) for i in self.src], "dst": [format_interval(i) for i in self.dst],
            "src_ranges": ranges_to_json(self.src), "dst_ranges": ranges_to_json(self.dst),
            "src_names": list(self.src_names), "dst_names": list(self.dst_names),
            "services": [s.to_dict() for s in self.services],
            "src_zones": list(self.src_zones), "dst_zones": list(self.dst_zones), "states": list(self.states),
            "apps": list(self.apps),
            "log": self.log, "enabled": self.enabled, "comment": self.comment, "owner": self.owner,
            "schedule": self.schedule,
            "schedule_end": self.schedule_end.isoformat() if self.schedule_end else None,
            "hits": self.hits, "status": cast(ParseStatusName, self.status.value), "reason": self.reason,
            "partial": self.partial,
            "source": self.provenance.source, "line": self.provenance.line, "text": self.provenance.text,
            "extra": self.extra,
        }


@dataclass(slots=True)
class RuleSet:
    """An ordered rule list evaluated first-match, with what happens when nothing matches."""

    name: str
    platform: str
    source: str
    rules: list[Rule] = field(default_factory=list)
    default_action: Action = Action.DENY
    default_log: bool = False
    #: Interfaces or zones the rule set is bound to (``access-group OUTSIDE_IN in interface outside``).
    bound_to: tuple[str, ...] = ()
    #: Mgmt-plane rule sets (IOS VTY access-class, nft input chain) protect the device itself.
    management: bool = False
    #: What it is, from what it is bound to (:mod:`collectors.firewall.bindings`): packet_filter, management,
    #: route_filter, nat, classifier, unbound or unknown; empty when no one looked (judged as a packet filter).
    roles: tuple[str, ...] = ()
    #: The bindings behind ``roles``, readable (``"route_filter: route-map as1_to_as2"``).
    uses: tuple[str, ...] = ()
    #: Zone -> address intervals behind it (from the configuration or the agency's zone data).
    zone_networks: dict[str, tuple[Interval, ...]] = field(default_factory=dict)
    #: Management services the device exposes per interface/zone (FortiGate allowaccess...).
    mgmt_access: dict[str, tuple[str, ...]] = field(default_factory=dict)
    counters_since: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def coverage(self) -> float:
        """Share of rules parsed exactly (1.0 for an empty rule set: nothing was left out)."""
        if not self.rules:
            return 1.0
        return sum(r.status == ParseStatus.EXACT for r in self.rules) / len(self.rules)

    def summary(self) -> FirewallRuleset:
        """The ``firewall.ruleset`` observation (:class:`~netcomply.contracts.firewall.FirewallRuleset`)."""
        return {
            "ruleset": self.name, "name": self.name, "platform": self.platform, "source": self.source,
            "rules": len(self.rules),
            "coverage": round(self.coverage, 4), "default_action": cast(ActionName, self.default_action.value),
            "default_log": self.default_log, "bound_to": list(self.bound_to), "management": self.management,
            "roles": [role_of(r) for r in self.roles], "uses": list(self.uses),
            "counters_since": self.counters_since.isoformat() if self.counters_since else None,
            "counters_basis": self.extra.get("counters_basis"),
            "mgmt_access": {k: list(v) for k, v in self.mgmt_access.items()},
            "zone_networks": {k: [format_interval(i) for i in v] for k, v in self.zone_networks.items()},
            "unparsed": sum(r.status == ParseStatus.UNPARSED for r in self.rules),
            "approximate": sum(r.status == ParseStatus.APPROXIMATE for r in self.rules),
        }
