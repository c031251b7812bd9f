"""A Linux firewall (nftables) read over SSH: the rule set plus ``ip -j address`` / ``ip -j route`` so that
``iifname``/``oifname`` matches can be checked against where addresses really are (irrelevant rules).

Conservative like every platform: routes learnt by DHCP, router advertisements or a routing daemon make the
table unknown; an interface that is down has its networks routed anywhere; addresses no route covers may
arrive anywhere. Loopback sees the host's own addresses as well as its own network.
"""

from __future__ import annotations

import json
from typing import Any

from collectors.firewall.model import RuleSet, merge_intervals, network
from collectors.firewall.parsers import PARSERS
from collectors.firewall.routing import ANYWHERE, RoutingTable

#: Commands the collector sends (all on the read-only allow-list for Linux targets).
NFT = "nft -j list ruleset"
ADDRESSES = "ip -j address show"
ROUTES4 = "ip -j route show"
ROUTES6 = "ip -6 -j route show"
COMMANDS = (NFT, ADDRESSES, ROUTES4, ROUTES6)
_DYNAMIC = {"dhcp", "ra", "bgp", "ospf", "zebra", "bird", "rip", "isis", "babel", "eigrp", "openr", "redirect"}


def json_list(text: str | None) -> list[dict[str, Any]] | None:
    try:
        data = json.loads(text or "")
    except ValueError:
        return None
    return data if isinstance(data, list) else None


def _links(table: RoutingTable, links: list[dict[str, Any]]) -> tuple[list[tuple[int, int]], list[str]]:
    """``ip -j address``: connected networks; returns the host's own addresses and the interfaces that are down."""
    hosts: list[tuple[int, int]] = []
    down: list[str] = []
    for link in links:
        name = str(link.get("ifname", ""))
        if link.get("operstate") == "DOWN" or "UP" not in (link.get("flags") or ["UP"]):
            down.append(name)
        table.connected.setdefault(name, [])
        for a in link.get("addr_info") or []:
            local, plen = a.get("local"), a.get("prefixlen")
            if not local or plen is None or str(local).lower().startswith("fe80"):
                continue
            try:
                table.add_connected(name, f"{local}/{plen}")
                hosts.append(network(str(local)))
            except ValueError:
                table.dynamic = True
            if a.get("dynamic"):
                table.dynamic = True  # an address learnt by DHCP/SLAAC: it (and its routes) may change
    return hosts, down


def _skipped(r: dict[str, Any], dst: str) -> bool:
    """Kernel routes are the connected networks (known from the addresses); link-local and multicast say nothing."""
    return not dst or str(r.get("protocol")) == "kernel" or dst.lower().startswith("fe80") or \
        dst.startswith(("ff", "multicast"))


def _routes(table: RoutingTable, routes: list[dict[str, Any]], default: str) -> None:
    """``ip -j route``: static routes by device or gateway; discard routes to anywhere; dynamic ones: unknown."""
    for r in routes:
        if str(r.get("protocol", "")) in _DYNAMIC:
            table.dynamic = True
        dst = str(r.get("dst", ""))
        dst = default if dst == "default" else dst
        if _skipped(r, dst):
            continue
        if str(r.get("type", "unicast")) in ("blackhole", "unreachable", "prohibit", "throw"):
            table.route(dst, ANYWHERE)
        elif r.get("dev"):
            table.route(dst, str(r["dev"]))
        else:
            table.route(dst, next_hop=str(r.get("gateway", "")) or None)


def routing(addresses: str | None, routes4: str | None, routes6: str | None) -> dict[str, tuple[tuple[int, int], ...]]:
    """Interface -> address intervals that may be behind it; ``{}`` when any output is missing or unreadable."""
    links, r4, r6 = json_list(addresses), json_list(routes4), json_list(routes6)
    if links is None or r4 is None or r6 is None:
        return {}
    table = RoutingTable()
    hosts, down = _links(table, links)
    _routes(table, r4, "0.0.0.0/0")
    _routes(table, r6, "::/0")
    for name in down:
        table.shut(name)
    nets = table.networks()
    if nets and "lo" in nets:  # traffic of the host to itself carries its own addresses and arrives on lo
        nets["lo"] = merge_intervals([*nets["lo"], *hosts])
    return nets


def rulesets(outputs: dict[str, str], source: str) -> list[RuleSet]:
    """The nftables rule sets of the outputs, with the interfaces' networks where the ip outputs allow."""
    sets = PARSERS["nft"](outputs[NFT], source)
    nets = routing(outputs.get(ADDRESSES), outputs.get(ROUTES4), outputs.get(ROUTES6))
    for rs in sets:
        rs.zone_networks = dict(nets)
    return sets
