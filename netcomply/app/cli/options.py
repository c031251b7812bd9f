"""Options shared by several commands, declared once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    table = "table"
    json = "json"


class DataFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table for people, json for programs.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or chatter; only errors and results.")]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="NETCOMPLY_DB",
        help="Store: a SQLite file path or a postgresql:// URL (default: ~/.local/share/netcomply/netcomply.db).",
        show_default=False,
    ),
]
TimezoneOpt = Annotated[
    str | None,
    typer.Option("--timezone", "--tz", envvar="NETCOMPLY_TIMEZONE",
                 help="IANA time zone dates are shown in (default: the inventory's settings.timezone, else "
                      "Asia/Taipei).", show_default=False),
]
class Lang(StrEnum):
    """Language of a command's outputs (reports, SoA): one of the two, or both side by side."""

    zh = "zh-TW"
    en = "en"
    both = "both"


def _inventory_option() -> typer.models.OptionInfo:
    # One declaration for every command; a fresh OptionInfo per use so typer never shares state between commands.
    return typer.Option("--inventory", "-i", help="Inventory YAML file.", exists=False, dir_okay=False)


InventoryOpt = Annotated[Path, _inventory_option()]
#: The same option where the inventory is optional (compliance commands: it gives the agency's level).
OptionalInventoryOpt = Annotated[Path | None, _inventory_option()]
