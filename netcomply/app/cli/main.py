"""``netcomply``: the command line.

Every command follows the same rules: results to stdout (``--format json`` for programs), progress and
messages to stderr, ``--quiet`` for cron, exit codes from :mod:`netcomply.app.cli.exitcodes`, and bad input reported
as ``FILE:LINE: what is wrong`` without a traceback.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Annotated

import typer

from netcomply import __version__
from netcomply.app.cli import exitcodes
from netcomply.app.cli.errors import print_input_error
from netcomply.app.cli.inventory_cmd import app as inventory_app
from netcomply.app.cli.output import Out
from netcomply.app.cli.runs_cmd import app as runs_app
from netcomply.errors import InputError, NetcomplyError, TargetNotAllowed
from netcomply.safety.files import apply_umask
from netcomply.safety.redact import install_log_redaction

app = typer.Typer(
    name="netcomply",
    help="Network hardware compliance audits for Taiwanese public agencies: IPv6 rollout, public Wi-Fi hotspots, "
    "firewall rules, banned-vendor inventories, mapped to ISO/IEC 27001 and the national duties.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
)
app.add_typer(inventory_app, name="inventory")
app.add_typer(runs_app, name="runs")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"netcomply {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log output (-vv for debug).")] = 0,
    group_readable: Annotated[
        bool, typer.Option("--group-readable", envvar="NETCOMPLY_GROUP_READABLE",
                           help="Let the user's group read what netcomply writes (folders 0750, files 0640) "
                                "instead of the private default (0700/0600).")
    ] = False,
) -> None:
    """netcomply: audit an agency's network hardware and produce the evidence its auditors ask for."""
    apply_umask(group_readable)  # before anything is written: stores, reports and packs are private by default
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("paramiko").setLevel(max(level, logging.WARNING))
    logging.getLogger("asyncssh").setLevel(max(level, logging.WARNING))
    install_log_redaction()


def _register_commands() -> None:
    """Attach the commands that live in their own modules."""
    from netcomply.app.cli import audit_cmd

    app.command("audit")(audit_cmd.audit)
    app.command("collectors")(audit_cmd.collectors_list)

    from netcomply.app.cli import compliance_cmd

    app.add_typer(compliance_cmd.app, name="compliance")

    from netcomply.app.cli import (
        drill_cmd,
        evidence_cmd,
        firewall_cmd,
        vendor_cmd,  # moves to netcomply.app.cli once the vendor area is quiet
    )

    app.add_typer(drill_cmd.app, name="drill")
    app.add_typer(firewall_cmd.app, name="firewall")
    app.add_typer(evidence_cmd.app, name="evidence")

    from netcomply.app.cli import ipv6_cmd

    app.add_typer(ipv6_cmd.app, name="ipv6")

    from netcomply.app.cli import schedule_cmd

    app.add_typer(schedule_cmd.app, name="schedule")

    from netcomply.app.cli import hotspot_cmd

    hotspot_cmd.app.command("poll")(hotspot_cmd.poll)
    hotspot_cmd.app.command("report")(hotspot_cmd.report)
    app.add_typer(hotspot_cmd.app, name="hotspot")
    app.command("vendors", help="Identify every inventory device's brand, maker and model; flag PRC brands.")(
        vendor_cmd.vendors)
    app.command("scan", help="Discover hosts in the named addresses or prefixes and identify each (no inventory).")(
        vendor_cmd.scan)
    from netcomply.app.cli import identify_cmd

    app.command("identify", help="Identify devices from saved SNMP answers (snmprec, snmpwalk), offline.")(
        identify_cmd.identify)
    app.command("diff", help="What got better and worse between two audits.")(compliance_cmd.diff)

    from netcomply.app.cli import report_cmd

    app.command("report", help="Write the audit report (HTML, PDF, XLSX, JSON) of stored runs; offline.")(
        report_cmd.report)

    from netcomply.app.cli import redact_cmd

    app.command("redact", help="Mask every device secret in configuration files (for vendors and auditors).")(
        redact_cmd.redact)
    try:
        from netcomply.app.cli import lab_cmd
    except ImportError as exc:  # the lab's pieces land with their issue
        logging.getLogger(__name__).debug("lab commands unavailable: %s", exc)
    else:
        app.add_typer(lab_cmd.app, name="lab")
        app.command("demo")(lab_cmd.demo)


_register_commands()


def run() -> None:
    """Console-script entry point: turn every failure into a clear message and a documented exit code."""
    out = Out()
    debug = os.environ.get("NETCOMPLY_DEBUG") == "1"
    try:
        app()
    except (InputError, TargetNotAllowed) as exc:
        print_input_error(exc)
        sys.exit(exitcodes.BAD_INPUT)
    except NetcomplyError as exc:
        out.error(str(exc))
        sys.exit(exitcodes.INTERNAL)
    except KeyboardInterrupt:
        out.error("interrupted")
        sys.exit(exitcodes.INTERRUPTED)
    except Exception as exc:
        if debug:
            raise
        out.error(f"internal error: {type(exc).__name__}: {exc} (set NETCOMPLY_DEBUG=1 for the traceback)")
        sys.exit(exitcodes.INTERNAL)


if __name__ == "__main__":
    run()
