"""The evidence notes and PRC reasons that code writes reach a zh-TW reader in Chinese (netcomply/locales/legacy.yaml
matched by ``i18n.stored``), on every real recording of the corpora: a rule added without its catalog entry shows
English in a zh-TW deliverable, which is what this test catches. Free text that is data (the knowledge base's own
notes and sources, registrant names, device output) stays as written and is not counted."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import yaml

from collectors.vendor import corpus
from collectors.vendor import kb as kb_module
from collectors.vendor.identify import Verdict
from collectors.vendor.kb import load_kb
from netcomply import i18n

ENGLISH = re.compile(r"\b(?:the|with|only|when|names|needs|review|but|answers|follows|registrant|knowledge)\b")
CODE = re.compile(r"<code[^>]*>.*?</code>|<[^>]+>", re.S)
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\([^()]*\)")


@lru_cache(maxsize=1)
def verdicts() -> list[Verdict]:
    kb = load_kb()
    return ([corpus.verdict_of(kb, r) for r in corpus.load_rows()]
            + [corpus.cli_verdict(kb, r) for r in corpus.load_cli()])


def _english_left(text: str, data: tuple[str, ...]) -> list[str]:
    """English words left in the zh-TW rendering, once quoted and bracketed data and known data texts (longest
    first) are removed."""
    shown = html.unescape(CODE.sub(" ", i18n.stored(text, "zh-TW", html=True)))  # quoted device text shows as code
    for d in data:
        if d in shown:
            shown = shown.replace(d, " ")
    return ENGLISH.findall(QUOTED.sub(" ", shown))


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


#: Data files that hold no prose: MIB object names (walk_formats' name table) are never shown as notes.
NOT_PROSE = {"mib_names.yaml"}


@lru_cache(maxsize=1)
def _data_texts() -> tuple[str, ...]:
    """Every text of the shipped data files (notes and sources of the knowledge base, its part-number families and
    own-MAC data): data, quoted as written in any language; longest first, the order they are removed in."""
    data = Path(kb_module.__file__).resolve().parent / "data"
    texts: set[str] = set()
    for path in data.glob("*.yaml"):
        if path.name not in NOT_PROSE:
            texts |= {t for t in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))) if len(t) > 3}
    return tuple(sorted(texts, key=len, reverse=True))


def test_prc_reasons_are_translated() -> None:
    data = _data_texts()
    left = {v.prc_detail: w for v in verdicts() if v.prc_detail and (w := _english_left(v.prc_detail, data))}
    assert not left, list(left.items())[:5]


def test_evidence_notes_written_by_code_are_translated() -> None:
    data = _data_texts()
    left = {}
    notes = {e.note for v in verdicts() for e in v.evidence if e.note}
    for note in notes:
        if w := _english_left(note, data):
            left[note] = w
    assert not left, (len(left), list(left.items())[:8])
