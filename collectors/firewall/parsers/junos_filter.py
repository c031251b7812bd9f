"""Junos firewall filters (``firewall family inet|inet6|any filter F term T``, and ``firewall filter F`` for
family inet): stateless packet filters, first-match by term, an implicit discard at the end.

Why their own reader: routers and SRX alike carry filters on interfaces and on ``lo0`` (the routing engine's
protection); a file with security policies may hold filters too, and both must be counted. Matches the
model has no field for (``tcp-flags``, ``is-fragment``, ``packet-length``, ``dscp``, ``port`` meaning
source or destination...) leave the term approximate and partial; prefix lists come from ``policy-options
prefix-list``; ``except`` entries follow Junos's longest-match rule. A term with no terminating action
accepts (the Junos default); ``next term`` is non-terminal.
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
    Action,
    Interval,
    ParseStatus,
    Provenance,
    Rule,
    RuleSet,
    Service,
    merge_intervals,
    network,
)
from collectors.firewall.parsers.cisco_common import ICMP6_TYPES, ICMP_TYPES, PROTOCOLS, TCP_PORTS, UDP_PORTS
from collectors.firewall.parsers.ranges import minus

#: Junos port names beyond the Cisco ones (``set firewall ... destination-port ntp``).
_PORTS = {**UDP_PORTS, **TCP_PORTS, "ntp": 123, "snmp": 161, "snmptrap": 162, "syslog": 514, "tftp": 69,
          "bootps": 67, "bootpc": 68, "radius": 1812, "radacct": 1813, "ldp": 646, "msdp": 639, "imap": 143,
          "kerberos-sec": 88, "netbios-ns": 137, "netbios-dgm": 138, "mobileip-agent": 434, "dhcp": 67,
          "cvspserver": 2401, "xdmcp": 177, "rip": 520, "zephyr-srv": 2102, "snpp": 444, "ptp-event": 319,
          "bfd": 3784, "socks": 1080, "nfsd": 2049, "eklogin": 2105, "ekshell": 2106, "afs": 1483}
_ICMP = {"echo-request": (8, None), **{k: v for k, v in ICMP_TYPES.items() if k != "echo"},
         "router-solicit": (10, None), "timestamp": (13, None), "info-request": (15, None),
         "info-reply": (16, None)}
_ICMP6 = {**ICMP6_TYPES, "neighbor-solicit": (135, None), "neighbor-advertisement": (136, None),
          "router-solicit": (133, None), "destination-unreachable": (1, None)}
_FAMILY = {"inet": ANY4, "inet6": ANY6, "any": ANY_ADDR}
_MODIFIERS = {"count", "log", "syslog", "sample", "forwarding-class", "loss-priority", "dscp", "traffic-class",
              "port-mirror", "packet-mode", "service-accounting", "policer", "three-color-policer"}
_NARROWING = {"tcp-flags", "tcp-initial", "is-fragment", "fragment-offset", "first-fragment", "fragment-flags",
              "packet-length", "dscp", "ttl", "precedence", "traffic-class", "hop-limit", "interface",
              "interface-group", "interface-set", "forwarding-class", "loss-priority", "port", "address",
              "prefix-list", "source-port-except", "destination-port-except", "protocol-except",
              "next-header-except", "icmp-type-except", "icmp-code", "ip-options", "extension-header",
              "source-class", "destination-class", "tcp-established", "flexible-match-range", "payload-protocol"}


class _Unsupported(ValueError):
    pass


@dataclass
class _Term:
    line: int
    name: str
    texts: list[str] = field(default_factory=list)
    conds: dict[str, list[list[str]]] = field(default_factory=dict)
    actions: list[list[str]] = field(default_factory=list)
    inactive: bool = False
    other: list[str] = field(default_factory=list)


@dataclass
class _Filter:
    family: str
    name: str
    terms: dict[str, _Term] = field(default_factory=dict)


def _filter_key(w: list[str]) -> tuple[str, str, list[str]] | None:
    """(family, filter, rest) of ``firewall [family F] filter NAME ...`` words (after ``set``)."""
    if w[:2] == ["firewall", "filter"] and len(w) >= 3:
        return "inet", w[2], w[3:]
    if w[:2] == ["firewall", "family"] and len(w) >= 5 and w[3] == "filter":
        return w[2], w[4], w[5:]
    return None


def filters(statements: list[tuple[int, str, list[str], str]], source: str) -> list[RuleSet]:
    """Every filter in the statements ``(line, verb, words after the verb, text)``, one rule set each."""
    found: dict[tuple[str, str], _Filter] = {}
    prefix_lists: dict[str, list[str]] = {}
    bound: dict[tuple[str, str], list[str]] = {}
    for k, verb, w, text in statements:
        if w[:2] == ["policy-options", "prefix-list"] and len(w) >= 4:
            prefix_lists.setdefault(w[2], []).append(w[3])
            continue
        if w[:1] == ["interfaces"] and "filter" in w and "family" in w:
            _binding(w, bound)
            continue
        key = _filter_key(w)
        if key is None:
            continue
        family, name, rest = key
        f = found.setdefault((family, name), _Filter(family, name))
        if rest[:1] != ["term"] or len(rest) < 2:
            continue
        term = f.terms.get(rest[1])
        if term is None:
            term = f.terms[rest[1]] = _Term(k, rest[1])
        term.texts.append(text)
        body = rest[2:]
        if verb == "deactivate":
            term.inactive = term.inactive or not body
        elif body in (["from"], ["then"]):
            continue  # the line of a brace block: its statements follow
        elif body[:1] == ["from"] and len(body) >= 2:
            values = term.conds.setdefault(body[1], [])
            if len(body) > 2 or body[1] not in _KNOWN:
                values.append(body[2:])
        elif body[:1] == ["then"] and len(body) >= 2:
            term.actions.append(body[1:])
        elif body[:1] == ["filter"]:
            term.other.append(f"calls filter {' '.join(body[1:])}")
        elif body:
            term.other.append(" ".join(body[:1]))
    out = []
    for (family, name), f in found.items():
        rs = RuleSet(f"filter {family}/{name}", "juniper_junos", source, default_action=Action.DENY,
                     bound_to=tuple(bound.get((family, name), ())),
                     management=any(b.startswith("lo0") for b in bound.get((family, name), ())),
                     extra={"role": "packet filter", "family": family, "kind": "firewall filter"})
        for term in f.terms.values():
            rs.rules.append(_rule(term, f, len(rs.rules), source, prefix_lists))
        out.append(rs)
    return out


def _binding(w: list[str], bound: dict[tuple[str, str], list[str]]) -> None:
    """``interfaces IF unit N family F filter input|output|input-list NAME``."""
    at, fi = w.index("family"), w.index("filter")
    if fi + 2 >= len(w) or at + 1 >= len(w):
        return
    unit = w[w.index("unit") + 1] if "unit" in w[:at] else "0"
    direction = "out" if "output" in w[fi + 1] else "in"
    for name in w[fi + 2:]:
        if name != "filter-name":  # display xml: <input><filter-name>F</filter-name></input>
            bound.setdefault((w[at + 1], name), []).append(f"{w[1]}.{unit} {direction}")


def _addresses(values: list[list[str]], fam: Interval, lists: dict[str, list[str]] | None = None) -> list[Interval]:
    """Prefixes (``except`` marks exclusions, longest match wins) -> the address intervals they match."""
    entries: list[tuple[int, Interval, bool]] = []
    for v in values:
        if not v:
            continue
        names = lists.get(v[0]) if lists is not None else None
        if lists is not None and names is None:
            raise _Unsupported(f"prefix-list {v[0]!r} is not defined in the input")
        for prefix in names if names is not None else [v[0]]:
            iv = network(prefix)
            entries.append((iv[0] - iv[1], iv, "except" in v[1:]))  # wider first
    cur: list[Interval] = []
    for _, iv, exclude in sorted(entries, key=lambda e: e[0]):
        cur = minus(cur, iv) if exclude else list(merge_intervals([*cur, iv]))
    return [(max(a, fam[0]), min(b, fam[1])) for a, b in cur if max(a, fam[0]) <= min(b, fam[1])]




def _ports(values: list[list[str]]) -> list[Interval]:
    out = []
    for v in values:
        a, _, b = v[0].partition("-")
        lo = _port(a)
        out.append((lo, _port(b) if b else lo))
    return out


def port_number(word: str) -> int:
    """A Junos port: a number or a name (``ssh``, ``pop3``, ``bgp``...)."""
    return _port(word)


def _port(word: str) -> int:
    if word.isdigit():
        return int(word)
    if word in _PORTS:
        return _PORTS[word]
    raise ValueError(f"port name {word!r} is not known")


def _services(c: dict[str, list[list[str]]], family: str) -> list[Service]:
    protos = [v[0] for key in ("protocol", "next-header") for v in c.get(key, [])]
    nums = [PROTOCOLS.get(p, ICMP6 if p in ("icmp6", "icmpv6") else None) if not p.isdigit() else int(p)
            for p in protos]
    if any(n is None for n in nums):
        raise _Unsupported(f"protocol {protos} is not known")
    dports = _ports(c["destination-port"]) if "destination-port" in c else [ANY_PORT]
    sports = _ports(c["source-port"]) if "source-port" in c else [ANY_PORT]
    icmp = c.get("icmp-type")
    if icmp:
        table, num = (_ICMP6, ICMP6) if family == "inet6" else (_ICMP, ICMP)
        out = []
        for v in icmp:
            t = table.get(v[0]) or ((int(v[0]), None) if v[0].isdigit() else None)
            if t is None:
                raise _Unsupported(f"icmp-type {v[0]!r} is not known")
            out.append(Service.icmp(num, t[0], t[1]))
        return out
    ports = "destination-port" in c or "source-port" in c
    if not nums:
        nums = [TCP, UDP] if ports else []
    if not nums:
        return [Service()]
    out = []
    for n in nums:
        assert n is not None
        if n in (TCP, UDP, 132) and ports:
            out += [Service((n, n), s, d) for s in sports for d in dports]
        else:
            out.append(Service((n, n)))
    return out


_ROUTED = ("routing-instance", "next-ip", "next-ip6", "next-interface")


def _action(term: _Term) -> Action:
    """accept/discard/reject decide; ``next term`` and forwarding actions do not; none at all accepts."""
    if any(a[:2] == ["next", "term"] or a[0] in _ROUTED for a in term.actions):
        return Action.OTHER
    terminal = [a[0] for a in term.actions if a[0] in ("accept", "discard", "reject")]
    return Action.PERMIT if not terminal or terminal[0] == "accept" else Action.DENY


def _fields(rule: Rule, term: _Term, family: str, fam: Interval, lists: dict[str, list[str]]) -> None:
    """Addresses (with prefix lists and ``except``) and services of a term onto ``rule``."""
    c = term.conds
    src, dst = c.get("source-address", []), c.get("destination-address", [])
    rule.src = tuple(_addresses(src, fam)) if src else (fam,)
    rule.dst = tuple(_addresses(dst, fam)) if dst else (fam,)
    spl, dpl = c.get("source-prefix-list") or [], c.get("destination-prefix-list") or []
    if spl:
        rule.src = _cut(rule.src, _addresses(spl, fam, lists))
    if dpl:
        rule.dst = _cut(rule.dst, _addresses(dpl, fam, lists))
    rule.services = tuple(_services(c, family))
    rule.src_names = tuple(" ".join(v) for v in src + spl)
    rule.dst_names = tuple(" ".join(v) for v in dst + dpl)


def _rule(term: _Term, f: _Filter, idx: int, source: str, lists: dict[str, list[str]]) -> Rule:
    text = term.texts[0] if len(term.texts) == 1 else f"{term.texts[0]} ... ({len(term.texts)} lines)"
    nonterminal = any(a[:2] == ["next", "term"] for a in term.actions)
    rule = Rule(idx, term.name, _action(term), Provenance(source, term.line, text), enabled=not term.inactive,
                log=any(a[0] in ("log", "syslog") for a in term.actions),
                extra={"lines": term.texts, "filter": f.name, "family": f.family,
                       "then": [" ".join(a) for a in term.actions],
                       **({"nonterminal": "next term"} if nonterminal else {})})
    fam = _FAMILY.get(f.family)
    if fam is None:
        rule.status, rule.reason = ParseStatus.UNPARSED, f"family {f.family} filters (layer 2) are not modelled"
        return rule
    try:
        _fields(rule, term, f.family, fam, lists)
    except (_Unsupported, ValueError, KeyError, IndexError) as exc:
        rule.status, rule.reason = ParseStatus.UNPARSED, str(exc)
        return rule
    reasons = [f"match {k}" for k in term.conds if k in _NARROWING or k not in _KNOWN] + term.other
    reasons += [f"then {a[0]}" for a in term.actions if a[0] in ("policer", "three-color-policer", *_ROUTED)]
    if not rule.src or not rule.dst:
        reasons.append("the address matches exclude each other")
    if reasons:
        rule.status, rule.partial, rule.reason = ParseStatus.APPROXIMATE, True, "not modelled: " + "; ".join(reasons)
    return rule


_KNOWN = {"source-address", "destination-address", "source-prefix-list", "destination-prefix-list", "protocol",
          "next-header", "source-port", "destination-port", "icmp-type"}


def _cut(a: tuple[Interval, ...], b: list[Interval]) -> tuple[Interval, ...]:
    """Addresses in both (a term with ``source-address`` and ``source-prefix-list`` needs both)."""
    return tuple((max(x[0], y[0]), min(x[1], y[1])) for x in a for y in b if max(x[0], y[0]) <= min(x[1], y[1]))
