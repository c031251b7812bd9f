"""FortiGate (FortiOS ``show`` / ``show full-configuration``): ``config firewall policy`` with addresses,
address groups, custom services and service groups, schedules, and the interfaces' ``allowaccess``.

FortiOS's predefined services are used when the configuration does not define them (their definitions are in
FortiOS's default configuration). ``logtraffic`` defaults to ``utm`` (security events only): that is not
traffic logging. Negated addresses, FQDN/geography/dynamic objects and recurring schedules are not
modelled exactly and say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from collectors.firewall.model import (
    ANY4,
    ANY6,
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
    netmask_network,
    network,
)
from collectors.firewall.parsers.ranges import minus
from collectors.firewall.parsers.words import split_words
from collectors.firewall.routing import ANYWHERE, RoutingTable, cidr

#: FortiOS default custom services (``config firewall service custom`` of a factory configuration).
PREDEFINED: dict[str, list[Service]] = {
    "ALL": [Service()], "ALL_TCP": [Service.port(TCP, 1, 65535)], "ALL_UDP": [Service.port(UDP, 1, 65535)],
    "ALL_ICMP": [Service.icmp(ICMP)], "ALL_ICMP6": [Service.icmp(ICMP6)], "PING": [Service.icmp(ICMP, 8)],
    "HTTP": [Service.port(TCP, 80)], "HTTPS": [Service.port(TCP, 443)], "SSH": [Service.port(TCP, 22)],
    "TELNET": [Service.port(TCP, 23)], "FTP": [Service.port(TCP, 21)], "SMTP": [Service.port(TCP, 25)],
    "DNS": [Service.port(TCP, 53), Service.port(UDP, 53)], "NTP": [Service.port(TCP, 123), Service.port(UDP, 123)],
    "SNMP": [Service.port(TCP, 161, 162), Service.port(UDP, 161, 162)], "RDP": [Service.port(TCP, 3389)],
    "SAMBA": [Service.port(TCP, 139)], "SMB": [Service.port(TCP, 445)], "TFTP": [Service.port(UDP, 69)],
    "IMAP": [Service.port(TCP, 143)], "POP3": [Service.port(TCP, 110)], "LDAP": [Service.port(TCP, 389)],
    "MYSQL": [Service.port(TCP, 3306)], "MS-SQL": [Service.port(TCP, 1433, 1434)],
    "SYSLOG": [Service.port(UDP, 514)], "VNC": [Service.port(TCP, 5900)], "IMAPS": [Service.port(TCP, 993)],
    "SMTPS": [Service.port(TCP, 465)], "POP3S": [Service.port(TCP, 995)], "KERBEROS": [Service.port(TCP, 88),
                                                                                       Service.port(UDP, 88)],
}


class _Unsupported(ValueError):
    pass


@dataclass
class Node:
    line: int
    text: str
    sets: dict[str, list[str]] = field(default_factory=dict)
    children: dict[str, Node] = field(default_factory=dict)  # "config x" blocks and "edit" entries


def tree(text: str, lines: list[str] | None = None) -> Node:
    """The nested config/edit/set/next/end structure, each entry with its line number and text.

    Table edits are applied as FortiOS applies them, in order: ``delete N`` removes an entry (a later
    ``edit N`` creates it anew, at the end), ``edit`` of an existing entry changes it in place, ``move A
    before|after B`` reorders, ``rename A to B`` and ``clone A to B`` keep or copy, ``unset``/``append``/
    ``purge`` change fields. Time is linear in the size of the text (no quadratic tokenizer); ``set`` lines,
    nine in ten lines of a real configuration, take the shortest path (``lines``: the text already split)."""
    root = Node(0, "")
    stack = [root]
    fields = root.sets  # the sets of the innermost block: kept in step with the stack
    renames: list[tuple[int, str, str, str]] = []
    for k, raw in enumerate(text.splitlines() if lines is None else lines, 1):
        line = raw.strip()
        if line[:4] == "set ":  # one key, its values
            key, _, rest = line[4:].lstrip().partition(" ")
            if '"' not in rest:
                fields[key] = rest.split() if "'" not in rest and "\\" not in rest else split_words(rest)
            elif rest[0] == '"' and rest[-1] == '"' and rest.count('"') == 2 and "\\" not in rest:
                fields[key] = [rest[1:-1]]  # one quoted value, the most common shape
            else:
                fields[key] = split_words(rest)
            continue
        if not line or line[0] == "#":
            continue
        words = split_words(line)
        if not words:
            continue
        if _block_line(stack, words, k, line, renames):
            fields = stack[-1].sets
    _apply_renames(root, renames)
    return root


def _block_line(stack: list[Node], words: list[str], k: int, line: str,
                renames: list[tuple[int, str, str, str]]) -> bool:
    """A line other than ``set KEY ...``: opens or closes a block, or edits the current one. True when the
    innermost block changed."""
    verb = words[0]
    if verb == "set" and len(words) > 1:
        stack[-1].sets[words[1]] = words[2:]
        return False
    if verb == "config":
        stack.append(stack[-1].children.setdefault("config " + " ".join(words[1:]), Node(k, line)))
        return True
    if verb == "edit" and len(words) > 1:
        node = stack[-1].children.get(words[1]) or Node(k, line)
        stack[-1].children[words[1]] = node
        stack.append(node)
        return True
    if verb in ("next", "end"):
        if len(stack) > 1:
            stack.pop()
        return True
    if verb == "rename" and _renamed(stack[-1], words):
        renames.append((k, _KIND.get(stack[-1].text, ""), words[1], words[3]))
    _table_edit(stack[-1], words, k, line)
    return False


#: What a rename in each table renames: references of that kind follow it (FortiOS updates them).
_KIND = {"config firewall address": "address", "config firewall addrgrp": "address",
         "config firewall address6": "address", "config firewall addrgrp6": "address",
         "config firewall service custom": "service", "config firewall service group": "service",
         "config system zone": "zone", "config system interface": "zone"}
_REFS = {"address": ("srcaddr", "dstaddr", "srcaddr6", "dstaddr6", "member", "exclude-member"),
         "service": ("service", "member"), "zone": ("srcintf", "dstintf", "intf", "interface")}


def _renamed(node: Node, words: list[str]) -> bool:
    """``rename A to B`` that FortiOS accepts: A exists, B does not."""
    return len(words) == 4 and words[2] == "to" and words[1] in node.children and words[3] not in node.children


def _apply_renames(root: Node, renames: list[tuple[int, str, str, str]]) -> None:
    """Entries written before a rename refer to the object by its new name; entries written after it with the
    old name refer to nothing (as on the device)."""
    if not renames:
        return
    todo = [root]
    while todo:
        node = todo.pop()
        todo.extend(node.children.values())
        for line, kind, old, new in renames:
            if node.line >= line:
                continue
            for key in _REFS.get(kind, ()):
                values = node.sets.get(key)
                if values and old in values:
                    node.sets[key] = [new if v == old else v for v in values]


def _table_edit(node: Node, words: list[str], k: int, line: str) -> None:
    """``delete``, ``move``, ``rename``, ``clone``, ``purge``, ``unset`` and ``append`` inside a block."""
    verb, args = words[0], words[1:]
    kids = node.children
    if verb == "delete" and args:
        kids.pop(args[0], None)
    elif verb == "purge":
        kids.clear()
    elif verb == "unset" and args:
        node.sets.pop(args[0], None)
    elif verb == "append" and len(args) > 1:
        node.sets.setdefault(args[0], []).extend(args[1:])
    elif verb == "move" and len(args) == 3 and args[1] in ("before", "after") and args[0] in kids \
            and args[2] in kids and args[0] != args[2]:
        moved = kids.pop(args[0])
        order = list(kids.items())
        at = next(i for i, (key, _) in enumerate(order) if key == args[2]) + (args[1] == "after")
        order.insert(at, (args[0], moved))
        node.children = dict(order)
    elif verb in ("rename", "clone") and len(args) == 3 and args[1] == "to" and args[0] in kids \
            and args[2] not in kids:
        if verb == "rename":
            node.children = {(args[2] if key == args[0] else key): v for key, v in kids.items()}
        else:
            src = kids[args[0]]
            kids[args[2]] = Node(k, line, {key: list(v) for key, v in src.sets.items()}, dict(src.children))


def _find(root: Node, path: str) -> dict[str, Node]:
    node = root.children.get(f"config {path}")
    return node.children if node else {}


class _Objects:
    """Address objects per family: IPv4 names live in ``address``/``addrgrp``, IPv6 ones in ``address6``/
    ``addrgrp6`` (the same name may exist in both; ``all`` is any IPv4 address in the one and any IPv6 in the
    other)."""

    def __init__(self, root: Node) -> None:
        self.addr = {4: _find(root, "firewall address"), 6: _find(root, "firewall address6")}
        self.groups = {4: _find(root, "firewall addrgrp"), 6: _find(root, "firewall addrgrp6")}
        self.svc = _find(root, "firewall service custom")
        self.svc_groups = _find(root, "firewall service group")
        self._addr_memo: dict[tuple[str, int], list[Interval] | Exception] = {}
        self._svc_memo: dict[str, list[Service] | Exception] = {}

    def address(self, name: str, family: int = 4, depth: int = 0) -> list[Interval]:
        """An object's intervals, resolved once: a large table names the same objects over and over."""
        if depth:
            return self._address(name, family, depth)
        got = self._addr_memo.get((name, family))
        if got is None:
            try:
                got = self._address(name, family, 0)
            except (_Unsupported, ValueError, KeyError, IndexError) as exc:
                got = exc
            self._addr_memo[(name, family)] = got
        if isinstance(got, Exception):
            raise got
        return got

    def service(self, name: str, depth: int = 0) -> list[Service]:
        if depth:
            return self._service(name, depth)
        got = self._svc_memo.get(name)
        if got is None:
            try:
                got = self._service(name, 0)
            except (_Unsupported, ValueError, KeyError, IndexError) as exc:
                got = exc
            self._svc_memo[name] = got
        if isinstance(got, Exception):
            raise got
        return got

    def _address(self, name: str, family: int = 4, depth: int = 0) -> list[Interval]:
        if name == "all":
            return [ANY4 if family == 4 else ANY6]
        if name == "none":
            return []
        groups, addrs = self.groups[family], self.addr[family]
        if name in groups and depth < 16:
            g = groups[name].sets
            members = [iv for m in g.get("member", []) for iv in self._address(m, family, depth + 1)]
            if (g.get("exclude") or ["disable"])[0] == "enable":  # members less the excluded ones
                for m in g.get("exclude-member", []):
                    for cut in self._address(m, family, depth + 1):
                        members = minus(members, cut)
            return members
        if name not in addrs:
            raise _Unsupported(f"IPv{family} address {name!r} is not defined in the input")
        s = addrs[name].sets
        kind = (s.get("type") or ["ipprefix" if family == 6 else "ipmask"])[0]
        if kind == "iprange":
            return [address_range(s["start-ip"][0], s["end-ip"][0])]
        if family == 6 and kind == "ipprefix":
            return [network((s.get("ip6") or ["::/0"])[0])]
        if family == 4 and kind == "ipmask":
            sub = s.get("subnet", ["0.0.0.0", "0.0.0.0"])
            if "/" in sub[0]:
                return [network(sub[0])]
            return [netmask_network(sub[0], sub[1])]
        raise _Unsupported(f"address {name!r} of type {kind} is resolved on the device")

    def _service(self, name: str, depth: int = 0) -> list[Service]:
        if name in self.svc_groups and depth < 16:
            return [x for m in self.svc_groups[name].sets.get("member", []) for x in self._service(m, depth + 1)]
        if name not in self.svc:
            if name in PREDEFINED:
                return PREDEFINED[name]
            raise _Unsupported(f"service {name!r} is not defined in the input")
        s = self.svc[name].sets
        proto = (s.get("protocol") or ["TCP/UDP/SCTP"])[0].upper()
        out: list[Service] = []
        if proto in ("ICMP", "ICMP6"):
            num = ICMP if proto == "ICMP" else ICMP6
            t = s.get("icmptype")
            c = s.get("icmpcode")
            return [Service.icmp(num, int(t[0]) if t else None, int(c[0]) if c else None, name=name)]
        if proto == "IP":
            n = int((s.get("protocol-number") or ["0"])[0])
            return [Service() if n == 0 else Service((n, n), name=name)]
        for key, num in (("tcp-portrange", TCP), ("udp-portrange", UDP), ("sctp-portrange", 132)):
            for item in s.get(key, []):
                dst, _, src = item.partition(":")
                out.append(Service((num, num), _range(src) if src else ANY_PORT, _range(dst), name=name))
        if not out:
            raise _Unsupported(f"service {name!r} has no port range")
        return out




def _range(text: str) -> Interval:
    a, _, b = text.partition("-")
    return (int(a), int(b or a))


def _schedule_end(root: Node, name: str) -> tuple[datetime | None, bool]:
    """(end, exact): one-time schedules end; recurring ones restrict matching to some hours."""
    if name == "always":
        return None, True
    onetime = _find(root, "firewall schedule onetime")
    if name in onetime:
        end = " ".join(onetime[name].sets.get("end", []))
        m = re.match(r"(\d{1,2}:\d{2}) (\d{4}/\d{1,2}/\d{1,2})", end)
        if m:
            return datetime.strptime(f"{m[2]} {m[1]}", "%Y/%m/%d %H:%M").replace(tzinfo=UTC), False
    return None, False


def _has_content(node: Node | None) -> bool:
    """A routing protocol block that configures something (``show full-configuration`` lists empty defaults)."""
    if node is None:
        return False
    if (node.sets.get("as") or ["0"])[0] not in ("0", '""'):
        return True
    return any(child.children for child in node.children.values())


def _interface(table: RoutingTable, name: str, node: Node) -> bool:
    """One interface's addresses into ``table``; True when the interface is down."""
    if (node.sets.get("mode") or ["static"])[0] in ("dhcp", "pppoe"):
        table.dynamic = True
    if (node.sets.get("type") or [""])[0] == "tunnel" or name.startswith("ssl."):
        table.unknown.add(name)  # VPN tunnels: client and dial-up routes are added at run time
    ip = node.sets.get("ip")
    try:
        if ip and len(ip) >= 2 and ip[0] != "0.0.0.0":
            table.add_connected(name, cidr(ip[0], ip[1]))
        elif ip and "/" in ip[0] and not ip[0].startswith("0.0.0.0"):
            table.add_connected(name, ip[0])
        cfg6 = node.children.get("config ipv6")
        if cfg6 is not None:
            if (cfg6.sets.get("ip6-mode") or ["static"])[0] in ("dhcp", "pppoe", "delegated"):
                table.dynamic = True
            addr6 = (cfg6.sets.get("ip6-address") or ["::/0"])[0]
            if addr6 not in ("::/0",):
                table.add_connected(name, addr6)
    except ValueError:
        table.dynamic = True  # an address we cannot read: claim nothing
    return (node.sets.get("status") or ["up"])[0] == "down"


def _static_route(table: RoutingTable, st: dict[str, list[str]], v6: bool) -> None:
    """One ``config router static``/``static6`` entry into ``table``."""
    if (st.get("status") or ["enable"])[0] == "disable":
        return
    dst = st.get("dst") or (["::/0"] if v6 else ["0.0.0.0", "0.0.0.0"])
    try:
        prefix = dst[0] if v6 or "/" in dst[0] else cidr(dst[0], dst[1])
    except (ValueError, IndexError):
        table.dynamic = True
        return
    device = st["device"][0] if st.get("device") else None
    special = any((st.get(k) or ["disable"])[0] == "enable" for k in ("blackhole", "sdwan", "dynamic-gateway"))
    if special or st.get("sdwan-zone") or device is None:
        table.add_route(prefix, ANYWHERE)
    else:
        table.add_route(prefix, device)


def routing(root: Node, interfaces: dict[str, Node] | None = None) -> RoutingTable:
    """Interfaces (``set ip``, ``config ipv6``/``set ip6-address``), zones, and ``config router static``/``static6``.

    DHCP/PPPoE addressing, SD-WAN or blackhole routes, and configured OSPF/BGP/RIP/IS-IS make the answer unknown
    (or, for one route, "anywhere")."""
    table = RoutingTable()
    ifaces = interfaces if interfaces is not None else _find(root, "system interface")
    down = [name for name, node in ifaces.items() if _interface(table, name, node)]
    for name in down:  # while it is down, its networks may be routed anywhere
        table.routes.extend((iv, ANYWHERE) for iv in table.connected.pop(name, []))
        table.connected.setdefault(name, [])
    table.unknown.update(_find(root, "vpn ipsec phase1-interface"))  # each phase1 is a tunnel interface
    for name, node in _find(root, "system zone").items():
        table.zones[name] = list(node.sets.get("interface", []))
    for key, v6 in (("router static", False), ("router static6", True)):
        for node in _find(root, key).values():
            _static_route(table, node.sets, v6)
    if _find(root, "router policy") or _find(root, "router policy6"):
        table.dynamic = True  # policy routes override the routing table: where a packet goes is not knowable here
    for proto in ("ospf", "ospf6", "bgp", "rip", "ripng", "isis"):
        if _has_content(root.children.get(f"config router {proto}")):
            table.dynamic = True
    return table


def parse(text: str, source: str) -> list[RuleSet]:
    lines = text.splitlines()
    root = tree(text, lines)
    vdoms = root.children.get("config vdom")
    scopes = [(n, v) for n, v in vdoms.children.items() if v.children] if vdoms else []
    if scopes:
        # Multi-VDOM: interfaces live under "config global" (each with "set vdom"), everything else per VDOM.
        glob = root.children.get("config global") or Node(0, "")
        return [rs for name, vdom in scopes for rs in _scope(vdom, glob, name, source, lines)]
    if not _find(root, "firewall policy") and not _find(root, "firewall policy6") and \
            "config firewall policy" not in text and "config firewall local-in-policy" not in text:
        return []
    return _scope(root, root, None, source, lines)


def _scope(root: Node, interfaces_root: Node, vdom: str | None, source: str, lines: list[str]) -> list[RuleSet]:
    """The policy tables of one VDOM (or of a device without VDOMs)."""
    objs = _Objects(root)
    policies = _find(root, "firewall policy")
    policies6 = _find(root, "firewall policy6")
    local_in = [(key, _find(root, f"firewall {key}")) for key in ("local-in-policy", "local-in-policy6")]
    local_in = [(key, table) for key, table in local_in if table]
    if not policies and not policies6 and "config firewall policy" not in root.children and not local_in:
        return []  # a VDOM without a policy table (an empty table is still a table: it denies everything)
    interfaces = {n: node for n, node in _find(interfaces_root, "system interface").items()
                  if vdom is None or (node.sets.get("vdom") or [vdom])[0] == vdom}
    prefix = f"{vdom}: " if vdom else ""
    rs = RuleSet(f"{prefix}firewall policy", "fortinet", source,
                 zone_networks=routing(root, interfaces).networks())
    for iface, node in interfaces.items():
        if node.sets.get("allowaccess"):
            rs.mgmt_access[iface] = tuple(node.sets["allowaccess"])
    for pid, node in policies.items():
        rs.rules.append(_policy(pid, node, objs, root, len(rs.rules), source, lines))
    out = [rs] if policies or not policies6 else []
    if policies6:  # FortiOS 6.0-6.2: IPv6 policies in a table of their own, evaluated separately
        rs6 = RuleSet(f"{prefix}firewall policy6", "fortinet", source, zone_networks=rs.zone_networks,
                      mgmt_access=rs.mgmt_access)
        for pid, node in policies6.items():
            rs6.rules.append(_policy(pid, node, objs, root, len(rs6.rules), source, lines, v6_table=True))
        out.append(rs6)
    for key, table in local_in:
        out.append(_local_in(key, table, objs, root, rs, f"{prefix}{key}", source, lines))
    return out


def _local_in(key: str, table: dict[str, Node], objs: _Objects, root: Node, traffic: RuleSet, name: str,
              source: str, lines: list[str]) -> RuleSet:
    """``config firewall local-in-policy`` (and ``6``): rules for traffic to the FortiGate itself, on ``intf``.

    Traffic that no local-in policy matches falls through to the interfaces' ``allowaccess``, so the table's
    default is not a deny: it is marked ``other`` (the device decides elsewhere)."""
    rs = RuleSet(name, "fortinet", source, default_action=Action.OTHER, management=True,
                 zone_networks=traffic.zone_networks, mgmt_access=traffic.mgmt_access,
                 extra={"role": "local-in", "default": "interface allowaccess"})
    for pid, node in table.items():
        sets = dict(node.sets)
        sets["srcintf"] = sets.pop("intf", ["any"])
        view = Node(node.line, node.text, sets, node.children)
        rs.rules.append(_policy(pid, view, objs, root, len(rs.rules), source, lines,
                                v6_table=key.endswith("6")))
    return rs


def _addresses(s: dict[str, list[str]], objs: _Objects, v6_table: bool) -> tuple[tuple[Interval, ...], ...]:
    """(src, dst, src names, dst names). In ``policy6`` both fields are IPv6; in the unified ``policy`` of
    6.4+/7.x ``srcaddr``/``dstaddr`` are IPv4 and ``srcaddr6``/``dstaddr6`` IPv6: a policy matches IPv4 packets
    with its IPv4 pair and IPv6 packets with its IPv6 pair (a packet is never both, so the union is exact)."""
    if v6_table:
        pairs = [("srcaddr", "dstaddr", 6)]
    else:
        pairs = [(a, b, f) for a, b, f in (("srcaddr", "dstaddr", 4), ("srcaddr6", "dstaddr6", 6))
                 if s.get(a) or s.get(b)]
        if not pairs:
            pairs = [("srcaddr", "dstaddr", 4)]
    src: list[Interval] = []
    dst: list[Interval] = []
    for a, b, family in pairs:
        sa = _resolve(objs, s.get(a, _ALL), family)
        da = _resolve(objs, s.get(b, _ALL), family)
        if sa and da:  # a family with no source or no destination matches nothing of that family
            src += sa
            dst += da
    return tuple(src), tuple(dst)


_ALL = ["all"]


def _resolve(objs: _Objects, names: list[str], family: int) -> list[Interval]:
    """The intervals of the named objects, in order (one name, the usual case, without a new list)."""
    if len(names) == 1:
        return objs.address(names[0], family)
    return [iv for n in names for iv in objs.address(n, family)]


#: The fields a policy's provenance text shows (in this order), and the negation switches.
_SHOWN = ("srcintf", "dstintf", "srcaddr", "dstaddr", "srcaddr6", "dstaddr6", "service", "action", "schedule",
          "logtraffic", "status")
_NEGATE = ("srcaddr-negate", "dstaddr-negate", "service-negate", "srcaddr6-negate", "dstaddr6-negate")


_ACTIONS = {"accept": Action.PERMIT, "deny": Action.DENY}
_DENY, _ENABLE, _UTM, _ALWAYS, _ALL_SERVICES = ["deny"], ["enable"], ["utm"], ["always"], ["ALL"]


def _zones(names: list[str] | None) -> tuple[str, ...]:
    """Interfaces or zones a policy names; ``any`` is no restriction."""
    if not names:
        return ()
    return tuple(names) if "any" not in names else tuple(z for z in names if z != "any")


def _policy(pid: str, node: Node, objs: _Objects, root: Node, idx: int, source: str, lines: list[str],
            *, v6_table: bool = False) -> Rule:
    s = node.sets
    name = (s.get("name") or [f"policy {pid}"])[0]
    prov = Provenance(source, node.line, f"policy {pid} {name}: " + "; ".join(
        [f"{k} {' '.join(v)}" for k in _SHOWN if (v := s.get(k)) is not None]))
    action = _ACTIONS.get((s.get("action") or _DENY)[0], Action.OTHER)
    enabled = (s.get("status") or _ENABLE)[0] != "disable"
    comments = s.get("comments")
    rule = Rule(idx, name, action, prov, src_zones=_zones(s.get("srcintf")), dst_zones=_zones(s.get("dstintf")),
                log=(s.get("logtraffic") or _UTM)[0] == "all", enabled=enabled,
                comment=" ".join(comments) or None if comments else None,
                schedule=(s.get("schedule") or _ALWAYS)[0], extra={"policyid": pid})
    try:
        rule.src, rule.dst = _addresses(s, objs, v6_table)
        if not rule.src or not rule.dst:
            raise _Unsupported("the policy matches no address of either family")
        rule.services = tuple(x for v in s.get("service", _ALL_SERVICES) for x in objs.service(v))
        rule.src_names = tuple(s.get("srcaddr", []) + s.get("srcaddr6", [])) or ("all",)
        rule.dst_names = tuple(s.get("dstaddr", []) + s.get("dstaddr6", [])) or ("all",)
    except (_Unsupported, ValueError, KeyError, IndexError) as exc:
        rule.status, rule.reason = ParseStatus.UNPARSED, str(exc)
        return rule
    end, exact = _schedule_end(root, rule.schedule or "always")
    rule.schedule_end = end
    reasons = []
    if not exact:
        reasons.append(f"schedule {rule.schedule!r} limits when the policy applies")
    if any(s[k][:1] == ["enable"] for k in _NEGATE if k in s):
        reasons.append("negated addresses or services are not modelled")
    if s.get("users") or s.get("groups") or s.get("application") or s.get("internet-service") or \
            s.get("internet-service6"):
        reasons.append("user, application or internet-service matches narrow the policy")
    if reasons:
        rule.status, rule.reason, rule.partial = ParseStatus.APPROXIMATE, "; ".join(reasons), True
    return rule
