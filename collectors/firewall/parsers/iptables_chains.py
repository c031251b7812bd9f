"""iptables chains -> rule sets: every table, user chains followed from the built-in chains that reach them.

Why inline: a ``-j CHAIN`` rule left as an unknown hides every decision behind it (59 of 69 rules of one real
file were never analysed). A packet that matches the jump rule runs through the user chain; so each rule of
the user chain, as seen from the caller, matches both its own fields and the jump's. Inlining the callee's
rules, each narrowed by the jump's match, gives a first-match list that decides as the kernel does:

* an unconditional ``RETURN`` ends the callee; ``-s X -j RETURN`` (an address alone) cuts X out of every
  later rule of the callee, exactly; any other conditional RETURN marks the later rules partial (they may
  match less than their fields say) so they never hide others;
* a ``-g`` (goto) callee that ends sends the packet to the built-in chain's policy, not back to the caller:
  the caller's later rules are partial as well;
* loops and chains nested deeper than 16 are not followed: the jump stays a non-terminal unknown.

Tables: ``filter``, ``security``, ``raw`` and ``mangle`` chains decide (ACCEPT/DROP/REJECT) and are packet
filters; ``nat`` chains translate and are kept with role ``nat`` (counted, parsed, not decisions). A user
chain that no built-in chain reaches keeps a rule set of its own, so its rules are still counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from collectors.firewall.model import (
    ANY4,
    ANY6,
    ANY_ADDR,
    Action,
    Interval,
    ParseStatus,
    Rule,
    RuleSet,
    Service,
    merge_intervals,
)

_BUILTIN = {"INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING"}
_TARGETS = {"ACCEPT": Action.PERMIT, "DROP": Action.DENY, "REJECT": Action.DENY}
ROLES = {"filter": "packet filter", "security": "packet filter", "mangle": "packet filter",
         "raw": "packet filter", "nat": "nat"}
MAX_DEPTH = 16


@dataclass
class Chain:
    table: str
    name: str
    policy: str = "-"
    rules: list[Rule] = field(default_factory=list)

    @property
    def builtin(self) -> bool:
        return self.policy != "-" or self.name in _BUILTIN


def _cut(a: tuple[Interval, ...], b: tuple[Interval, ...]) -> tuple[Interval, ...]:
    return tuple((max(x[0], y[0]), min(x[1], y[1])) for x in a for y in b if max(x[0], y[0]) <= min(x[1], y[1]))


def _cut_service(a: Service, b: Service) -> Service | None:
    parts = []
    for x, y in ((a.proto, b.proto), (a.sport, b.sport), (a.dport, b.dport)):
        lo, hi = max(x[0], y[0]), min(x[1], y[1])
        if lo > hi:
            return None
        parts.append((lo, hi))
    return Service(parts[0], parts[1], parts[2], b.name or a.name)


def _cut_names(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...] | None:
    """Interface or state lists, empty meaning any; None when they exclude each other."""
    if not a or not b:
        return a or b
    both = tuple(x for x in b if x in a)
    return both or None


def narrowed(jump: Rule, inner: Rule, index: int) -> Rule:
    """``inner`` as seen through ``jump``: both must match. What cannot match is kept, partial, with why."""
    services = tuple(s for x in jump.services for y in inner.services if (s := _cut_service(x, y)) is not None)
    src, dst = _cut(jump.src, inner.src), _cut(jump.dst, inner.dst)
    iif, oif = _cut_names(jump.src_zones, inner.src_zones), _cut_names(jump.dst_zones, inner.dst_zones)
    states = _cut_names(jump.states, inner.states)
    via = [*jump.extra.get("via", []), jump.provenance.line]
    rule = replace(inner, index=index, name=f"{jump.name} > {inner.name}", extra={**inner.extra, "via": via,
                   "match": f"{jump.extra.get('match', '')} {inner.extra.get('match', '')}".strip()})
    reasons = [r for r in (jump.reason, inner.reason) if r]
    if not (services and src and dst and iif is not None and oif is not None and states is not None):
        reasons.append(f"cannot match when reached from line {jump.provenance.line}")
    else:
        rule.services, rule.src, rule.dst = services, src, dst
        rule.src_zones, rule.dst_zones, rule.states = iif, oif, states
    if reasons or jump.status != ParseStatus.EXACT:
        rule.status = ParseStatus.APPROXIMATE if rule.status != ParseStatus.UNPARSED else rule.status
        rule.partial = True
        rule.reason = "; ".join(dict.fromkeys(reasons)) or "the jump's match is approximate"
    return rule


def _partial(rule: Rule, why: str) -> Rule:
    if rule.status == ParseStatus.UNPARSED:
        return rule
    rule.status, rule.partial = ParseStatus.APPROXIMATE, True
    rule.reason = f"{rule.reason}; {why}" if rule.reason else why
    return rule


class _Inliner:
    def __init__(self, chains: dict[tuple[str, str], Chain]) -> None:
        self.chains = chains
        self.reached: set[tuple[str, str]] = set()

    def expand(self, chain: Chain, stack: tuple[str, ...]) -> list[Rule]:
        """The chain's rules with every followed jump replaced by the callee's narrowed rules."""
        out: list[Rule] = []
        early = None  # why later rules may see fewer packets than their fields say
        gone: dict[str, list[Interval]] = {"src": [], "dst": []}  # addresses sent back by RETURN rules
        for rule in chain.rules:
            rule = replace(rule, extra=dict(rule.extra))
            target = rule.extra.get("target")
            callee = self.chains.get((chain.table, target)) if isinstance(target, str) else None
            if target == "RETURN":
                if _unconditional(rule):
                    break
                field_ = _address_only(rule)
                if field_ is not None:  # "-s X -j RETURN": later rules see every source but X (exact)
                    gone[field_].extend(getattr(rule, field_))
                else:
                    early = f"after the conditional RETURN on line {rule.provenance.line}"
                rule.extra["nonterminal"] = "log"  # sends packets back: decides nothing here
                out.append(rule)
                continue
            if callee is None or callee.builtin or target in stack or len(stack) >= MAX_DEPTH:
                out.append(_after(rule, early, gone))
                continue
            self.reached.add((chain.table, callee.name))
            inner = self.expand(callee, (*stack, callee.name))
            if not inner:
                rule.extra["nonterminal"] = "log"  # an empty callee returns at once: a no-op
                out.append(rule)
            for r in inner:
                out.append(_after(narrowed(rule, r, 0), early, gone))
            if rule.extra.get("goto"):
                early = f"after the goto on line {rule.provenance.line}"
        return out


def _address_only(rule: Rule) -> str | None:
    """``"src"``/``"dst"`` when an exact rule matches on that address alone (``-s X -j RETURN``), else None."""
    if rule.status != ParseStatus.EXACT or rule.src_zones or rule.dst_zones or rule.states or \
            not all(s.is_any for s in rule.services):
        return None
    whole = ((ANY4,), (ANY6,), (ANY_ADDR,))
    if rule.dst in whole and rule.src not in whole:
        return "src"
    if rule.src in whole and rule.dst not in whole:
        return "dst"
    return None


def _after(rule: Rule, early: str | None, gone: dict[str, list[Interval]]) -> Rule:
    """A rule that comes after RETURNs: addresses they sent back are cut out; other early exits make it partial."""
    for field_, cuts in gone.items():
        if cuts:
            keep = tuple(_less(list(getattr(rule, field_)), cuts))
            setattr(rule, field_, keep)
            if not keep:
                _partial(rule, "every address it matches was sent back by an earlier RETURN")
    return _partial(rule, early) if early else rule


def _less(ivs: list[Interval], cuts: list[Interval]) -> list[Interval]:
    out = list(ivs)
    for lo, hi in merge_intervals(cuts):
        nxt = []
        for a, b in out:
            if b < lo or a > hi:
                nxt.append((a, b))
                continue
            if a < lo:
                nxt.append((a, lo - 1))
            if b > hi:
                nxt.append((hi + 1, b))
        out = nxt
    return out


def _unconditional(rule: Rule) -> bool:
    return not rule.extra.get("match")


def rule_sets(chains: dict[tuple[str, str], Chain], source: str, v6: bool) -> list[RuleSet]:
    """One rule set per built-in chain (callees inlined) and per user chain no built-in chain reaches."""
    for chain in chains.values():
        for k, r in enumerate(chain.rules):
            r.index, r.name = k, f"{chain.name} #{k + 1}"
    inliner = _Inliner(chains)
    fam = "ip6" if v6 else "ip"
    built: list[tuple[Chain, list[Rule]]] = []
    for chain in chains.values():
        if chain.builtin:
            built.append((chain, inliner.expand(chain, (chain.name,))))
    for key, chain in chains.items():
        if not chain.builtin and key not in inliner.reached:
            built.append((chain, [replace(r, extra=dict(r.extra)) for r in chain.rules]))
    out = []
    for chain, rules in built:
        role = ROLES.get(chain.table, "packet filter")
        name = f"{fam} {chain.table}/{chain.name}"
        default = _TARGETS.get(chain.policy, Action.OTHER) if role != "nat" else Action.OTHER
        rs = RuleSet(name, "iptables", source, default_action=default,
                     management=chain.table == "filter" and chain.name == "INPUT",
                     extra={"policy": chain.policy, "family": "ipv6" if v6 else "ipv4", "table": chain.table,
                            "role": role, "user_chain": not chain.builtin})
        for k, r in enumerate(rules):
            r.index = k
            if role == "nat":  # a translation, not a decision (ACCEPT in nat means "do not translate")
                r.action = Action.OTHER
                r.extra["nonterminal"] = "nat"
        rs.rules = rules
        merge_log_pairs(rs)
        out.append(rs)
    return out


def merge_log_pairs(rs: RuleSet) -> None:
    """``-A X <match> -j LOG`` then ``-A X <match> -j DROP``: the decision logs."""
    for prev, cur in zip(rs.rules, rs.rules[1:], strict=False):
        if prev.extra.get("nonterminal") == "log" and prev.extra.get("target") == "LOG" and \
                cur.action != Action.OTHER and prev.extra.get("match") == cur.extra.get("match"):
            cur.log = True
