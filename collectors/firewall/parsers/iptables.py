"""``iptables-save [-c]`` and ``ip6tables-save [-c]``: the filter table, one rule set per chain.

Built-in chains get their policy as the default; user chains end in an implicit RETURN (non-terminal), and a
``-j CHAIN`` jump is a non-terminal rule the analysis treats as an unknown. The usual "LOG then DROP with
the same match" pair counts as one logged decision. Matches without a model field (``-m limit``, ``recent``,
``set``, ``mark``...) leave the rule approximate and partial, never silently widened.
"""

from __future__ import annotations

import shlex

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
    merge_intervals,
    network,
)
from collectors.firewall.parsers.nft_json import ICMP6_NAMES, ICMP_NAMES, PROTO_NAMES

_NEUTRAL_MODULES = {"tcp", "udp", "icmp", "icmp6", "icmpv6", "multiport", "conntrack", "state", "comment",
                    "iprange"}
_TARGETS = {"ACCEPT": Action.PERMIT, "DROP": Action.DENY, "REJECT": Action.DENY}
_CT = {"NEW": "new", "ESTABLISHED": "established", "RELATED": "related", "INVALID": "invalid",
       "UNTRACKED": "untracked"}


class _Approx(ValueError):
    pass


def _complement(ivs: list[Interval], within: Interval) -> list[Interval]:
    out, start = [], within[0]
    for lo, hi in merge_intervals(ivs):
        if lo > start:
            out.append((start, lo - 1))
        start = max(start, hi + 1)
    if start <= within[1]:
        out.append((start, within[1]))
    return out


def _ports(text: str) -> list[Interval]:
    """``22``, ``1024:``, ``:1023``, ``1000:2000`` and comma lists of them."""
    out = []
    for part in text.split(","):
        a, colon, b = part.partition(":")
        lo = int(a) if a else 0
        hi = (int(b) if b else 65535) if colon else lo
        out.append((lo, hi))
    return out


def parse(text: str, source: str) -> list[RuleSet]:
    v6 = "ip6tables" in text[:300] or any(":" in w and "/" in w for w in text.split() if w[:1].isdigit() or
                                            w[:1] in "abcdef")
    fam = ANY6 if v6 else ANY4
    sets: dict[str, RuleSet] = {}
    table = None
    lines = text.splitlines()
    for k, raw in enumerate(lines, 1):
        line = raw.strip()
        if line.startswith("*"):
            table = line[1:]
            continue
        if table != "filter" or not line or line.startswith("#") or line == "COMMIT":
            continue
        if line.startswith(":"):
            name, policy = line[1:].split()[:2]
            sets[name] = RuleSet(f"{'ip6' if v6 else 'ip'} filter/{name}", "iptables", source,
                                 default_action=_TARGETS.get(policy, Action.OTHER), management=name == "INPUT",
                                 extra={"policy": policy, "family": "ipv6" if v6 else "ipv4"})
            continue
        hits = None
        if line.startswith("["):
            counters, _, line = line.partition("] ")
            hits = int(counters[1:].split(":")[0])
        words = shlex.split(line)
        if len(words) < 2 or words[0] != "-A" or words[1] not in sets:
            continue
        rs = sets[words[1]]
        rs.rules.append(_rule(words[2:], len(rs.rules), Provenance(source, k, raw.strip()), hits, fam))
    for rs in sets.values():
        _merge_log_pairs(rs)
    return list(sets.values())


def _merge_log_pairs(rs: RuleSet) -> None:
    """``-A X <match> -j LOG`` then ``-A X <match> -j DROP``: the decision logs."""
    for prev, cur in zip(rs.rules, rs.rules[1:], strict=False):
        if prev.extra.get("nonterminal") == "log" and cur.action != Action.OTHER and \
                prev.extra.get("match") == cur.extra.get("match"):
            cur.log = True


def _rule(w: list[str], idx: int, prov: Provenance, hits: int | None, fam: Interval) -> Rule:
    src: list[Interval] = [fam]
    dst: list[Interval] = [fam]
    protos: list[int] | None = None
    sport: list[Interval] = [ANY_PORT]
    dport: list[Interval] = [ANY_PORT]
    icmp: tuple[int, int, int | None] | None = None
    iif: tuple[str, ...] = ()
    oif: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    comment = None
    target = None
    approx: list[str] = []
    match: list[str] = []
    k = 0
    try:
        while k < len(w):
            neg = w[k] == "!"
            if neg:
                k += 1
            opt, val = w[k], (w[k + 1] if k + 1 < len(w) else "")
            k += 2
            if opt in ("-j", "-g", "--jump", "--goto"):
                target = val
                k = len(w)  # target options (--log-prefix, --reject-with) follow
                continue
            match += (["!"] if neg else []) + [opt, val]
            if opt in ("-s", "--source", "-d", "--destination"):
                ivs = [network(a) for a in val.split(",")]
                ivs = _complement(ivs, fam) if neg else ivs
                if opt in ("-s", "--source"):
                    src = ivs
                else:
                    dst = ivs
            elif opt in ("--src-range", "--dst-range"):
                a, _, b = val.partition("-")
                ivs = [address_range(a, b)]
                ivs = _complement(ivs, fam) if neg else ivs
                if opt == "--src-range":
                    src = ivs
                else:
                    dst = ivs
            elif opt in ("-p", "--protocol"):
                if neg:
                    raise _Approx("negated protocol")
                protos = None if val == "all" else [PROTO_NAMES.get(val, 0) or int(val)]
            elif opt in ("--dport", "--dports", "--destination-port", "--destination-ports", "--sport", "--sports",
                         "--source-port", "--source-ports"):
                ports = _ports(val)
                ports = _complement(ports, ANY_PORT) if neg else ports
                if opt.startswith(("--d", "--destination")):
                    dport = ports
                else:
                    sport = ports
            elif opt in ("--icmp-type", "--icmpv6-type"):
                table, num = (ICMP_NAMES, ICMP) if opt == "--icmp-type" else (ICMP6_NAMES, ICMP6)
                if neg or val == "any":
                    raise _Approx("negated or 'any' ICMP type") if neg else _Approx("")
                t, _, c = val.partition("/")
                icmp = (num, table[t] if t in table else int(t), int(c) if c else None)
            elif opt in ("-i", "--in-interface", "-o", "--out-interface"):
                if neg or val.endswith("+"):
                    raise _Approx(f"interface match {'! ' if neg else ''}{val} is not modelled")
                if opt in ("-i", "--in-interface"):
                    iif = (val,)
                else:
                    oif = (val,)
            elif opt in ("--ctstate", "--state"):
                if neg:
                    raise _Approx("negated state")
                states = tuple(_CT[s] for s in val.split(","))
            elif opt == "--comment":
                comment = val
            elif opt == "-m":
                if val not in _NEUTRAL_MODULES:
                    approx.append(f"match module {val!r} narrows the rule")
                    while k < len(w) and w[k].startswith("--") and w[k] not in ("--dport", "--sport"):
                        k += 2
            else:
                approx.append(f"option {opt} is not modelled")
    except (_Approx, ValueError, KeyError, IndexError) as exc:
        approx.append(str(exc) or "match not modelled")
    action = _TARGETS.get(target or "", Action.OTHER)
    extra: dict[str, object] = {"match": " ".join(match), "counter": hits is not None, "target": target}
    if target == "LOG":
        extra["nonterminal"] = "log"
    elif action == Action.OTHER:
        extra["nonterminal"] = "jump" if target else "none"
    services: tuple[Service, ...]
    if icmp is not None:
        services = (Service.icmp(*icmp),)
    elif protos is None:
        services = (Service(),)
    elif protos[0] in (TCP, UDP, 132):
        services = tuple(Service((protos[0],) * 2, s, d) for s in sport for d in dport)
    else:
        services = (Service((protos[0],) * 2),)
    rule = Rule(idx, f"{prov.text.split()[1] if len(prov.text.split()) > 1 else ''} #{idx + 1}", action, prov,
                src=tuple(src), dst=tuple(dst), services=services, src_zones=iif, dst_zones=oif, states=states,
                log=target == "LOG", comment=comment, hits=hits, extra=extra)
    if not src or not dst:
        approx.append("the address matches exclude each other")
    if approx:
        rule.status, rule.reason, rule.partial = ParseStatus.APPROXIMATE, "; ".join(approx), True
    return rule
