"""The SoA's labels per language: the ``soa`` domain of the one message catalog (:mod:`netcomply.i18n`), as the
nested mapping the SoA's HTML template and XLSX writer read (``t.doc_title``, ``t.status_values[...]``)."""

from __future__ import annotations

from typing import Any

from netcomply.i18n import LANGS, catalog, check_lang

LANGUAGES = LANGS


def labels(lang: str) -> dict[str, Any]:
    """Every ``soa.*`` message in ``lang``; ``soa.status_values.pass`` becomes ``out["status_values"]["pass"]``."""
    check_lang(lang)
    out: dict[str, Any] = {}
    for msg_id, found in catalog().items():
        domain, _, rest = msg_id.partition(".")
        if domain != "soa":
            continue
        node = out
        *groups, leaf = rest.split(".")
        for group in groups:
            node = node.setdefault(group, {})
        node[leaf] = found.texts[lang]
    return out
