"""Pass marks and targets as data (``compliance/data/thresholds.yaml``), overridable by a user file.

Why a merge that refuses unknown keys: an agency that writes ``click_rate_max: 0.05`` must get 0.05, and one that
writes ``clik_rate_max`` must be told, not silently judged against the default. Values keep the default's type
(a number stays a number), and the override is reported in the result so a report can say which marks applied.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

from compliance.yamldata import YamlDoc, read_yaml

THRESHOLDS_FILE = Path(__file__).resolve().parent / "data" / "thresholds.yaml"


def _compatible(default: Any, value: Any) -> bool:
    if default is None or value is None:
        return True
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int | float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(default, date):
        return isinstance(value, date)
    return isinstance(value, type(default))


def _merge(base: dict[str, Any], override: dict[str, Any], doc: YamlDoc, path: tuple[str, ...]) -> None:
    for key, value in override.items():
        here = (*path, key)
        if key not in base:
            known = ", ".join(sorted(base)) or "none"
            doc.problem(here, f"unknown threshold {'.'.join(map(str, here))!r} (known here: {known})", key=str(key))
            continue
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                doc.problem(here, f"{'.'.join(here)} must be a mapping", key=str(key))
                continue
            _merge(base[key], value, doc, here)
        elif not _compatible(base[key], value):
            doc.problem(here, f"{'.'.join(here)} must be like {base[key]!r}, not {value!r}", key=str(key))
        else:
            base[key] = value


def load_thresholds(user_file: str | Path | None = None) -> dict[str, Any]:
    """The shipped thresholds with ``user_file``'s values laid over them (``InputError`` with FILE:LINE)."""
    shipped = read_yaml(THRESHOLDS_FILE, what="thresholds")
    merged: dict[str, Any] = copy.deepcopy(shipped.data or {})
    if user_file is not None:
        doc = read_yaml(user_file, what="thresholds file")
        if doc.data is None:
            return merged
        if not isinstance(doc.data, dict):
            doc.problem((), "a thresholds file is a mapping like the shipped thresholds.yaml")
        else:
            _merge(merged, doc.data, doc, ())
        doc.raise_if_problems()
    return merged
