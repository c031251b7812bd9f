"""``iptables-save [-c]``, ``ip6tables-save [-c]`` and ``iptables -A ...`` scripts: every table and chain.

Lines are read as iptables-save writes them (``*table``, ``:CHAIN POLICY``, ``-A``) or as a script writes
them (``iptables -t nat -N X``, ``--append``, ``-I``, ``-P``); a rule in a chain that was never declared
creates it, so no rule is dropped. Chains become rule sets in
:mod:`collectors.firewall.parsers.iptables_chains` (user chains followed from their callers). The usual "LOG
then DROP with the same match" pair counts as one logged decision. Matches without a model field (``-m
limit``, ``recent``, ``set``, ``mark``...) leave the rule approximate and partial, never silently widened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from collectors.firewall.model import (
    ANY4,
    ANY6,
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
    address_range,
    network,
)
from collectors.firewall.parsers.iptables_chains import Chain, rule_sets
from collectors.firewall.parsers.nft_json import ICMP6_NAMES, ICMP_NAMES, PROTO_NAMES
from collectors.firewall.parsers.ranges import complement
from collectors.firewall.parsers.words import split_words

_NEUTRAL_MODULES = {"tcp", "udp", "icmp", "icmp6", "icmpv6", "multiport", "conntrack", "state", "comment",
                    "iprange"}
_TARGETS = {"ACCEPT": Action.PERMIT, "DROP": Action.DENY, "REJECT": Action.DENY}
_CT = {"NEW": "new", "ESTABLISHED": "established", "RELATED": "related", "INVALID": "invalid",
       "UNTRACKED": "untracked"}


class _Approx(ValueError):
    pass


def _ports(text: str) -> list[Interval]:
    """``22``, ``1024:``, ``:1023``, ``1000:2000`` and comma lists of them."""
    out = []
    for part in text.split(","):
        a, colon, b = part.partition(":")
        lo = int(a) if a else 0
        hi = (int(b) if b else 65535) if colon else lo
        out.append((lo, hi))
    return out


def _command(line: str) -> tuple[str | None, list[str]]:
    """(table given with ``-t``, the rule words) of an iptables-save line or an ``iptables ...`` script line."""
    words = split_words(line)
    while words and words[0] in ("sudo", "iptables", "ip6tables", "/sbin/iptables", "/sbin/ip6tables",
                                 "/usr/sbin/iptables", "/usr/sbin/ip6tables"):
        words = words[1:]
    table = None
    for k in range(len(words) - 1):
        if words[k] in ("-t", "--table"):
            table = words[k + 1]
            words = words[:k] + words[k + 2:]
            break
    return table, words


def parse(text: str, source: str) -> list[RuleSet]:
    """Every chain of every table; user chains reached by ``-j``/``-g`` are followed into their callers."""
    v6 = "ip6tables" in text[:300] or any(":" in w and "/" in w for w in text.split() if w[:1].isdigit() or
                                            w[:1] in "abcdef")
    fam = ANY6 if v6 else ANY4
    chains: dict[tuple[str, str], Chain] = {}
    table = "filter"
    for k, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line[0] == "#" or line == "COMMIT":
            continue
        if line[0] == "*":
            table = line[1:].strip() or "filter"
            continue
        if line[0] == ":":
            parts = line[1:].split()
            if parts:
                chain = chains.setdefault((table, parts[0]), Chain(table, parts[0]))
                chain.policy = parts[1] if len(parts) > 1 else "-"
            continue
        hits = None
        if line[0] == "[":
            counters, _, line = line.partition("] ")
            try:
                hits = int(counters[1:].split(":")[0])
            except ValueError:
                hits = None
        given, words = _command(line)
        tbl = given or table
        if len(words) < 2:
            continue
        op, name = words[0], words[1]
        if op in ("-N", "--new-chain", "-P", "--policy"):
            chain = chains.setdefault((tbl, name), Chain(tbl, name))
            if op in ("-P", "--policy") and len(words) > 2:
                chain.policy = words[2]
            continue
        if op not in ("-A", "--append", "-I", "--insert"):
            continue
        chain = chains.setdefault((tbl, name), Chain(tbl, name))
        rest = words[2:]
        pos = len(chain.rules)
        if op in ("-I", "--insert"):
            pos = 0
            if rest and rest[0].isdigit():
                pos, rest = max(int(rest[0]) - 1, 0), rest[1:]
        rule = _rule(rest, 0, Provenance(source, k, raw.strip()), hits, fam)
        chain.rules.insert(min(pos, len(chain.rules)), rule)
    return rule_sets(chains, source, v6)


_ADDRESS_OPTS = {"-s": "src", "--source": "src", "-d": "dst", "--destination": "dst", "--src-range": "src",
                 "--dst-range": "dst"}
_PORT_OPTS = {"--dport": "dport", "--dports": "dport", "--destination-port": "dport", "--destination-ports": "dport",
              "--sport": "sport", "--sports": "sport", "--source-port": "sport", "--source-ports": "sport"}


@dataclass
class _Match:
    """What one rule's options say, field by field (each option handled by one small method)."""

    fam: Interval
    src: list[Interval] = field(default_factory=list)
    dst: list[Interval] = field(default_factory=list)
    protos: list[int] | None = None
    sport: list[Interval] = field(default_factory=lambda: [ANY_PORT])
    dport: list[Interval] = field(default_factory=lambda: [ANY_PORT])
    icmp: tuple[int, int, int | None] | None = None
    iif: tuple[str, ...] = ()
    oif: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    comment: str | None = None
    approx: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.src, self.dst = [self.fam], [self.fam]

    def option(self, opt: str, val: str, neg: bool) -> None:
        if opt in _ADDRESS_OPTS:
            self.address(opt, val, neg)
        elif opt in ("-p", "--protocol"):
            if neg:
                raise _Approx("negated protocol")
            self.protos = None if val == "all" else [PROTO_NAMES.get(val, 0) or int(val)]
        elif opt in _PORT_OPTS:
            ports = complement(_ports(val), ANY_PORT) if neg else _ports(val)
            setattr(self, _PORT_OPTS[opt], ports)
        elif opt in ("--icmp-type", "--icmpv6-type"):
            self.icmp_type(opt, val, neg)
        elif opt in ("-i", "--in-interface", "-o", "--out-interface"):
            if neg or val.endswith("+"):
                raise _Approx(f"interface match {'! ' if neg else ''}{val} is not modelled")
            if opt in ("-i", "--in-interface"):
                self.iif = (val,)
            else:
                self.oif = (val,)
        elif opt in ("--ctstate", "--state"):
            if neg:
                raise _Approx("negated state")
            self.states = tuple(_CT[s] for s in val.split(","))
        elif opt == "--comment":
            self.comment = val
        else:
            self.approx.append(f"option {opt} is not modelled")

    def address(self, opt: str, val: str, neg: bool) -> None:
        if opt.endswith("-range"):
            a, _, b = val.partition("-")
            ivs = [address_range(a, b)]
        else:
            ivs = [network(x) for x in val.split(",")]
        setattr(self, _ADDRESS_OPTS[opt], complement(ivs, self.fam) if neg else ivs)

    def icmp_type(self, opt: str, val: str, neg: bool) -> None:
        table, num = (ICMP_NAMES, ICMP) if opt == "--icmp-type" else (ICMP6_NAMES, ICMP6)
        if neg:
            raise _Approx("negated ICMP type")
        if val == "any":
            raise _Approx("")
        t, _, c = val.partition("/")
        self.icmp = (num, table[t] if t in table else int(t), int(c) if c else None)

    def services(self) -> tuple[Service, ...]:
        if self.icmp is not None:
            return (Service.icmp(*self.icmp),)
        if self.protos is None:
            return (Service(),)
        p = self.protos[0]
        if p in (TCP, UDP, 132):
            return tuple(Service((p, p), s, d) for s in self.sport for d in self.dport)
        return (Service((p, p)),)


def _read(w: list[str], m: _Match) -> tuple[str | None, bool, list[str]]:
    """Walk the words: every match option into ``m``; returns (target, goto, the match words)."""
    match: list[str] = []
    k = 0
    while k < len(w):
        neg = w[k] == "!"
        if neg:
            k += 1
        if w[k] in ("-4", "--ipv4", "-6", "--ipv6"):  # iptables-restore: this family's tool only
            if (w[k] in ("-6", "--ipv6")) == (m.fam == ANY4):
                m.approx.append(f"option {w[k]}: the other family's tool applies this rule")
            k += 1
            continue
        opt, val = w[k], (w[k + 1] if k + 1 < len(w) else "")
        k += 2
        if opt in ("-j", "-g", "--jump", "--goto"):
            return val, opt in ("-g", "--goto"), match  # target options (--log-prefix...) follow
        match += (["!"] if neg else []) + [opt, val]
        if opt == "-m":
            if val not in _NEUTRAL_MODULES:
                m.approx.append(f"match module {val!r} narrows the rule")
                while k < len(w) and w[k].startswith("--") and w[k] not in ("--dport", "--sport"):
                    k += 2
            continue
        m.option(opt, val, neg)
    return None, False, match


def _rule(w: list[str], idx: int, prov: Provenance, hits: int | None, fam: Interval) -> Rule:
    m = _Match(fam)
    target, goto, match = None, False, [" ".join(w)]
    try:
        target, goto, match = _read(w, m)
    except (_Approx, ValueError, KeyError, IndexError) as exc:
        m.approx.append(str(exc) or "match not modelled")
        target = next((w[i + 1] for i in range(len(w) - 1) if w[i] in ("-j", "-g", "--jump", "--goto")), None)
    action = _TARGETS.get(target or "", Action.OTHER)
    extra: dict[str, object] = {"match": " ".join(match), "counter": hits is not None, "target": target,
                               "goto": goto}
    if target == "LOG":
        extra["nonterminal"] = "log"
    elif action == Action.OTHER:
        extra["nonterminal"] = "jump" if target else "none"
    rule = Rule(idx, f"#{idx + 1}", action, prov, src=tuple(m.src), dst=tuple(m.dst), services=m.services(),
                src_zones=m.iif, dst_zones=m.oif, states=m.states, log=target == "LOG", comment=m.comment,
                hits=hits, extra=extra)
    if not m.src or not m.dst:
        m.approx.append("the address matches exclude each other")
    if m.approx:
        rule.status, rule.reason, rule.partial = ParseStatus.APPROXIMATE, "; ".join(m.approx), True
    return rule
