"""Output labels per language (``compliance/data/locales/soa.yaml``): English and Traditional Chinese."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from compliance.yamldata import read_yaml
from netcomply.errors import InputError

LOCALES_FILE = Path(__file__).resolve().parent.parent / "data" / "locales" / "soa.yaml"
LANGUAGES = ("zh-TW", "en")


@cache
def _all() -> dict[str, dict[str, Any]]:
    return dict(read_yaml(LOCALES_FILE, what="locale file").data)


def labels(lang: str) -> dict[str, Any]:
    table = _all()
    if lang not in table:
        raise InputError(f"unknown language {lang!r} (choose {', '.join(LANGUAGES)})", file="--lang")
    return table[lang]
