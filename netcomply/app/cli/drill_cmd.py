"""``netcomply drill report``: social-engineering drill reports (issue 9). The lead wires ``app`` into main."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from netcomply.app.cli import exitcodes
from netcomply.app.cli.errors import print_input_error
from netcomply.app.cli.options import QuietOpt
from netcomply.app.cli.output import Out
from netcomply.errors import InputError

app = typer.Typer(help="Social-engineering (phishing) drill reports.", no_args_is_help=True)


@app.callback()
def drill() -> None:
    """Social-engineering (phishing) drill reports: open and click rates per department against 10 % / 6 %."""


class ReportFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"
    json = "json"


class Lang(StrEnum):
    zh_TW = "zh-TW"
    en = "en"


def _findings(doc: dict[str, Any], previous_starts: list[str | None], lang: str) -> list[dict[str, Any]]:
    """Run the drill checks on the report's figures (compliance is wired here, in the CLI, not in the package)."""
    from compliance.checks import drill as drill_checks
    from compliance.checks.base import JudgeContext, check_meta
    from reports.drill.phrasing import phrase

    obs = drill_checks.summary_observation(doc, previous_starts)
    ctx = JudgeContext(run_id="drill")
    out: list[dict[str, Any]] = []
    for cls in (drill_checks.DrillOpenRate, drill_checks.DrillClickRate, drill_checks.DrillSemiannual,
                drill_checks.DrillDepartmentClickRate):
        for f in cls().run([obs], ctx):
            meta = check_meta(f.check_id)
            out.append({"check": f.check_id, "subject": f.subject, "status": f.status.value,
                        "severity": f.severity.value, "title": meta.title_zh if lang == "zh-TW" else meta.title,
                        "message": f.message, "text": phrase(f.details, lang, fallback=f.message),
                        "controls": f.controls})
    return out


@app.command()
def report(
    inputs: Annotated[list[Path] | None, typer.Argument(
        help="Drill exports: GoPhish results and/or raw-events CSV (or saved API JSON), Microsoft Attack Simulation "
             "Training user CSV, or the generic CSV (email,action,time,...). A directory means every CSV in it.",
        show_default=False)] = None,
    roster: Annotated[Path | None, typer.Option("--roster", help="HR roster CSV at drill time: "
                      "email,department[,title,name]. People missing from it are shown, not dropped.")] = None,
    previous: Annotated[list[Path] | None, typer.Option("--previous", help="An earlier drill (repeatable): its "
                        "netcomply JSON report, or its exports (file or directory). Enables trends and repeat "
                        "clickers.")] = None,
    formats: Annotated[list[ReportFormat] | None, typer.Option("--format", "-f", help="Output format (repeatable; "
                       "default html and json). json is also printed to stdout.")] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Report language.")] = Lang.zh_TW,
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write the report into.")] = Path("drill-report"),
    annex: Annotated[bool, typer.Option("--annex", help="Also write the RESTRICTED annex (names and addresses "
                     "behind the pseudonyms) as separate annex-restricted.* files, and show real addresses instead "
                     "of pseudonyms in the JSON. Without it every email in the JSON is a keyed pseudonym.")] = False,
    name: Annotated[str | None, typer.Option("--name", help="Drill name (default: the first input's name).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Agency thresholds/bot settings YAML, merged over "
                      "compliance/data/drill-thresholds.yaml.")] = None,
    scanner_range: Annotated[list[str] | None, typer.Option("--scanner-range", help="CIDR of your mail gateway or "
                             "sandbox; clicks from it are discounted (repeatable).")] = None,
    overrides: Annotated[Path | None, typer.Option("--overrides", help="Reviewer decisions CSV: email,decision "
                         "(bot|human),reason[,by,action,time]. Recorded in the report.")] = None,
    key_file: Annotated[Path | None, typer.Option("--key-file", help="Pseudonym key file (else $NETCOMPLY_DRILL_KEY,"
                        " $NETCOMPLY_DRILL_KEY_FILE or ~/.config/netcomply/drill.key, created on first use). Keep it: "
                        "the same key gives the same pseudonyms across drills.")] = None,
    show_small: Annotated[bool, typer.Option("--show-small-groups", help="Do not suppress departments with fewer "
                          "people than min_group_size (default 5).")] = False,
    gophish_url: Annotated[str | None, typer.Option("--gophish-url", help="Read from the GoPhish REST API instead "
                           "of files (key from $GOPHISH_API_KEY).")] = None,
    campaign: Annotated[list[str] | None, typer.Option("--campaign", help="GoPhish campaign id (repeatable).")] = None,
    gophish_ca: Annotated[Path | None, typer.Option("--gophish-ca", help="CA file for GoPhish's certificate.")] = None,
    insecure: Annotated[bool, typer.Option("--insecure", help="Do not verify GoPhish's TLS certificate.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Write the drill report: open and click rate per person tested, per department, against the pass marks
    (open < 10 %, click < 6 %), bot clicks discounted with reasons, trends and repeat clickers across drills.

    Emails in the JSON and HTML are keyed pseudonyms unless --annex is given; names appear only in the
    restricted annex files. Submitted form values are never stored. Times are shown in Asia/Taipei.
    Exit 0 when the report is written (whatever the drill's result), 2 on bad input.
    """
    from collectors.drill.gophish_api import GophishClient
    from collectors.drill.ingest import load_drill
    from collectors.drill.roster import load_roster
    from compliance.drill.bots import load_overrides
    from compliance.drill.config import load_thresholds
    from compliance.drill.privacy import Pseudonymiser, load_key
    from netcomply.app.pipelines.drill import previous_records, run
    from reports.drill import render

    fmts = list(dict.fromkeys(formats or [ReportFormat.html, ReportFormat.json]))
    out = Out(quiet=quiet, fmt="json" if ReportFormat.json in fmts else "table")
    try:
        th = load_thresholds(config, scanner_ranges=tuple(scanner_range or ()))
        if show_small:
            th = th.model_copy(update={"min_group_size": 1})
        pseudo = Pseudonymiser(load_key(key_file))
        if gophish_url:
            if not campaign:
                raise InputError("--gophish-url needs at least one --campaign ID", file="--campaign")
            verify: bool | str = False if insecure else (str(gophish_ca) if gophish_ca else True)
            with GophishClient(gophish_url, verify=verify) as client:
                drill = client.drill(campaign, name or "")
        elif inputs:
            drill = load_drill(inputs, name)
        else:
            raise InputError("give drill export files, or --gophish-url with --campaign", file="INPUT")
        people = load_roster(roster) if roster else None
        prev = previous_records(previous or [], th, people, pseudo)
        result = run(drill, th, pseudo, roster=people, previous=prev,
                     overrides=load_overrides(overrides) if overrides else (), reveal=annex)
        doc = result.document
        findings = _findings(doc, [p.start.isoformat() if p.start else None for p in prev], lang.value)
        doc["findings"] = findings
        out_dir.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        html_text = render.html(doc, lang.value, findings, th.bots.model_dump())
        if ReportFormat.html in fmts:
            (out_dir / "report.html").write_text(html_text, encoding="utf-8")
            written.append(out_dir / "report.html")
        if ReportFormat.pdf in fmts:
            render.pdf(html_text, out_dir / "report.pdf", doc)
            written.append(out_dir / "report.pdf")
        if ReportFormat.xlsx in fmts:
            render.xlsx(doc, out_dir / "report.xlsx", lang.value, result.annex if annex else None)
            written.append(out_dir / "report.xlsx")
        if ReportFormat.json in fmts:
            render.write_json(doc, out_dir / "report.json")
            written.append(out_dir / "report.json")
        if annex:
            render.write_json(result.annex, out_dir / "annex-restricted.json")
            (out_dir / "annex-restricted.html").write_text(render.annex_html(result.annex, lang.value),
                                                          encoding="utf-8")
            written += [out_dir / "annex-restricted.json", out_dir / "annex-restricted.html"]
    except InputError as exc:
        print_input_error(exc)
        raise typer.Exit(exitcodes.BAD_INPUT) from None
    except OSError as exc:
        out.error(f"cannot write the report: {exc}")
        raise typer.Exit(exitcodes.BAD_INPUT) from None
    if out.machine:
        out.data(doc)
    verdict = "PASS" if doc["pass"] else "FAIL"
    out.info(f"{drill.name}: {doc['participants']} tested, open {render.pct(doc['open_rate'])}, click "
             f"{render.pct(doc['click_rate'])} -> {verdict} ({doc['verdict']}); {len(doc['bot_events'])} bot events "
             f"discounted")
    for path in written:
        out.info(f"wrote {path}")
