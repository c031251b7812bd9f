"""Shared fixtures of the drill tests: fixture paths and a fixed pseudonym key."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# --import-mode=importlib puts no test directory on sys.path; the drill tests share one plan module.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def drill_key(monkeypatch: pytest.MonkeyPatch) -> str:
    key = "drill-test-key-0123456789abcdef"
    monkeypatch.setenv("NETCOMPLY_DRILL_KEY", key)
    monkeypatch.delenv("GOPHISH_API_KEY", raising=False)
    return key


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
