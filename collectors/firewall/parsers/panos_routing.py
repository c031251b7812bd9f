"""PAN-OS ``show interface all`` (logical interfaces: zone and addresses) and ``show routing route`` (the
virtual router's table) -> :class:`~collectors.firewall.routing.RoutingTable`.

The routing table is what the firewall forwards by at collection time. Conservative as everywhere: a route
learnt by a dynamic protocol (flags R, O*, B) or a second virtual router makes the answer unknown; an
interface whose own network has no connected route (it is down) has that network routed anywhere.
"""

from __future__ import annotations

import re

from collectors.firewall.model import format_interval
from collectors.firewall.routing import ANYWHERE, RoutingTable

_LOGICAL = re.compile(r"^(?P<name>\S+)\s+(?P<id>\d+)\s+(?P<vsys>\d+)\s+(?P<zone>\S+)\s+(?P<fwd>\S+)\s+(?P<tag>\d+)\s+"
                      r"(?P<addr>\S+/\d+)\s*$")
_MORE_ADDR = re.compile(r"^\s{20,}(?P<addr>[0-9a-fA-F:.]+/\d+)\s*$")
_ROUTE = re.compile(r"^(?P<dest>[0-9a-fA-F:.]+/\d+)\s+(?P<rest>.*)$")
_DYNAMIC_FLAGS = {"R", "O", "Oi", "Oo", "O1", "O2", "B"}
_IFACE = re.compile(r"^(ethernet|ae|tunnel|loopback|vlan)\S*$")


def _interfaces(table: RoutingTable, lines: list[str]) -> None:
    """``show interface all``: the logical interfaces with their zones and addresses."""
    last: str | None = None
    in_logical = False
    for line in lines:
        if "total configured logical interfaces" in line:
            in_logical = True
            continue
        if not in_logical:
            continue
        m = _LOGICAL.match(line)
        if m:
            last = m["name"]
            if last.startswith("tunnel"):
                table.unknown.add(last)  # VPN tunnels (GlobalProtect, IPsec): routes added at run time
            if m["zone"] not in ("N/A", "-"):
                table.zones.setdefault(m["zone"], []).append(last)
            _connected(table, last, m["addr"])
            continue
        more = _MORE_ADDR.match(line)
        if more and last:
            _connected(table, last, more["addr"])
        elif line.startswith(("flags:", "VIRTUAL ROUTER")):
            in_logical = False


def _routes(table: RoutingTable, lines: list[str]) -> set[tuple[str, str]]:
    """``show routing route``: active routes into ``table``; returns the connected (interface, prefix) pairs."""
    connected_seen: set[tuple[str, str]] = set()
    for line in lines:
        m = _ROUTE.match(line)
        if not m:
            continue
        words = m["rest"].split()
        flags = [w for w in words if w in _DYNAMIC_FLAGS | {"A", "?", "C", "H", "S", "~", "E", "M"}]
        if "A" not in flags or "H" in flags:
            continue  # inactive routes do not forward; host routes are the firewall's own addresses
        if _DYNAMIC_FLAGS & set(flags):
            table.dynamic = True
        iface = next((w for w in words if _IFACE.match(w)), None)
        if "C" in flags and iface:
            connected_seen.add((iface, m["dest"]))
            continue
        table.route(m["dest"], iface or ANYWHERE)
    return connected_seen


def routing(text: str) -> RoutingTable | None:
    """None when the text holds neither table (the rule sets then carry no zone networks)."""
    if "total configured logical interfaces" not in text and "VIRTUAL ROUTER" not in text:
        return None
    table = RoutingTable()
    lines = text.splitlines()
    _interfaces(table, lines)
    routers = [line for line in lines if line.startswith("VIRTUAL ROUTER")]
    if len(routers) > 1:
        table.dynamic = True
    if routers:
        connected_seen = _routes(table, lines)
        for iface, ivs in list(table.connected.items()):  # a network with no connected route: interface down
            live = [iv for iv in ivs if (iface, format_interval(iv)) in connected_seen]
            table.routes.extend((iv, ANYWHERE) for iv in ivs if iv not in live)
            table.connected[iface] = live
    return table


def _connected(table: RoutingTable, iface: str, addr: str) -> None:
    if addr.lower().startswith("fe80") or addr.startswith("N/A"):
        return
    table.connect(iface, addr)
