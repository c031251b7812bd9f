"""nftables native text (``nft list ruleset``, or a ``nft -f`` file in block form) -> one rule set per chain.

Why translate into the JSON parser's expressions instead of modelling twice: ``nft -j`` and ``nft list`` print
the same rules; turning each native rule into the libnftables-JSON expressions (``match``, ``counter``,
``log``, verdicts) gives one model of their meaning (:mod:`collectors.firewall.parsers.nft_json`), so the two
inputs can never disagree. What this module adds is the text: each rule keeps its own line number and raw line
as provenance.

Read: tables (``ip``/``ip6``/``inet``/...), named sets (with ``elements = { ... }`` over several lines), base
chains (``type filter hook input priority filter; policy drop;``), and in rules: ``ip``/``ip6`` ``saddr``/
``daddr`` (values, ranges, anonymous ``{ }`` sets, ``@named`` sets, ``!=``), ``tcp``/``udp``/``th`` ports,
``ip protocol``/``ip6 nexthdr``/``meta l4proto``, ``icmp``/``icmpv6 type``, ``iif``/``iifname``/``oif``/
``oifname``, ``meta nfproto``, ``ct state``, ``counter packets N``, ``log``, ``accept``/``drop``/``reject``,
``jump``/``goto``/``return``, ``limit``/``quota`` and ``comment``. Anything else makes the rule approximate
(named in its reason), never silently dropped.
"""

from __future__ import annotations

import re
from typing import Any

from collectors.firewall.model import Action, ParseStatus, Provenance, Rule, RuleSet
from collectors.firewall.parsers.nft_json import _rule

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|!=|==|[{},;]|[^\s{},;"]+')
#: Service names ``nft list`` prints for ports when asked to (``-S``), and ``nft -f`` files may use.
PORT_NAMES = {"ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "http": 80, "www": 80, "pop3": 110,
              "ntp": 123, "imap": 143, "snmp": 161, "snmp-trap": 162, "ldap": 389, "https": 443, "microsoft-ds": 445,
              "syslog": 514, "submission": 587, "imaps": 993, "pop3s": 995, "ms-wbt-server": 3389, "rdp": 3389}
_ADDR_FIELDS = {"saddr", "daddr"}
_STATEMENT_ARGS = {"prefix": 1, "level": 1, "group": 1, "snaplen": 1, "queue-threshold": 1, "flags": 1}


def _unquote(tok: str) -> str:
    return tok[1:-1].replace('\\"', '"') if tok.startswith('"') and tok.endswith('"') else tok


class _Tokens:
    def __init__(self, text: str) -> None:
        self.items = _TOKEN.findall(text)
        self.pos = 0

    def peek(self, ahead: int = 0) -> str | None:
        k = self.pos + ahead
        return self.items[k] if k < len(self.items) else None

    def take(self) -> str:
        tok = self.items[self.pos]
        self.pos += 1
        return tok

    def done(self) -> bool:
        return self.pos >= len(self.items)

    def values(self) -> list[str] | str:
        """One value, ``a,b,c`` (ct state), or an anonymous set ``{ a, b }``; ``@name`` stays a string."""
        if self.peek() == "{":
            self.take()
            out: list[str] = []
            while not self.done() and self.peek() != "}":
                tok = self.take()
                if tok != ",":
                    out.append(_unquote(tok))
            if not self.done():
                self.take()
            return out
        first = _unquote(self.take())
        if first.startswith("@"):
            return first
        vals = [first]
        while self.peek() == "," and self.peek(1) is not None:
            self.take()
            vals.append(_unquote(self.take()))
        return vals if len(vals) > 1 else first


def _addr_value(v: str) -> Any:
    if "-" in v and "/" not in v and (v.count(".") >= 6 or v.count(":") >= 4):
        a, b = v.split("-", 1)
        return {"range": [a, b]}
    return v


def _port_value(v: str) -> Any:
    if re.fullmatch(r"\d+-\d+", v):
        a, b = v.split("-")
        return {"range": [int(a), int(b)]}
    if v.isdigit():
        return int(v)
    if v in PORT_NAMES:
        return PORT_NAMES[v]
    return v  # an unknown service name: nft_json reports it as not modelled


def _convert(values: list[str] | str, kind: str) -> Any:
    conv = _addr_value if kind == "addr" else _port_value if kind == "port" else (
        lambda x: int(x) if x.isdigit() else x)
    if isinstance(values, str):
        return values if values.startswith("@") else conv(values)
    return {"set": [conv(v) for v in values]}


def _match(left: dict[str, Any], op: str, right: Any) -> dict[str, Any]:
    return {"match": {"left": left, "op": op, "right": right}}


_PAYLOADS = ("ip", "ip6", "tcp", "udp", "th", "sctp", "icmp", "icmpv6")
_META_KEYS = ("iif", "iifname", "oif", "oifname", "l4proto", "nfproto", "mark", "skuid", "skgid")
_AFTER_LIMIT = ("accept", "drop", "reject", "counter", "log", "comment", "jump", "goto", "return")


def _op(t: _Tokens) -> str:
    return t.take() if t.peek() in ("!=", "==") else "=="


def _payload(tok: str, t: _Tokens) -> dict[str, Any]:
    field = t.take()
    op = _op(t)
    kind = "addr" if field in _ADDR_FIELDS and tok in ("ip", "ip6") else "port" if field in ("sport", "dport") \
        else "other"
    return _match({"payload": {"protocol": tok, "field": field}}, op, _convert(t.values(), kind))


def _meta(t: _Tokens) -> dict[str, Any]:
    key = t.take()
    if t.peek() == "set":
        t.take()
        t.take()
        return {"mangle": {"key": {"meta": {"key": key}}}}
    op = _op(t)
    return _match({"meta": {"key": key}}, op, _convert(t.values(), "other"))


def _ct(t: _Tokens) -> dict[str, Any]:
    key = t.take()
    op = _op(t)
    vals = t.values()
    right: Any = {"set": vals} if isinstance(vals, list) and key != "state" else vals
    if key == "state":
        right = vals if isinstance(vals, list) else [vals] if "," not in vals else vals.split(",")
        right = right[0] if len(right) == 1 else right
    return _match({"ct": {"key": key}}, op, right)


def _statement(tok: str, t: _Tokens) -> dict[str, Any]:
    """counter, log, reject, limit/quota and vmap statements (their arguments consumed)."""
    if tok == "counter":
        counter: dict[str, int] = {}
        while t.peek() in ("packets", "bytes"):
            name = t.take()
            counter[name] = int(t.take())
        return {"counter": counter or None}
    if tok == "log":
        while t.peek() in _STATEMENT_ARGS:
            t.take()
            t.take()
        return {"log": {}}
    if tok == "reject":
        if t.peek() == "with":
            for _ in range(4 if t.peek(2) == "type" else 3):
                if not t.done():
                    t.take()
        return {"reject": None}
    if tok in ("limit", "quota"):
        while not t.done() and t.peek() not in _AFTER_LIMIT:
            t.take()
        return {tok: {}}
    while not t.done() and t.take() != "}":  # vmap { ... }
        pass
    return {"vmap": {}}


def _expr(tok: str, t: _Tokens, exprs: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON expression one word (and the words it takes) stands for."""
    if tok in _PAYLOADS and t.peek() not in (None, "{"):
        return _payload(tok, t)
    if tok in _META_KEYS:
        op = _op(t)
        return _match({"meta": {"key": tok}}, op, _convert(t.values(), "other"))
    if tok == "meta" and t.peek() is not None:
        return _meta(t)
    if tok == "ct" and t.peek() is not None:
        return _ct(t)
    if tok in ("accept", "drop", "return", "continue"):
        return {tok: None}
    if tok in ("jump", "goto"):
        return {tok: {"target": t.take() if not t.done() else ""}}
    if tok in ("counter", "log", "reject", "limit", "quota", "vmap") or (tok == "{" and exprs):
        return _statement(tok, t)
    return {tok: {}}  # an unmodelled word: the JSON model names it and marks the rule approximate


def rule_exprs(body: str) -> tuple[list[dict[str, Any]], str | None, int | None]:
    """The libnftables-JSON expressions of one native rule, its comment and its handle (``# handle N``)."""
    handle = None
    m = re.search(r"#\s*handle\s+(\d+)\s*$", body)
    if m:
        handle = int(m[1])
        body = body[:m.start()]
    t = _Tokens(body)
    exprs: list[dict[str, Any]] = []
    comment = None
    while not t.done():
        tok = t.take()
        if tok == "comment":
            comment = _unquote(t.take()) if not t.done() else None
            continue
        exprs.append(_expr(tok, t, exprs))
    return exprs, comment, handle


def parse(text: str, source: str) -> list[RuleSet]:
    chains: list[RuleSet] = []
    family = table = chain = None
    depth = 0
    current: RuleSet | None = None
    sets: dict[str, list[Any]] = {}
    set_name: str | None = None
    set_text: list[str] = []
    for k, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #", 1)[0].strip() if not raw.strip().startswith("#") else ""
        if "# handle" in raw:
            line = raw.strip()
        if not line:
            continue
        if set_name is not None:  # inside a set or map block, maybe over several lines
            set_text.append(line)
            depth += line.count("{") - line.count("}")
            if depth <= 1:
                sets[set_name] = _set_elements(" ".join(set_text))
                set_name = None
            continue
        m = re.match(r"table\s+(\w+)\s+(\S+)\s*\{", line)
        if m:
            family, table, depth = m[1], m[2], 1
            continue
        m = re.match(r"(set|map)\s+(\S+)\s*\{(.*)$", line)
        if m and depth == 1:
            set_name, set_text = m[2], [m[3]]
            depth = 2 + m[3].count("{") - m[3].count("}")
            if depth <= 1:
                sets[set_name] = _set_elements(m[3])
                set_name = None
            continue
        m = re.match(r"chain\s+(\S+)\s*\{", line)
        if m and depth == 1:
            chain, depth = m[1], 2
            current = RuleSet(f"{family} {table}/{chain}", "nft", source, default_action=Action.OTHER,
                              extra={"hook": None, "policy": None, "base": False})
            chains.append(current)
            continue
        if line == "}":
            depth -= 1
            if depth == 1:
                current, chain = None, None
            elif depth == 0:
                family = table = None
            continue
        if current is None or chain is None or family is None or table is None:
            continue
        _chain_line(current, line, Provenance(source, k, raw.strip()), (family, table, chain), sets)
    return chains


def _chain_header(current: RuleSet, line: str) -> bool:
    """``type filter hook input ...; policy drop;`` lines: the chain's hook and default. True for such lines."""
    if line.startswith("type ") and " hook " in line:
        hook = re.search(r"\bhook\s+(\w+)", line)
        current.extra.update(hook=hook[1] if hook else None, base=True)
        current.management = bool(hook and hook[1] == "input")
        current.default_action = Action.PERMIT  # a base chain without a policy accepts
        current.extra["policy"] = "accept"
    policy = re.search(r"\bpolicy\s+(accept|drop)\s*;", line)
    if policy:
        current.extra["policy"] = policy[1]
        current.default_action = Action.PERMIT if policy[1] == "accept" else Action.DENY
    return line.startswith(("type ", "policy ", "comment ")) or line.startswith("devices")


def _chain_line(current: RuleSet, line: str, prov: Provenance, where: tuple[str, str, str],
                sets: dict[str, list[Any]]) -> None:
    """One line inside a chain: a header, or a rule (kept unparsed, with its text, when it cannot be read)."""
    if _chain_header(current, line):
        return
    family, table, chain = where
    try:
        exprs, comment, handle = rule_exprs(line)
    except (IndexError, ValueError) as exc:  # a rule cut short: kept, unparsed, with its text
        words = line.split()
        action = Action.PERMIT if "accept" in words else Action.DENY if {"drop", "reject"} & set(words) \
            else Action.OTHER
        current.rules.append(Rule(len(current.rules), f"{chain} line {prov.line}", action, prov,
                                  status=ParseStatus.UNPARSED, reason=f"cannot read the rule: {exc}"))
        return
    obj: dict[str, Any] = {"family": family, "table": table, "chain": chain, "expr": exprs}
    if comment is not None:
        obj["comment"] = comment
    if handle is not None:
        obj["handle"] = handle
    rule: Rule = _rule(obj, len(current.rules), prov.line, prov.source, sets)
    rule.provenance = prov
    if handle is None:
        rule.name = f"{chain} line {prov.line}"
    current.rules.append(rule)


def _set_elements(body: str) -> list[Any]:
    m = re.search(r"elements\s*=\s*\{(.*?)\}", body, re.S)
    if not m:
        return []
    out: list[Any] = []
    for item in (x.strip() for x in m[1].replace("\n", " ").split(",")):
        if not item:
            continue
        item = item.split(" : ")[0].strip()  # a map's key
        if item.isdigit():
            out.append(int(item))
        elif re.fullmatch(r"\d+-\d+", item):
            a, b = item.split("-")
            out.append({"range": [int(a), int(b)]})
        else:
            out.append(_addr_value(item))
    return out
