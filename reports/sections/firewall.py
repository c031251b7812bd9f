"""Audit report section: the firewall rule review (防火牆連線設定檢視).

What the reader of a health-check report needs, per firewall: how many rules were read and how much of them the
tool could model exactly (a low parse coverage is stated, never hidden: the unmodelled rules were not
analysed), then every finding with the rule it is about (line, text, name), the other rules involved (the ones
that hide it, overlap it, or end the rule set), and the fix an auditor would suggest.

Reads only the run's ``firewall.ruleset`` / ``firewall.rule`` observations and the ``firewall.*`` findings; no
network, no clock. Ordered by device, rule set, severity and line, so a re-rendered run gives the same data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any, ClassVar, cast

from netcomply import i18n
from netcomply.contracts.firewall import RoleName
from netcomply.models import Finding, FindingStatus, Observation
from reports.charts import stacked_bar_chart
from reports.sections.base import ReportSection, SectionContext, Sheet, finding_anchor, section

#: Below this share of exactly parsed rules the section warns that the analysis of the device is incomplete.
LOW_COVERAGE = 0.95

SEVERITIES = ("critical", "high", "medium", "low", "info")

def _names(group: str, keys: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(English, Chinese) names of ``keys`` from the catalog's ``section.firewall.<group>`` entries."""
    return {k: (i18n.text(f"section.firewall.{group}.{k}", "en"), i18n.text(f"section.firewall.{group}.{k}", "zh-TW"))
            for k in keys}


#: Finding kinds in the order a reader meets them, with their names in both languages (section.yaml).
KINDS: dict[str, tuple[str, str]] = _names("kind", (
    "any_any", "mgmt_exposure", "zone_violation", "insecure_service", "wide", "shadowed", "redundant", "irrelevant",
    "correlation", "generalization", "no_final_deny", "after_final_deny", "no_log", "no_comment", "disabled",
    "expired", "unused", "parse_coverage", "unbound"))

#: What a rule set is (from what it is bound to), in both languages; a rule set stored without roles was
#: judged as a packet filter. Keyed by the contract's role names (netcomply.contracts.firewall.ROLES: a test holds
#: that every role has its names here).
ROLES: dict[RoleName, tuple[str, str]] = cast(dict[RoleName, tuple[str, str]], _names("role", (
    "packet_filter", "management", "route_filter", "nat", "classifier", "unbound", "unknown")))


def role_names(roles: list[str], lang: str) -> str:
    names = [ROLES.get(cast(RoleName, r), (r, r))[1 if lang == "zh-TW" else 0] for r in roles or ["unknown"]]
    return ("、" if lang == "zh-TW" else ", ").join(names)


def _zh(lang: str) -> bool:
    return lang == "zh-TW"


def _kind_name(kind: str, lang: str) -> str:
    en, zh = KINDS.get(kind, (kind, kind))
    return zh if _zh(lang) else en


def _newest(observations: Iterable[Observation]) -> dict[tuple[str, str], dict[str, Any]]:
    """The newest ``firewall.ruleset`` per (device, rule set): a combined report may hold several runs."""
    sets: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    for o in observations:
        if o.kind != "firewall.ruleset":
            continue
        key = (o.device, str(o.data.get("ruleset") or o.data.get("name")))
        if key not in sets or (o.id or 0) >= sets[key][0]:
            sets[key] = (o.id or 0, o.data)
    return {k: v for k, (_, v) in sets.items()}


def _finding_row(f: Finding) -> dict[str, Any]:
    d = f.details or {}
    rule = d.get("rule")
    return {
        "anchor": finding_anchor(f.id),
        "check_id": f.check_id,
        "kind": str(d.get("kind") or f.check_id.removeprefix("firewall.")),
        "severity": f.severity.value,
        "ruleset": d.get("ruleset"),
        "rule": {"line": rule.get("line"), "text": rule.get("text"), "name": rule.get("name")} if rule else None,
        "related": [{"line": r.get("line"), "text": r.get("text")} for r in d.get("related") or []],
        # the rules that can be deleted together with this one (redundancy findings acted on at once)
        "removable_set": [r.get("line") for r in d.get("removable_set") or []],
        "message": f.message,
        "fix": d.get("fix"),
        # the catalog messages of both (findings judged before they existed have none: the English is matched)
        "msg": d.get("msg"),
        "fix_msg": d.get("fix_msg"),
    }


def _in_lang(message: Any, english: str | None, lang: str) -> str:
    """A row's message or fix in ``lang``: its catalog message, else its stored English matched to the catalog."""
    return i18n.render(message, lang, english or "") if message else i18n.stored(english, lang)


def _device_of(f: Finding) -> str:
    return str((f.details or {}).get("device") or f.subject.split(":", 1)[0])


def _rule_set_entry(name: str, rs: dict[str, Any]) -> dict[str, Any]:
    """One rule set's row: size, parse coverage, binding and what it was judged as."""
    rules = int(rs.get("rules") or 0)
    raw_coverage = rs.get("coverage")
    coverage = float(raw_coverage) if raw_coverage is not None else 1.0
    return {
        "name": name, "platform": rs.get("platform"), "source": rs.get("source"), "rules": rules,
        "coverage": round(coverage, 4), "unparsed": int(rs.get("unparsed") or 0),
        "approximate": int(rs.get("approximate") or 0), "default_action": rs.get("default_action"),
        "bound_to": list(rs.get("bound_to") or []), "management": bool(rs.get("management")),
        "roles": list(rs.get("roles") or ["unknown"]), "uses": list(rs.get("uses") or []),
        "counters_since": rs.get("counters_since"),
        "low_coverage": coverage < LOW_COVERAGE,
    }


def _device_entry(device: str, sets: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One firewall: its rule sets, overall coverage, and its findings by severity, rule set and line."""
    rows = sorted(rows, key=lambda r: (
        SEVERITIES.index(r["severity"]) if r["severity"] in SEVERITIES else len(SEVERITIES),
        str(r["ruleset"]), (r["rule"] or {}).get("line") or 0, r["kind"], r["message"]))
    total = sum(s["rules"] for s in sets)
    exact = sum(round(s["rules"] * s["coverage"]) for s in sets)
    coverage = round(exact / total, 4) if total else 1.0
    return {
        "device": device,
        "platforms": sorted({str(s["platform"]) for s in sets if s["platform"]}),
        "rule_sets": sets,
        "rules": total,
        "coverage": coverage,
        "low_coverage": coverage < LOW_COVERAGE,
        "unparsed": sum(s["unparsed"] for s in sets),
        "approximate": sum(s["approximate"] for s in sets),
        "by_kind": dict(sorted(Counter(r["kind"] for r in rows).items())),
        "by_severity": {s: n for s in SEVERITIES if (n := sum(r["severity"] == s for r in rows))},
        "findings": rows,
    }


@section
class FirewallSection(ReportSection):
    key = "firewall"
    order = 400
    title: ClassVar[dict[str, str]] = {"en": "Firewall rule review", "zh-TW": "防火牆連線設定檢視"}
    template = "sections/firewall.html.j2"
    collectors: ClassVar[tuple[str, ...]] = ("firewall_rules",)

    def build(self, ctx: SectionContext) -> dict[str, Any] | None:
        rulesets = _newest(ctx.observations_of("firewall"))
        findings = [f for f in ctx.findings_of("firewall") if f.status == FindingStatus.FAIL]
        if not rulesets and not findings:
            return None
        by_device: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (device, name), rs in sorted(rulesets.items()):
            by_device[device].append(_rule_set_entry(name, rs))
        rows_by_device: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for f in findings:
            rows_by_device[_device_of(f)].append(_finding_row(f))
        devices = [_device_entry(device, by_device.get(device, []), rows_by_device.get(device, []))
                   for device in sorted(set(by_device) | set(rows_by_device))]
        all_rows = [r for d in devices for r in d["findings"]]
        total_rules = sum(d["rules"] for d in devices)
        exact_rules = sum(round(s["rules"] * s["coverage"]) for d in devices for s in d["rule_sets"])
        kinds_seen = [k for k in KINDS if any(r["kind"] == k for r in all_rows)] + sorted(
            {r["kind"] for r in all_rows} - set(KINDS))
        return {
            "devices": devices,
            "kinds": kinds_seen,
            "kind_names": {k: {"en": KINDS.get(k, (k, k))[0], "zh": KINDS.get(k, (k, k))[1]} for k in kinds_seen},
            "role_names": {k: {"en": en, "zh": zh} for k, (en, zh) in ROLES.items()},
            "low_coverage_threshold": LOW_COVERAGE,
            "totals": {
                "devices": len(devices),
                "rule_sets": sum(len(d["rule_sets"]) for d in devices),
                "rules": total_rules,
                "coverage": round(exact_rules / total_rules, 4) if total_rules else 1.0,
                "findings": len(all_rows),
                "by_kind": dict(sorted(Counter(r["kind"] for r in all_rows).items())),
                "by_severity": {s: n for s in SEVERITIES if (n := sum(r["severity"] == s for r in all_rows))},
                "low_coverage_devices": [d["device"] for d in devices if d["low_coverage"]],
            },
        }

    def charts(self, data: dict[str, Any], lang: str) -> dict[str, str]:
        if not data["kinds"] or not data["devices"]:
            return {}
        names = [d["device"] for d in data["devices"]]
        stacks = {_kind_name(k, lang): [float(d["by_kind"].get(k, 0)) for d in data["devices"]] for k in data["kinds"]}
        title = i18n.text("section.firewall.chart_kinds", lang)
        return {"firewall-kinds": str(stacked_bar_chart("chart-firewall-kinds", title, names, stacks))}

    def sheets(self, data: dict[str, Any], lang: str) -> list[Sheet]:
        def cols(*keys: str) -> list[str]:
            return [i18n.text(f"section.firewall.col.{k}", lang) for k in keys]

        rule_sets = Sheet(
            i18n.text("section.firewall.sheet_rule_sets", lang),
            cols("device", "rule_set", "platform", "rules", "coverage", "unparsed", "approximate", "default_action",
                 "bound_to", "role"),
            [[d["device"], s["name"], s["platform"], s["rules"], s["coverage"], s["unparsed"], s["approximate"],
              s["default_action"], "; ".join(s["uses"] or s["bound_to"]), role_names(s["roles"], lang)]
             for d in data["devices"] for s in d["rule_sets"]])
        findings = Sheet(
            i18n.text("section.firewall.sheet_findings", lang),
            cols("device", "rule_set", "kind", "severity", "line", "rule_name", "rule_text", "related", "message",
                 "fix", "removable_set"),
            [[d["device"], r["ruleset"], _kind_name(r["kind"], lang), r["severity"],
              (r["rule"] or {}).get("line"), (r["rule"] or {}).get("name"), (r["rule"] or {}).get("text"),
              "; ".join(f"{x['line']}: {x['text']}" for x in r["related"]),
              _in_lang(r.get("msg"), r["message"], lang), _in_lang(r.get("fix_msg"), r["fix"], lang),
              ", ".join(str(x) for x in r["removable_set"])]
             for d in data["devices"] for r in d["findings"]])
        return [rule_sets, findings]

    def summary(self, data: dict[str, Any], lang: str) -> list[str]:
        t = data["totals"]
        top = sorted(t["by_kind"].items(), key=lambda kv: (-kv[1], list(KINDS).index(kv[0]) if kv[0] in KINDS else 99))
        high = t["by_severity"].get("critical", 0) + t["by_severity"].get("high", 0)
        low_cov = t["low_coverage_devices"]
        kinds = [i18n.msg("section.firewall.kind_count", kind=_kind_name(k, lang), n=n) for k, n in top[:3]]
        counts = {"rules": t["rules"], "rule_sets": t["rule_sets"], "devices": t["devices"],
                  "coverage": f"{t['coverage']:.0%}", "findings": t["findings"], "high": high}
        out = [i18n.text("section.firewall.summary_top", lang, kinds=kinds, **counts) if kinds else
               i18n.text("section.firewall.summary", lang, **counts)]
        if low_cov:
            out.append(i18n.text("section.firewall.summary_low", lang, n=len(low_cov),
                                 threshold=f"{LOW_COVERAGE:.0%}", devices=low_cov[:6]))
        return out
