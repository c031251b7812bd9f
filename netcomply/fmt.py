"""Percentages as people read them, written one way for every command, check and report (issue 15).

Why one module in the base: seven copies had grown in CLI commands, checks and renderers, with different
rounding and different words for "no value". Checks, reports and the CLI all stand on the base, so each can use
these; what a missing value reads as stays the caller's choice (``none``), the digits are the caller's too.
"""

from __future__ import annotations


def percent(fraction: float | None, digits: int = 2, *, none: str = "—") -> str:
    """``0.0638`` -> ``6.38%`` (``digits`` after the point); ``none`` when there is no value."""
    return none if fraction is None else f"{fraction * 100:.{digits}f}%"


def percent_of(count: int, total: int, digits: int = 2, *, none: str = "—") -> str:
    """``count`` out of ``total`` as a percentage (``104`` of ``1629`` -> ``6.38%``); ``none`` when ``total`` is 0."""
    return f"{100 * count / total:.{digits}f}%" if total else none


def percent_points(value: float | None, *, none: str = "—") -> str:
    """A value that is already in percent (``87.5`` -> ``87.5%``), shortest form; ``none`` when missing."""
    return none if value is None else f"{value:g}%"
