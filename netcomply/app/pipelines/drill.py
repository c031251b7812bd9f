"""Inputs to report document in one call, shared by the CLI, the tests and the benchmark."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from collectors.drill.ingest import load_drill
from compliance.drill.analyse import Analysis, analyse
from compliance.drill.bots import Override
from compliance.drill.config import Thresholds
from compliance.drill.history import REPORT_MARK, DrillRecord, History, compare, record_from_json, record_of
from compliance.drill.privacy import Pseudonymiser
from netcomply.drill.model import Drill, Member
from reports.drill.report import annex, build


@dataclass
class Result:
    analysis: Analysis
    history: History | None
    document: dict[str, Any]
    previous: list[DrillRecord]
    pseudonym: Pseudonymiser

    @cached_property
    def annex(self) -> dict[str, Any]:
        """The restricted annex, built only when someone asks for it."""
        return annex(self.analysis, self.pseudonym)


def _is_report(path: Path) -> bool:
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    try:
        head = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(head, dict) and head.get("format") == REPORT_MARK


def previous_records(paths: Sequence[Path], thresholds: Thresholds, roster: Mapping[str, Member] | None,
                     pseudo: Pseudonymiser) -> list[DrillRecord]:
    """Each path is one earlier drill: a netcomply JSON report, or its raw exports (a file or a directory)."""
    out = []
    for p in paths:
        if _is_report(p):
            out.append(record_from_json(p))
        else:
            out.append(record_of(analyse(load_drill([p]), thresholds, roster), pseudo, pseudo.fingerprint))
    return out


def run(drill: Drill, thresholds: Thresholds, pseudo: Pseudonymiser, *, roster: Mapping[str, Member] | None = None,
        previous: Sequence[DrillRecord] = (), overrides: Sequence[Override] = (), reveal: bool = False) -> Result:
    a = analyse(drill, thresholds, roster, overrides)
    hist = None
    if previous:
        hist = compare(previous, record_of(a, pseudo, pseudo.fingerprint), thresholds.repeat)
    doc = build(a, hist, pseudo, pseudo.fingerprint, reveal=reveal)
    return Result(a, hist, doc, list(previous), pseudo)
