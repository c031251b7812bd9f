"""Cisco IOS and ASA configurations -> :class:`~collectors.firewall.routing.RoutingTable`.

ASA interfaces are known to ACL bindings by ``nameif``; IOS ones by their full name. What makes the table
unknowable (and so no rule is ever called irrelevant): a dynamic routing protocol, an address learnt by DHCP or
SLAAC. A VRF interface is left out (its routes are not in the global table). A shut-down interface's networks
may be routed anywhere meanwhile, so they are given to every interface.
"""

from __future__ import annotations

import re

from collectors.firewall.model import address_range
from collectors.firewall.routing import ANYWHERE, RoutingTable, cidr

_DYNAMIC = re.compile(r"^(?:ipv6 )?router (?:ospf|ospfv3|bgp|eigrp|rip|isis|odr)\b")
_ASA_ROUTE = re.compile(r"^(ipv6 )?route (\S+) (\S+)(?: (\S+))?(?: (\S+))?")
_IOS_ROUTE = re.compile(r"^ip route (\d+\.\d+\.\d+\.\d+) (\d+\.\d+\.\d+\.\d+) (.+)$")
_IOS6_ROUTE = re.compile(r"^ipv6 route ([0-9a-fA-F:]+/\d+) (.+)$")
_IPV4 = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
#: Policy-based routing and transparent (bridging) mode: the routing table does not say where packets go.
_UNKNOWABLE = re.compile(
    r"^\s*(?:ip policy route-map|ipv6 policy route-map|policy-route route-map|firewall transparent)\b")
_POOL = re.compile(r"^ip local pool \S+ (\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)")


def _blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("interface "):
            out.append((line.split(None, 1)[1].strip(), []))
        elif line.startswith(" ") and out and line.strip():
            out[-1][1].append(line.strip())
        elif line.strip() and not line.startswith(" "):
            out.append(("", []))  # a new top-level command ends the interface block
    return [(n, body) for n, body in out if n]


def _interface_addresses(table: RoutingTable, iface: str, body: list[str]) -> None:
    """``ip address``/``ipv6 address`` lines of one interface block into ``table``."""
    for b in body:
        w = b.split()
        if w[:2] == ["ip", "address"] and len(w) >= 4 and _IPV4.match(w[2]) and _IPV4.match(w[3]):
            table.add_connected(iface, cidr(w[2], w[3]))
        elif w[:2] == ["ip", "address"] and len(w) >= 3 and w[2] in ("dhcp", "pppoe", "negotiated"):
            table.dynamic = True
        elif w[:2] == ["ipv6", "address"] and len(w) >= 3:
            if "/" in w[2] and not w[2].lower().startswith("fe80"):
                table.add_connected(iface, w[2])
            elif w[2] in ("autoconfig", "dhcp"):
                table.dynamic = True


def _global_line(table: RoutingTable, line: str, asa: bool) -> None:
    """VPN pools, dynamic-routing markers and static routes outside interface blocks."""
    pool = _POOL.match(line)
    if pool:  # VPN client pools: their routes appear when clients connect, through the VPN's interface
        try:
            table.routes.append((address_range(pool[1], pool[2]), ANYWHERE))
        except ValueError:
            table.dynamic = True
    if _DYNAMIC.match(line) or _UNKNOWABLE.match(line):
        table.dynamic = True
    elif asa:
        m = _ASA_ROUTE.match(line)
        if m:
            _asa_route(table, m)
    else:
        _ios_route(table, line)


def routing(text: str, *, asa: bool) -> RoutingTable:
    """Interfaces (with their addresses), static routes and dynamic-routing markers of a configuration."""
    table = RoutingTable()
    lines = text.splitlines()
    shut: list[str] = []
    for name, body in _blocks(lines):
        iface = name
        if asa:
            nameifs = [b.split()[1] for b in body if b.startswith("nameif ") and len(b.split()) > 1]
            if not nameifs:
                continue
            iface = nameifs[0]
        if any(b.startswith(("vrf forwarding", "ip vrf forwarding")) for b in body):
            continue
        _interface_addresses(table, iface, body)
        if "shutdown" in body:
            shut.append(iface)
    for iface in shut:
        table.shut(iface)
    for line in lines:
        _global_line(table, line, asa)
    return table


def _asa_route(table: RoutingTable, m: re.Match[str]) -> None:
    v6, iface, a, b, _gw = m.groups()
    if v6:
        table.route(a, iface)
    elif b and _IPV4.match(a) and _IPV4.match(b):
        try:
            prefix = cidr(a, b)
        except ValueError:  # a mask that is no prefix: the table cannot say where that route goes
            table.dynamic = True
            return
        table.route(prefix, iface)


def _ios_route(table: RoutingTable, line: str) -> None:
    m4 = _IOS_ROUTE.match(line)
    m6 = _IOS6_ROUTE.match(line)
    if not (m4 or m6):
        return
    try:
        prefix = cidr(m4[1], m4[2]) if m4 else m6[1] if m6 else ""
    except ValueError:
        return
    rest = (m4[3] if m4 else m6[2] if m6 else "").split()
    if not rest:
        return
    first = rest[0]
    if first.lower().startswith("null"):
        table.add_route(prefix, ANYWHERE)  # a discard route says nothing about where its sources come from
    elif _IPV4.match(first) or ":" in first:
        table.add_route(prefix, next_hop=first)
    else:
        table.add_route(prefix, first)
