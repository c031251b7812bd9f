"""Console output: human tables on a terminal, JSON for machines, progress only where someone watches.

Everything meant for a program goes to stdout; progress, warnings and errors go to stderr, so
``netcomply ... --format json | jq`` always gets clean JSON. All text passes the redactor.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from netcomply.app.cli.table_lang import cli_lang, localize_table
from netcomply.safety.redact import REDACTOR


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(data: Any) -> str:
    return REDACTOR.redact(json.dumps(data, default=_default, ensure_ascii=False, indent=2))


@dataclass
class Out:
    """Where a command writes. ``quiet`` silences everything but errors and the requested data."""

    quiet: bool = False
    fmt: str = "table"

    def __post_init__(self) -> None:
        # A terminal gets its own width; a log file or a pipe gets room for tables instead of rich's 80 columns.
        self.stdout = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
        self.stderr = Console(stderr=True, highlight=False, soft_wrap=True,
                              width=None if sys.stderr.isatty() else 160)

    @property
    def machine(self) -> bool:
        return self.fmt == "json"

    def data(self, payload: Any) -> None:
        """Write the command's result in JSON (always, whatever --quiet says: it is what was asked for)."""
        sys.stdout.write(to_json(payload) + "\n")
        sys.stdout.flush()

    def info(self, message: str) -> None:
        if not self.quiet:
            self.stderr.print(REDACTOR.redact(message))

    def say(self, message: str) -> None:
        """Human text for stdout (suppressed by --quiet and by --format json)."""
        if not self.quiet and not self.machine:
            self.stdout.print(REDACTOR.redact(message))

    def warn(self, message: str) -> None:
        self.stderr.print(f"[yellow]warning:[/] {REDACTOR.redact(message)}", markup=True)

    def error(self, message: str) -> None:
        self.stderr.print(f"[red]error:[/] {REDACTOR.redact(message)}", markup=True, highlight=False)

    def table(self, title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """A human table on stdout; like :meth:`say`, silenced by --quiet (cron wants errors only) and by JSON
        output (which carries the same rows through :meth:`data`)."""
        if self.machine or self.quiet:
            return
        title, columns, rows = localize_table(title, columns, rows, cli_lang())
        table = Table(title=title, show_lines=False, header_style="bold")
        for col in columns:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*(REDACTOR.redact("" if v is None else str(v)) for v in row))
        self.stdout.print(table)

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator[Any]:
        """A progress bar on an interactive stderr; a no-op for --quiet, JSON output, cron and CI."""
        if self.quiet or self.machine or not self.stderr.is_terminal:
            yield _NoProgress()
            return
        bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            console=self.stderr,
            transient=False,
        )
        with bar:
            task = bar.add_task(description, total=total, status="")
            yield _RichProgress(bar, task)


class _NoProgress:
    def advance(self, status: str = "") -> None:
        pass


class _RichProgress:
    def __init__(self, bar: Progress, task: Any) -> None:
        self._bar = bar
        self._task = task

    def advance(self, status: str = "") -> None:
        self._bar.update(self._task, advance=1, status=status)
