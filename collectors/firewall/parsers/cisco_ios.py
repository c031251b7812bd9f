"""Cisco IOS / IOS XE: ``show ip access-lists``, ``show ipv6 access-list`` and ``show running-config``
(named and numbered ACLs, object groups, time ranges, VTY ``access-class`` and interface ``ip access-group``).

Traps handled on purpose (each seen in published captures): ``wildcard bits`` in standard ACL output, port
lists (``eq telnet ssh http 8080``, ``neq telnet ssh``), ``(active)``/``(inactive)`` time-range markers,
non-contiguous wildcards (expanded exactly into ranges; over 1,024 ranges, the covering range, approximate and
partial), object groups not in the input (``show ip access-lists`` names them without their members: read as
any address or service, approximate and partial), and ``established`` (approximate, partial).
"""

from __future__ import annotations

import re

from collectors.firewall.model import ANY6, Action, ParseStatus, Provenance, Rule, RuleSet
from collectors.firewall.parsers.cisco_ace import parse_ace, rule_from_ace
from collectors.firewall.parsers.cisco_common import ObjectStore, Unsupported
from collectors.firewall.parsers.cisco_routing import routing
from collectors.firewall.parsers.timerange import time_ranges

_SHOW_HEADER = re.compile(r"^(Standard|Extended|Reflexive) IP access list (\S+)|^IPv6 access list (\S+)")
_CONF_HEADER = re.compile(r"^(ip|ipv6) access-list (?:(standard|extended|role-based) )?(\S+)")
_NUMBERED = re.compile(r"^access-list (\d+) (.*)$")
#: ASA-style named lines that IOS accepts too: ``access-list NAME extended permit ...`` or a block header.
_NAMED_LINE = re.compile(r"^access-list (\S+) (extended|standard)(?:\s+(.*?))?\s*$")
_MATCHES = re.compile(r"\s*\((\d+) matches\)")
_MARKERS = re.compile(r"\s*\((active|inactive|time left \d+)\)")
_SEQ = re.compile(r"^(\d+)\s+(.*)$")
_GROUP = re.compile(r"^object-group (network|service|protocol|ip port) +(\S+)")


def _objects(lines: list[str]) -> ObjectStore:
    store = ObjectStore(wildcard=False, ace_wildcard=True)
    current: list[str] | None = None
    for line in lines:
        m = _GROUP.match(line)
        if m:
            current = []
            if m[1] == "network":
                store.networks[m[2]] = current
            elif m[1] == "protocol":
                store.protocols[m[2]] = current
            elif m[1] == "ip port":
                store.portgroups[m[2]] = current
            else:
                store.services[m[2]] = (None, current)
        elif current is not None and line.startswith(" ") and line.strip():
            current.append(line.strip())
        else:
            current = None
    return store


def _bindings(lines: list[str]) -> tuple[dict[str, list[str]], set[str]]:
    bound: dict[str, list[str]] = {}
    mgmt: set[str] = set()
    context: str | None = None
    for line in lines:
        if not line.startswith(" "):
            context = line.strip()
            continue
        w = line.split()
        if w[:1] == ["access-class"] and context and context.startswith("line vty"):
            mgmt.add(w[1])
        elif w[:2] in (["ip", "access-group"], ["ipv6", "traffic-filter"]) and context and \
                context.startswith("interface"):
            bound.setdefault(w[2], []).append(f"{context.split(None, 1)[1]} {w[3] if len(w) > 3 else 'in'}")
    return bound, mgmt


def parse(text: str, source: str) -> list[RuleSet]:
    lines = text.splitlines()
    store = _objects(lines)
    ranges = time_ranges(lines)
    bound, mgmt = _bindings(lines)
    nets = routing(text, asa=False).networks()
    sets: dict[str, RuleSet] = {}
    standard: dict[str, bool] = {}
    current: str | None = None
    remarks: list[str] = []

    def add(acl: str, body: str, k: int, raw: str, seq: str | None) -> None:
        rs = sets[acl]
        hits_m = _MATCHES.search(body)
        body = _MARKERS.sub("", _MATCHES.sub("", body)).replace(", wildcard bits", "").strip()
        idx = len(rs.rules)
        name = f"{acl} {seq}" if seq else f"{acl} #{idx + 1}"
        prov = Provenance(source, k, raw.strip())
        comment = " / ".join(remarks) or None
        remarks.clear()
        hits = int(hits_m.group(1)) if hits_m else None
        words = body.split()
        if acl in ipv6 and len(words) > 1 and words[1] == "icmp":
            words[1] = "icmp6"  # in an IPv6 ACL "icmp" is ICMPv6, with its own type names
        try:
            ace = parse_ace(words, store, standard=standard[acl], lenient=True)
            rule = rule_from_ace(ace, idx, name, prov, hits=hits, comment=comment, time_ranges=ranges)
            if acl in ipv6:  # an IPv6 ACL sees only IPv6 packets: "any" is any IPv6 address
                rule.src = tuple((a, min(b, ANY6[1])) for a, b in rule.src if a <= ANY6[1])
                rule.dst = tuple((a, min(b, ANY6[1])) for a, b in rule.dst if a <= ANY6[1])
            rs.rules.append(rule)
        except (Unsupported, ValueError, IndexError) as exc:
            action = Action.PERMIT if body.startswith("permit") else Action.DENY if body.startswith("deny") \
                else Action.OTHER
            rs.rules.append(Rule(idx, name, action, prov, status=ParseStatus.UNPARSED, reason=str(exc),
                                 hits=hits, comment=comment, log=" log" in f" {body}"))

    ipv6: set[str] = set()

    def open_set(acl: str, is_standard: bool) -> None:
        sets.setdefault(acl, RuleSet(acl, "cisco_ios", source, bound_to=tuple(bound.get(acl, ())),
                                     management=acl in mgmt, zone_networks=nets))
        standard[acl] = is_standard

    for k, raw in enumerate(lines, 1):
        m = _SHOW_HEADER.match(raw) or _CONF_HEADER.match(raw)
        if m and raw.startswith(("Standard", "Extended", "Reflexive", "IPv6")):
            current = m[2] or m[3]
            open_set(current, raw.startswith("Standard"))
            if raw.startswith("IPv6"):
                ipv6.add(current)
            continue
        if m:
            current = m[3]
            open_set(current, m[2] == "standard")
            if m[1] == "ipv6":
                ipv6.add(current)
            continue
        nl = None if _NUMBERED.match(raw) else _NAMED_LINE.match(raw)
        if nl:
            open_set(nl[1], nl[2] == "standard")
            body = nl[3] or ""
            current = nl[1] if not body else None  # a header: its entries follow, indented
            if body.startswith("remark"):
                remarks.append(body[6:].strip())
            elif body:
                add(nl[1], body, k, raw, None)
            continue
        n = _NUMBERED.match(raw)
        if n:
            num = int(n[1])
            open_set(n[1], num < 100 or 1300 <= num <= 1999)
            if n[2].startswith("remark"):
                remarks.append(n[2][6:].strip())
            else:
                add(n[1], n[2], k, raw, None)
            current = None
            continue
        if current is None or not raw.startswith(" ") or not raw.strip():
            current = None if raw.strip() and not raw.startswith(" ") else current
            continue
        body = raw.strip()
        seq = None
        sm = _SEQ.match(body)
        if sm:
            seq, body = sm[1], sm[2]
        tail = re.search(r"\s+sequence (\d+)\s*$", body)  # IPv6 output puts the sequence last
        if tail:
            seq, body = tail[1], body[: tail.start()]
        if body.startswith("remark"):
            remarks.append(body[6:].strip())
            continue
        add(current, body, k, raw, seq)
    return list(sets.values())
