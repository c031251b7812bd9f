"""``netcomply identify RECORDING...``: brand, maker, model and PRC status from saved SNMP answers, offline.

Why a command of its own: agencies hold device answers they cannot (or may not) collect again — a contractor's
``snmpwalk`` dump, a monitoring system's snmpsim recording, the answers of a device behind a network they do not
run. The verdict is the one a live scan would give from the same objects (``collectors.vendor.recordings``), with
its evidence, and nothing is stored or sent anywhere. One unreadable file is reported and the others are still
identified; the exit code is then 2.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from netcomply.app.cli.errors import exits_on_bad_input
from netcomply.app.cli.exitcodes import BAD_INPUT
from netcomply.app.cli.options import DataFormat, QuietOpt
from netcomply.app.cli.output import Out
from netcomply.app.cli.vendor_cmd import CpeOpt, FormatOpt, KbOpt, deciding_signals, write_cpe
from netcomply.contracts.vendor import prc_state
from netcomply.errors import InputError
from netcomply.safety.cells import DictCsvWriter

CSV_FIELDS = ("file", "brand", "manufacturer", "model", "version", "serial", "prc_brand", "prc_rule", "prc_detail",
              "confidence", "status", "signals", "skipped_lines", "error")


def identify_files(paths: list[Path], vendor_kb: str | None, command: str | None = None) -> list[dict[str, Any]]:
    """One row per file: the verdict (``Verdict.to_dict``) with ``file`` and the unreadable lines; or ``error``.
    With ``command`` the files are that CLI command's saved output, not SNMP recordings."""
    from collectors.vendor.kb import load_kb
    from collectors.vendor.recordings import cli_verdict_of, read, read_cli, verdict_of
    from netcomply.app.pipelines.vendor import kb_path

    kb = load_kb(kb_path(vendor_kb))
    wanted = [v.oid for v in kb.vendor_oids]
    rows: list[dict[str, Any]] = []
    for path in paths:
        try:
            if command:
                found = cli_verdict_of(kb, command, read_cli(path), str(path), path.stem).to_dict()
                rows.append({"file": str(path), **found, "skipped": [], "skipped_count": 0})
                continue
            facts = read(path, wanted)
        except InputError as exc:
            rows.append({"file": str(path), "name": path.stem, "status": "error",
                         "error": "; ".join(str(p) for p in exc.problems)})
            continue
        rows.append({"file": str(path), **verdict_of(kb, facts).to_dict(), "skipped": facts.get("skipped", []),
                     "skipped_count": facts.get("skipped_count", 0)})
    return rows


def _csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = DictCsvWriter(buf, fieldnames=list(CSV_FIELDS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**{k: row.get(k) for k in CSV_FIELDS if k not in ("prc_brand", "signals", "skipped_lines")},
                         "prc_brand": "" if row.get("error") else prc_state(row.get("prc_brand")),
                         "signals": deciding_signals(row),
                         "skipped_lines": row.get("skipped_count") or 0})
    return buf.getvalue()


def _table(out: Out, rows: list[dict[str, Any]]) -> None:
    prc = {True: "YES", False: "no", None: "unknown (review)"}
    good = [r for r in rows if not r.get("error")]
    # unknown PRC status first: those are the ones a person has to settle
    good.sort(key=lambda r: (r.get("prc_brand") is not None, r.get("prc_brand") is False, r["file"]))
    out.table("Identified from recordings", ["file", "brand", "manufacturer", "model", "PRC brand", "decided by",
                                             "confidence"],
              [[r["file"], r.get("brand") or "-", r.get("manufacturer") or "-", r.get("model") or "-",
                prc[r.get("prc_brand")], r.get("prc_rule") or "-", f"{float(r.get('confidence') or 0):.2f}"]
               for r in good])
    for r in good:
        if r.get("skipped_count"):
            out.warn(f"{r['file']}: {r['skipped_count']} line(s) could not be read and were skipped, first: "
                     f"{r['skipped'][0]}")
    for r in rows:
        if r.get("error"):
            out.error(r["error"])


@exits_on_bad_input
def identify(
    recordings: Annotated[list[Path], typer.Argument(help="SNMP recordings: snmpsim .snmprec files or snmpwalk "
                                                     "output (numeric OIDs, or the MIB names of sysDescr, "
                                                     "sysObjectID and ENTITY-MIB); with --command, that command's "
                                                     "saved output.")],
    command: Annotated[str | None, typer.Option(
        "--command", "-c", help="The files are saved output of this CLI command ('show version', 'display "
        "version', 'display device manuinfo', 'show inventory', 'get system status', ...), not SNMP.")] = None,
    vendor_kb: KbOpt = None,
    fmt: FormatOpt = DataFormat.table,
    quiet: QuietOpt = False,
    cpe: CpeOpt = None,
) -> None:
    """Identify devices from saved SNMP answers or CLI output, offline: brand, maker, model and PRC status with its
    evidence."""
    out = Out(quiet=quiet, fmt="json" if fmt is DataFormat.json else "table")
    rows = identify_files(recordings, vendor_kb, command)
    if cpe is not None:
        written = write_cpe(cpe, [r for r in rows if not r.get("error")])
        out.info(f"CPE asset list: {written[0]} and {written[1]}")
    if fmt is DataFormat.json:
        out.data({"devices": rows, "errors": sum(1 for r in rows if r.get("error"))})
    elif fmt is DataFormat.csv:
        sys.stdout.write(_csv(rows))
    else:
        _table(out, rows)
    if any(r.get("error") for r in rows):
        raise typer.Exit(BAD_INPUT)
