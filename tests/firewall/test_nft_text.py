"""nftables native text (``nft list ruleset``, ``nft -a`` handles, ``nft -f`` files): the same model as the
JSON output, each rule with its own line. The lab's rule sets are checked against their real ``nft -j`` JSON
(loaded by nft 1.0.6 in a namespace); the fixture is written from the nft(8) manual's syntax (named interval
sets over several lines, ``ct state vmap``, ``counter packets N bytes M``, ``limit rate``, ``reject with``,
``jump``, concatenations, ``!=`` anonymous sets)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.firewall.model import ANY_ADDR, Action, ParseStatus, Rule, network
from collectors.firewall.parsers import detect, nft_json, nft_text, parse_text

FIX = Path(__file__).parent / "fixtures"
LAB = Path(__file__).resolve().parents[2] / "netcomply" / "app" / "lab" / "data" / "nftables"


def _key(r: Rule) -> tuple[object, ...]:
    return (r.src, r.dst, frozenset(r.services), r.action, r.states, r.src_zones, r.dst_zones, r.log, r.status,
            r.comment, r.hits, r.partial, r.enabled)


def test_lab_rule_sets_read_the_same_as_their_json() -> None:
    for name in ("city-edge", "district-legacy"):
        text = (LAB / f"{name}.nft").read_text()
        assert detect(text) == "nft"
        native = nft_text.parse(text, f"{name}.nft")
        js = nft_json.parse((FIX / f"{name}.nft.json").read_text(), "json")
        assert [(s.name, s.default_action, s.management) for s in native] == \
            [(s.name, s.default_action, s.management) for s in js]
        for a, b in zip(native, js, strict=True):
            assert [_key(r) for r in a.rules] == [_key(r) for r in b.rules], a.name
            assert all(r.provenance.text.strip() in text and r.provenance.line > 0 for r in a.rules)


def test_nft_list_ruleset_features() -> None:
    text = (FIX / "nft_list_ruleset_a.txt").read_text()
    sets = {s.name: s for s in parse_text(text, None, "nft.txt")}
    assert set(sets) == {"inet filter/input", "inet filter/extra", "inet filter/forward", "ip6 legacy6/output"}
    inp = sets["inet filter/input"]
    assert inp.default_action == Action.DENY and inp.management
    by_handle = {r.name: r for r in inp.rules}
    ssh = by_handle["input handle 9"]
    assert ssh.status == ParseStatus.EXACT and ssh.hits == 1284 and ssh.states == ("new",)
    assert set(ssh.src) == {network("192.0.2.0/28"), network("192.0.2.64/27"), network("198.51.100.7")}
    assert ssh.comment == "ssh from admin nets" and ssh.provenance.line == 19
    web = by_handle["input handle 11"]
    assert {s.dport for s in web.services} == {(80, 80), (443, 443), (8000, 8010)} and web.src == (ANY_ADDR,)
    assert by_handle["input handle 13"].partial  # a rate limit matches only some packets
    telnet = by_handle["input handle 14"]
    assert telnet.action == Action.DENY and telnet.log and telnet.status == ParseStatus.EXACT
    assert by_handle["input handle 15"].action == Action.OTHER  # jump: non-terminal
    assert by_handle["input handle 6"].action == Action.OTHER  # a verdict map decides: not modelled as one action
    final = by_handle["input handle 16"]
    assert final.hits == 3321 and final.log and final.action == Action.DENY
    extra = sets["inet filter/extra"].rules
    assert extra[0].status == ParseStatus.APPROXIMATE  # concatenation
    assert {s.dport for s in extra[1].services} == {(0, 52), (54, 122), (124, 65535)}
    fwd = sets["inet filter/forward"]
    assert fwd.default_action == Action.PERMIT and fwd.rules[0].src_zones == ("eth1",)
    v6 = sets["ip6 legacy6/output"].rules[0]
    assert v6.dst == (network("2001:db8::/32"),) and v6.hits == 12


_WORDS = st.sampled_from(["ip", "ip6", "saddr", "daddr", "tcp", "udp", "dport", "sport", "192.0.2.1", "10.0.0.0/8",
                          "2001:db8::/64", "{", "}", ",", "22", "1-100", "@s", "accept", "drop", "reject", "counter",
                          "packets", "7", "log", "prefix", '"x "', "ct", "state", "new,established", "iif", '"lo"',
                          "meta", "l4proto", "limit", "rate", "5/second", "jump", "x", "!=", "comment", '"c"',
                          "fib", "mark", "set", "icmp", "type", "echo-request", "vmap", "th", "nfproto", "ipv4"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=14).map(" ".join), min_size=1, max_size=12))
def test_random_rules_never_crash_and_never_vanish(bodies: list[str]) -> None:
    """Every rule line becomes a rule (exact, approximate or unparsed), whatever it says."""
    lines = ["table inet t {", "\tset s {", "\t\ttype ipv4_addr", "\t\telements = { 192.0.2.1 }", "\t}",
             "\tchain c {", "\t\ttype filter hook input priority 0; policy drop;"]
    # Chain-level statements (a chain's own comment, type or policy) are not rules; "}" closes the chain.
    kept = [b for b in bodies if b.strip() not in ("}", "{") and not b.startswith(("comment ", "type ", "policy "))]
    lines += [f"\t\t{b}" for b in kept] + ["\t}", "}"]
    try:
        sets = nft_text.parse("\n".join(lines), "rand.nft")
    except Exception as exc:  # pragma: no cover - the failure message is the point
        raise AssertionError(f"crashed on {bodies!r}: {exc!r}") from exc
    rules = [r for s in sets for r in s.rules]
    assert len(rules) == len(kept)
    for r in rules:
        assert r.status in (ParseStatus.EXACT, ParseStatus.APPROXIMATE, ParseStatus.UNPARSED)
