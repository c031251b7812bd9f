"""Which addresses can be behind each interface or zone: connected networks plus static routes, longest match.

Why: a rule bound to interface ``inside`` (or a policy whose source zone is ``trust``) can only ever see packets
whose source addresses arrive on that interface, and a firewall forwards a packet out of the interface its
routing table picks for the destination. A rule whose addresses are all routed elsewhere never matches: the
*irrelevant* anomaly.

Conservative by construction, because a wrong "irrelevant" tells an auditor to delete a working rule:

* a dynamic routing protocol (OSPF, BGP, ...) makes the table unknown: :func:`routed_networks` returns ``{}``;
* an address no route covers may arrive on any interface (no uRPF assumed): it is behind *every* interface;
* a route whose egress cannot be resolved (next hop on no connected network) is behind every interface;
* equal prefixes through several interfaces (ECMP) are behind each of them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field

from collectors.firewall.model import ANY4, ANY6, Interval, merge_intervals, network

#: Placeholder egress meaning "could be any interface".
ANYWHERE = "*"


@dataclass
class RoutingTable:
    """What a parser learnt from a configuration: interfaces' own networks, static routes, and whether a
    dynamic routing protocol (which makes the table unknowable offline) is configured."""

    connected: dict[str, list[Interval]] = field(default_factory=dict)
    routes: list[tuple[Interval, str]] = field(default_factory=list)  # (prefix, interface or ANYWHERE)
    dynamic: bool = False
    #: Zone (or interface group) -> member interfaces.
    zones: dict[str, list[str]] = field(default_factory=dict)
    #: Interfaces whose reachable networks the configuration cannot tell (VPN tunnels whose client routes are
    #: added at run time): left out of the answer, so no rule on them, or on a zone holding them, is judged.
    unknown: set[str] = field(default_factory=set)

    def add_connected(self, iface: str, cidr: str) -> None:
        self.connected.setdefault(iface, []).append(network(cidr))

    def add_route(self, prefix: str, iface: str | None = None, next_hop: str | None = None) -> None:
        """A static route out of ``iface``, or via ``next_hop`` (resolved against the connected networks)."""
        iv = network(prefix)
        if iface is None and next_hop:
            iface = self.resolve(next_hop)
        self.routes.append((iv, iface or ANYWHERE))

    def connect(self, iface: str, cidr: str) -> None:
        """:meth:`add_connected`, and an address the parser cannot read makes the table unknown (never a guess).
        One shape for every routing parser (Cisco, Junos, PAN-OS, Linux), so each only finds its words."""
        try:
            self.add_connected(iface, cidr)
        except ValueError:
            self.dynamic = True

    def route(self, prefix: str, iface: str | None = None, next_hop: str | None = None) -> None:
        """:meth:`add_route`; an unreadable prefix or next hop makes the table unknown."""
        try:
            self.add_route(prefix, iface, next_hop)
        except ValueError:
            self.dynamic = True

    def shut(self, iface: str) -> None:
        """The interface is down or disabled: its own networks may be routed anywhere, none is connected."""
        self.routes.extend((iv, ANYWHERE) for iv in self.connected.get(iface, []))
        self.connected[iface] = []

    def resolve(self, next_hop: str) -> str | None:
        try:
            hop = network(next_hop)
        except ValueError:
            return None
        owners = [i for i, ivs in self.connected.items() if any(a <= hop[0] and hop[1] <= b for a, b in ivs)]
        return owners[0] if len(owners) == 1 else None

    def networks(self) -> dict[str, tuple[Interval, ...]]:
        """Interface and zone -> the address intervals that may be behind it (``{}`` when unknown)."""
        if self.dynamic or not self.connected:
            return {}
        nets = routed_networks(self.connected, self.routes)
        for name in self.unknown:
            nets.pop(name, None)
        for zone, members in self.zones.items():
            if members and all(m in nets for m in members):
                nets[zone] = merge_intervals([iv for m in members for iv in nets[m]])
        return nets


def _subtract(iv: Interval, taken: list[Interval]) -> list[Interval]:
    """``iv`` minus the (sorted, merged) ``taken`` intervals."""
    out: list[Interval] = []
    lo, hi = iv
    for a, b in taken:
        if b < lo or a > hi:
            continue
        if a > lo:
            out.append((lo, a - 1))
        lo = max(lo, b + 1)
        if lo > hi:
            break
    if lo <= hi:
        out.append((lo, hi))
    return out


def routed_networks(connected: dict[str, list[Interval]],
                    routes: Iterable[tuple[Interval, str]]) -> dict[str, tuple[Interval, ...]]:
    """Longest-prefix match over connected networks and routes, as interface -> intervals.

    Addresses no prefix covers, and prefixes routed to :data:`ANYWHERE`, are given to every interface.
    """
    by_prefix: dict[Interval, set[str]] = {}
    for iface, ivs in connected.items():
        for iv in ivs:
            by_prefix.setdefault(iv, set()).add(iface)
    for iv, iface in routes:
        by_prefix.setdefault(iv, set()).add(iface)
    ifaces = sorted({i for s in by_prefix.values() for i in s if i != ANYWHERE} | set(connected))
    out: dict[str, list[Interval]] = {i: [] for i in ifaces}
    taken: list[Interval] = []
    # Most specific first: a prefix keeps only what no longer prefix has claimed.
    for iv in sorted(by_prefix, key=lambda x: x[1] - x[0]):
        owners = by_prefix[iv]
        targets = ifaces if ANYWHERE in owners else sorted(owners)
        for part in _subtract(iv, taken):
            for i in targets:
                out[i].append(part)
        taken = list(merge_intervals([*taken, iv]))
    for family in (ANY4, ANY6):
        for part in _subtract(family, taken):
            for i in ifaces:
                out[i].append(part)
    return {i: merge_intervals(v) for i, v in out.items()}


def cidr(addr: str, mask: str) -> str:
    """``"192.0.2.1", "255.255.255.0"`` -> ``"192.0.2.0/24"`` (non-contiguous masks raise ValueError)."""
    return str(ipaddress.ip_network(f"{addr}/{mask}", strict=False))
