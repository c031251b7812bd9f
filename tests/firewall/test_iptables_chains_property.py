"""Property: user chains inlined into their callers decide every packet as the kernel's traversal does.

Random ``iptables-save`` texts (a FORWARD chain, two user chains, jumps, ``-s X -j RETURN`` and unconditional
RETURNs) are parsed; for random packets, the first matching rule of the flattened FORWARD rule set (or its
policy) must equal the verdict of a small reference walker that follows jumps and returns like netfilter."""

from __future__ import annotations

import ipaddress

from hypothesis import example, given, settings
from hypothesis import strategies as st

from collectors.firewall.model import V4_BASE, Action
from collectors.firewall.parsers import iptables

NETS = ["192.0.2.0/24", "192.0.2.0/25", "192.0.2.128/26", "198.51.100.0/24"]
PROTOS = {"tcp": 6, "udp": 17}

match = st.fixed_dictionaries({"src": st.one_of(st.none(), st.sampled_from(NETS)),
                               "proto": st.one_of(st.none(), st.sampled_from(sorted(PROTOS))),
                               "dport": st.one_of(st.none(), st.sampled_from([22, 80]))})


def _rules(chain: str, targets: list[str]) -> st.SearchStrategy[list[tuple[str, dict[str, object], str]]]:
    return st.lists(st.tuples(st.just(chain), match, st.sampled_from(targets)), max_size=5)


@st.composite
def rulesets(draw: st.DrawFn) -> tuple[str, list[tuple[str, dict[str, object], str]]]:
    policy = draw(st.sampled_from(["ACCEPT", "DROP"]))
    rules = draw(_rules("FORWARD", ["ACCEPT", "DROP", "U1", "U2"]))
    rules += draw(_rules("U1", ["ACCEPT", "DROP", "U2", "RETURN", "RETURN"]))
    rules += draw(_rules("U2", ["ACCEPT", "DROP", "RETURN", "RETURN"]))
    fixed = []
    for chain, m, target in rules:
        if target == "RETURN" and (m["proto"] or m["dport"]):
            m = {"src": m["src"], "proto": None, "dport": None}  # RETURN on an address alone (or on nothing)
        if m["dport"] and not m["proto"]:
            m = {**m, "proto": "tcp"}
        fixed.append((chain, m, target))
    return policy, fixed


def _render(policy: str, rules: list[tuple[str, dict[str, object], str]]) -> str:
    out = ["*filter", f":FORWARD {policy} [0:0]", ":U1 - [0:0]", ":U2 - [0:0]"]
    for chain, m, target in rules:
        words = [f"-A {chain}"]
        if m["src"]:
            words.append(f"-s {m['src']}")
        if m["proto"]:
            words.append(f"-p {m['proto']}")
        if m["dport"]:
            words.append(f"-m {m['proto']} --dport {m['dport']}")
        words.append(f"-j {target}")
        out.append(" ".join(words))
    return "\n".join([*out, "COMMIT", ""])


def _matches(m: dict[str, object], pkt: tuple[int, int, int]) -> bool:
    src, proto, dport = pkt
    if m["src"] and ipaddress.IPv4Address(src) not in ipaddress.ip_network(str(m["src"])):
        return False
    if m["proto"] and PROTOS[str(m["proto"])] != proto:
        return False
    return not (m["dport"] and m["dport"] != dport)


def _walk(chain: str, rules: list[tuple[str, dict[str, object], str]], pkt: tuple[int, int, int]) -> str | None:
    """The kernel's traversal: a verdict, or None when the chain returns."""
    for c, m, target in rules:
        if c != chain or not _matches(m, pkt):
            continue
        if target in ("ACCEPT", "DROP"):
            return target
        if target == "RETURN":
            return None
        verdict = _walk(target, rules, pkt)
        if verdict is not None:
            return verdict
    return None


packets = st.tuples(st.sampled_from([int(ipaddress.IPv4Address(a)) for a in
                                     ("192.0.2.1", "192.0.2.130", "192.0.2.200", "198.51.100.7", "203.0.113.1")]),
                    st.sampled_from([6, 17]), st.sampled_from([22, 80, 443]))


_SENT_BACK = ("DROP", [("FORWARD", {"src": None, "proto": None, "dport": None}, "U1"),
                      ("U1", {"src": "192.0.2.0/24", "proto": None, "dport": None}, "RETURN"),
                      ("U1", {"src": None, "proto": None, "dport": None}, "ACCEPT")])


@settings(max_examples=300, deadline=None)
@given(rulesets(), st.lists(packets, min_size=1, max_size=8))
@example(_SENT_BACK, [(int(ipaddress.IPv4Address("192.0.2.1")), 6, 80)])
def test_inlined_chains_decide_like_the_kernel(spec: tuple[str, list[tuple[str, dict[str, object], str]]],
                                               pkts: list[tuple[int, int, int]]) -> None:
    policy, rules = spec
    sets = {rs.name: rs for rs in iptables.parse(_render(policy, rules), "rand.rules")}
    fwd = sets["ip filter/FORWARD"]
    for pkt in pkts:
        expected = _walk("FORWARD", rules, pkt) or policy
        addr = V4_BASE + pkt[0]
        got = None
        for r in fwd.rules:
            hit = any(a <= addr <= b for a, b in r.src) and any(
                s.proto[0] <= pkt[1] <= s.proto[1] and s.dport[0] <= pkt[2] <= s.dport[1] for s in r.services)
            if "cannot match" in (r.reason or ""):
                continue  # kept, partial and with why, but matches nothing through its jump
            if hit and r.action != Action.OTHER:
                assert not r.partial, r  # address-only RETURNs keep every rule exact
                got = "ACCEPT" if r.action == Action.PERMIT else "DROP"
                break
        assert (got or policy) == expected, (_render(policy, rules), pkt)
