"""What Cisco IOS and ASA access lists share: names of ports, protocols and ICMP types, port operators,
addresses, and the object/object-group store with nested-group expansion.

Names and numbers are Cisco's documented keyword tables (ASA "Addresses, Protocols, and Ports" reference;
IOS ``permit`` command reference). An unknown keyword is never guessed: it raises :class:`Unsupported`, and
the rule is reported unparsed with that reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from collectors.firewall.model import (
    ANY4,
    ANY6,
    ANY_ADDR,
    ANY_PORT,
    ICMP,
    ICMP6,
    TCP,
    UDP,
    Interval,
    Service,
    address_range,
    masked_ranges,
    network,
)

TCP_PORTS = {
    "aol": 5190, "bgp": 179, "chargen": 19, "cifs": 3020, "citrix-ica": 1494, "cmd": 514, "ctiqbe": 2748,
    "daytime": 13, "discard": 9, "domain": 53, "echo": 7, "exec": 512, "finger": 79, "ftp": 21, "ftp-data": 20,
    "gopher": 70, "h323": 1720, "hostname": 101, "http": 80, "https": 443, "ident": 113, "imap4": 143,
    "irc": 194, "kerberos": 88, "klogin": 543, "kshell": 544, "ldap": 389, "ldaps": 636, "login": 513,
    "lotusnotes": 1352, "lpd": 515, "netbios-ssn": 139, "nfs": 2049, "nntp": 119, "pcanywhere-data": 5631,
    "pim-auto-rp": 496, "pop2": 109, "pop3": 110, "pptp": 1723, "rsh": 514, "rtsp": 554, "sip": 5060,
    "smtp": 25, "sqlnet": 1521, "ssh": 22, "sunrpc": 111, "tacacs": 49, "talk": 517, "telnet": 23, "uucp": 540,
    "whois": 43, "www": 80, "drip": 3949, "msrpc": 135, "onep-plain": 15001, "onep-tls": 15002,
}
UDP_PORTS = {
    "biff": 512, "bootpc": 68, "bootps": 67, "cifs": 3020, "discard": 9, "dnsix": 195, "domain": 53, "echo": 7,
    "http": 80, "isakmp": 500, "kerberos": 88, "mobile-ip": 434, "nameserver": 42, "netbios-dgm": 138,
    "netbios-ns": 137, "nfs": 2049, "ntp": 123, "pcanywhere-status": 5632, "pim-auto-rp": 496, "radius": 1645,
    "radius-acct": 1646, "rip": 520, "secureid-udp": 5510, "sip": 5060, "snmp": 161, "snmptrap": 162,
    "sunrpc": 111, "syslog": 514, "tacacs": 49, "talk": 517, "tftp": 69, "time": 37, "vxlan": 4789, "who": 513,
    "xdmcp": 177, "non500-isakmp": 4500,
}
PROTOCOLS = {
    "icmp": ICMP, "igmp": 2, "ipinip": 4, "tcp": TCP, "igrp": 9, "udp": UDP, "gre": 47, "esp": 50, "ah": 51,
    "ahp": 51, "icmp6": ICMP6, "eigrp": 88, "ospf": 89, "nos": 94, "pim": 103, "pcp": 108, "snp": 109,
    "sctp": 132, "ipsec": 50, "pptp": 47,
}
ICMP_TYPES = {
    "echo-reply": (0, None), "unreachable": (3, None), "net-unreachable": (3, 0), "host-unreachable": (3, 1),
    "protocol-unreachable": (3, 2), "port-unreachable": (3, 3), "packet-too-big": (3, 4),
    "source-quench": (4, None), "redirect": (5, None), "alternate-address": (6, None), "echo": (8, None),
    "router-advertisement": (9, None), "router-solicitation": (10, None), "time-exceeded": (11, None),
    "ttl-exceeded": (11, 0), "parameter-problem": (12, None), "timestamp-request": (13, None),
    "timestamp-reply": (14, None), "information-request": (15, None), "information-reply": (16, None),
    "mask-request": (17, None), "mask-reply": (18, None), "traceroute": (30, None),
    "conversion-error": (31, None), "mobile-redirect": (32, None),
    "net-redirect": (5, 0), "host-redirect": (5, 1), "net-tos-redirect": (5, 2), "host-tos-redirect": (5, 3),
    "fragmentation-needed": (3, 4), "source-route-failed": (3, 5), "net-unknown": (3, 6), "host-unknown": (3, 7),
    "host-isolated": (3, 8), "dod-net-prohibited": (3, 9), "dod-host-prohibited": (3, 10),
    "net-tos-unreachable": (3, 11), "host-tos-unreachable": (3, 12), "administratively-prohibited": (3, 13),
    "host-precedence-unreachable": (3, 14), "precedence-unreachable": (3, 15), "reassembly-timeout": (11, 1),
    "general-parameter-problem": (12, 0), "option-missing": (12, 1), "echo-request": (8, None),
}
ICMP6_TYPES = {
    "unreachable": (1, None), "packet-too-big": (2, None), "time-exceeded": (3, None),
    "parameter-problem": (4, None), "echo": (128, None), "echo-request": (128, None), "echo-reply": (129, None),
    "membership-query": (130, None), "membership-report": (131, None), "membership-reduction": (132, None),
    "router-solicitation": (133, None), "router-advertisement": (134, None), "nd-ns": (135, None),
    "neighbor-solicitation": (135, None), "nd-na": (136, None), "neighbor-advertisement": (136, None),
    "neighbor-redirect": (137, None), "redirect": (137, None),
}


class Unsupported(ValueError):
    """A construct this parser does not model exactly; the message says which."""


class Tokens:
    """The words of one entry being read. ``notes`` is None for a strict read (anything not modelled exactly
    raises :class:`Unsupported`); a list for a lenient read, where an unknown object or a mask too scattered
    to expand is read as a superset (any address, any service, the covering range) and the reason is noted:
    the caller then marks the rule approximate and partial, so it never hides another rule."""

    def __init__(self, words: list[str], notes: list[str] | None = None) -> None:
        self.words = words
        self.pos = 0
        self.notes = notes

    def widen(self, why: str) -> None:
        """Accept a superset of what the entry says, or raise when the read is strict."""
        if self.notes is None:
            raise Unsupported(why)
        self.notes.append(why)

    def peek(self, ahead: int = 0) -> str | None:
        k = self.pos + ahead
        return self.words[k] if k < len(self.words) else None

    def take(self) -> str:
        if self.pos >= len(self.words):
            raise Unsupported("the rule ends too early")
        self.pos += 1
        return self.words[self.pos - 1]

    def done(self) -> bool:
        return self.pos >= len(self.words)


def port_number(word: str, proto: str) -> int:
    if word.isdigit():
        n = int(word)
        if 0 <= n <= 65535:
            return n
        raise Unsupported(f"port {word} out of range")
    tables = {"tcp": [TCP_PORTS], "udp": [UDP_PORTS], "tcp-udp": [TCP_PORTS, UDP_PORTS]}.get(proto, [])
    values = {t[word] for t in tables if word in t}
    if len(values) == 1:
        return values.pop()
    raise Unsupported(f"unknown {proto} port name {word!r}")


PORT_OPS = ("eq", "neq", "lt", "gt", "range")


def port_op(tok: Tokens, proto: str) -> list[Interval]:
    """``eq www`` / ``neq 80`` / ``lt 1024`` / ``gt 1023`` / ``range a b`` -> port intervals."""
    op = tok.take()
    if op == "range":
        a, b = port_number(tok.take(), proto), port_number(tok.take(), proto)
        if a > b:
            raise Unsupported("empty port range")
        return [(a, b)]
    n = port_number(tok.take(), proto)
    if op == "eq":
        ports = [(n, n)]
        while tok.peek() is not None and _is_port(tok.peek() or "", proto) and tok.peek() not in PORT_OPS:
            ports.append((port_number(tok.take(), proto),) * 2)  # IOS "eq www 443": a list of ports
        return ports
    if op == "neq":  # IOS allows a list: "neq telnet ssh" = every port but those
        excluded = {n}
        while tok.peek() is not None and _is_port(tok.peek() or "", proto):
            excluded.add(port_number(tok.take(), proto))
        out, start = [], 0
        for x in sorted(excluded):
            if x > start:
                out.append((start, x - 1))
            start = x + 1
        if start <= 65535:
            out.append((start, 65535))
        return out
    if op == "lt":
        if n == 0:
            raise Unsupported("lt 0 matches nothing")
        return [(0, n - 1)]
    if op == "gt":
        if n == 65535:
            raise Unsupported("gt 65535 matches nothing")
        return [(n + 1, 65535)]
    raise Unsupported(f"unknown port operator {op!r}")


def _is_port(word: str, proto: str) -> bool:
    try:
        port_number(word, proto)
    except Unsupported:
        return False
    return True


@dataclass
class ObjectStore:
    """Named objects and groups (ASA ``object``/``object-group``, IOS ``object-group``), expanded on use."""

    networks: dict[str, list[str]] = field(default_factory=dict)  # name -> member lines (expanded lazily)
    services: dict[str, tuple[str | None, list[str]]] = field(default_factory=dict)  # name -> (proto, lines)
    protocols: dict[str, list[str]] = field(default_factory=dict)
    icmp: dict[str, list[str]] = field(default_factory=dict)
    portgroups: dict[str, list[str]] = field(default_factory=dict)  # IOS ``object-group ip port``: port matches
    wildcard: bool = False  # masks inside groups: netmasks on both IOS and ASA
    ace_wildcard: bool = False  # masks inside entries: IOS wildcards, ASA netmasks

    def network(self, name: str, depth: int = 0, tok: Tokens | None = None) -> list[Interval]:
        """The addresses of a network object or group; with a lenient ``tok``, what is not in the input (an
        undefined name, an FQDN resolved on the device) is read as any address, and noted."""
        if depth > 16:
            raise Unsupported(f"object group {name!r} nests too deep (a loop?)")
        tok = tok or Tokens([])
        if name not in self.networks:
            tok.widen(f"network object {name!r} is not defined in the input: read as any address")
            return [ANY_ADDR]
        out: list[Interval] = []
        for line in self.networks[name]:
            w = line.split()
            if w[0] == "network-object":
                w = w[1:]
            if not w:
                continue
            if w[0] == "host":
                out.append(network(w[1]))
            elif w[0] == "subnet":
                out.extend(_addr_mask(w[1], w[2], self.wildcard, tok))
            elif w[0] == "range":
                out.append(address_range(w[1], w[2]))
            elif w[0] in ("object", "group-object"):
                out.extend(self.network(w[1], depth + 1, tok))
            elif w[0] == "fqdn":
                tok.widen(f"object {name!r} is an FQDN, resolved on the device: read as any address")
                out.append(ANY_ADDR)
            elif w[0] == "description":
                continue
            elif len(w) >= 2 and _looks_like_ip(w[0]) and _looks_like_ip(w[1]):
                out.extend(_addr_mask(w[0], w[1], self.wildcard, tok))
            elif len(w) == 1 and ("/" in w[0] or _looks_like_ip(w[0])):
                out.append(network(w[0]))
            else:
                raise Unsupported(f"unknown member {line.strip()!r} in object {name!r}")
        return out

    def service(self, name: str, depth: int = 0, tok: Tokens | None = None) -> list[Service]:
        """A service object or service group used in the protocol position of an ACE; with a lenient ``tok``,
        an undefined name is read as any service, and noted."""
        if depth > 16:
            raise Unsupported(f"object group {name!r} nests too deep (a loop?)")
        if name not in self.services:
            (tok or Tokens([])).widen(f"service object {name!r} is not defined in the input: read as any service")
            return [Service()]
        proto, lines = self.services[name]
        if proto is not None:
            raise Unsupported(f"{name!r} is a port group, not a service group")
        out: list[Service] = []
        for line in lines:
            w = line.split()
            if w[0] == "description":
                continue
            if (w[0] in ("group-object", "service-object") and w[1:2] == ["object"]) or w[0] == "group-object":
                out.extend(self.service(w[-1], depth + 1, tok))
                continue
            if w[0] in ("service-object", "service"):
                out.extend(service_spec(Tokens(w[1:]), self))
                continue
            if w[0] in PROTOCOLS or w[0] in ("ip", "tcp-udp") or w[0].isdigit():  # IOS members: "tcp eq www"
                out.extend(service_spec(Tokens(w), self))
                continue
            raise Unsupported(f"unknown member {line.strip()!r} in service group {name!r}")
        return out

    def ports(self, name: str, proto: str, depth: int = 0) -> list[Interval]:
        """A port group (``object-group service NAME tcp`` with ``port-object``)."""
        if name not in self.services or self.services[name][0] is None:
            raise Unsupported(f"port group {name!r} is not defined in the input")
        gproto, lines = self.services[name]
        out: list[Interval] = []
        for line in lines:
            w = line.split()
            if w[0] == "port-object":
                out.extend(port_op(Tokens(w[1:]), gproto or proto))
            elif w[0] == "group-object":
                out.extend(self.ports(w[1], proto, depth + 1))
            elif w[0] != "description":
                raise Unsupported(f"unknown member {line.strip()!r} in port group {name!r}")
        return out

    def port_group(self, name: str, proto: str, tok: Tokens) -> list[Interval]:
        """An IOS ``object-group ip port`` used as ``portgroup NAME``: its members are port matches (``eq 111``,
        ``range 1 5``...), ORed. Undefined: any port on a lenient read; empty: it matches nothing (unparsed)."""
        if name not in self.portgroups:
            tok.widen(f"port group {name!r} is not defined in the input: read as any port")
            return [ANY_PORT]
        out: list[Interval] = []
        for line in self.portgroups[name]:
            w = line.split()
            if w[0] in PORT_OPS:
                out.extend(port_op(Tokens(w), proto))
            elif w[0] == "group-object" and len(w) == 2 and w[1] != name:
                out.extend(self.port_group(w[1], proto, tok))
            elif w[0] != "description":
                raise Unsupported(f"unknown member {line.strip()!r} in port group {name!r}")
        if not out:
            raise Unsupported(f"port group {name!r} is empty: the entry matches nothing")
        return out

    def protocol_numbers(self, name: str, depth: int = 0) -> list[str]:
        if name not in self.protocols:
            raise Unsupported(f"protocol group {name!r} is not defined in the input")
        out: list[str] = []
        for line in self.protocols[name]:
            w = line.split()
            if w[0] == "protocol-object":
                out.append(w[1])
            elif w[0] == "group-object":
                out.extend(self.protocol_numbers(w[1], depth + 1))
        return out


def _looks_like_ip(word: str) -> bool:
    return word.count(".") == 3 and all(p.isdigit() for p in word.split("."))


def _addr_mask(addr: str, mask: str, wildcard: bool, tok: Tokens | None = None) -> list[Interval]:
    """Any mask, non-contiguous ones included: exact ranges while they are few (:func:`masked_ranges`), else
    the covering range, a superset accepted only by a lenient read."""
    try:
        ranges, exact = masked_ranges(addr, mask, wildcard=wildcard)
    except ValueError as exc:
        raise Unsupported(f"bad address {addr} {mask}: {exc}") from None
    if not exact:
        (tok or Tokens([])).widen(f"non-contiguous mask {mask} (too many ranges): read as its covering range of "
                                  f"{ranges[0][1] - ranges[0][0] + 1} addresses")
    return list(ranges)


def address(tok: Tokens, store: ObjectStore) -> tuple[list[Interval], str]:
    """One address operand of an ACE; returns the intervals and the text as written."""
    w = tok.take()
    if w in ("any", "any4", "any6"):
        return [{"any": ANY_ADDR, "any4": ANY4, "any6": ANY6}[w]], w
    if w == "host":
        a = tok.take()
        return [network(a)], a
    if w in ("object", "object-group", "addrgroup"):
        name = tok.take()
        return store.network(name, tok=tok), name
    if w == "range":
        a, b = tok.take(), tok.take()
        try:
            return [address_range(a, b)], f"{a}-{b}"
        except ValueError:
            raise Unsupported(f"bad address range {a} {b}") from None
    if w == "fqdn":
        name = tok.take()
        tok.widen(f"FQDN {name!r} is resolved on the device: read as any address")
        return [ANY_ADDR], name
    if w == "interface":
        name = tok.take()
        tok.widen(f"'interface {name}' means the device's own address, not in the input: read as any address")
        return [ANY_ADDR], f"interface {name}"
    if w.startswith(("object-group-user", "user", "object-group-security", "security-group")):
        raise Unsupported(f"identity or security-group match {w!r} is not modelled")
    if "/" in w or ":" in w:
        try:
            return [network(w)], w
        except ValueError:
            raise Unsupported(f"bad address {w!r}") from None
    if _looks_like_ip(w):
        nxt = tok.peek()
        if nxt is not None and _looks_like_ip(nxt):
            tok.take()
            return _addr_mask(w, nxt, store.ace_wildcard, tok), f"{w} {nxt}"
        return [network(w)], w  # IOS standard ACL: a bare address is one host
    raise Unsupported(f"unknown address {w!r}")


def protocol_name(word: str) -> str:
    if word in ("ip", "ipv6") or word in PROTOCOLS or word.isdigit():
        return word
    raise Unsupported(f"unknown protocol {word!r}")


def proto_range(word: str) -> Interval:
    if word in ("ip", "ipv6"):
        return (0, 255)
    n = PROTOCOLS[word] if word in PROTOCOLS else int(word)
    return (n, n)


def service_spec(tok: Tokens, store: ObjectStore) -> list[Service]:
    """ASA ``service-object``/``service`` body: ``tcp [source OP] [destination OP]`` or ``icmp TYPE``; IOS
    service-group members may name a port without an operator (``tcp 65000``, ``tcp source 2000 ftp``): equal."""
    proto = protocol_name(tok.take())
    if proto in ("tcp", "udp", "tcp-udp") or proto == "tcp-udp":
        sports: list[Interval] = [ANY_PORT]
        dports: list[Interval] = [ANY_PORT]
        while not tok.done():
            w = tok.peek() or ""
            if w in ("source", "destination"):
                tok.take()
                ports = _port_or_op(tok, proto)
                sports, dports = (ports, dports) if w == "source" else (sports, ports)
            elif w in PORT_OPS or _is_port(w, proto):
                dports = _port_or_op(tok, proto)
            else:
                raise Unsupported(f"unexpected {w!r} in service")
        protos = [TCP, UDP] if proto == "tcp-udp" else [PROTOCOLS[proto]]
        return [Service((p, p), s, d, name=None) for p in protos for s in sports for d in dports]
    if proto in ("icmp", "icmp6"):
        return icmp_service(tok, proto)
    return [Service(proto=proto_range(proto))]


def _port_or_op(tok: Tokens, proto: str) -> list[Interval]:
    """``OP PORT...`` or a bare port (equal)."""
    if tok.peek() in PORT_OPS:
        return port_op(tok, proto)
    n = port_number(tok.take(), proto)
    return [(n, n)]


def icmp_service(tok: Tokens, proto: str) -> list[Service]:
    number = ICMP if proto == "icmp" else ICMP6
    table = ICMP_TYPES if proto == "icmp" else ICMP6_TYPES
    w = tok.peek()
    if w is None or w in ("log", "log-input", "time-range", "inactive"):
        return [Service.icmp(number)]
    if w.isdigit():
        tok.take()
        code = tok.peek()
        if code is not None and code.isdigit():
            tok.take()
            return [Service.icmp(number, int(w), int(code))]
        return [Service.icmp(number, int(w))]
    if w in table:
        tok.take()
        t, c = table[w]
        return [Service.icmp(number, t, c, name=w)]
    return [Service.icmp(number)]


def tcp_udp_protos(proto: str) -> list[int]:
    return {"tcp": [TCP], "udp": [UDP], "tcp-udp": [TCP, UDP]}[proto]
