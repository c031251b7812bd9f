"""One Cisco access-control entry (IOS and ASA share the grammar) -> the fields of a :class:`Rule`.

``permit|deny PROTOCOL SOURCE [PORTS] DESTINATION [PORTS|ICMP-TYPE] [options]``; the protocol may be a
service object or group (ASA), addresses may be objects or groups. Options that restrict matching in ways the
model has no field for (``established``, ``dscp``, ``fragments``, ``ttl``...) make the rule *approximate and
partial*: it is still analysed, but never used to prove another rule dead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from collectors.firewall.model import ANY_ADDR, ANY_PORT, Action, Interval, ParseStatus, Provenance, Rule, Service
from collectors.firewall.parsers.cisco_common import (
    PORT_OPS,
    ObjectStore,
    Tokens,
    Unsupported,
    address,
    icmp_service,
    port_op,
    proto_range,
    protocol_name,
)

#: Options that narrow what an entry matches beyond the modelled fields.
_NARROWING = {"established", "dscp", "precedence", "tos", "fragments", "ttl", "option", "ack", "fin", "psh",
              "rst", "syn", "urg", "match-all", "match-any", "packet-length", "flow-label", "routing",
              "routing-type", "hbh", "dest-option", "mobility", "reflect", "evaluate"}
#: Options that change nothing about what matches.
_NEUTRAL = {"log", "log-input", "inactive", "disable", "default", "interval", "informational", "debugging",
            "notifications", "warnings", "errors", "critical", "alerts", "emergencies"}


@dataclass
class Ace:
    action: str
    services: list[Service]
    src: list[Interval]
    dst: list[Interval]
    src_text: str
    dst_text: str
    log: bool = False
    inactive: bool = False
    time_range: str | None = None
    approximate: list[str] = field(default_factory=list)
    established: bool = False


def parse_ace(words: list[str], store: ObjectStore, *, standard: bool = False) -> Ace:
    tok = Tokens(words)
    action = tok.take()
    if action not in ("permit", "deny"):
        raise Unsupported(f"unknown action {action!r}")
    if standard:  # IOS standard ACL: source only
        src, src_text = address(tok, store) if tok.peek() not in (None, "log") else ([ANY_ADDR], "any")
        ace = Ace(action, [Service()], src, [ANY_ADDR], src_text, "any")
        _options(tok, ace)
        return ace
    pw = tok.take()
    services: list[Service]
    proto: str | None = None
    if pw in ("object-group", "object"):
        name = tok.take()
        if name in store.protocols:
            names = store.protocol_numbers(name)
            if not names:
                raise Unsupported(f"protocol group {name!r} is empty: the entry matches nothing")
            # several protocols: no port match is read after them (a port would be an unknown option)
            proto = names[0] if len(names) == 1 else None
            services = [Service(proto=proto_range(n)) for n in names]
        else:
            services = store.service(name)
    else:
        proto = protocol_name(pw)
        services = [Service(proto=proto_range(proto))]
    src, src_text = address(tok, store)
    sports: list[Interval] = [ANY_PORT]
    if proto in ("tcp", "udp") and tok.peek() in PORT_OPS and not _address_range_next(tok):
        sports = port_op(tok, proto)
    elif proto in ("tcp", "udp") and tok.peek() == "object-group" and _is_port_group(tok.peek(1), store):
        tok.take()
        sports = store.ports(tok.take(), proto)
    dst, dst_text = address(tok, store)
    dports: list[Interval] = [ANY_PORT]
    if proto in ("tcp", "udp") and tok.peek() in PORT_OPS:
        dports = port_op(tok, proto)
    elif proto in ("tcp", "udp") and tok.peek() == "object-group" and _is_port_group(tok.peek(1), store):
        tok.take()
        dports = store.ports(tok.take(), proto)
    elif proto in ("icmp", "icmp6"):
        services = icmp_service(tok, proto)
    if proto in ("tcp", "udp"):
        p = services[0].proto
        services = [Service(p, s, d) for s in sports for d in dports]
    ace = Ace(action, services, src, dst, src_text, dst_text)
    _options(tok, ace)
    return ace


def _address_range_next(tok: Tokens) -> bool:
    """ASA's expansion writes address ranges as ``range A B``, the same word as the port operator."""
    return tok.peek() == "range" and (tok.peek(1) or "").count(".") == 3


def _is_port_group(name: str | None, store: ObjectStore) -> bool:
    return name is not None and name in store.services and store.services[name][0] is not None


def _options(tok: Tokens, ace: Ace) -> None:
    while not tok.done():
        w = tok.take()
        if w in ("log", "log-input"):
            nxt = tok.peek()
            if nxt == "disable":
                tok.take()
                continue
            ace.log = True
        elif w == "inactive":
            ace.inactive = True
        elif w == "time-range":
            ace.time_range = tok.take()
        elif w == "established":
            ace.established = True
            ace.approximate.append("'established' matches TCP segments with ACK or RST only")
        elif w in _NARROWING:
            ace.approximate.append(f"option {w!r} narrows the match beyond the modelled fields")
            _option_value(tok, w)
        elif w[:1] in "+-" and w[1:].isalpha():  # match-all +ack -fin: TCP flags
            ace.approximate.append(f"TCP flag {w!r} narrows the match beyond the modelled fields")
        elif w in _NEUTRAL or w.isdigit():
            continue
        elif w == "sequence":
            tok.take()
        else:
            raise Unsupported(f"unknown option {w!r}")


#: Options followed by a value (``precedence internet``, ``tos normal``, ``dscp af11``) or a comparison
#: (``ttl eq 5``, ``packet-length range 64 128``).
_VALUED = {"dscp", "precedence", "tos", "option", "flow-label", "reflect", "evaluate", "routing-type"}
_COMPARED = {"ttl", "packet-length"}


def _option_value(tok: Tokens, option: str) -> None:
    """Consume the value a narrowing option takes, so it is not read as an unknown option."""
    if option in _VALUED and not tok.done() and tok.peek() not in ("log", "log-input", "time-range"):
        tok.take()
    elif option in _COMPARED and tok.peek() in ("eq", "neq", "lt", "gt", "range"):
        count = 2 if tok.take() == "range" else 1
        for _ in range(count):
            if not tok.done():
                tok.take()


def rule_from_ace(ace: Ace, index: int, name: str, prov: Provenance, *, hits: int | None, comment: str | None,
                  time_ranges: dict[str, datetime | None]) -> Rule:
    """The model rule for one parsed entry (time ranges resolved to their end, when absolute)."""
    status, reason = ParseStatus.EXACT, None
    if ace.approximate:
        status, reason = ParseStatus.APPROXIMATE, "; ".join(ace.approximate)
    end = None
    if ace.time_range:
        end = time_ranges.get(ace.time_range)
        if ace.time_range not in time_ranges:
            status = ParseStatus.APPROXIMATE
            reason = f"time-range {ace.time_range!r} is not in the input: the rule may be inactive at times"
    partial = bool(ace.approximate) or ace.time_range is not None
    return Rule(index=index, name=name, action=Action.PERMIT if ace.action == "permit" else Action.DENY,
                provenance=prov, src=tuple(ace.src), dst=tuple(ace.dst), services=tuple(ace.services),
                states=("established",) if ace.established else (), log=ace.log, enabled=not ace.inactive,
                comment=comment, schedule=ace.time_range, schedule_end=end, hits=hits, status=status,
                reason=reason, partial=partial, src_names=(ace.src_text,), dst_names=(ace.dst_text,))
