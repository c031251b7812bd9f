"""Juniper SRX security policies in ``display set`` form (``show configuration | display set``).

Policies are first-match within their zone pair, then global policies, then the default policy. Zones are
fields of every rule, so one rule set holding the zone-pair policies (in configuration order) followed by the
global ones evaluates exactly like the device. Address books (zone and global, address sets nested), custom
applications and application sets, and the predefined ``junos-*`` applications are expanded; wildcard addresses
become exact ranges. A policy that names an address or application the input does not define is read with "any"
in its place, approximate and partial (it may match less, so it never hides another policy), with the name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from collectors.firewall.model import (
    ANY4,
    ANY6,
    ANY_ADDR,
    ANY_PORT,
    ICMP,
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
    masked_ranges,
    network,
)
from collectors.firewall.parsers.cisco_common import PROTOCOLS
from collectors.firewall.parsers.junos_filter import filters, port_number
from collectors.firewall.parsers.junos_routing import routing
from collectors.firewall.parsers.words import split_words

PREDEFINED: dict[str, list[Service]] = {
    "any": [Service()], "junos-http": [Service.port(TCP, 80)], "junos-https": [Service.port(TCP, 443)],
    "junos-ssh": [Service.port(TCP, 22)], "junos-telnet": [Service.port(TCP, 23)],
    "junos-ftp": [Service.port(TCP, 21)], "junos-smtp": [Service.port(TCP, 25)],
    "junos-dns-udp": [Service.port(UDP, 53)], "junos-dns-tcp": [Service.port(TCP, 53)],
    "junos-ntp": [Service.port(UDP, 123)], "junos-tftp": [Service.port(UDP, 69)],
    "junos-snmp-get": [Service.port(UDP, 161)], "junos-ping": [Service.icmp(ICMP, 8)],
    "junos-icmp-all": [Service.icmp(ICMP)], "junos-pop3": [Service.port(TCP, 110)],
    "junos-imap": [Service.port(TCP, 143)], "junos-ldap": [Service.port(TCP, 389)],
    "junos-smb": [Service.port(TCP, 139), Service.port(TCP, 445)], "junos-ms-sql": [Service.port(TCP, 1433)],
    "junos-syslog": [Service.port(UDP, 514)], "junos-bgp": [Service.port(TCP, 179)],
}
PROTO = {**PROTOCOLS, "tcp": TCP, "udp": UDP, "icmp": ICMP, "icmp6": 58, "icmpv6": 58}


class _Unsupported(ValueError):
    pass


@dataclass
class _Policy:
    line: int
    name: str
    src_zone: str | None
    dst_zone: str | None
    src: list[str] = field(default_factory=list)
    dst: list[str] = field(default_factory=list)
    apps: list[str] = field(default_factory=list)
    action: str | None = None
    log: bool = False
    description: str | None = None
    scheduler: str | None = None
    inactive: bool = False
    other: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def parse(text: str, source: str) -> list[RuleSet]:
    addrs: dict[str, list[Interval]] = {"any": [ANY_ADDR], "any-ipv4": [ANY4], "any-ipv6": [ANY6]}
    addr_sets: dict[str, list[str]] = {}
    widened: dict[str, str] = {}  # address name -> why it is read as a superset
    apps: dict[str, dict[str, list[str]]] = {}
    app_sets: dict[str, list[str]] = {}
    policies: dict[tuple[str | None, str | None, str], _Policy] = {}
    mgmt: dict[str, list[str]] = {}
    default = Action.DENY
    stmts = statements_of(text)
    statements: list[list[str]] = [w for _, verb, w, _ in stmts if verb == "set"]
    for k, verb, w, line in stmts:
        if w[:2] == ["security", "zones"] and "address-book" in w:
            w = w[w.index("address-book") + 1:]
        elif w[:3] == ["security", "address-book", "global"] or w[:2] == ["security", "address-book"]:
            w = w[3:]
        elif w[:2] == ["security", "zones"] and "system-services" in w:
            mgmt.setdefault(w[3], []).append(w[w.index("system-services") + 1])
            continue
        elif w[:2] == ["security", "policies"]:
            _policy_line(w[2:], verb, k, line, policies)
            if w[2:4] == ["default-policy", "permit-all"]:
                default = Action.PERMIT
            continue
        elif w[:1] == ["applications"] and len(w) >= 4:
            _application_line(w, apps, app_sets)
            continue
        else:
            continue
        _address_line(w, addrs, addr_sets, widened)

    def address(name: str, notes: list[str], depth: int = 0) -> list[Interval]:
        """An address or address set; what the input does not define (or a wildcard too scattered to expand)
        is read as a superset and noted: the rule is then approximate and partial."""
        if name in addrs:
            if name in widened:
                notes.append(widened[name])
            return addrs[name]
        if name in addr_sets and depth < 16:
            return [iv for m in addr_sets[name] for iv in address(m, notes, depth + 1)]
        notes.append(f"address {name!r} is not defined in the input: read as any address")
        return [ANY_ADDR]

    def application(name: str, notes: list[str], depth: int = 0) -> list[Service]:
        if name in apps:
            a = apps[name]
            if "term" in a:  # application with terms: each term is one more service
                terms: dict[str, dict[str, str]] = {}
                for t in a["term"]:
                    w = t.split()
                    terms.setdefault(w[0], {}).update(_pairs(w[1:]))
                return [_app_service(name, fields) for fields in terms.values()]
            return [_app_service(name, {k: v[-1] for k, v in a.items()})]
        if name in app_sets and depth < 16:
            return [s for m in app_sets[name] for s in application(m, notes, depth + 1)]
        if name in PREDEFINED:
            return PREDEFINED[name]
        notes.append(f"application {name!r} is not defined in the input: read as any service")
        return [Service()]

    filter_sets = filters(stmts, source)
    if not policies:
        return filter_sets
    rs = RuleSet("security policies", "juniper_junos", source, default_action=default,
                 mgmt_access={z: tuple(s) for z, s in mgmt.items()}, zone_networks=routing(statements).networks())
    ordered = [p for p in policies.values() if p.src_zone != "*global*"] + \
        [p for p in policies.values() if p.src_zone == "*global*"]
    for p in ordered:
        rs.rules.append(_rule(p, len(rs.rules), source, address, application))
    return [rs, *filter_sets]


def _application_line(w: list[str], apps: dict[str, dict[str, list[str]]], app_sets: dict[str, list[str]]) -> None:
    """``applications application A (term T ...|protocol P destination-port D ...)`` or an application-set."""
    if w[1] == "application":
        app = apps.setdefault(w[2], {})
        if w[3] == "term":
            app.setdefault("term", []).append(" ".join(w[4:]))
        else:  # one statement may set several fields: "protocol tcp destination-port 8080"
            for key, value in _pairs(w[3:]).items():
                app.setdefault(key, []).append(value)
    elif w[1] == "application-set" and len(w) >= 5 and w[3] in ("application", "application-set"):
        app_sets.setdefault(w[2], []).append(w[4])


def _address_line(w: list[str], addrs: dict[str, list[Interval]], addr_sets: dict[str, list[str]],
                  widened: dict[str, str]) -> None:
    """An address-book entry (after ``... address-book [global|NAME]``). A ``wildcard-address A/MASK`` (the mask's
    1 bits must match, and need not be contiguous) is expanded exactly into ranges while they are few, else read
    as its covering range (noted in ``widened``)."""
    if len(w) >= 3 and w[0] == "address":
        if w[2] == "range-address" and len(w) >= 6:
            addrs[w[1]] = [address_range(w[3], w[5])]
        elif w[2] == "wildcard-address" and len(w) >= 4 and "/" in w[3]:
            addr, _, mask = w[3].partition("/")
            ranges, exact = masked_ranges(addr, mask, wildcard=False)
            addrs[w[1]] = list(ranges)
            if not exact:
                widened[w[1]] = f"wildcard-address {w[3]} (too many ranges): read as its covering range"
        elif "/" in w[2] or ":" in w[2] or "." in w[2]:
            addrs[w[1]] = [network(w[2])]
    elif len(w) >= 4 and w[0] == "address-set" and w[2] in ("address", "address-set"):
        addr_sets.setdefault(w[1], []).append(w[3])


def statements_of(text: str) -> list[tuple[int, str, list[str], str]]:
    """``(line, verb, words after the verb, text)`` of every ``set``/``deactivate`` statement still in force:
    a ``delete PATH`` statement (a ``load set`` file, or ``replace:`` in a brace file) removes what earlier
    statements said under ``PATH``."""
    out: list[tuple[int, str, list[str], str]] = []
    for k, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line.startswith(("set ", "deactivate ", "delete ")):
            continue
        w = split_words(line)
        verb, w = w[0], w[1:]
        if verb == "delete":
            n = len(w)
            out = [s for s in out if s[2][:n] != w]
            continue
        out.append((k, verb, w, line))
    return out


def _pairs(w: list[str]) -> dict[str, str]:
    """``protocol tcp destination-port 25`` -> ``{"protocol": "tcp", "destination-port": "25"}``."""
    return {w[i]: w[i + 1] for i in range(0, len(w) - 1, 2)}


def _app_service(name: str, a: dict[str, str]) -> Service:
    if "protocol" not in a:
        raise _Unsupported(f"application {name!r} has no protocol")
    p = a["protocol"]
    num = PROTO[p] if p in PROTO else int(p)
    if num in (TCP, UDP):
        return Service((num, num), _ports(a.get("source-port")), _ports(a.get("destination-port")))
    if num == ICMP and "icmp-type" in a:
        return Service.icmp(ICMP, int(a["icmp-type"]))
    return Service((num, num))


def _ports(text: str | None) -> Interval:
    if not text:
        return ANY_PORT
    a, _, b = text.partition("-")
    return (port_number(a), port_number(b or a))


def _policy_line(w: list[str], verb: str, k: int, line: str,
                 policies: dict[tuple[str | None, str | None, str], _Policy]) -> None:
    if len(w) >= 6 and w[0] == "from-zone" and w[2] == "to-zone" and w[4] == "policy":
        key: tuple[str | None, str | None, str] = (w[1], w[3], w[5])
        rest = w[6:]
    elif len(w) >= 3 and w[0] == "global" and w[1] == "policy":
        key = ("*global*", None, w[2])
        rest = w[3:]
    else:
        return
    p = policies.setdefault(key, _Policy(k, key[2], key[0], key[1]))
    p.texts.append(line)
    if verb == "deactivate" and not rest:
        p.inactive = True
        return
    if rest[:1] == ["match"] and len(rest) >= 3:
        field_, value = rest[1], rest[2]
        if field_ == "source-address":
            p.src.append(value)
        elif field_ == "destination-address":
            p.dst.append(value)
        elif field_ == "application":
            p.apps.append(value)
        elif field_ in ("from-zone", "to-zone") and key[0] == "*global*":
            p.other.append(f"global {field_} {value}")
        else:
            p.other.append(f"match {field_}")
    elif rest[:1] == ["then"] and len(rest) >= 2:
        if rest[1] in ("permit", "deny", "reject"):
            p.action = rest[1]
        elif rest[1] == "log":
            p.log = True
    elif rest[:1] == ["description"]:
        p.description = " ".join(rest[1:])
    elif rest[:1] == ["scheduler-name"]:
        p.scheduler = rest[1]


def _rule(p: _Policy, idx: int, source: str, address: Callable[[str, list[str]], list[Interval]],
          application: Callable[[str, list[str]], list[Service]]) -> Rule:
    action = {"permit": Action.PERMIT, "deny": Action.DENY, "reject": Action.DENY}.get(p.action or "", Action.OTHER)
    text = p.texts[-1] if len(p.texts) == 1 else f"{p.texts[0]} ... ({len(p.texts)} lines)"
    zones = ((p.src_zone,) if p.src_zone and p.src_zone != "*global*" else (),
             (p.dst_zone,) if p.dst_zone else ())
    rule = Rule(idx, p.name, action, Provenance(source, p.line, text), src_zones=zones[0], dst_zones=zones[1],
                log=p.log, enabled=not p.inactive, comment=p.description, schedule=p.scheduler,
                src_names=tuple(p.src), dst_names=tuple(p.dst), extra={"lines": p.texts})
    notes: list[str] = []
    try:
        rule.src = tuple(iv for a in p.src or ["any"] for iv in address(a, notes))
        unknown = ["src"] if notes else []
        n = len(notes)
        rule.dst = tuple(iv for a in p.dst or ["any"] for iv in address(a, notes))
        unknown += ["dst"] if len(notes) > n else []
        n = len(notes)
        rule.services = tuple(s for a in p.apps or ["any"] for s in application(a, notes))
        unknown += ["services"] if len(notes) > n else []
    except (_Unsupported, ValueError, KeyError) as exc:
        rule.status, rule.reason = ParseStatus.UNPARSED, str(exc)
        return rule
    if unknown:  # "any" there means "not in the input": not a wide rule (see cisco_ace.Ace.unknown)
        rule.extra["unknown"] = unknown
    if notes or p.other or p.scheduler or p.action is None:
        rule.status, rule.partial = ParseStatus.APPROXIMATE, True
        rule.reason = "; ".join(list(dict.fromkeys(notes)) + p.other
                                + ([f"scheduler {p.scheduler}"] if p.scheduler else [])
                                + ([] if p.action else ["no action"]))
    return rule
