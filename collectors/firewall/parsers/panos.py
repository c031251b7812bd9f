"""Palo Alto PAN-OS ``show running security-policy``: the policy as the dataplane runs it, with address
objects already resolved and each application listed with its ports (``N:app/proto/sport/dport``).

App-ID is a field of the model (``Rule.apps``), so "web-browsing on tcp/80" is exact. This output shows neither
logging nor descriptions: those rules carry ``extra["unknown"]`` so that no check claims a rule does not log.
Users, URL categories, regions and negation narrow a rule beyond the model: approximate and partial.
"""

from __future__ import annotations

import re

from collectors.firewall.model import (
    ANY_ADDR,
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
from collectors.firewall.parsers.panos_routing import routing
from collectors.firewall.parsers.ranges import panos_ports

#: A rule's header; PAN-OS 8.1+ adds ``; index: N`` inside the quotes, older releases write the name alone.
_HEAD = re.compile(r'^"(?P<name>.+?)(?:; index: (?P<idx>\d+))?" \{\s*$')
_FIELD = re.compile(r"^\s*(?P<key>[\w/-]+)[ :]\s*(?P<value>.*?);?\s*$")
PROTO = {"tcp": TCP, "udp": UDP, "icmp": ICMP, "icmp6": ICMP6, "ipv6-icmp": ICMP6}


class _Unsupported(ValueError):
    pass


def _list(value: str) -> list[str]:
    value = value.strip().rstrip(";").strip()
    if value.startswith("["):
        return value.strip("[] ").split()
    return [value]


def _addr(word: str) -> Interval:
    if word == "any":
        return ANY_ADDR
    if "-" in word and "/" not in word:
        a, b = word.split("-", 1)
        return address_range(a, b)
    try:
        return network(word)
    except ValueError:
        raise _Unsupported(f"address {word!r} is not resolved in this output") from None


def _appsvc(items: list[str]) -> tuple[list[str], list[Service], bool]:
    """``0:web-browsing/tcp/any/80`` entries -> (apps, services, any_app)."""
    apps: list[str] = []
    services: list[Service] = []
    for item in items:
        body = item.split(":", 1)[1] if ":" in item.split("/")[0] else item
        app, proto, sport, dport = (body.split("/") + ["any"] * 4)[:4]
        if proto == "any":
            services.append(Service())
        elif proto in PROTO and PROTO[proto] in (TCP, UDP):
            services += [Service((PROTO[proto],) * 2, s, d) for s in panos_ports(sport) for d in panos_ports(dport)]
        elif proto in PROTO:
            services.append(Service.icmp(PROTO[proto]))
        elif proto.isdigit():
            services.append(Service((int(proto),) * 2))
        else:
            raise _Unsupported(f"application/service {item!r}")
        if app != "any":
            apps.append(app)
    any_app = len(apps) < len(items)
    if any_app and apps:
        raise _Unsupported("'any' application mixed with named ones")
    return apps, services, any_app


def parse(text: str, source: str) -> list[RuleSet]:
    table = routing(text)  # with "show interface all" / "show routing route" beside the policy
    rs = RuleSet("security policy", "paloalto_panos", source, zone_networks=table.networks() if table else {})
    current: dict[str, str] | None = None
    head = (0, "", "")
    for k, raw in enumerate(text.splitlines(), 1):
        m = _HEAD.match(raw.strip())
        if m:
            current = {}
            head = (k, m["name"], raw.strip())
            continue
        if current is None:
            continue
        if raw.strip() == "}":
            rs.rules.append(_rule(head, current, len(rs.rules), source))
            current = None
            continue
        f = _FIELD.match(raw)
        if f:
            current[f["key"]] = f["value"]
    return [rs] if rs.rules else []


def _rule(head: tuple[int, str, str], f: dict[str, str], idx: int, source: str) -> Rule:
    line, name, text = head
    action = {"allow": Action.PERMIT, "deny": Action.DENY, "drop": Action.DENY, "reset-client": Action.DENY,
              "reset-server": Action.DENY, "reset-both": Action.DENY}.get(f.get("action", ""), Action.OTHER)
    zones = [tuple(z for z in _list(f.get(k, "any")) if z != "any") for k in ("from", "to")]
    summary = "; ".join(f"{k} {v}" for k, v in f.items() if k in ("from", "source", "to", "destination",
                                                                 "application/service", "action"))
    rule = Rule(idx, name, action, Provenance(source, line, f"{text} {summary}"), src_zones=zones[0],
                dst_zones=zones[1], src_names=tuple(_list(f.get("source", "any"))),
                dst_names=tuple(_list(f.get("destination", "any"))), extra={"unknown": ["log", "comment"]})
    try:
        rule.src = tuple(_addr(a) for a in _list(f.get("source", "any")))
        rule.dst = tuple(_addr(a) for a in _list(f.get("destination", "any")))
        apps, services, _ = _appsvc(_list(f.get("application/service", "any/any/any/any")))
        rule.apps, rule.services = tuple(sorted(set(apps))), tuple(services)
    except (_Unsupported, ValueError) as exc:
        rule.status, rule.reason = ParseStatus.UNPARSED, str(exc)
        return rule
    narrow = [k for k in ("user", "category", "source-region", "destination-region")
              if f.get(k, "any") not in ("any", "none")]
    narrow += [k for k in ("negate-source", "negate-destination") if f.get(k) == "yes"]
    if narrow:
        rule.status, rule.partial = ParseStatus.APPROXIMATE, True
        rule.reason = "not modelled: " + ", ".join(narrow)
    return rule
