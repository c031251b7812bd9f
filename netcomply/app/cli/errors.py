"""Bad input, reported the same way by every command: ``FILE:LINE: [key] problem`` lines on stderr, exit 2.

:func:`netcomply.app.cli.main.run` applies this to the whole CLI; commands also wrap their bodies in it, so a
sub-command behaves the same when it is driven directly (typer's CliRunner in tests, or another program).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer

from netcomply.app.cli import exitcodes
from netcomply.errors import InputError, TargetNotAllowed
from netcomply.safety.redact import REDACTOR

F = TypeVar("F", bound=Callable[..., Any])


def print_input_error(exc: InputError | TargetNotAllowed) -> None:
    """Every problem on its own line, redacted, no markup (file names may contain brackets)."""
    if isinstance(exc, TargetNotAllowed):
        print(f"error: {REDACTOR.redact(str(exc))}", file=sys.stderr)
        return
    for problem in exc.problems:
        print(REDACTOR.redact(str(problem)), file=sys.stderr)


@contextmanager
def exit_on_bad_input() -> Iterator[None]:
    try:
        yield
    except (InputError, TargetNotAllowed) as exc:
        print_input_error(exc)
        raise typer.Exit(exitcodes.BAD_INPUT) from None


def exits_on_bad_input(func: F) -> F:
    """Decorator form of :func:`exit_on_bad_input`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with exit_on_bad_input():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
