"""One Cisco access-control entry (IOS and ASA share the grammar) -> the fields of a :class:`Rule`.

``permit|deny PROTOCOL SOURCE [PORTS] DESTINATION [PORTS|ICMP-TYPE] [options]``; the protocol may be a
service object or group (ASA), addresses may be objects or groups. Options that restrict matching in ways the
model has no field for (``established``, ``dscp``, ``fragments``, ``ttl``...) make the rule *approximate and
partial*: it is still analysed, but never used to prove another rule dead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

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

_T = TypeVar("_T")

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
    #: Fields read as supersets because the input does not say them ("src", "dst", "services"): "any" there
    #: means "unknown", which the checks must not report as a wide rule.
    unknown: list[str] = field(default_factory=list)


def parse_ace(words: list[str], store: ObjectStore, *, standard: bool = False, lenient: bool = False) -> Ace:
    """One entry. Strict by default; ``lenient`` reads objects not in the input as supersets (see
    :class:`Tokens`), and the entry is then approximate (partial) with the reasons in ``approximate``."""
    notes: list[str] | None = [] if lenient else None
    ace = _parse(Tokens(words, notes), store, standard)
    ace.approximate[:0] = notes or []
    return ace


def _parse(tok: Tokens, store: ObjectStore, standard: bool) -> Ace:
    action = tok.take()
    if action not in ("permit", "deny"):
        raise Unsupported(f"unknown action {action!r}")
    if standard:  # IOS standard ACL: source only
        src, src_text = address(tok, store) if tok.peek() not in (None, "log") else ([ANY_ADDR], "any")
        ace = Ace(action, [Service()], src, [ANY_ADDR], src_text, "any", unknown=["src"] if tok.notes else [])
        _options(tok, ace)
        return ace
    unknown: list[str] = []
    seen = _Widened(tok, unknown)
    proto, services = seen.field("services", _protocol(tok, store))
    src, src_text = seen.field("src", address(tok, store))
    sports = seen.field("services", _port_match(tok, store, proto, after_dst=False))
    dst, dst_text = seen.field("dst", address(tok, store))
    dports = seen.field("services", _port_match(tok, store, proto, after_dst=True))
    if proto in ("icmp", "icmp6"):
        services = icmp_service(tok, proto)
    if proto in ("tcp", "udp"):
        p = services[0].proto
        services = [Service(p, s, d) for s in sports for d in dports]
    ace = Ace(action, services, src, dst, src_text, dst_text, unknown=list(dict.fromkeys(unknown)))
    _options(tok, ace)
    return ace


class _Widened:
    """Notes which field a lenient read widened: the one being read when a note was added."""

    def __init__(self, tok: Tokens, out: list[str]) -> None:
        self.tok, self.out, self.seen = tok, out, 0

    def field(self, name: str, value: _T) -> _T:
        n = len(self.tok.notes or [])
        if n > self.seen:
            self.out.append(name)
            self.seen = n
        return value


def _protocol(tok: Tokens, store: ObjectStore) -> tuple[str | None, list[Service]]:
    """The protocol word (or service object/group, or protocol group) and the services it stands for; the
    protocol name is None when several protocols are meant (no port match may follow then)."""
    pw = tok.take()
    if pw not in ("object-group", "object"):
        proto = protocol_name(pw)
        return proto, [Service(proto=proto_range(proto))]
    name = tok.take()
    if name not in store.protocols:
        return None, store.service(name, tok=tok)
    names = store.protocol_numbers(name)
    if not names:
        raise Unsupported(f"protocol group {name!r} is empty: the entry matches nothing")
    # several protocols: no port match is read after them (a port would be an unknown option)
    return (names[0] if len(names) == 1 else None), [Service(proto=proto_range(n)) for n in names]


def _port_match(tok: Tokens, store: ObjectStore, proto: str | None, *, after_dst: bool) -> list[Interval]:
    """The TCP/UDP port match after the source or the destination: an operator, an ASA port group
    (``object-group``), an IOS ``portgroup``; any port when there is none."""
    if proto not in ("tcp", "udp"):
        return [ANY_PORT]
    w = tok.peek()
    if w in PORT_OPS and (after_dst or not _address_range_next(tok)):
        return port_op(tok, proto)
    if w == "object-group" and _is_port_group(tok.peek(1), store):
        tok.take()
        return store.ports(tok.take(), proto)
    if w == "portgroup":
        tok.take()
        return store.port_group(tok.take(), proto, tok)
    if w == "object-group" and after_dst and tok.notes is not None:
        tok.take()  # after the destination, a group can only be a port group: one not in the input is any port
        tok.widen(f"port group {tok.take()!r} is not defined in the input: read as any port")
    return [ANY_PORT]


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
        status, reason = ParseStatus.APPROXIMATE, "; ".join(dict.fromkeys(ace.approximate))
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
                reason=reason, partial=partial, src_names=(ace.src_text,), dst_names=(ace.dst_text,),
                extra={"unknown": ace.unknown} if ace.unknown else {})
