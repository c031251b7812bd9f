"""nftables JSON (``nft -j list ruleset``, the libnftables-json schema) -> one rule set per chain.

The family bounds every rule's addresses (an ``ip`` table sees only IPv4, ``ip6`` only IPv6, ``inet`` both);
base chains get the chain's policy as their default; ``input`` chains are the device's own management plane.
Matches the model has no field for (rate limits, marks, ``ct count``...) only narrow a rule, so the rule stays
analysable but becomes approximate and partial; a jump, goto or return is a non-terminal rule the analysis
treats as an unknown. Provenance: the 1-based position of the rule object in the JSON array, and a
one-line rendering of the rule (the JSON carries no source text).
"""

from __future__ import annotations

import json
import re
from typing import Any

from collectors.firewall.model import (
    ANY4,
    ANY6,
    ANY_ADDR,
    ANY_PORT,
    CT_STATES,
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
from collectors.firewall.parsers.ranges import complement
from netcomply.errors import InputError, InputProblem

ICMP_NAMES = {"echo-reply": 0, "destination-unreachable": 3, "source-quench": 4, "redirect": 5,
              "echo-request": 8, "router-advertisement": 9, "router-solicitation": 10, "time-exceeded": 11,
              "parameter-problem": 12, "timestamp-request": 13, "timestamp-reply": 14, "info-request": 15,
              "info-reply": 16, "address-mask-request": 17, "address-mask-reply": 18}
ICMP6_NAMES = {"destination-unreachable": 1, "packet-too-big": 2, "time-exceeded": 3, "parameter-problem": 4,
               "echo-request": 128, "echo-reply": 129, "mld-listener-query": 130, "mld-listener-report": 131,
               "mld-listener-done": 132, "nd-router-solicit": 133, "nd-router-advert": 134,
               "nd-neighbor-solicit": 135, "nd-neighbor-advert": 136, "nd-redirect": 137}
PROTO_NAMES = {"tcp": TCP, "udp": UDP, "icmp": ICMP, "icmpv6": ICMP6, "ipv6-icmp": ICMP6, "esp": 50, "ah": 51,
               "gre": 47, "sctp": 132, "udplite": 136}
FAMILY_ADDR = {"ip": ANY4, "ip6": ANY6, "inet": ANY_ADDR, "bridge": ANY_ADDR, "netdev": ANY_ADDR}


class _Approx(ValueError):
    pass


def _values(right: Any, sets: dict[str, list[Any]]) -> list[Any]:
    if isinstance(right, str) and right.startswith("@"):
        if right[1:] not in sets:
            raise _Approx(f"set {right} is not in the input")
        return sets[right[1:]]
    if isinstance(right, dict) and "set" in right:
        return list(right["set"])
    if isinstance(right, list):
        return right
    return [right]


def _addr(v: Any) -> Interval:
    if isinstance(v, str):
        return network(v)
    if isinstance(v, dict) and "prefix" in v:
        return network(f"{v['prefix']['addr']}/{v['prefix']['len']}")
    if isinstance(v, dict) and "range" in v:
        return address_range(str(v["range"][0]), str(v["range"][1]))
    raise _Approx(f"address value {v!r} is not modelled")


def _port(v: Any) -> Interval:
    if isinstance(v, int):
        return (v, v)
    if isinstance(v, dict) and "range" in v:
        return (int(v["range"][0]), int(v["range"][1]))
    raise _Approx(f"port value {v!r} is not modelled")


class _RuleBuilder:
    def __init__(self, family: str, sets: dict[str, list[Any]]) -> None:
        self.family = family
        self.sets = sets
        self.src: list[Interval] = [FAMILY_ADDR.get(family, ANY_ADDR)]
        self.dst: list[Interval] = [FAMILY_ADDR.get(family, ANY_ADDR)]
        self.protos: list[int] | None = None
        self.sport: list[Interval] = [ANY_PORT]
        self.dport: list[Interval] = [ANY_PORT]
        self.icmp: list[tuple[int, int]] | None = None  # (proto, type)
        self.iif: list[str] = []
        self.oif: list[str] = []
        self.states: list[str] = []
        self.approx: list[str] = []
        self.action = Action.OTHER
        self.log = False
        self.counter: int | None = None

    def match(self, m: dict[str, Any]) -> None:
        left, right, op = m["left"], m["right"], m.get("op", "==")
        if op not in ("==", "in", "!="):
            raise _Approx(f"operator {op!r} is not modelled")
        vals = _values(right, self.sets)
        done = False
        if "payload" in left:
            done = self._payload(left["payload"].get("protocol"), left["payload"].get("field"), op, vals)
        elif "meta" in left and op != "!=":
            done = self._meta(left["meta"].get("key"), vals)
        elif "ct" in left and left["ct"].get("key") == "state" and op != "!=":
            flat = [s for v in vals for s in (v if isinstance(v, list) else [v])]
            if all(s in CT_STATES for s in flat):
                self.states, done = flat, True
        if not done:
            raise _Approx(f"match {json.dumps(m, sort_keys=True)} is not modelled")

    def _payload(self, proto: str | None, fld: str | None, op: str, vals: list[Any]) -> bool:
        """``ip saddr``, ``tcp dport``, ``icmp type``, ``ip protocol``...; False when not modelled."""
        if fld in ("saddr", "daddr") and proto in ("ip", "ip6"):
            fam = ANY4 if proto == "ip" else ANY6
            ivs = [_addr(v) for v in vals]
            if op == "!=":
                ivs = complement(ivs, fam)
            cur = self.src if fld == "saddr" else self.dst
            narrowed = [(max(a, c), min(b, d)) for a, b in ivs for c, d in cur if max(a, c) <= min(b, d)]
            if fld == "saddr":
                self.src = narrowed
            else:
                self.dst = narrowed
            return True
        if fld in ("sport", "dport") and proto in ("tcp", "udp", "th"):
            self._ports(proto, fld, op, vals)
            return True
        if fld == "type" and proto in ("icmp", "icmpv6") and op != "!=":
            table, num = (ICMP_NAMES, ICMP) if proto == "icmp" else (ICMP6_NAMES, ICMP6)
            self.icmp = [(num, table[v] if isinstance(v, str) else int(v)) for v in vals]
            return True
        if fld in ("protocol", "nexthdr") and op != "!=":
            self.protos = [PROTO_NAMES[v] if isinstance(v, str) else int(v) for v in vals]
            return True
        return False

    def _ports(self, proto: str, fld: str, op: str, vals: list[Any]) -> None:
        ports = [_port(v) for v in vals]
        if op == "!=":
            ports = complement(ports, ANY_PORT)
        if proto != "th":
            self.protos = [PROTO_NAMES[proto]]
        elif self.protos is None:
            self.protos = [TCP, UDP]
        if fld == "sport":
            self.sport = ports
        else:
            self.dport = ports

    def _meta(self, key: str | None, vals: list[Any]) -> bool:
        """``meta l4proto``, ``iifname``/``oifname``, ``nfproto``; False when not modelled."""
        if key == "l4proto":
            self.protos = [PROTO_NAMES[v] if isinstance(v, str) else int(v) for v in vals]
        elif key in ("iifname", "iif"):
            self.iif = [str(v) for v in vals]
        elif key in ("oifname", "oif"):
            self.oif = [str(v) for v in vals]
        elif key == "nfproto":
            fam = {"ipv4": ANY4, "ipv6": ANY6}[vals[0]]
            self.src = [iv for iv in self.src if fam[0] <= iv[0] <= fam[1]] or [fam]
            self.dst = [iv for iv in self.dst if fam[0] <= iv[0] <= fam[1]] or [fam]
        else:
            return False
        return True

    def services(self) -> tuple[Service, ...]:
        if self.icmp is not None:
            return tuple(Service.icmp(p, t) for p, t in self.icmp)
        if self.protos is None:
            return (Service(),)
        out = []
        for p in self.protos:
            if p in (TCP, UDP, 132, 136):
                out += [Service((p, p), s, d) for s in self.sport for d in self.dport]
            else:
                out.append(Service((p, p)))
        return tuple(out)


def _render(chain: str, b: _RuleBuilder, comment: str | None) -> str:
    parts = [f"[{chain}]"]
    if b.iif:
        parts.append("iif " + ",".join(b.iif))
    if b.states:
        parts.append("ct state " + ",".join(b.states))
    return " ".join(parts) + (f' comment "{comment}"' if comment else "")


#: ``nft -j`` output nests a few levels per expression; deeper input is refused before anything recurses.
MAX_DEPTH = 64
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def check_depth(text: str, source: str, limit: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` (an :class:`InputError` with its line), in one linear scan."""
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        ch = m.group(0)
        if ch in "[{":
            depth += 1
            if depth > limit:
                line = text.count("\n", 0, m.start()) + 1
                raise InputError(InputProblem(source, line, f"JSON nested deeper than {limit} levels: not the "
                                              "output of nft -j list ruleset"))
        elif ch in "]}":
            depth -= 1


def parse(text: str, source: str) -> list[RuleSet]:
    check_depth(text, source)
    try:
        doc = json.loads(text)
        items = doc["nftables"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(InputProblem(source, None, f"not nft JSON (nft -j list ruleset): {exc}")) from None
    sets: dict[str, list[Any]] = {}
    chains: dict[tuple[str, str, str], RuleSet] = {}
    for k, item in enumerate(items, 1):
        if "set" in item:
            s = item["set"]
            sets[s["name"]] = list(s.get("elem", []))
        elif "chain" in item:
            c = item["chain"]
            key = (c["family"], c["table"], c["name"])
            policy = c.get("policy")
            chains[key] = RuleSet(
                f"{c['family']} {c['table']}/{c['name']}", "nft", source,
                default_action=Action.PERMIT if policy == "accept" else Action.DENY if policy == "drop"
                else Action.OTHER,
                management=c.get("hook") == "input",
                extra={"hook": c.get("hook"), "policy": policy, "base": "hook" in c},
            )
        elif "rule" in item:
            r = item["rule"]
            rs = chains.get((r["family"], r["table"], r["chain"]))
            if rs is None:
                continue
            rs.rules.append(_rule(r, len(rs.rules), k, source, sets))
    return list(chains.values())


def _rule(r: dict[str, Any], idx: int, pos: int, source: str, sets: dict[str, list[Any]]) -> Rule:
    b = _RuleBuilder(r["family"], sets)
    comment = r.get("comment")
    nonterminal = None
    for e in r.get("expr", []):
        try:
            if "match" in e:
                b.match(e["match"])
            elif "counter" in e:
                b.counter = int((e["counter"] or {}).get("packets", 0)) if isinstance(e["counter"], dict) else 0
            elif "log" in e:
                b.log = True
            elif "accept" in e:
                b.action = Action.PERMIT
            elif "drop" in e or "reject" in e:
                b.action = Action.DENY
            elif any(v in e for v in ("jump", "goto", "return", "continue")):
                nonterminal = next(iter(e))
            elif any(v in e for v in ("limit", "quota", "ct count", "meter")):
                b.approx.append(f"{next(iter(e))} makes the rule match only some packets")
            else:
                b.approx.append(f"statement {next(iter(e))!r} is not modelled")
        except (_Approx, KeyError, ValueError, TypeError, IndexError) as exc:
            b.approx.append(str(exc) or f"expression {e!r} is not modelled")
    name = f"{r['chain']} handle {r.get('handle', idx)}"
    prov = Provenance(source, pos, _render(r["chain"], b, comment))
    rule = Rule(idx, name, b.action if nonterminal is None else Action.OTHER, prov, src=tuple(b.src),
                dst=tuple(b.dst), services=b.services(), src_zones=tuple(b.iif), dst_zones=tuple(b.oif),
                states=tuple(b.states), log=b.log, comment=comment, hits=b.counter,
                extra={"counter": b.counter is not None, **({"nonterminal": nonterminal} if nonterminal else {})})
    if not b.src or not b.dst:
        rule.status, rule.reason = ParseStatus.APPROXIMATE, "the address matches exclude each other"
        rule.partial = True
    if b.approx:
        rule.status, rule.reason, rule.partial = ParseStatus.APPROXIMATE, "; ".join(b.approx), True
    return rule
