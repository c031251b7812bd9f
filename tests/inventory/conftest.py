"""Fixtures for the inventory tests: write YAML text to a temporary file and validate it."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from netcomply.inventory import ValidationReport, validate_inventory

Write = Callable[..., Path]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """write(text, name="inv.yaml") -> path of a file holding the dedented text."""

    def _write(text: str, name: str = "inv.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def check(write: Write) -> Callable[..., ValidationReport]:
    """check(text, environ={}) -> ValidationReport of that text (environment empty unless given)."""

    def _check(text: str, environ: dict[str, str] | None = None) -> ValidationReport:
        return validate_inventory(write(text), environ=environ or {})

    return _check
