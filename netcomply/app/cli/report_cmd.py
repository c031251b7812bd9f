"""``netcomply report``: render the audit report of stored runs (offline: it reads the store, never the network).

``--run ID`` once for one run, several times for a combined report, or ``--batch NAME`` for every run that
``netcomply audit --batch NAME`` stored. The same writer serves ``netcomply audit --out`` and ``netcomply demo``
(:func:`write_audit_outputs`), so the three commands give the same files for the same run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from netcomply.app.cli.errors import exit_on_bad_input
from netcomply.app.cli.options import Format, FormatOpt, Lang, QuietOpt, TimezoneOpt
from netcomply.app.cli.output import Out
from netcomply.app.pipelines.report import Written, write_audit_outputs
from netcomply.errors import InputError

DEFAULT_FORMATS = "html,pdf,xlsx,json"

StoreOpt = Annotated[
    str | None,
    typer.Option("--db", "--store", envvar="NETCOMPLY_DB", show_default=False,
                 help="Store: a SQLite file path or a postgresql:// URL "
                 "(default: ~/.local/share/netcomply/netcomply.db)."),
]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Report language: zh-TW, en or both.")]
FormatsOpt = Annotated[str, typer.Option("--formats", help="Comma-separated: html,pdf,xlsx,json.")]
DecisionsOpt = Annotated[Path | None, typer.Option("--decisions", help="The agency's SoA decisions YAML.")]
DutiesOpt = Annotated[Path | None, typer.Option("--duties", help="The agency's duty record YAML.")]
AgencyOpt = Annotated[str | None, typer.Option("--agency", help="Agency id in the inventory (when it has several).")]


def langs_of(lang: Lang | str) -> list[str]:
    value = lang.value if isinstance(lang, Lang) else lang
    if value == "both":
        return ["zh-TW", "en"]
    from reports.audit.locale import check_lang

    return [check_lang(value)]


def evidence_key_from(option: Path | None) -> Path | None:
    """The signing key from ``--evidence-key`` or the environment variable; None when neither is set. A key that
    is named but missing is bad input now, before an audit spends an hour collecting."""
    from reports.evidence import KEY_ENV

    env = os.environ.get(KEY_ENV)
    chosen = option if option is not None else (Path(env) if env else None)
    if chosen is not None and not chosen.is_file():
        source = "--evidence-key" if option is not None else f"${KEY_ENV}"
        raise InputError(f"the evidence signing key named by {source} does not exist "
                         "(make one with `netcomply evidence keygen`)", file=str(chosen))
    return chosen


def report_inputs(inv: Any, inventory: Path | None, agency: str | None, duties: Path | None,
                  decisions: Path | None) -> Any:
    """The agency's side of the evaluation. An inventory of several agencies without ``--agency`` is fine for a
    report (it spans them all): the national duties are then judged without a level, as "not assessed"."""
    from compliance.engine import agency_inputs

    several = inv is not None and len(inv.agencies) > 1 and agency is None
    return agency_inputs(inventory=None if several else inventory, agency_id=agency, duties=duties,
                         decisions=decisions)


def report(
    run: Annotated[list[str] | None, typer.Option("--run", "-r", help="Run id or unique prefix; repeat to combine "
                                                  "several runs into one report.")] = None,
    batch: Annotated[str | None, typer.Option("--batch", help="Every run stored with `netcomply audit --batch "
                                              "NAME`, combined.")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for the report files "
                                                 "(default: ./report-RUN).", file_okay=False)] = None,
    lang: LangOpt = Lang.zh,
    inventory: Annotated[Path | None, typer.Option("--inventory", "-i", help="Inventory YAML (agency, site, "
                                                   "role of devices; default: the run's own, if unchanged).")] = None,
    agency: AgencyOpt = None,
    decisions: DecisionsOpt = None,
    duties: DutiesOpt = None,
    formats: FormatsOpt = DEFAULT_FORMATS,
    db: StoreOpt = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
    timezone: TimezoneOpt = None,
    doc_version: Annotated[str | None, typer.Option("--doc-version", help="Version (版次) on the PDF's cover "
                                                    "(default 1.0).")] = None,
    classification: Annotated[str | None, typer.Option("--classification", help="Classification on the PDF's "
                                                       "cover and every page's header (default: restricted, "
                                                       "for the agency's internal use).")] = None,
) -> None:
    """Write the audit report (HTML, PDF, XLSX, report.json) of stored runs. Never touches the network."""
    from netcomply.store import Store
    from reports.audit.gather import resolve_runs, runs_of_batch
    from reports.audit.write import parse_formats

    out = Out(quiet=quiet, fmt=fmt.value)
    with exit_on_bad_input():
        if bool(run) == bool(batch):
            raise InputError("give either --run ID (repeatable) or --batch NAME", file="--run/--batch")
        chosen_formats = parse_formats(formats)
        langs = langs_of(lang)
        inv = None
        if inventory is not None:
            from netcomply.inventory import load_inventory

            inv = load_inventory(inventory)
        inputs = report_inputs(inv, inventory, agency, duties, decisions)
        with Store.open(db, create=False) as store:
            runs = runs_of_batch(store, batch) if batch else resolve_runs(store, run or [])
            target = out_dir or Path(f"report-{runs[-1].id if len(runs) == 1 else (batch or runs[-1].id)}")
            written = write_audit_outputs(out, store, [r.id for r in runs], target, langs=langs,
                                          formats=chosen_formats, inventory=inv, inputs=inputs, timezone=timezone,
                                          paper={"doc_version": doc_version, "classification": classification})
    print_written(out, written)


def print_written(out: Out, written: Written) -> None:
    if out.machine:
        out.data({"runs": written.run_ids, "files": [str(p) for p in written.files],
                  "evidence_pack": str(written.evidence_pack) if written.evidence_pack else None,
                  "evidence_verified": written.evidence_verified, "summary": written.summary})
        return
    for path in written.files:
        out.say(f"wrote {path}")
    if written.evidence_pack:
        out.say(f"wrote {written.evidence_pack} (evidence pack, "
                + ("verified" if written.evidence_verified else "not verified: no public key beside the key")
                + ")")
    for key, error in written.section_errors.items():
        out.warn(f"report section {key} could not be built: {error}")
