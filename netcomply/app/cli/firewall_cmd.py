"""``netcomply firewall analyze|diff``: offline firewall rule audits of saved configurations.

The same facts the SSH collector stores (rule sets, rules, anomalies) are built from the files and judged by
the same compliance checks, so an offline audit and a collected one agree. Bad input (unreadable file, unknown
format) exits 2 with ``FILE: problem``; nothing is sent anywhere.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from netcomply.app.cli.errors import exits_on_bad_input
from netcomply.app.pipelines.firewall import audit, load_rule_sets, load_zones
from netcomply.errors import InputError, InputProblem
from netcomply.safety.cells import CsvWriter

app = typer.Typer(help="Audit firewall rule sets from saved files (offline).", no_args_is_help=True)

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
    doc = audit(files, platform, counters_since=since, now=_date(now, "--now"), zones=load_zones(zones),
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

    olds = {rs.name: rs for rs in load_rule_sets([old], platform)}
    news = {rs.name: rs for rs in load_rule_sets([new], platform)}
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
