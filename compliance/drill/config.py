"""Drill thresholds and bot-filter settings, as data (``compliance/data/drill-thresholds.yaml``; the pass marks
themselves come from ``compliance/data/thresholds.yaml``, the one place every pass mark is kept).

Pass marks change by regulation, scanner ranges by agency: neither belongs in code. An agency file given with
``--config`` is merged over the defaults key by key.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from compliance.thresholds import THRESHOLDS_FILE
from compliance.thresholds import load_thresholds as load_marks
from netcomply.errors import InputError, InputProblem
from netcomply.inventory.yamlsrc import parse_yaml

DEFAULTS = THRESHOLDS_FILE.parent / "drill-thresholds.yaml"
#: The pass marks live once, with every other pass mark netcomply judges by: the ``drill`` section of the file
#: :mod:`compliance.thresholds` reads (read through it, never opened here by path).
MARKS = THRESHOLDS_FILE
_MARK_KEYS = ("open_rate_max", "click_rate_max")

Strength = Literal["strong", "weak", "off"]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Burst(_M):
    recipients: int = Field(5, ge=2)
    window_seconds: float = Field(60, gt=0)


class BotSettings(_M):
    click_after_send_seconds: float = Field(10, ge=0)
    open_to_click_seconds: float = Field(1, ge=0)
    burst: Burst = Burst()
    user_agent_keywords: tuple[str, ...] = ()
    scanner_ranges: tuple[str, ...] = ()
    signals: dict[str, Strength] = Field(default_factory=dict)

    def networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(r, strict=False) for r in self.scanner_ranges]


class Repeat(_M):
    in_a_row: int = Field(2, ge=2)
    k: int = Field(2, ge=1)
    m: int = Field(3, ge=1)


class Thresholds(_M):
    open_rate_max: float = Field(0.10, gt=0, le=1)
    click_rate_max: float = Field(0.06, gt=0, le=1)
    confidence: float = Field(0.95, gt=0.5, lt=1)
    min_group_size: int = Field(5, ge=1)
    repeat: Repeat = Repeat()
    bots: BotSettings = BotSettings()


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _read(path: Path) -> dict[str, Any]:
    """The file's mapping; unreadable, non-UTF-8 or bad YAML (duplicate keys, alias bombs ...) is an
    InputError with its line (the inventory's line-aware YAML reader)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(InputProblem(str(path), None, f"cannot read: {exc.strerror or exc}")) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(InputProblem(str(path), line, "not UTF-8 text; save it as UTF-8")) from None
    parsed = parse_yaml(text, str(path))
    problems = parsed.problems + [InputProblem(str(path), line, f"key {p[-1]!r} written twice")
                                  for p, line, _ in parsed.duplicates]
    if problems:
        raise InputError(problems)
    doc = parsed.data or {}
    if not isinstance(doc, dict):
        raise InputError(InputProblem(str(path), 1, "expected a mapping of settings"))
    return doc


def load_thresholds(override: Path | None = None, *, scanner_ranges: tuple[str, ...] = ()) -> Thresholds:
    """Defaults, then the agency's file, then command-line scanner ranges; every problem says its key."""
    doc = _read(DEFAULTS)
    marks = load_marks().get("drill") or {}
    doc.update({k: marks[k] for k in _MARK_KEYS if k in marks})
    source = str(DEFAULTS)
    if override is not None:
        doc = _merge(doc, _read(override))
        source = str(override)
    if scanner_ranges:
        bots = dict(doc.get("bots") or {})
        bots["scanner_ranges"] = [*(bots.get("scanner_ranges") or []), *scanner_ranges]
        doc["bots"] = bots
    try:
        th = Thresholds.model_validate(doc)
        th.bots.networks()
    except ValidationError as exc:
        raise InputError([InputProblem(source, None, e["msg"], key=".".join(map(str, e["loc"])))
                          for e in exc.errors()]) from None
    except ValueError as exc:
        raise InputError(InputProblem(source, None, f"bad scanner range: {exc}", key="bots.scanner_ranges")) from None
    return th
