"""Build the lab's DNS zones (dnspython ``Zone`` objects) from the scenario.

Zones are written as master-file text and parsed by dnspython, so what the lab serves is exactly what a
BIND-style zone file with these lines would serve, and a reader can print a zone to see it.
"""

from __future__ import annotations

import dns.name
import dns.zone

from netcomply.app.lab.services.scenario import Scenario

#: The lab's parent zone is served by the main server, known in the zone as this host (port = dns_port).
PARENT_NS_LABEL = "ns"
SOA_SERIAL = 2026010101


def parent_name_server(scenario: Scenario) -> str:
    return f"{PARENT_NS_LABEL}.{scenario.zone}"


def _hosts_in(scenario: Scenario, zone: str) -> dict[str, bool]:
    """Host name -> publishes AAAA, for every lab host whose most specific zone is ``zone``."""
    hosts: dict[str, bool] = {}
    for name, ns in scenario.name_servers.items():
        hosts[name] = ns.aaaa
    for name, web in scenario.web.items():
        hosts[name] = web.aaaa
    for name, smtp in scenario.smtp.items():
        hosts[name] = smtp.aaaa
    if zone == scenario.zone:
        hosts[parent_name_server(scenario)] = True
    return {h: a for h, a in hosts.items() if scenario.zone_of(h) == zone}


def zone_text(scenario: Scenario, zone: str, host4: str, host6: str) -> str:
    """Master-file text of one zone; the parent zone holds delegations (NS + glue) for the sub-zones."""
    ttl = scenario.ttl
    if zone == scenario.zone:
        name_servers = [parent_name_server(scenario)]
        mx: list[tuple[int, str]] = []
        txt: list[str] = ["netcomply lab parent zone"]
        cnames: dict[str, str] = {}
    else:
        spec = scenario.zones[zone]
        name_servers, mx, txt, cnames = spec.name_servers, [(m.preference, m.host) for m in spec.mx], \
            spec.txt, spec.cname
    lines = [
        f"$ORIGIN {zone}.",
        f"$TTL {ttl}",
        f"@ IN SOA {name_servers[0]}. hostmaster.{zone}. {SOA_SERIAL} 3600 900 604800 {ttl}",
    ]
    lines += [f"@ IN NS {ns}." for ns in name_servers]
    lines += [f"@ IN MX {pref} {host}." for pref, host in mx]
    lines += ['@ IN TXT "{}"'.format(t.replace('"', r"\"")) for t in txt]
    for host, aaaa in sorted(_hosts_in(scenario, zone).items()):
        lines.append(f"{host}. IN A {host4}")
        if aaaa:
            lines.append(f"{host}. IN AAAA {host6}")
    lines += [f"{alias}. IN CNAME {target}." for alias, target in sorted(cnames.items())]
    if zone == scenario.zone:  # delegations, as the parent of a real sub-zone publishes them
        for sub, spec in sorted(scenario.zones.items()):
            lines += [f"{sub}. IN NS {ns}." for ns in spec.name_servers]
    return "\n".join(lines) + "\n"


def build_zones(scenario: Scenario, host4: str, host6: str) -> dict[str, dns.zone.Zone]:
    """Every zone of the scenario, parent first, keyed by zone name (no trailing dot)."""
    names = [scenario.zone, *scenario.zones]
    return {
        z: dns.zone.from_text(zone_text(scenario, z, host4, host6), origin=dns.name.from_text(z),
                              relativize=False, check_origin=True)
        for z in names
    }
