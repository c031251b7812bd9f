"""Cisco ASA: ``show running-config`` (objects, groups, access lists, access-groups, time ranges) and
``show access-list`` (hit counts, and each object-group entry expanded into indented child lines).

Why both: the running configuration has the objects but no hit counts; ``show access-list`` has hit counts
and the device's own expansion of every group, but not the object definitions. An entry whose objects are not
in the input is rebuilt from its expanded children; if the children are not a full product of their sources,
destinations and services, the rule is marked approximate and partial rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from collectors.firewall.model import Action, ParseStatus, Provenance, Rule, RuleSet, Service, merge_intervals
from collectors.firewall.parsers.cisco_ace import Ace, parse_ace, rule_from_ace
from collectors.firewall.parsers.cisco_common import ObjectStore, Unsupported
from collectors.firewall.parsers.cisco_routing import routing
from collectors.firewall.parsers.timerange import time_ranges

_ACL = re.compile(r"^(?P<indent>\s*)access-list (?P<acl>\S+)(?: line (?P<no>\d+))? (?P<kind>\S+)\s*(?P<rest>.*)$")
_KINDS = {"extended", "standard", "remark", "webtype", "ethertype", "advanced", "permit", "deny"}
_HITS = re.compile(r"\s*\(hitcnt=(\d+)\)")
_HASH = re.compile(r"\s+0x[0-9a-f]+\s*$")
_GROUP = re.compile(r"^(object|object-group) (network|service|protocol|icmp-type)\s+(\S+)(?:\s+(\S+))?")
_ACCESS_GROUP = re.compile(r"^access-group (\S+) (?:(in|out) interface (\S+)|(global))")


@dataclass
class _Entry:
    acl: str
    line_no: int
    text: str
    body: str
    hits: int | None
    inactive: bool
    comment: str | None
    ace_no: int | None
    children: list[str] = field(default_factory=list)


def objects(lines: list[str]) -> ObjectStore:
    """Every object and object group in the input, members kept as text and expanded on use."""
    store = ObjectStore(wildcard=False, ace_wildcard=False)
    current: list[str] | None = None
    for line in lines:
        m = _GROUP.match(line)
        if m:
            kind, typ, name, proto = m.groups()
            current = []
            if typ == "network":
                store.networks[name] = current
            elif typ == "service":
                store.services[name] = (proto if kind == "object-group" else None, current)
            elif typ == "protocol":
                store.protocols[name] = current
            else:
                store.icmp[name] = current
        elif current is not None and line.startswith(" ") and line.strip():
            w = line.split()
            if w[0] not in ("nat", "description"):
                current.append(line.strip())
        else:
            current = None
    return store


def _entries(lines: list[str]) -> list[_Entry]:
    out: list[_Entry] = []
    remarks: dict[str, list[str]] = {}
    for k, raw in enumerate(lines, 1):
        m = _ACL.match(raw)
        if not m:
            continue
        acl, kind, rest = m["acl"], m["kind"], m["rest"]
        if kind not in _KINDS or acl.endswith(";"):
            continue  # "access-list NAME; 6 elements", "access-list cached ACL log flows"
        if kind == "remark":
            remarks.setdefault(acl, []).append(rest.strip())
            continue
        if kind in ("permit", "deny"):  # pre-8.3 syntax without "extended"
            rest, kind = f"{kind} {rest}", "extended"
        hits = _HITS.search(rest)
        body = _HASH.sub("", _HITS.sub("", rest)).strip()
        inactive = "(inactive)" in body
        body = body.replace("(inactive)", "").strip()
        no = int(m["no"]) if m["no"] else None
        if m["indent"] and out and out[-1].acl == acl and out[-1].ace_no == no:
            out[-1].children.append(body)
            continue
        if kind == "standard" and body.split()[:1] in (["permit"], ["deny"]):
            # ASA standard ACLs match the destination only (route maps, split tunnels): "permit ip any DST"
            action, _, dest = body.partition(" ")
            body = f"{action} ip any {dest}"
        elif kind != "extended":
            body = f"<{kind}> {body}"
        out.append(_Entry(acl, k, raw.strip(), body, int(hits.group(1)) if hits else None, inactive,
                          " / ".join(remarks.pop(acl, [])) or None, no))
    return out


def _from_children(children: list[str], store: ObjectStore) -> tuple[Ace, bool]:
    """Rebuild an entry from the device's expansion; ``exact`` when the children form a full product."""
    aces = [parse_ace(c.split(), store) for c in children]
    srcs = merge_intervals([iv for a in aces for iv in a.src])
    dsts = merge_intervals([iv for a in aces for iv in a.dst])
    svcs: list[Service] = list(dict.fromkeys(s for a in aces for s in a.services))
    combos = {(tuple(a.src), tuple(a.dst), s) for a in aces for s in a.services}
    exact = len({c[0] for c in combos}) * len({c[1] for c in combos}) * len(svcs) == len(combos)
    first = aces[0]
    return Ace(first.action, svcs, list(srcs), list(dsts), "(expanded)", "(expanded)", log=first.log,
               inactive=first.inactive, time_range=first.time_range,
               approximate=[x for a in aces for x in a.approximate]), exact


def parse(text: str, source: str) -> list[RuleSet]:
    lines = text.splitlines()
    store = objects(lines)
    ranges = time_ranges(lines)
    bindings: dict[str, list[str]] = {}
    for line in lines:
        m = _ACCESS_GROUP.match(line)
        if m:
            bindings.setdefault(m[1], []).append(f"{m[3]} {m[2]}" if m[3] else "global")
    nets = routing(text, asa=True).networks()
    sets: dict[str, RuleSet] = {}
    for e in _entries(lines):
        rs = sets.setdefault(e.acl, RuleSet(e.acl, "cisco_asa", source, bound_to=tuple(bindings.get(e.acl, ())),
                                            zone_networks=nets))
        idx = len(rs.rules)
        name = f"{e.acl} line {e.ace_no}" if e.ace_no else f"{e.acl} #{idx + 1}"
        prov = Provenance(source, e.line_no, e.text)
        rule = _build(e, store, idx, name, prov, ranges)
        rs.rules.append(rule)
    return list(sets.values())


def _fallback(e: _Entry, store: ObjectStore) -> tuple[Ace, bool]:
    """An entry the strict read refused: the device's own expansion first (exact where the objects are not in
    the input), else the entry read leniently (objects not in the input, FQDNs, the device's own interface
    address as supersets: approximate, partial, with why)."""
    if e.children:
        try:
            return _from_children(e.children, store)
        except Unsupported:
            pass
    return parse_ace(e.body.split(), store, lenient=True), True


def _build(e: _Entry, store: ObjectStore, idx: int, name: str, prov: Provenance,
           ranges: dict[str, datetime | None]) -> Rule:
    if e.body.startswith("<"):
        return Rule(idx, name, Action.OTHER, prov, status=ParseStatus.UNPARSED, hits=e.hits, comment=e.comment,
                    reason=f"{e.body.split('>')[0][1:]} access lists are not modelled")
    try:
        try:
            ace = parse_ace(e.body.split(), store)
            exact = True
        except Unsupported:
            ace, exact = _fallback(e, store)
        ace.inactive |= e.inactive
        rule = rule_from_ace(ace, idx, name, prov, hits=e.hits, comment=e.comment,
                             time_ranges=ranges)
        if not exact:
            rule.status, rule.partial = ParseStatus.APPROXIMATE, True
            rule.reason = "rebuilt from the device's expansion, which is not a full product of its objects"
        return rule
    except (Unsupported, ValueError, IndexError) as exc:
        action = Action.PERMIT if e.body.startswith("permit") else Action.DENY if e.body.startswith("deny") \
            else Action.OTHER
        return Rule(idx, name, action, prov, status=ParseStatus.UNPARSED, reason=str(exc), hits=e.hits,
                    comment=e.comment, log=" log" in f" {e.body}", enabled=not e.inactive)
