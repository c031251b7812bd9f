"""The audit report's strings: the ``audit`` domain of the one message catalog (:mod:`netcomply.i18n`).

Why a thin wrapper: templates and section builders were written against ``Labels(lang)``; the strings themselves
live in ``netcomply/locales/audit.yaml`` with every other deliverable's, checked by the same tests.
"""

from __future__ import annotations

from netcomply.i18n import LANGS, Messages, check_lang

__all__ = ["LANGS", "Labels", "check_lang"]


class Labels(Messages):
    """Strings of one language: ``t("summary")``, ``t.of("control_status", "pass")``, ``t.fmt("headline", ...)``."""

    def __init__(self, lang: str, *, html: bool = False) -> None:
        super().__init__("audit", lang, html=html)
