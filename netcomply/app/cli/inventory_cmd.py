"""``netcomply inventory validate|show|schema``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from netcomply.app.cli import exitcodes
from netcomply.app.cli.options import Format, FormatOpt, QuietOpt
from netcomply.app.cli.output import Out

app = typer.Typer(help="Check and inspect inventory files.", no_args_is_help=True)

FileArg = Annotated[Path, typer.Argument(help="Inventory YAML file.", dir_okay=False)]


@app.command()
def validate(
    file: FileArg,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
) -> None:
    """Validate FILE: exit 0 when it is sound, 2 with `FILE:LINE: problem` lines when it is not."""
    from netcomply.inventory import validate_inventory

    out = Out(quiet=quiet, fmt=fmt.value)
    report = validate_inventory(file)
    failed = bool(report.problems) or (strict and bool(report.warnings))
    if out.machine:
        out.data(
            {
                "file": str(file),
                "valid": not failed,
                "problems": [vars(p) for p in report.problems],
                "warnings": [vars(p) for p in report.warnings],
                "hosts": len(report.inventory.devices) if report.inventory else None,
            }
        )
    else:
        for p in report.problems:
            out.stderr.print(str(p), markup=False, highlight=False)
        for w in report.warnings:
            out.stderr.print(f"{w} (warning)", markup=False, highlight=False)
        if not failed and report.inventory is not None:
            inv = report.inventory
            out.say(
                f"{file}: OK — {len(inv.devices)} hosts, {len(inv.services)} services, "
                f"{len(inv.hotspots)} hotspots, {len(inv.agencies)} agencies"
            )
    if failed:
        raise typer.Exit(exitcodes.BAD_INPUT)


@app.command()
def show(file: FileArg, fmt: FormatOpt = Format.table, quiet: QuietOpt = False) -> None:
    """Print the resolved hosts of FILE (inheritance applied; secrets shown only by reference)."""
    from netcomply.inventory import load_inventory, resolved_hosts

    out = Out(quiet=quiet, fmt=fmt.value)
    inv = load_inventory(file)
    hosts = resolved_hosts(inv)
    if out.machine:
        out.data({"file": str(file), "sha256": inv.sha256, "hosts": hosts})
        return
    out.table(
        f"{file} ({len(hosts)} hosts)",
        ["name", "address", "platform", "role", "site", "agency", "level", "groups", "ssh", "snmp"],
        [
            [
                h["name"], h["address"], h.get("platform"), h.get("role"), h.get("site"), h.get("agency"),
                h.get("level"), ",".join(h.get("groups") or []), "yes" if h.get("ssh") else "",
                (h.get("snmp") or {}).get("version", "") if h.get("snmp") else "",
            ]
            for h in hosts
        ],
    )


@app.command()
def schema() -> None:
    """Print the JSON Schema of the inventory format (for editors and CI linting)."""
    from netcomply.inventory import inventory_json_schema

    Out().data(inventory_json_schema())
