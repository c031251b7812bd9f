"""Palo Alto PAN-OS XML configuration (``show config running``, an exported ``running-config.xml``): the
security rulebase of each vsys with its address, address-group, service and service-group objects (vsys, then
``shared``), plus zones, interfaces and static routes for the irrelevant-rule analysis.

What the XML cannot say exactly, the rule says so:

* ``service application-default`` means "the ports App-ID lists for these applications", which live in the
  content database, not in the configuration. Well-known applications are modelled with their standard
  ports (Applipedia), and the rule is approximate and partial (it never hides another rule); custom
  applications defined in the configuration have their ``default port`` read exactly; any other application is
  read as any port, approximate and partial.
* users, URL categories, HIP profiles, source/destination regions, negation and schedules narrow a rule beyond
  the model: approximate and partial. Dynamic address groups, FQDN objects and undefined names are read as any
  address: approximate and partial too, with the name.
* Logging: ``log-end`` is on unless the rule says ``<log-end>no</log-end>`` (the PAN-OS default).
"""

from __future__ import annotations

from collectors.firewall.model import (
    ANY_ADDR,
    ANY_PORT,
    ICMP,
    ICMP6,
    TCP,
    UDP,
    Action,
    Interval,
    ParseStatus,
    Provenance,
    Rule,
    RuleSet,
    Service,
    address_range,
    network,
)
from collectors.firewall.parsers.ranges import panos_ports
from collectors.firewall.parsers.xmltree import Node, parse_xml
from collectors.firewall.routing import ANYWHERE, RoutingTable

#: Predefined services (PAN-OS default configuration).
PREDEFINED = {"service-http": [Service.port(TCP, 80), Service.port(TCP, 8080)],
              "service-https": [Service.port(TCP, 443)], "any": [Service()]}
#: Standard ports of well-known App-IDs (Applipedia), for ``application-default``.
APP_DEFAULT: dict[str, list[Service]] = {
    "web-browsing": [Service.port(TCP, 80)], "ssl": [Service.port(TCP, 443)], "ssh": [Service.port(TCP, 22)],
    "telnet": [Service.port(TCP, 23)], "ftp": [Service.port(TCP, 21)], "dns": [Service.port(TCP, 53),
                                                                          Service.port(UDP, 53)],
    "ntp": [Service.port(UDP, 123)], "snmp": [Service.port(UDP, 161)], "smtp": [Service.port(TCP, 25)],
    "ms-rdp": [Service.port(TCP, 3389)], "ldap": [Service.port(TCP, 389)], "syslog": [Service.port(UDP, 514)],
    "ping": [Service.icmp(ICMP, 8)], "icmp": [Service.icmp(ICMP)], "ipv6-icmp": [Service.icmp(ICMP6)],
    "mysql": [Service.port(TCP, 3306)], "mssql-db": [Service.port(TCP, 1433)], "vnc": [Service.port(TCP, 5900)],
    "ipsec-esp": [Service((50, 50))], "ipsec-ah": [Service((51, 51))], "ike": [Service.port(UDP, 500),
                                                                               Service.port(UDP, 4500)],
}
DENY = {"deny", "drop", "reset-client", "reset-server", "reset-both"}


class _Unsupported(ValueError):
    pass


class _Objects:
    """Name lookups in the vsys first, then in ``shared`` (PAN-OS's own resolution order).

    Each object list is indexed by name once, on first use: a group of thousands of members looks each one up,
    and scanning the list per member made a 3,000-object policy quadratic (issue 17)."""

    def __init__(self, scopes: list[Node]) -> None:
        self.scopes = scopes
        self._index: dict[str, list[dict[str, Node]]] = {}

    def _by_name(self, kind: str) -> list[dict[str, Node]]:
        """Per scope, name -> the first ``<entry>`` of that name in ``kind`` (the one a scan would find)."""
        found = self._index.get(kind)
        if found is None:
            found = []
            for scope in self.scopes:
                names: dict[str, Node] = {}
                for e in scope.entries(kind):
                    if "name" in e.attrs:
                        names.setdefault(e.attrs["name"], e)
                found.append(names)
            self._index[kind] = found
        return found

    def _entry(self, kind: str, name: str) -> Node | None:
        for names in self._by_name(kind):
            e = names.get(name)
            if e is not None:
                return e
        return None

    def address(self, name: str, depth: int = 0) -> list[Interval]:
        if name == "any":
            return [ANY_ADDR]
        entry = self._entry("address", name)
        if entry is not None:
            if entry.value("ip-netmask"):
                return [network(entry.value("ip-netmask") or "")]
            rng = entry.value("ip-range")
            if rng:
                a, b = rng.split("-", 1)
                return [address_range(a, b)]
            raise _Unsupported(f"address {name!r} is an FQDN or wildcard object, resolved on the firewall")
        group = self._entry("address-group", name)
        if group is not None and depth < 16:
            if group.child("dynamic") is not None:
                raise _Unsupported(f"address group {name!r} is dynamic (tag-based)")
            return [iv for m in group.members("static") for iv in self.address(m, depth + 1)]
        try:  # a literal address, prefix or range in the rule itself
            if "-" in name and "/" not in name:
                a, b = name.split("-", 1)
                return [address_range(a, b)]
            return [network(name)]
        except ValueError:
            raise _Unsupported(f"address {name!r} is not defined in the input (region or unknown object)") from None

    def app_default(self, name: str) -> list[Service] | None:
        """A custom application's default ports (``application NAME default port tcp/22`` or ``default
        ident-by-ip-protocol 47``), the ports ``application-default`` means for it; None when the input does not
        define the application or says its ports in a form not read here."""
        entry = self._entry("application", name)
        if entry is None:
            return None
        proto = entry.value("default", "ident-by-ip-protocol")
        if proto and proto.isdigit():
            return [Service((int(proto), int(proto)))]
        specs = entry.members("default", "port") or [v for v in [entry.value("default", "port")] if v]
        out: list[Service] = []
        for spec in specs:
            word, _, ports = spec.partition("/")
            num = {"tcp": TCP, "udp": UDP}.get(word.lower())
            try:
                ranges = panos_ports(ports)
            except ValueError:
                return None
            if num is None or not ports:
                return None
            out += [Service((num, num), ANY_PORT, d, name=name) for d in ranges]
        return out or None

    def service(self, name: str, depth: int = 0) -> list[Service]:
        entry = self._entry("service", name)
        if entry is not None:
            for proto, num in (("tcp", TCP), ("udp", UDP), ("sctp", 132)):
                node = entry.child("protocol", proto)
                if node is not None:
                    dports = panos_ports(node.value("port") or "any")
                    sports = panos_ports(node.value("source-port") or "any")
                    return [Service((num, num), s, d, name=name) for s in sports for d in dports]
            flat = {"tcp": TCP, "udp": UDP, "sctp": 132}.get(entry.value("protocol") or "")
            if flat is not None:  # "set service S protocol tcp" + "set service S port 80" (one leaf each)
                return [Service((flat, flat), s, d, name=name)
                        for s in panos_ports(entry.value("source-port") or "any")
                        for d in panos_ports(entry.value("port") or "any")]
            raise _Unsupported(f"service {name!r} has no TCP/UDP/SCTP protocol")
        group = self._entry("service-group", name)
        if group is not None and depth < 16:
            return [s for m in group.members("members") for s in self.service(m, depth + 1)]
        if name in PREDEFINED:
            return PREDEFINED[name]
        raise _Unsupported(f"service {name!r} is not defined in the input")


def _routing(device: Node) -> RoutingTable:
    """Layer-3 interface addresses, zones (per vsys, merged by name) and the virtual router's static routes.
    More than one virtual router, or an enabled dynamic protocol, and the table is unknown."""
    table = RoutingTable()
    network_node = device.child("network")
    if network_node is None:
        return table
    for kind in ("ethernet", "aggregate-ethernet", "vlan", "loopback", "tunnel"):
        for e in network_node.entries("interface", kind):
            _iface(table, e)
            for sub in e.entries("layer3", "units"):
                _iface(table, sub)
    routers = network_node.entries("virtual-router")
    if len(routers) > 1:
        table.dynamic = True
    for vr in routers:
        for proto in ("bgp", "ospf", "ospfv3", "rip"):
            if vr.value("protocol", proto, "enable") == "yes":
                table.dynamic = True
        for family in ("ip", "ipv6"):
            for r in vr.entries("routing-table", family, "static-route"):
                dest = r.value("destination")
                if not dest:
                    continue
                nexthop = r.child("nexthop")
                discard = nexthop is not None and nexthop.child("discard") is not None
                iface = r.value("interface")
                hop = (nexthop.value("ip-address") or nexthop.value("ipv6-address")) if nexthop else None
                try:
                    if discard:
                        table.add_route(dest, ANYWHERE)
                    elif iface:
                        table.add_route(dest, iface)
                    else:
                        table.add_route(dest, next_hop=hop)
                except ValueError:
                    table.dynamic = True
    return table


def _iface(table: RoutingTable, e: Node) -> None:
    name = e.attrs.get("name", "")
    layer3 = e.child("layer3") or e
    if layer3.child("dhcp-client") is not None:
        table.dynamic = True
    for ip in layer3.entries("ip"):
        try:
            table.add_connected(name, ip.attrs.get("name", ""))
        except ValueError:
            table.dynamic = True  # an address object name instead of a literal: unknown here
    for ip in layer3.entries("ipv6", "address"):
        if not ip.attrs.get("name", "").lower().startswith("fe80"):
            try:
                table.add_connected(name, ip.attrs.get("name", ""))
            except ValueError:
                table.dynamic = True


def parse(text: str, source: str) -> list[RuleSet]:
    root = parse_xml(text, source, "PAN-OS XML")
    config = root.find("config")
    if config is None:
        return []
    return rule_sets(config, source)


def rule_sets(config: Node, source: str) -> list[RuleSet]:
    """The security rulebase of every vsys under ``<config>`` (from XML or from ``set`` statements)."""
    shared = config.child("shared")
    out: list[RuleSet] = []
    for device in config.entries("devices"):
        table = _routing(device)
        for vsys in device.entries("vsys"):
            if vsys.entries("rulebase", "pbf", "rules"):
                table.dynamic = True  # policy-based forwarding overrides the routing table
            for zone in vsys.entries("zone"):
                members = zone.members("network", "layer3")
                if members:
                    table.zones[zone.attrs.get("name", "")] = members
        nets = table.networks()
        for vsys in device.entries("vsys"):
            objs = _Objects([vsys] + ([shared] if shared is not None else []))
            rules = vsys.entries("rulebase", "security", "rules")
            if not rules:
                continue
            name = vsys.attrs.get("name", "vsys1")
            rs = RuleSet(f"{name} security rulebase", "paloalto_panos", source, zone_networks=nets)
            for e in rules:
                rs.rules.append(_rule(e, objs, len(rs.rules), source))
            out.append(rs)
    return out


def _services(service: list[str], apps: list[str], objs: _Objects, reasons: list[str]) -> tuple[Service, ...]:
    """The rule's services; ``application-default`` stands for the App-IDs' standard ports (said in ``reasons``)."""
    if service != ["application-default"]:
        return tuple(s for v in service for s in objs.service(v))
    if not apps:
        reasons.append("'any' application on its default ports: the ports are App-ID's")
        return (Service(),)
    out: list[Service] = []
    for a in apps:  # custom applications say their ports in the configuration: exact
        custom = objs.app_default(a)
        if custom is not None:
            out += custom
        elif a in APP_DEFAULT:
            out += APP_DEFAULT[a]
            reasons.append(f"application-default of {a}: standard App-ID ports, not read from the firewall")
        else:
            out.append(Service())
            reasons.append(f"application-default ports of {a} are not in the input: read as any port")
    return tuple(dict.fromkeys(out))


def _sides(objs: _Objects, names: list[str], side: str, reasons: list[str], unknown: list[str]) -> tuple[Interval, ...]:
    """A rule's source or destination addresses. An address the configuration cannot resolve (an FQDN object, a
    dynamic group, a region or an undefined name) is read as any address, and said in ``reasons``: the rule is
    then approximate and partial, and ``side`` is noted in ``unknown`` so no check calls it wide for that."""
    out: list[Interval] = []
    for a in names:
        try:
            out += objs.address(a)
        except _Unsupported as exc:
            reasons.append(f"{exc}: read as any address")
            out.append(ANY_ADDR)
            if side not in unknown:
                unknown.append(side)
    return tuple(out)


def _rule(e: Node, objs: _Objects, idx: int, source: str) -> Rule:
    name = e.attrs.get("name", f"rule {idx + 1}")
    f = {k: e.members(k) or ["any"] for k in ("from", "to", "source", "destination", "application", "service",
                                               "source-user", "category", "hip-profiles")}
    action_word = e.value("action") or ""
    action = Action.PERMIT if action_word == "allow" else Action.DENY if action_word in DENY else Action.OTHER
    text = (f"rule {name}: from {','.join(f['from'])} to {','.join(f['to'])} source {','.join(f['source'])} "
            f"destination {','.join(f['destination'])} application {','.join(f['application'])} "
            f"service {','.join(f['service'])} action {action_word}")
    rule = Rule(idx, name, action, Provenance(source, e.line, text),
                src_zones=tuple(z for z in f["from"] if z != "any"), dst_zones=tuple(z for z in f["to"] if z != "any"),
                log=e.value("log-end") != "no" or e.value("log-start") == "yes",
                enabled=e.value("disabled") != "yes", comment=e.value("description") or None,
                owner=",".join(e.members("tag")) or None, schedule=e.value("schedule"),
                src_names=tuple(f["source"]), dst_names=tuple(f["destination"]), extra={"uuid": e.attrs.get("uuid")})
    reasons: list[str] = []
    try:
        unknown: list[str] = []
        rule.src = _sides(objs, f["source"], "src", reasons, unknown)
        rule.dst = _sides(objs, f["destination"], "dst", reasons, unknown)
        apps = [a for a in f["application"] if a != "any"]
        rule.apps = tuple(sorted(set(apps)))
        rule.services = _services(f["service"], apps, objs, reasons)
        if any("read as any port" in r for r in reasons):  # "any" there means "not in the input"
            unknown.append("services")
        if unknown:
            rule.extra["unknown"] = unknown
    except (_Unsupported, ValueError) as exc:
        rule.status, rule.reason = ParseStatus.UNPARSED, str(exc)
        return rule
    reasons += [k for k in ("source-user", "category", "hip-profiles") if f[k] not in (["any"], ["any-user"])]
    reasons += [k for k in ("negate-source", "negate-destination") if e.value(k) == "yes"]
    if rule.schedule:
        reasons.append(f"schedule {rule.schedule}")
    if reasons:
        rule.status, rule.partial = ParseStatus.APPROXIMATE, True
        rule.reason = "not modelled exactly: " + "; ".join(reasons)
    return rule
