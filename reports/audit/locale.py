"""The audit report's UI strings (reports/locales/audit.yaml): one place for both languages, not scattered.

Why a data file: translators and reviewers read YAML, not Python; a test checks every entry has both languages.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from netcomply.errors import InputError

LOCALES = Path(__file__).resolve().parent.parent / "locales" / "audit.yaml"
LANGS = ("zh-TW", "en")


def check_lang(lang: str) -> str:
    """``lang`` when the report speaks it, else a bad-input error naming the choices."""
    if lang not in LANGS:
        raise InputError(f"unknown report language {lang!r}: expected one of {', '.join(LANGS)} (or 'both')",
                         file="--lang")
    return lang


@cache
def strings() -> dict[str, Any]:
    """The raw locale data: key -> {en, zh-TW}, or key -> {sub-key -> {en, zh-TW}} for value names."""
    with LOCALES.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict)
    return data


class Labels:
    """Strings of one language: ``t("summary")``, ``t.of("control_status", "pass")``, ``t.fmt("headline", ...)``."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self._data = strings()

    def __call__(self, key: str) -> str:
        entry = self._data.get(key)
        if not isinstance(entry, dict) or self.lang not in entry:
            return key
        return str(entry[self.lang])

    def of(self, group: str, value: str | None) -> str:
        """The display name of ``value`` in a named group (statuses, severities...); the value itself if unknown."""
        if value is None:
            return ""
        entry = (self._data.get(group) or {}).get(value)
        return str(entry[self.lang]) if isinstance(entry, dict) and self.lang in entry else value

    def fmt(self, key: str, **values: Any) -> str:
        return self(key).format(**values)

    def pick(self, en: str | None, zh: str | None) -> str:
        """The string of this language, falling back to the other when one is missing (the ``L`` of templates)."""
        if self.lang == "zh-TW":
            return zh or en or ""
        return en or zh or ""
