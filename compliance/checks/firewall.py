"""Firewall rule checks: judge the ``firewall.rule``, ``firewall.ruleset`` and ``firewall.anomaly``
observations the firewall collector (or ``netcomply firewall analyze``) produced.

Each check is one audit question an auditor asks (Nipper/CIS style); metadata, controls and remediation live in
``compliance/data/checks/firewall.yaml``. Every FAIL finding carries ``details`` = ``{kind, rule: {line, text,
name}, related: [{line, text}], fix}`` so reports and the CLI can show the rule and the suggested fix.
Pure and offline: only the observation dicts are read (no import of collectors), through their contracts
(:mod:`netcomply.contracts.firewall`) and the one address encoding (:mod:`netcomply.contracts.addresses`).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar, cast

from compliance.checks.base import Check, JudgeContext, register
from netcomply.contracts.addresses import V4_BASE, covers_any, encode_cidr, parse_port_spec, ranges_from_json, size
from netcomply.contracts.firewall import FirewallAnomaly, FirewallRule, FirewallRuleset, RoleName
from netcomply.contracts.registry import contract_of
from netcomply.errors import InputError
from netcomply.i18n import listing, msg, parsed, text
from netcomply.models import Finding, FindingStatus, Observation, Severity

#: (proto, port) -> name of a clear-text or dangerous service.
INSECURE = {(6, 23): "telnet", (6, 21): "ftp", (17, 69): "tftp", (6, 80): "http", (17, 161): "snmp",
            (17, 162): "snmp-trap", (6, 512): "rexec", (6, 513): "rlogin", (6, 514): "rsh", (6, 139): "netbios",
            (17, 137): "netbios-ns", (17, 138): "netbios-dgm", (6, 445): "smb", (6, 3389): "rdp",
            (6, 5900): "vnc", (6, 1433): "mssql", (6, 3306): "mysql"}
MGMT_PORTS = {(6, 22): "ssh", (6, 23): "telnet", (6, 80): "http", (6, 443): "https", (17, 161): "snmp"}
_EXPIRY = re.compile(r"\b(?:until|expires?|expiry|exp|till|到期)[:\s]*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", re.I)


def _ranges(rule: dict[str, Any], side: str) -> list[tuple[int, int]]:
    """The rule's source or destination addresses on the one number line (netcomply.contracts.addresses)."""
    return ranges_from_json(rule[f"{side}_ranges"])


def _is_any(ivs: list[tuple[int, int]]) -> bool:
    return covers_any(ivs)


def _any_service(rule: dict[str, Any]) -> bool:
    return any(s["proto"] == [0, 255] for s in rule["services"])


def _size(ivs: list[tuple[int, int]]) -> int:
    return size(ivs)


def _ports(rule: dict[str, Any], table: dict[tuple[int, int], str]) -> list[str]:
    out = []
    for s in rule["services"]:
        for (proto, port), name in table.items():
            if s["proto"][0] <= proto <= s["proto"][1] and s["dport"][0] <= port <= s["dport"][1]:
                out.append(name)
    return sorted(set(out))


def _ref(rule: dict[str, Any]) -> dict[str, Any]:
    return {"line": rule["line"], "text": rule["text"], "name": rule["name"]}


def _fix(key: str) -> dict[str, Any]:
    """A suggested fix as finding details: the English text (``fix``, for the store and JSON consumers) and the
    catalog message (``fix_msg``) that reports render in the reader's language."""
    return {"fix": text(f"finding.fix.{key}", "en"), "fix_msg": msg(f"finding.fix.{key}")}


def _action(action: Any) -> Any:
    """A rule action as a message (permit/deny are words a reader reads), anything else as written."""
    return msg(f"finding.firewall.action.{action}") if action in ("permit", "deny") else str(action)


class _Group:
    def __init__(self) -> None:
        self.device = ""
        self.summary: dict[str, Any] = {}
        self.rules: list[dict[str, Any]] = []
        self.anomalies: list[dict[str, Any]] = []
        self.obs: list[Observation] = []


def group(observations: Iterable[Observation]) -> dict[tuple[str, str, str], _Group]:
    """(device, rule set, source) -> its observations. The source is part of the key: two files of one offline
    audit may both hold an ACL "101" (anomaly rule positions refer to one rule list, never to a merge)."""
    out: dict[tuple[str, str, str], _Group] = defaultdict(_Group)
    for o in observations:
        if not o.kind.startswith("firewall."):
            continue
        g = out[(o.device, o.data["ruleset"], o.source)]
        g.device = o.device
        g.obs.append(o)
        if o.kind == "firewall.ruleset":
            g.summary = dict(contract_of(o, FirewallRuleset))
        elif o.kind == "firewall.rule":
            g.rules.append(dict(contract_of(o, FirewallRule)))
        elif o.kind == "firewall.anomaly":
            g.anomalies.append(dict(contract_of(o, FirewallAnomaly)))
    for g in out.values():
        g.rules.sort(key=lambda r: r["index"])
    return out


#: First-match list facts (a line that never fires, lines after a catch-all): true whatever the list is for.
_LIST_LOGIC = frozenset({"shadowed", "redundant", "after_final_deny"})
_HYGIENE = frozenset({"disabled", "expired", "parse_coverage"})
#: The checks that judge a rule set of each role (what it is bound to: collectors.firewall.bindings). A rule set
#: with several roles gets the checks of each; None: every check. Packet-filter checks (wide, no log, no final
#: deny, any-any, clear-text services...) are only for packet filters, and for rule sets whose binding is not
#: known (an ACL listing without the configuration), as they always were.
ROLE_CHECKS: dict[RoleName, frozenset[str] | None] = {
    "packet_filter": None,
    "unknown": None,
    "management": _LIST_LOGIC | _HYGIENE | {"mgmt_exposure", "insecure_service", "generalization", "correlation"},
    "route_filter": _LIST_LOGIC | _HYGIENE,
    "nat": _LIST_LOGIC | _HYGIENE,
    "classifier": _LIST_LOGIC | _HYGIENE,
    "unbound": _LIST_LOGIC | _HYGIENE | {"unbound"},  # Batfish-style unreachable lines are still facts
}


def roles(summary: dict[str, Any]) -> list[RoleName]:
    """The rule set's roles; an observation stored before roles existed is a packet filter. A name this version
    does not know gets every check (``ROLE_CHECKS.get`` is None), as a packet filter would."""
    return cast(list[RoleName], list(summary.get("roles") or ["unknown"]))


def judged_by(summary: dict[str, Any], kind: str) -> bool:
    """Whether the check ``kind`` applies to this rule set, given what it is bound to."""
    for role in roles(summary):
        allowed = ROLE_CHECKS.get(role)
        if allowed is None or kind in allowed:
            return True
    return False


#: (rule, related rules, message (a catalog message), fix (a ``finding.fix`` key), severity); see :func:`_fix`.
Judgement = tuple[dict[str, Any] | None, list[dict[str, Any]], dict[str, Any] | str, str, Severity | None]


class _RuleCheck(Check):
    """Yields one FAIL per offending rule (or rule set), or one PASS per rule set it applies to."""

    kind: ClassVar[str]

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        for (device, name, _), g in group(observations).items():
            if not g.summary or not judged_by(g.summary, self.kind):
                continue
            thin = self.insufficient(g, ctx)
            if thin is not None:  # too little evidence for either verdict: say so, with how much there was
                yield self.finding(f"{device}:{name}", FindingStatus.NOT_ASSESSED, thin[0], observations=g.obs,
                                   details={"kind": self.kind, "ruleset": name, **thin[1]})
                continue
            failed = False
            for rule, related, message, fix, severity, *extra in self.judge(g, ctx):
                failed = True
                subject = f"{device}:{name}" + (f":{rule['name']}" if rule else "")
                yield self.finding(subject, FindingStatus.FAIL, message, observations=g.obs, severity=severity,
                                   details={"kind": self.kind, "ruleset": name, "device": device,
                                            "rule": _ref(rule) if rule else None,
                                            "related": [{"line": r["line"], "text": r["text"]} for r in related],
                                            **_fix(fix), "roles": roles(g.summary), **(extra[0] if extra else {})})
            if not failed:
                yield self.finding(f"{device}:{name}", FindingStatus.PASS,
                                   msg("finding.firewall.nothing_found", ruleset=name, kind=self.kind),
                                   observations=g.obs, details={"kind": self.kind, "ruleset": name})

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        """Yield :data:`Judgement` tuples, optionally with a sixth element: more finding details."""
        raise NotImplementedError

    def insufficient(self, g: _Group, ctx: JudgeContext) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(message, details) when the rule set's data cannot carry a verdict of this check (it is then
        *not assessed*, never passed); None when it can. Most checks judge the rules as written: always None."""
        return None


def _loopback_only(r: dict[str, Any]) -> bool:
    """A rule for packets arriving on loopback (nftables ``iif "lo"``): the host talking to itself, never wide."""
    return bool(r["src_zones"]) and all(z in ("lo", "lo0") for z in r["src_zones"])


def _unknown(r: dict[str, Any]) -> set[str]:
    """Fields the parser read as "any" because the input does not say them (an undefined or FQDN object, an
    application's unknown ports): there "any" means "unknown", so no check may call the rule wide for them. (The
    same list names other fields a format does not carry, such as ``log``: those are not match fields.)"""
    return {"src", "dst", "services"} & set((r.get("extra") or {}).get("unknown") or ())


def _live(g: _Group) -> list[dict[str, Any]]:
    return [r for r in g.rules if r["enabled"] and r["status"] != "unparsed"]


def _catch_all(r: dict[str, Any]) -> bool:
    return not _unknown(r) and _is_any(_ranges(r, "src")) and _is_any(_ranges(r, "dst")) and _any_service(r) \
        and not r["src_zones"] and not r["dst_zones"] and not r["states"]


def _final_deny(g: _Group) -> dict[str, Any] | None:
    for r in _live(g):
        if r["action"] == "deny" and _catch_all(r):
            return r
    return None


#: Set members listed in one finding's details (the message names up to 12; the set's size is always given).
SET_DETAILS_MAX = 200


def _set_members(g: _Group) -> list[dict[str, Any]]:
    """The rules of the rule set's jointly removable set: those whose anomaly says it is in the set."""
    at = sorted({a["rule"] for a in g.anomalies if (a.get("details") or {}).get("in_removable_set")})
    return [g.rules[k] for k in at]


Joint = tuple[dict[str, Any] | None, dict[str, Any]]


def _removable_set(g: _Group, a: dict[str, Any], members: list[dict[str, Any]]) -> Joint | None:
    """The parameters of the message naming the set of rules that can be deleted together with this one (None
    when there is no such set to name) and the details listing it; None when the rule is redundant by later
    rules only on its own (deleting it with the others would change the policy)."""
    details = a.get("details") or {}
    if "in_removable_set" not in details:
        return None, {}  # stored before sets existed: as it was judged then
    if not details["in_removable_set"]:
        # redundant only on its own (by later rules): not reported; a hidden rule left out of the set because an
        # unparsed rule or a jump comes before it is still reported, without a set
        return None if details.get("by_later") else (None, {})
    shown: Any = listing(str(r["line"]) for r in members[:12])
    if len(members) > 12:
        shown = msg("finding.firewall.lines_more", lines=shown, n=len(members) - 12)
    tail = None if len(members) == 1 else {"lines": shown, "n": len(members)}
    return (tail,
            {"removable_set": [{"line": r["line"], "name": r["name"]} for r in members[:SET_DETAILS_MAX]],
             "removable_set_size": len(members)})


def _anomaly_message(a: dict[str, Any], tail: dict[str, Any] | None) -> dict[str, Any] | str:
    """The analysis' English sentence as the catalog message that wrote it (as written when none did), with the
    removable set's sentence after it."""
    found = parsed("finding", str(a["message"]))
    return found if tail is None else msg("finding.firewall.with_set", finding=found, **tail)


def _anomaly_check(kind: str, fix: str) -> type[_RuleCheck]:
    class _A(_RuleCheck):
        def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
            members = _set_members(g) if kind in ("shadowed", "redundant") else []
            for a in g.anomalies:
                if a["kind"] != kind:
                    continue
                rule = g.rules[a["rule"]]
                if kind == "generalization" and _catch_all(rule):
                    continue  # the final catch-all generalizes every permit: that is its purpose
                joint = _removable_set(g, a, members) if kind in ("shadowed", "redundant") else (None, {})
                if joint is None:
                    continue
                yield rule, [g.rules[k] for k in a["related"]], _anomaly_message(a, joint[0]), fix, None, joint[1]
    _A.kind = kind
    _A.id = f"firewall.{kind}"
    _A.__name__ = _A.__qualname__ = f"Firewall{kind.title()}"
    return _A


for _kind, _fix_key in (("shadowed", "shadowed"), ("redundant", "redundant_set"),
                        ("generalization", "generalization"), ("correlation", "correlation"),
                        ("irrelevant", "irrelevant")):
    register(_anomaly_check(_kind, _fix_key))


@register
class AnyAny(_RuleCheck):
    id = "firewall.any_any"
    kind = "any_any"

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        for r in _live(g):
            if r["action"] == "permit" and not _unknown(r) and _is_any(_ranges(r, "src")) \
                    and _is_any(_ranges(r, "dst")) \
                    and _any_service(r) and not r["states"] and not _loopback_only(r):
                yield r, [], msg("finding.firewall.any_any", rule=r["name"]), "any_any", None


@register
class Wide(_RuleCheck):
    id = "firewall.wide"
    kind = "wide"

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        th = (ctx.data.get("thresholds") or {}).get("firewall", {})
        max_addrs = int(th.get("max_addresses", 65536))
        max_ports = int(th.get("max_ports", 1024))
        for r in _live(g):
            if r["action"] != "permit" or _catch_all(r) or _loopback_only(r):
                continue
            why = []
            for side in ("src", "dst"):
                ivs = _ranges(r, side)
                if side in _unknown(r):
                    continue
                if _is_any(ivs):
                    why.append(msg(f"finding.firewall.any_{side}"))
                elif _size([iv for iv in ivs if iv[0] >= V4_BASE]) > max_addrs:
                    why.append(msg("finding.firewall.wider_than", side=msg(f"finding.firewall.{side}"), n=max_addrs))
            service_wide = True
            if _any_service(r) and "services" not in _unknown(r):
                why.append(msg("finding.firewall.any_service"))
            elif any(s["dport"][1] - s["dport"][0] + 1 > max_ports and s["proto"][0] in (6, 17)
                     for s in r["services"]):
                why.append(msg("finding.firewall.more_ports", n=max_ports))
            else:
                service_wide = False
            if len(why) >= 2 or service_wide:
                yield r, [], msg("finding.firewall.wide", rule=r["name"], why=listing(why)), "narrow", None


@register
class InsecureService(_RuleCheck):
    id = "firewall.insecure_service"
    kind = "insecure_service"

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        for r in _live(g):
            if r["action"] != "permit" or _any_service(r):
                continue
            names = _ports(r, INSECURE)
            wide_ports = any(s["dport"][1] - s["dport"][0] > 1000 for s in r["services"])
            if names and not wide_ports:
                yield r, [], msg("finding.firewall.insecure", rule=r["name"], services=listing(names)), "insecure", None


@register
class NoFinalDeny(_RuleCheck):
    id = "firewall.no_final_deny"
    kind = "no_final_deny"

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        fd = _final_deny(g)
        if fd is None:
            default = g.summary.get("default_action")
            message = msg("finding.firewall.no_final_deny", ruleset=g.summary["name"], default=_action(default))
            yield None, [], message, "final_deny", Severity.HIGH if default == "permit" else None
        elif not fd["log"] and "log" not in (fd["extra"].get("unknown") or []):
            yield fd, [], msg("finding.firewall.final_deny_no_log", rule=fd["name"]), "log_final", None


@register
class NoLog(_RuleCheck):
    id = "firewall.no_log"
    kind = "no_log"

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        for r in _live(g):
            # nftables/iptables: a counter is the rule's accounting record; the final deny must still log.
            if r["log"] or r["action"] not in ("permit", "deny") or r["extra"].get("counter") \
                    or "log" in (r["extra"].get("unknown") or []):
                continue
            yield r, [], msg("finding.firewall.no_log", rule=r["name"], action=_action(r["action"])), "log", None


@register
class NoComment(_RuleCheck):
    id = "firewall.no_comment"
    kind = "no_comment"

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        for r in g.rules:
            if not (r["comment"] or r["owner"]) and r["action"] == "permit" \
                    and "comment" not in (r["extra"].get("unknown") or []):
                yield r, [], msg("finding.firewall.no_comment", rule=r["name"]), "comment", None


@register
class Disabled(_RuleCheck):
    id = "firewall.disabled"
    kind = "disabled"

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        for r in g.rules:
            if not r["enabled"]:
                yield r, [], msg("finding.firewall.disabled", rule=r["name"]), "disabled", None


@register
class AfterFinalDeny(_RuleCheck):
    id = "firewall.after_final_deny"
    kind = "after_final_deny"

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        fd = _final_deny(g)
        if fd is None:
            return
        for r in g.rules[fd["index"] + 1:]:
            yield r, [fd], msg("finding.firewall.after_final_deny", rule=r["name"], deny=fd["name"]), "after_deny", None


@register
class Expired(_RuleCheck):
    id = "firewall.expired"
    kind = "expired"

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        now = datetime.fromisoformat(ctx.data["now"]) if "now" in ctx.data else datetime.now(UTC)
        for r in g.rules:
            end = datetime.fromisoformat(r["schedule_end"]) if r["schedule_end"] else None
            why = msg("finding.firewall.expired_schedule", schedule=r["schedule"], day=f"{end:%Y-%m-%d}") \
                if end and end < now else None
            m = _EXPIRY.search(r["comment"] or "")
            if not why and m:
                try:
                    when = datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)
                except ValueError:
                    when = None
                if when and when < now:
                    why = msg("finding.firewall.expired_comment", day=f"{when:%Y-%m-%d}")
            if why:
                yield r, [], msg("finding.firewall.expired", rule=r["name"], why=why), "expired", None


#: Earlier runs read to detect a counter reset (a hit count that went down between two stored runs).
RESET_HISTORY_RUNS = 12
_COUNT_MARKS = re.compile(r"\s*\((?:hitcnt=\d+|\d+ match(?:es)?)\)|\s+0x[0-9a-f]+\s*$|hit-?count[ :=]+\d+", re.I)


def _rule_key(rule: dict[str, Any]) -> tuple[str, str]:
    """A rule's identity across runs: its rule set and its text without the counters the device prints in it."""
    return str(rule.get("ruleset")), _COUNT_MARKS.sub("", str(rule.get("text") or "")).strip()


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def last_reset(store: Any, run_id: str, device: str, ruleset: str,
               rules_now: list[dict[str, Any]]) -> tuple[datetime, datetime] | None:
    """The latest hit-counter reset seen in the stored history, as (last run before it, first run after it).

    A count that goes *down* between two runs of the same rule means its counters were cleared (or the device
    rebooted) in between. Only the store's earlier runs are read, never the device."""
    try:
        current = store.get_run(run_id)
        runs = store.list_runs(limit=500)
    except (InputError, LookupError):  # a run the store does not hold has no history to offer
        return None
    earlier = sorted((r for r in runs if _aware(r.started_at) < _aware(current.started_at)),
                     key=lambda r: _aware(r.started_at))[-RESET_HISTORY_RUNS:]
    series: list[tuple[datetime, dict[tuple[str, str], int]]] = []
    for run in earlier:
        counts = {_rule_key(o.data): int(o.data["hits"]) for o in store.observations(run.id, kind="firewall.rule",
                                                                                    device=device)
                  if o.data.get("ruleset") == ruleset and o.data.get("hits") is not None}
        if counts:
            series.append((_aware(run.started_at), counts))
    series.append((_aware(current.started_at), {_rule_key(r): int(r["hits"]) for r in rules_now
                                                if r.get("hits") is not None}))
    found = None
    for (t0, before), (t1, after) in itertools.pairwise(series):
        if any(k in after and after[k] < n for k, n in before.items()):
            found = (t0, t1)
    return found


@register
class Unused(_RuleCheck):
    """Permit rules that matched nothing while their counters ran at least ``unused_min_days``.

    The counters' start is the rule set's ``counters_since`` (the device's boot, from its uptime, or the
    ``--counters-since`` date of an offline file); a reset detected in the stored history (a count that went
    down) moves it to the first run after the reset: the check never counts across a reset. Deny rules are never
    "unused": a deny that never fires is still a control."""

    id = "firewall.unused"
    kind = "unused"

    def insufficient(self, g: _Group, ctx: JudgeContext) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """A zero hit count proves a rule unused only on counters that ran ``unused_min_days``: on shorter or
        undated counters the rule set is *not assessed* (it used to pass with "no unused finding")."""
        name = str(g.summary.get("ruleset"))
        window = _counter_window(g, ctx)
        if window is None:
            return (msg("finding.evidence.firewall_counters_unknown", ruleset=name),
                    {"reason": "insufficient_data", "counters": "unknown"})
        days, basis = window
        needed = _unused_min_days(ctx)
        if days < needed:
            return (msg("finding.evidence.firewall_counters_short", ruleset=name, days=days, needed=needed,
                        basis=basis),
                    {"reason": "insufficient_data", "counter_days": days, "needed_days": needed})
        return None

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        window = _counter_window(g, ctx)
        if window is None or window[0] < _unused_min_days(ctx):
            return
        days, basis = window
        for r in _live(g):
            if r["action"] == "permit" and r["hits"] == 0:
                yield r, [], msg("finding.firewall.unused", rule=r["name"], days=days, basis=basis), "unused", None


def _unused_min_days(ctx: JudgeContext) -> int:
    return int(((ctx.data.get("thresholds") or {}).get("firewall") or {}).get("unused_min_days", 90))


def _counter_window(g: _Group, ctx: JudgeContext) -> tuple[int, dict[str, Any]] | None:
    """How many days the rule set's hit counters have run at the judging instant, and since what (boot, a
    date, a reset detected in the stored history); None when their start is unknown."""
    since_text = g.summary.get("counters_since")
    if not since_text:
        return None
    since = _aware(datetime.fromisoformat(since_text))
    basis = msg("finding.firewall.since_boot") if g.summary.get("counters_basis") == "uptime" else \
        msg("finding.firewall.since_day", day=f"{since:%Y-%m-%d}")
    if ctx.store is not None and g.rules:
        reset = last_reset(ctx.store, ctx.run_id, g.device, g.summary["ruleset"], g.rules)
        if reset is not None and reset[1] > since:
            since = reset[1]
            basis = msg("finding.firewall.since_reset", before=f"{reset[0]:%Y-%m-%d}", after=f"{reset[1]:%Y-%m-%d}")
    return (_now(ctx) - since).days, basis


def _now(ctx: JudgeContext) -> datetime:
    """The judging instant: the caller's ``now``, else the run's start (re-judging an old run gives the same
    answer), else the clock."""
    if "now" in ctx.data:
        return _aware(datetime.fromisoformat(str(ctx.data["now"])))
    if ctx.store is not None:
        try:
            return _aware(ctx.store.get_run(ctx.run_id).started_at)
        except (InputError, LookupError):
            pass
    return datetime.now(UTC)


def _too_wide(src: list[tuple[int, int]], limit: int) -> dict[str, Any] | None:
    """Why a management rule's sources are too many: any, more than ``limit`` IPv4 addresses, or more than
    ``limit`` IPv6 /64 networks."""
    if _is_any(src):
        return msg("finding.firewall.any_source")
    v4 = _size([iv for iv in src if iv[0] >= V4_BASE])
    v6 = _size([iv for iv in src if iv[1] < V4_BASE])
    if v4 > limit:
        return msg("finding.firewall.v4_sources", n=v4, limit=limit)
    if v6 > limit << 64:
        return msg("finding.firewall.v6_sources", limit=limit)
    return None


@register
class MgmtExposure(_RuleCheck):
    """Management services open on untrusted zones, and management ACLs or rules (VTY ``access-class``, SNMP,
    ``ip http access-class``, an ``input`` hook) that admit too wide a set of sources."""

    id = "firewall.mgmt_exposure"
    kind = "mgmt_exposure"

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        for zone, services in (g.summary.get("mgmt_access") or {}).items():
            bad = [s for s in services if s in ("telnet", "http", "https", "ssh", "snmp")]
            if bad and any(w in zone.lower() for w in ("wan", "untrust", "outside", "internet")):
                yield None, [], msg("finding.firewall.mgmt_open", services=listing(bad), zone=zone), "mgmt", None
        if not (g.summary.get("management") or "management" in roles(g.summary)):
            return
        th = (ctx.data.get("thresholds") or {}).get("firewall", {})
        limit = int(th.get("mgmt_max_addresses", 256))
        for r in _live(g):
            if r["action"] != "permit" or r["states"] or r["src_zones"] or _unknown(r):
                continue
            names = _ports(r, MGMT_PORTS) if not _any_service(r) else ["any"]
            why = _too_wide(_ranges(r, "src"), limit) if names else None
            if why:
                yield r, [], msg("finding.firewall.mgmt_exposed", rule=r["name"], services=listing(names), why=why), \
                    "mgmt_restrict", None


@register
class Unbound(_RuleCheck):
    """An ACL nothing in a complete configuration uses: marked (info), never judged as a packet filter."""

    id = "firewall.unbound"
    kind = "unbound"

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        if "unbound" in roles(g.summary):
            yield None, [], msg("finding.firewall.unbound", ruleset=g.summary["name"]), "unbound", None


@register
class ParseCoverage(_RuleCheck):
    id = "firewall.parse_coverage"
    kind = "parse_coverage"

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        for r in g.rules:
            if r["status"] != "exact":
                yield r, [], msg("finding.firewall.unparsed", rule=r["name"], status=r["status"], reason=r["reason"]), \
                    "review", None


def _allowed(spec: list[str]) -> list[tuple[int, int, int]]:
    """``["tcp/80", "tcp/443", "udp/53", "tcp/8000-8010"]`` -> (proto, lo, hi)."""
    return [parse_port_spec(str(item)) for item in spec]


def _nets(spec: list[str]) -> list[tuple[int, int]]:
    return [encode_cidr(str(text)) for text in spec]


@register
class ZoneViolation(_RuleCheck):
    """Zone intent from the agency's data (``ctx.data["firewall_zones"]``)::

        zones:
          outside: {trust: untrusted, interfaces: [outside, wan1]}
          dmz:     {trust: dmz, networks: [203.0.113.0/24]}
          inside:  {trust: internal, networks: [192.0.2.0/24]}
        allowed:   # the only permits from untrusted zones, and only into the DMZ
          - {from: outside, to: dmz, services: [tcp/80, tcp/443]}

    A permit from an untrusted zone into an internal one, or into the DMZ beyond the listed services, fails.
    """

    id = "firewall.zone_violation"
    kind = "zone_violation"

    def judge(self, g: _Group, ctx: JudgeContext) -> Iterator[Any]:
        spec = ctx.data.get("firewall_zones")
        if not spec:
            return
        zones: dict[str, dict[str, Any]] = spec.get("zones") or {}
        by_iface = {i: z for z, v in zones.items() for i in v.get("interfaces") or []}
        nets = {z: _nets(v.get("networks") or []) for z, v in zones.items()}
        bound = [by_iface[b.split()[0]] for b in g.summary.get("bound_to") or [] if b.split()[0] in by_iface]
        for r in _live(g):
            if r["action"] != "permit":
                continue
            src_zones = [by_iface.get(z, z) for z in r["src_zones"]] or bound
            dst = _ranges(r, "dst")
            dst_zones = [by_iface.get(z, z) for z in r["dst_zones"]] or [
                z for z, ivs in nets.items() if any(a <= d and c <= b for a, b in ivs for c, d in dst)]
            for sz in src_zones:
                if (zones.get(sz) or {}).get("trust") == "untrusted":
                    yield from _zone_pair(r, sz, dst_zones, zones, spec)


def _zone_pair(r: dict[str, Any], sz: str, dst_zones: list[str], zones: dict[str, dict[str, Any]],
               spec: dict[str, Any]) -> Iterator[Any]:
    """A permit from untrusted zone ``sz``: into an internal zone it fails; into the DMZ, beyond the services
    the zone policy allows for that pair."""
    for dz in dst_zones:
        trust = (zones.get(dz) or {}).get("trust")
        if trust == "internal":
            yield r, [], msg("finding.firewall.zone_into_internal", rule=r["name"], src=sz, dst=dz), "dmz", None
        elif trust == "dmz":
            ok = [a for x in spec.get("allowed") or [] if x.get("from") == sz and x.get("to") == dz
                  for a in _allowed(x.get("services") or [])]
            extra = [s["label"] for s in r["services"] if not any(
                s["proto"] == [p, p] and lo <= s["dport"][0] and s["dport"][1] <= hi for p, lo, hi in ok)]
            if extra:
                yield r, [], msg("finding.firewall.zone_extra", rule=r["name"], services=listing(extra), src=sz,
                                 dst=dz), "zone_limit", None
