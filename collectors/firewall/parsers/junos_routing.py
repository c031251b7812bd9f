"""Junos ``set`` statements -> :class:`~collectors.firewall.routing.RoutingTable`: interface units' addresses,
security zones' interfaces, and ``routing-options`` static routes (inet and ``rib inet6.0``).

Unknown (so no rule is ever called irrelevant): a dynamic protocol under ``protocols``, routing instances
(their tables are separate), DHCP or SLAAC addressing. Discard and reject routes and routes whose next hop is
on no connected network are given to every zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from collectors.firewall.routing import ANYWHERE, RoutingTable

_DYNAMIC = {"ospf", "ospf3", "bgp", "rip", "ripng", "isis"}


@dataclass
class _Seen:
    """What the statements said besides addresses and zones: static routes, disabled interfaces, dynamic VPNs."""

    routes: list[tuple[str, list[str]]] = field(default_factory=list)
    disabled: set[str] = field(default_factory=set)
    auto_routes: bool = False


def _interface(table: RoutingTable, w: list[str], seen: _Seen) -> None:
    """``interfaces IF [unit N] disable`` and ``interfaces IF unit N family inet|inet6 address|dhcp ...``."""
    if len(w) in (3, 5) and w[-1] == "disable":
        seen.disabled.add(w[1] if len(w) == 3 else f"{w[1]}.{w[3]}")
    if len(w) >= 6 and w[2] == "unit" and w[4] == "family":
        iface = f"{w[1]}.{w[3]}"
        if len(w) >= 8 and w[5] in ("inet", "inet6") and w[6] == "address":
            if not w[7].lower().startswith("fe80"):
                table.connect(iface, w[7])
        elif len(w) >= 7 and w[6] in ("dhcp", "dhcp-client", "dhcpv6-client", "autoconfig"):
            table.dynamic = True


def _statement(table: RoutingTable, w: list[str], seen: _Seen) -> None:
    if w[:1] == ["interfaces"]:
        _interface(table, w, seen)
    elif w[:3] == ["security", "zones", "security-zone"] and len(w) >= 6 and w[4] == "interfaces":
        members = table.zones.setdefault(w[3], [])
        if w[5] not in members:
            members.append(w[5])
    elif (w[:1] == ["protocols"] and len(w) >= 2 and w[1] in _DYNAMIC) or w[:1] == ["routing-instances"]:
        table.dynamic = True
    elif (w[:2] == ["security", "ipsec"] and "traffic-selector" in w) or \
            (w[:3] == ["security", "ike", "gateway"] and "dynamic" in w):
        seen.auto_routes = True  # routes into st0 are inserted when tunnels come up
    elif w[:3] == ["routing-options", "static", "route"] and len(w) >= 5:
        seen.routes.append((w[3], w[4:]))
    elif w[:5] == ["routing-options", "rib", "inet6.0", "static", "route"] and len(w) >= 7:
        seen.routes.append((w[5], w[6:]))


def _hops(table: RoutingTable, routes: list[tuple[str, list[str]]]) -> dict[str, list[str | None]]:
    """Each static route's egress interfaces (None: discard, reject, or a next hop on no connected network)."""
    hops: dict[str, list[str | None]] = {}
    for prefix, rest in routes:
        if rest[0] in ("next-hop", "qualified-next-hop") and len(rest) >= 2:
            hop = rest[1]
            egress = hop if "/" not in hop and ("." in hop or ":" in hop) and table.resolve(hop) else None
            if egress is not None:
                hops.setdefault(prefix, []).append(table.resolve(hop))
            elif "-" in hop and "." in hop:  # an interface name (ge-0/0/0.0) as next hop
                hops.setdefault(prefix, []).append(hop)
            else:
                hops.setdefault(prefix, []).append(None)
        elif rest[0] in ("discard", "reject", "next-table", "receive"):
            hops.setdefault(prefix, []).append(None)
    return hops


def routing(statements: Iterable[list[str]]) -> RoutingTable:
    """``statements`` are the words after ``set`` of each active ``set`` line, in order."""
    table = RoutingTable()
    seen = _Seen()
    for w in statements:
        _statement(table, w, seen)
    for iface in list(table.connected):
        if iface in seen.disabled or iface.rsplit(".", 1)[0] in seen.disabled:  # down: routed anywhere
            table.shut(iface)
    if seen.auto_routes:
        table.unknown.update(i for i in table.connected if i.startswith("st0"))
        table.unknown.update(m for members in table.zones.values() for m in members if m.startswith("st0"))
    for prefix, egresses in _hops(table, seen.routes).items():
        try:
            for egress in dict.fromkeys(egresses):
                table.add_route(prefix, egress or ANYWHERE)
        except ValueError:
            table.dynamic = True
    return table
