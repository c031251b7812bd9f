"""Property tests: random access-control entries rendered as ASA and IOS text, parsed back, must match
exactly the packets their fields describe (checked on random packets, by an evaluator that knows nothing of
the parsers' interval encoding)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.firewall.model import V4_BASE, ParseStatus
from collectors.firewall.parsers import cisco_asa, cisco_ios

PROTOS = {"tcp": 6, "udp": 17, "icmp": 1, "ip": None, "gre": 47}


@dataclass
class Spec:
    action: str
    proto: str
    src: tuple[str, int] | None  # (network address, prefix) or None for any
    dst: tuple[str, int] | None
    dport: tuple[str, int, int] | None  # (op, a, b)
    log: bool


def _net(prefix: int, base: int) -> tuple[str, int]:
    addr = ipaddress.IPv4Network((base & ((0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF), prefix))
    return str(addr.network_address), prefix


nets = st.one_of(st.none(), st.builds(_net, st.integers(0, 32), st.integers(0, 2**32 - 1)))
ports = st.one_of(
    st.none(),
    st.tuples(st.sampled_from(["eq", "lt", "gt", "neq"]), st.integers(1, 65534), st.just(0)),
    st.tuples(st.just("range"), st.integers(0, 65535), st.integers(0, 65535)).map(
        lambda t: ("range", min(t[1], t[2]), max(t[1], t[2]))),
)
specs = st.builds(Spec, st.sampled_from(["permit", "deny"]), st.sampled_from(list(PROTOS)), nets, nets, ports,
                  st.booleans())


def _addr(n: tuple[str, int] | None, wildcard: bool) -> str:
    if n is None:
        return "any"
    a, p = n
    if p == 32:
        return f"host {a}"
    mask = (0xFFFFFFFF << (32 - p)) & 0xFFFFFFFF
    return f"{a} {ipaddress.IPv4Address(mask ^ 0xFFFFFFFF if wildcard else mask)}"


def render(s: Spec, wildcard: bool) -> str:
    text = f"{s.action} {s.proto} {_addr(s.src, wildcard)} {_addr(s.dst, wildcard)}"
    if s.dport and s.proto in ("tcp", "udp"):
        op, a, b = s.dport
        text += f" range {a} {b}" if op == "range" else f" {op} {a}"
    return text + (" log" if s.log else "")


def expected(s: Spec, src: int, dst: int, proto: int, dport: int) -> bool:
    def inside(n: tuple[str, int] | None, ip: int) -> bool:
        return n is None or ipaddress.IPv4Address(ip) in ipaddress.IPv4Network(n)
    if PROTOS[s.proto] is not None and PROTOS[s.proto] != proto:
        return False
    ok = True
    if s.dport and s.proto in ("tcp", "udp"):
        op, a, b = s.dport
        ok = {"eq": dport == a, "lt": dport < a, "gt": dport > a, "neq": dport != a, "range": a <= dport <= b}[op]
    return inside(s.src, src) and inside(s.dst, dst) and ok


def got(rule: object, src: int, dst: int, proto: int, dport: int) -> bool:
    r = rule
    s, d = V4_BASE + src, V4_BASE + dst
    return (any(a <= s <= b for a, b in r.src) and any(a <= d <= b for a, b in r.dst)  # type: ignore[attr-defined]
            and any(x.proto[0] <= proto <= x.proto[1] and x.dport[0] <= dport <= x.dport[1]
                    for x in r.services))  # type: ignore[attr-defined]


packets = st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.sampled_from([6, 17, 1, 47]),
                             st.integers(0, 65535)), min_size=20, max_size=20)


@settings(max_examples=150, deadline=None)
@given(specs, packets)
def test_asa_and_ios_entries_parse_to_exactly_their_packets(spec: Spec, pkts: list[tuple[int, int, int, int]]) -> None:
    asa = cisco_asa.parse(f"access-list X extended {render(spec, False)}\n", "t")[0].rules[0]
    ios = cisco_ios.parse(f"ip access-list extended X\n {render(spec, True)}\n", "t")[0].rules[0]
    for rule in (asa, ios):
        assert rule.status == ParseStatus.EXACT, (render(spec, False), rule.reason)
        assert rule.log == spec.log and str(rule.action) == spec.action
        # The sampled packets plus, for each address, one packet inside it (random ones rarely are).
        probes = list(pkts)
        if spec.src and spec.dst:
            inside = (int(ipaddress.IPv4Address(spec.src[0])), int(ipaddress.IPv4Address(spec.dst[0])))
            probes += [(inside[0], inside[1], p, port) for p in (6, 17, 1) for port in (0, 22, 65535)]
        for src, dst, proto, dport in probes:
            assert got(rule, src, dst, proto, dport) == expected(spec, src, dst, proto, dport), (render(spec, False),
                                                                                              src, dst, proto, dport)
