"""``netcomply firewall analyze|diff``: offline firewall rule audits of saved configurations.

The same facts the SSH collector stores (rule sets, rules, anomalies) are built from the files and judged by
the same compliance checks, so an offline audit and a collected one agree. Bad input (unreadable file, unknown
format) exits 2 with ``FILE: problem``; nothing is sent anywhere.
"""

from __future__ import annotations

import io
import ipaddress
import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from netcomply.app.cli.errors import exits_on_bad_input
from netcomply.errors import InputError, InputProblem
from netcomply.safety.cells import CsvWriter

app = typer.Typer(help="Audit firewall rule sets from saved files (offline).", no_args_is_help=True)

KIND_ORDER = ("shadowed", "redundant", "generalization", "correlation", "irrelevant", "any_any", "wide",
              "insecure_service", "no_final_deny", "no_log", "no_comment", "disabled", "after_final_deny",
              "expired", "unused", "mgmt_exposure", "zone_violation", "parse_coverage", "unbound")
SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


class OutFormat(StrEnum):
    json = "json"
    table = "table"
    csv = "csv"


PlatformOpt = Annotated[str | None, typer.Option(
    "--platform", "-p", help="cisco_asa, cisco_ios, fortinet (policy, policy6, local-in-policy), juniper_junos "
    "(brace, display set or display xml), paloalto_panos (show running security-policy, XML, set or brace "
    "configuration), iptables (iptables-save or iptables commands) or nft (nft -j JSON or nft list ruleset text); "
    "detected from the text when omitted.")]


def _load(files: list[Path], platform: str | None) -> list[Any]:
    from collectors.firewall.bindings import assign_roles
    from collectors.firewall.parsers import parse_text

    sets = []
    problems: list[InputProblem] = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            problems.append(InputProblem(str(f), None, f"cannot read: {exc.strerror}"))
            continue
        try:
            found = parse_text(text, platform, str(f))
            assign_roles(found, text, str(f))  # what each ACL is bound to decides which checks apply
            sets.extend(found)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)  # every file's problems at once
    return sets


def _read(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(InputProblem(str(path), None, f"cannot read: {exc.strerror}")) from None


def audit(files: list[Path], platform: str | None, *, counters_since: datetime | None = None,
          now: datetime | None = None, zones: dict[str, Any] | None = None,
          linux_ip: tuple[Path, Path, Path] | None = None) -> dict[str, Any]:
    """Parse, analyse and judge; returns the JSON document ``analyze --format json`` prints.

    ``linux_ip``: saved ``ip -j address show``, ``ip -j route show`` and ``ip -6 -j route show`` of the host
    whose nftables rule sets these are, so ``iifname``/``oifname`` matches can be checked (irrelevant rules)."""
    from collectors.firewall import linux
    from collectors.firewall.observe import observations
    from compliance.checks.base import JudgeContext, registered
    from compliance.checks.firewall import group
    from netcomply.models import FindingStatus

    sets = _load(files, platform)
    nets: dict[str, Any] = {}
    if linux_ip:
        texts = [_read(p) for p in linux_ip]
        expected = ("ip -j address show", "ip -j route show", "ip -6 -j route show")
        bad = [InputProblem(str(p), None, f"not the JSON list of '{what}'")
               for p, text, what in zip(linux_ip, texts, expected, strict=True) if linux.json_list(text) is None]
        if bad:
            raise InputError(bad)
        nets = linux.routing(*texts)  # {} when routing is dynamic: then no rule is called irrelevant
    obs = []
    for rs in sets:
        if nets and rs.platform == "nft":
            rs.zone_networks = dict(nets)
        if counters_since is not None:
            rs.counters_since = counters_since
        obs.extend(observations([rs], "offline", "firewall_rules", f"file:{rs.source}"))
    for k, o in enumerate(obs):
        o.id = k
    data: dict[str, Any] = {"now": (now or datetime.now(UTC)).isoformat()}
    if zones:
        data["firewall_zones"] = zones
    ctx = JudgeContext(run_id="offline", data=data)
    findings = []
    for check_id, cls in sorted(registered().items()):
        if not check_id.startswith("firewall."):
            continue
        for f in cls().run(obs, ctx):
            if f.status != FindingStatus.FAIL:
                continue
            d = f.details
            joint: dict[str, Any] = {k: d[k] for k in ("removable_set", "removable_set_size") if k in d}
            findings.append({"kind": d["kind"], "severity": str(f.severity), "rule": d["rule"],
                             "related": d["related"], "message": f.message, "fix": d["fix"],
                             "ruleset": d["ruleset"], "check": f.check_id, "controls": f.controls, **joint})
    findings.sort(key=lambda x: (x["ruleset"], (x["rule"] or {}).get("line", 0), KIND_ORDER.index(x["kind"])))
    n_rules = sum(len(rs.rules) for rs in sets)
    exact = sum(1 for rs in sets for r in rs.rules if r.status == "exact")
    groups = group(obs)
    return {"rules": n_rules, "coverage": round(exact / n_rules, 4) if n_rules else 1.0,
            "rulesets": [g.summary for g in groups.values()], "findings": findings}


@app.command()
@exits_on_bad_input
def analyze(
    files: Annotated[list[Path], typer.Argument(help="Saved configurations or command outputs.", dir_okay=False)],
    platform: PlatformOpt = None,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="json, table or csv.")] = OutFormat.table,
    counters_since: Annotated[str | None, typer.Option(
        help="When hit counters were last reset (ISO date); enables the unused-rule check.")] = None,
    zones: Annotated[Path | None, typer.Option(
        help="Zone policy YAML (zones: trust, interfaces, networks; allowed DMZ services).", dir_okay=False)] = None,
    now: Annotated[str | None, typer.Option(help="Judge as of this ISO date (default: now).", hidden=True)] = None,
    linux_ip: Annotated[tuple[Path, Path, Path] | None, typer.Option(
        "--linux-ip", help="For nftables: saved 'ip -j address show', 'ip -j route show' and 'ip -6 -j route show' "
        "outputs (three files), so rules on interfaces that never see their addresses are found.",
        dir_okay=False)] = None,
) -> None:
    """Find shadowed, redundant, risky and unlogged rules in FILE... and print them with suggested fixes."""
    since = _date(counters_since, "--counters-since")
    doc = audit(files, platform, counters_since=since, now=_date(now, "--now"), zones=_zones(zones),
                linux_ip=linux_ip)
    if fmt == OutFormat.json:
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False, default=str))
        return
    rows = [[f["severity"], f["kind"], f["ruleset"], str((f["rule"] or {}).get("line", "")),
             (f["rule"] or {}).get("name", ""), f["message"], f["fix"]] for f in doc["findings"]]
    head = ["severity", "kind", "ruleset", "line", "rule", "message", "fix"]
    if fmt == OutFormat.csv:
        buf = io.StringIO()
        w = CsvWriter(buf)
        w.writerow(head)
        w.writerows(rows)
        typer.echo(buf.getvalue(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*head[:-1], title=f"{doc['rules']} rules, parse coverage {doc['coverage']:.1%}")
    for r in sorted(rows, key=lambda r: SEVERITY_RANK.get(r[0], 9)):
        table.add_row(*r[:-1])
    Console(width=160).print(table)


@app.command()
@exits_on_bad_input
def diff(
    old: Annotated[Path, typer.Argument(help="The rule set before the change.", dir_okay=False)],
    new: Annotated[Path, typer.Argument(help="The rule set after the change.", dir_okay=False)],
    platform: PlatformOpt = None,
    limit: Annotated[int, typer.Option(help="Example flows to show per rule set.")] = 20,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="json or table.")] = OutFormat.table,
) -> None:
    """Show traffic NEW permits that OLD did not, as example flows with the rule that permits each."""
    from collectors.firewall.diff import newly_permitted

    olds = {rs.name: rs for rs in _load([old], platform)}
    news = {rs.name: rs for rs in _load([new], platform)}
    if len(olds) == 1 and len(news) == 1:
        pairs = [(next(iter(olds.values())), next(iter(news.values())))]
    else:
        pairs = [(olds[n], news[n]) for n in news if n in olds]
    out = []
    for o, n in pairs:
        flows, skipped = newly_permitted(o, n, limit)
        out.append({"ruleset": n.name, "new_flows": [
            {"flow": f.describe(), "packet": f.packet, "rule": {"line": f.rule.provenance.line,
                                                              "text": f.rule.provenance.text, "name": f.rule.name}}
            for f in flows], "not_exact": [{"line": r.provenance.line, "text": r.provenance.text} for r in skipped]})
    if fmt == OutFormat.json:
        typer.echo(json.dumps(out, indent=2, default=str))
        return
    for d in out:
        typer.echo(f"{d['ruleset']}: {len(d['new_flows'])} example flow(s) newly permitted")
        for f in d["new_flows"]:
            typer.echo(f"  {f['flow']}   by line {f['rule']['line']}: {f['rule']['text']}")
        for r in d["not_exact"]:
            typer.echo(f"  (not modelled exactly, left out: line {r['line']}: {r['text']})")


def _date(value: str | None, flag: str) -> datetime | None:
    if value is None:
        return None
    try:
        d = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(InputProblem(flag, None, f"not an ISO date: {value!r}")) from None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _zones(path: Path | None) -> dict[str, Any] | None:
    """Load and shape-check the zone policy; every problem names the file and the key."""
    if path is None:
        return None
    import yaml

    where = str(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(InputProblem(where, None, f"cannot read the zone policy: {exc}")) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("zones"), dict):
        raise InputError(InputProblem(where, None, "expected a mapping with 'zones' (and optionally 'allowed')"))
    problems: list[InputProblem] = []
    for name, z in doc["zones"].items():
        if not isinstance(z, dict) or z.get("trust") not in ("untrusted", "dmz", "internal", "management"):
            problems.append(InputProblem(where, None, "needs trust: untrusted | dmz | internal | management",
                                         key=f"zones.{name}"))
            continue
        for net in z.get("networks") or []:
            try:
                ipaddress.ip_network(str(net), strict=False)
            except ValueError:
                problems.append(InputProblem(where, None, f"not a network: {net!r}", key=f"zones.{name}.networks"))
    if problems:
        raise InputError(problems)
    return doc
