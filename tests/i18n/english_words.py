"""Counts English function words a zh-TW reader would see: the measure of issue 18 ("at most 20 outside code").

Why function words: names, identifiers and device output are legitimately English (Cisco, cg-core1, SHA-256); words
like "the", "of", "was" only appear when a sentence of English prose was left untranslated. Text inside code, pre,
kbd, samp, script and style elements, in elements marked translate="no" (HTML's own "do not translate this":
identifiers such as a finding's subject), and attribute values, is not counted: that is quoted output or identifiers.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

FUNCTION_WORDS = frozenset("""
a an the of to in on at by for with from into onto over under about after before between through during without
within against among per via and or but nor so yet if then than because while although though unless whether
is are was were be been being am has have had do does did done can could would should may might must shall will
not no none this that these those it its they them their there here we our you your he she his her who whom whose
which what when where why how each every all any some both either neither only also more most less least very
as such other another same again still just ever never once
""".split())  # noqa: SIM905

SKIP = frozenset({"code", "pre", "kbd", "samp", "script", "style", "var"})
#: Elements that end a line of text; inline ones (span, b, a, tspan...) join their text to the words around them.
BLOCK = frozenset({"p", "div", "li", "ul", "ol", "td", "th", "tr", "table", "br", "h1", "h2", "h3", "h4", "h5", "h6",
                   "section", "header", "footer", "nav", "summary", "details", "figure", "figcaption", "title",
                   "text", "svg", "g", "caption", "dt", "dd", "option", "label", "input", "main", "body", "head"})
WORD = re.compile(r"^[A-Za-z]+(?:'[a-z]+)?$")
EDGE = "\"'()[]{}<>,.;:!?—–·、，。：；（）「」"


def _words(text: str) -> list[str]:
    """Whole words only: a token with digits, dots inside or colons (A.8.9, ssh:show, cg-core1) is an identifier."""
    tokens = (token.strip(EDGE) for token in text.split())
    return [token for token in tokens if WORD.match(token)]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.stack: list[str] = []  # open elements whose text is skipped
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK:
            self.parts.append("\n")
        if tag in SKIP or (self.depth and tag == "span") or ("translate", "no") in attrs:
            self.depth += 1
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
            self.depth -= 1
        if tag in BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a reader sees outside code-like elements."""
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def english_function_words(html: str) -> Counter[str]:
    """Each English function word outside code-like elements, with how often it occurs."""
    return Counter(w.lower() for w in _words(visible_text(html)) if w.lower() in FUNCTION_WORDS)


def offending_lines(html: str, limit: int = 40) -> list[str]:
    """The visible lines that hold a function word: what a failing test shows so the string can be found."""
    lines = [line.strip() for line in visible_text(html).splitlines()]
    hits = [line for line in lines if any(w.lower() in FUNCTION_WORDS for w in _words(line))]
    return hits[:limit]
