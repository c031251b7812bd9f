"""Observation contracts of the firewall area: ``firewall.ruleset``, ``firewall.rule`` and ``firewall.anomaly``,
written by ``collectors.firewall.observe`` (the SSH collector and the offline ``netcomply firewall analyze`` use
the same function), read by ``compliance.checks.firewall`` and ``reports.sections.firewall``.

Addresses and ports use the one encoding of :mod:`netcomply.contracts.addresses`. Rule positions (``index``,
an anomaly's ``rule`` and ``related``) are 0-based positions in the rule set's ordered list; ``line`` is the
1-based line of the source text.

The role names (:data:`RoleName`) say what a rule set is, from what it is bound to; they decide which checks judge
it (``compliance.checks.firewall.ROLE_CHECKS``) and how the report names it. Base layer: standard library only.
"""

from __future__ import annotations

from typing import Any, Final, Literal, TypedDict, get_args

#: What a rule set is (``collectors.firewall.bindings``): a packet filter (interface, zone pair, policy, hook),
#: device management (VTY/SNMP/HTTP ACLs, input hooks, FortiOS local-in), a route filter, NAT, a traffic
#: classifier (crypto/class maps, policy routing), bound to nothing in a complete configuration, or unknown (the
#: configuration was not seen: judged as a packet filter).
RoleName = Literal["packet_filter", "management", "route_filter", "nat", "classifier", "unbound", "unknown"]
PACKET_FILTER: Final = "packet_filter"
MANAGEMENT: Final = "management"
ROUTE_FILTER: Final = "route_filter"
NAT: Final = "nat"
CLASSIFIER: Final = "classifier"
UNBOUND: Final = "unbound"
UNKNOWN: Final = "unknown"
#: Every role, in the order a rule set's roles are listed.
ROLES: tuple[RoleName, ...] = get_args(RoleName)

Action = Literal["permit", "deny", "other"]  # other: non-terminal (log-only, jump, nat...): never a decision
ParseStatus = Literal["exact", "approximate", "unparsed"]
AnomalyKind = Literal["shadowed", "redundant", "generalization", "correlation", "irrelevant"]


def role_of(text: str) -> RoleName:
    """A stored role name as a :data:`RoleName`; ValueError for a name this version does not know."""
    for role in ROLES:
        if role == text:
            return role
    raise ValueError(f"unknown firewall role {text!r}: expected one of {', '.join(ROLES)}")


class ServiceEntry(TypedDict):
    """One protocol with its port ranges (inclusive ``[lo, hi]``; ICMP: ``dport`` holds type*256+code)."""

    proto: list[int]  # [lo, hi] IP protocol numbers; [0, 255] is any
    sport: list[int]  # [lo, hi] source ports; [0, 65535] is any
    dport: list[int]  # [lo, hi] destination ports (or ICMP type*256+code)
    name: str | None  # the service object's name on the device, if any
    label: str  # readable form: "tcp/443", "udp/sport 53", "icmp type 8", "any"


class FirewallRuleset(TypedDict):
    """``firewall.ruleset``, version 1: one ordered rule list evaluated first-match."""

    ruleset: str  # the rule set's name: the key that ties its rules and anomalies to it
    name: str  # same as ruleset
    platform: str  # netmiko device type or parser name (cisco_ios, fortinet, nft, iptables...)
    source: str  # file or commands it was read from
    rules: int  # how many rules
    coverage: float  # share of rules parsed exactly, 0..1 (1.0 for an empty set)
    default_action: Action  # what happens when no rule matches
    default_log: bool
    bound_to: list[str]  # interfaces or zones ("outside in")
    management: bool  # protects the device itself
    roles: list[RoleName]  # empty when no one looked: judged as unknown (a packet filter)
    uses: list[str]  # readable bindings behind the roles ("route_filter: route-map as1_to_as2")
    counters_since: str | None  # ISO 8601 UTC: since when the hit counters count; None: unknown
    counters_basis: str | None  # "uptime" when counters_since came from the device's uptime
    mgmt_access: dict[str, list[str]]  # interface/zone -> management services it exposes (ssh, https...)
    zone_networks: dict[str, list[str]]  # zone -> readable address sets behind it
    unparsed: int  # rules kept as text only
    approximate: int  # rules parsed approximately


class FirewallRule(TypedDict):
    """``firewall.rule``, version 1: one ordered rule (objects and groups already expanded)."""

    ruleset: str
    index: int  # 0-based position in the rule set
    name: str
    action: Action
    src: list[str]  # readable address sets (format_interval)
    dst: list[str]
    src_ranges: list[list[str]]  # encoded intervals [["lo", "hi"], ...] as decimal strings (addresses module)
    dst_ranges: list[list[str]]
    src_names: list[str]  # object names as written on the device
    dst_names: list[str]
    services: list[ServiceEntry]
    src_zones: list[str]  # empty: any
    dst_zones: list[str]
    states: list[str]  # connection-tracking states; empty: all
    apps: list[str]  # application identities (PAN-OS App-ID); empty: any
    log: bool
    enabled: bool
    comment: str | None
    owner: str | None
    schedule: str | None
    schedule_end: str | None  # ISO 8601
    hits: int | None  # hit counter; None: the device did not say
    status: ParseStatus
    reason: str | None  # why approximate or unparsed
    partial: bool  # may match less than its fields say: never used to hide another rule
    source: str
    line: int  # 1-based line in source
    text: str  # the raw text of that line (secrets redacted)
    extra: dict[str, Any]  # parser-specific facts (table, chain, role of the table, nonterminal...)


class FirewallAnomaly(TypedDict):
    """``firewall.anomaly``, version 1: a fact the first-match analysis derived (not yet a finding)."""

    ruleset: str
    kind: AnomalyKind
    rule: int  # 0-based position of the rule it is about
    related: list[int]  # 0-based positions of the rules that cause it
    message: str
    minimum: bool  # related is a smallest set of rules that together cause it
    approximate: bool  # an approximate rule took part: reviewed by hand
    details: dict[str, Any]  # combined, deciding, in_removable_set, removable_set_size, by_later...


CONTRACTS: dict[str, tuple[type, int]] = {
    "firewall.ruleset": (FirewallRuleset, 1),
    "firewall.rule": (FirewallRule, 1),
    "firewall.anomaly": (FirewallAnomaly, 1),
}
