"""The one message catalog of netcomply: every string a person reads, in English and Traditional Chinese.

Why one mechanism: the audit report, the Statement of Applicability, the drill report and the CLI tables used to
keep three catalog styles, so a term (資通安全責任等級, 社交工程演練) could be translated three ways and a finding
message could not be translated at all. Here a message id maps to ``{en, zh-TW}`` with *named* parameters
(``{count}``), and a test fails when an entry lacks a language or its languages use different parameters.

Format (``netcomply/locales/<domain>.yaml``): a mapping whose leaves are ``{en: ..., zh-TW: ...}`` entries; nesting
makes dotted ids, prefixed with the file's stem (``audit.finding_status.pass``). An entry may carry
``translated: true``: its zh-TW is this project's translation of a text that has an official Chinese wording
elsewhere (e.g. a control title not taken from CNS 27001), which deliverables mark as such.

Phrasing is plural-safe: a count stands next to a noun that needs no plural form ("hotspots: {n}",
"熱點：{n} 個"), never "{n} hotspot(s)".

Findings carry ``details["msg"] = {"id": ..., "params": {...}}`` (:func:`msg`); :func:`render` turns that into the
reader's language. A parameter value may itself be such a message (rendered first) so that words inside
parameters are translated too. This module is in the base: compliance, reports and the CLI all import it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from netcomply.errors import InputError, InputProblem
from netcomply.inventory.yamlsrc import parse_yaml

LOCALES = Path(__file__).resolve().parent / "locales"
LANGS = ("zh-TW", "en")
_FLAGS = {"translated", "quote"}
#: The domains whose English texts code stores as plain strings (see :func:`stored`).
STORED_DOMAINS = ("legacy", "ipv6reason", "finding")  # finding: texts of runs stored before i18n.msg


@dataclass(frozen=True)
class Entry:
    """One message: its text per language, the parameter names it takes and whether zh-TW is our translation."""

    id: str
    texts: Mapping[str, str]
    params: frozenset[str]
    translated: bool = False
    #: Parameters that carry text quoted as received (device or server output): HTML shows them as code.
    quote: frozenset[str] = frozenset()
    file: str = ""
    line: int | None = None


def check_lang(lang: str, *, where: str = "--lang") -> str:
    """``lang`` when netcomply speaks it, else a bad-input error naming the choices."""
    if lang not in LANGS:
        raise InputError(InputProblem(where, None, f"unknown language {lang!r}: expected one of {', '.join(LANGS)}"))
    return lang


def placeholders(text: str) -> frozenset[str]:
    """The named parameters of a ``str.format`` text (``{n}``, ``{pct:.2f}`` -> n, pct)."""
    names = {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(text) if field}
    return frozenset(names)


def _is_entry(node: Any) -> bool:
    return isinstance(node, dict) and any(lang in node for lang in LANGS) and \
        all(isinstance(k, str) and (k in LANGS or k in _FLAGS) for k in node)


def _walk(node: Any, path: tuple[Hashable, ...]) -> Iterator[tuple[tuple[Hashable, ...], Any]]:
    if _is_entry(node) or not isinstance(node, dict):
        yield path, node
        return
    for key, child in node.items():
        yield from _walk(child, (*path, key))


def load_file(path: Path) -> tuple[dict[str, Entry], list[InputProblem]]:
    """The entries of one catalog file and every problem in it (a language missing, parameters that differ)."""
    name = str(path)
    parsed = parse_yaml(path.read_text(encoding="utf-8"), name)
    problems = list(parsed.problems)
    problems += [InputProblem(name, line, f"message id {dup[-1]!r} written twice")
                 for dup, line, _ in parsed.duplicates]
    entries: dict[str, Entry] = {}
    for key_path, node in _walk(parsed.data or {}, ()):
        msg_id = ".".join([path.stem, *map(str, key_path)])
        line = parsed.lines.key_line(key_path)
        if not _is_entry(node):
            problems.append(InputProblem(name, line, f"{msg_id}: expected {{en: ..., zh-TW: ...}}, got {node!r}"))
            continue
        missing = [lang for lang in LANGS if not isinstance(node.get(lang), str)]
        if missing:
            problems.append(InputProblem(name, line, f"{msg_id}: no {' or '.join(missing)} text"))
            continue
        params = {lang: placeholders(node[lang]) for lang in LANGS}
        if params["en"] != params["zh-TW"]:
            problems.append(InputProblem(name, line, f"{msg_id}: parameters differ between languages: "
                                         f"en {sorted(params['en'])}, zh-TW {sorted(params['zh-TW'])}"))
            continue
        quote = frozenset(node.get("quote") or ())
        if not quote <= params["en"]:
            problems.append(InputProblem(name, line, f"{msg_id}: quote names {sorted(quote - params['en'])}, "
                                         "which are not parameters"))
            continue
        entries[msg_id] = Entry(msg_id, {lang: node[lang] for lang in LANGS}, params["en"],
                                bool(node.get("translated")), quote, name, line)
    return entries, problems


def load_catalog(directory: Path = LOCALES) -> tuple[dict[str, Entry], list[InputProblem]]:
    """Every catalog file of ``directory``; problems are returned, not raised, so a test can list them all."""
    entries: dict[str, Entry] = {}
    problems: list[InputProblem] = []
    for path in sorted(directory.glob("*.yaml")):
        found, bad = load_file(path)
        entries.update(found)
        problems += bad
    return entries, problems


@cache
def catalog() -> dict[str, Entry]:
    """The shipped catalog; a broken catalog is an error at first use, naming file, line and id."""
    entries, problems = load_catalog()
    if problems:
        raise InputError(problems)
    return entries


def has(msg_id: str) -> bool:
    return msg_id in catalog()


def entry(msg_id: str) -> Entry:
    try:
        return catalog()[msg_id]
    except KeyError:
        raise KeyError(f"message id {msg_id!r} is not in the catalog ({LOCALES})") from None


def text(msg_id: str, lang: str, /, **params: Any) -> str:
    """The message in ``lang`` with its parameters filled in (each may itself be a message, see :func:`msg`)."""
    return _text(msg_id, lang, params, html=False)


def _text(msg_id: str, lang: str, params: Mapping[str, Any], *, html: bool) -> str:
    """Plain text, or (``html``) markup-safe HTML in which quoted parameters are ``<code>`` elements."""
    found = entry(msg_id)
    values = {k: _value(v, lang, html) for k, v in params.items()}
    missing = found.params - set(values)
    if missing:
        raise KeyError(f"message {msg_id!r} needs parameters {sorted(missing)}")
    if not html:
        return found.texts[lang].format(**values)
    for name in found.quote & set(values):
        values[name] = Markup('<code class="nc-quote">{}</code>').format(values[name])
    return Markup(escape(found.texts[lang])).format(**values)


_ZH_SEP = {", ": "、", "; ": "；"}


def _value(value: Any, lang: str, html: bool = False) -> Any:
    """A parameter as text: a nested message rendered, a list joined (", " -> 、), ``{"items", "sep"}`` joined
    with ``sep`` ("; " -> ；)."""
    if isinstance(value, Mapping) and "id" in value:
        return render(value, lang, html=html)
    if isinstance(value, Mapping) and "items" in value:
        sep = str(value.get("sep") or ", ")
        return _join(value["items"], _ZH_SEP.get(sep, sep) if lang == "zh-TW" else sep, lang, html)
    if isinstance(value, list | tuple):
        return _join(value, "、" if lang == "zh-TW" else ", ", lang, html)
    return value


def _join(items: Any, sep: str, lang: str, html: bool = False) -> str:
    parts = [_value(v, lang, html) for v in items]
    return Markup(sep).join(parts) if html else sep.join(str(p) for p in parts)


def listing(items: Any, sep: str = ", ") -> dict[str, Any]:
    """A list parameter joined with ``sep`` in English and its Chinese counterpart (、 or ；) in zh-TW."""
    return {"items": list(items), "sep": sep}


def parsed(domain: str, english: str) -> dict[str, Any] | str:
    """``english`` as a message of ``domain`` when one produced it (see :func:`parse`), else the text itself."""
    return parse(domain, english) or english


def msg(msg_id: str, /, **params: Any) -> dict[str, Any]:
    """A message to store (``details["msg"]``) and render later in the reader's language; checked now."""
    found = entry(msg_id)
    if set(params) != set(found.params):
        raise KeyError(f"message {msg_id!r} takes {sorted(found.params)}, given {sorted(params)}")
    return {"id": msg_id, "params": params}


def render(message: Mapping[str, Any] | None, lang: str, fallback: str = "", *, html: bool = False) -> str:
    """A stored message in ``lang``; ``fallback`` (the English ``message``) for old runs or unknown ids. With
    ``html`` the result is markup-safe HTML (quoted parameters as code), the fallback escaped."""
    if not message or not isinstance(message.get("id"), str) or not has(message["id"]):
        return escape(fallback) if html else fallback
    try:
        return _text(message["id"], lang, dict(message.get("params") or {}), html=html)
    except (KeyError, ValueError, IndexError, TypeError):
        return escape(fallback) if html else fallback


class Messages:
    """The messages of one domain in one language, for templates: ``t("summary")``, ``t.of("group", value)``,
    ``t.fmt("headline", n=3)``. An unknown key shows as itself (a test finds those), never crashes a report."""

    def __init__(self, domain: str, lang: str, *, html: bool = False) -> None:
        self.domain = domain
        self.lang = check_lang(lang)
        self.html = html  # msg/stored give markup-safe HTML with quoted output as code (for templates)

    def __call__(self, key: str) -> str:
        found = catalog().get(f"{self.domain}.{key}")
        return found.texts[self.lang] if found else key

    def __getitem__(self, key: str) -> str:
        return self(key)

    def get(self, key: str, default: str | None = None) -> str | None:
        found = catalog().get(f"{self.domain}.{key}")
        return found.texts[self.lang] if found else default

    def of(self, group: str, value: str | None) -> str:
        """The display name of ``value`` in a named group (statuses, severities...); the value itself if unknown."""
        if value is None:
            return ""
        found = catalog().get(f"{self.domain}.{group}.{value}")
        return found.texts[self.lang] if found else str(value)

    def fmt(self, key: str, **values: Any) -> str:
        msg_id = f"{self.domain}.{key}"
        return _text(msg_id, self.lang, values, html=self.html) if has(msg_id) else key

    def msg(self, message: Mapping[str, Any] | None, fallback: str = "") -> str:
        """A stored message (a finding's ``details["msg"]``) in this language; else ``fallback`` (stored English)."""
        return render(message, self.lang, fallback, html=self.html) if message else \
            stored(fallback, self.lang, html=self.html)

    def stored(self, english: str | None) -> str:
        """See :func:`stored`."""
        return stored(english, self.lang, html=self.html)

    def pick(self, en: str | None, zh: str | None) -> str:
        """The text of this language from a pair kept elsewhere (inventory names), the other when one is missing."""
        if self.lang == "zh-TW":
            return zh or en or ""
        return en or zh or ""


#: Parameters that are always numbers (line numbers, counts, enterprise numbers), matched as such: as any text,
#: "{ruleset} line {line}" would translate any note that says "... product line (...)" into "... 第 (...) 行".
_NUMERIC = {"line": r"\d+", "n": r"\d+", "lines": r"\d[\d,\-– ]*"}


def _pattern(template: str) -> re.Pattern[str]:
    """A regex that matches the texts ``template`` produces: literals exact, each parameter any non-empty text (a
    number for :data:`_NUMERIC` parameters)."""
    parts: list[str] = []
    seen: set[str] = set()
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field:
            name = field.split(".")[0].split("[")[0]
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>{_NUMERIC.get(name, '.+?')})")
            seen.add(name)
    return re.compile("".join(parts), re.S)


def _literal(template: str) -> str:
    return re.sub(r"\{[^}]*\}", "", template)


def _specific(found: Entry) -> bool:
    """Whether matching this entry's English means something: an entry with parameters and (almost) no words of its
    own ("{source}: {note}") would match any text."""
    return not found.params or len(re.findall(r"[A-Za-z]", _literal(found.texts["en"]))) >= 3


@cache
def _patterns(domain: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The entries of a domain as regexes, the most specific (longest literal text) first."""
    found = [(e.id, e.texts["en"]) for e in catalog().values()
             if e.id.startswith(domain + ".") and _specific(e)]
    found.sort(key=lambda pair: -len(_literal(pair[1])))
    return tuple((msg_id, _pattern(en)) for msg_id, en in found)


@cache
def parse(domain: str, english: str) -> dict[str, Any] | None:
    """The message of ``domain`` whose English text produced ``english`` (parameters that are themselves such texts,
    or comma lists of them, become nested messages), or None. Lets a deliverable translate texts that code stored in
    English. Cached: callers must not change the result."""
    for msg_id, pattern in _patterns(domain):
        match = pattern.fullmatch(english)
        if match:
            params: dict[str, Any] = {}
            for name, value in match.groupdict().items():
                params[name] = _parse_value(domain, value)
            return {"id": msg_id, "params": params}
    return None


def _parse_value(domain: str, value: str) -> Any:
    nested = parse(domain, value)
    if nested is not None:
        return nested
    if ", " in value:
        parts = [parse(domain, part) for part in value.split(", ")]
        if all(parts):
            return listing(parts)
    return value


def stored(english: str | None, lang: str, *, html: bool = False) -> str:
    """A text code stored in English (a collector's error cause, a check's message or fix stored before it had a
    catalog message) in ``lang``, by the ``legacy``, ``ipv6reason`` and ``finding`` entries; as stored when none
    matches. ``html``: see :func:`render`."""
    if not english or lang == "en":
        return english or ""
    raw = escape if html else str
    if "; " not in english:
        return _stored_part(english, lang, html) or raw(english)
    # Notes made of parts ("names 'Cisco'; read in the engine id"): each part by the entry that produced it. A part
    # may itself hold "; " (an error list inside a reason: "... over IPv6 (refused; timeout)"): the shortest run of
    # pieces an entry produced is taken, left to right; the whole text by one entry only when parts don't all match.
    runs = _stored_runs(english.split("; "), lang, html)
    sep = Markup("；") if html else "；"
    if all(found for found, _ in runs):
        return sep.join(found or "" for found, _ in runs)
    return _stored_part(english, lang, html) or sep.join(found or raw(text) for found, text in runs)


def _stored_runs(pieces: list[str], lang: str, html: bool) -> list[tuple[str | None, str]]:
    """(translation or None, English) for runs of pieces that an entry produced, left to right: a split in which
    every run is matched when there is one (shortest runs first), else the shortest matching run at each step."""
    memo: dict[int, list[tuple[str | None, str]] | None] = {}

    def full(i: int) -> list[tuple[str | None, str]] | None:
        if i == len(pieces):
            return []
        if i not in memo:
            memo[i] = None
            for j in range(i + 1, len(pieces) + 1):
                text = "; ".join(pieces[i:j])
                found = _stored_part(text, lang, html)
                rest = full(j) if found is not None else None
                if rest is not None:
                    memo[i] = [(found, text), *rest]
                    break
        return memo[i]

    matched = full(0)
    if matched is not None:
        return matched
    out: list[tuple[str | None, str]] = []
    i = 0
    while i < len(pieces):
        for j in range(i + 1, len(pieces) + 1):
            text = "; ".join(pieces[i:j])
            found = _stored_part(text, lang, html)
            if found is not None:
                out.append((found, text))
                i = j
                break
        else:
            out.append((None, pieces[i]))
            i += 1
    return out


def _stored_part(english: str, lang: str, html: bool) -> str | None:
    for domain in STORED_DOMAINS:
        found = parse(domain, english)
        if found is not None:
            return render(found, lang, english, html=html)
    return None


def label(english: str, lang: str, domains: tuple[str, ...] = ("sheet", "cli")) -> str:
    """A heading (sheet name, column) written in English, in ``lang``: the first domain with an entry for it."""
    if lang == "en":
        return english
    for domain in domains:
        found = parse(domain, english)
        if found is not None:
            return render(found, lang, english)
    return english


def finding_text(details: Mapping[str, Any] | None, message: str, lang: str, *, html: bool = False) -> str:
    """A finding's message in ``lang``: its catalog message (``details["msg"]``), else its stored English matched
    against the catalog, else as stored."""
    found = (details or {}).get("msg")
    return render(found, lang, message, html=html) if found else stored(message, lang, html=html)


_COUNTS = re.compile(r"\d+ [a-z_]+(?:, \d+ [a-z_]+)*")


def reason(english: str | None, lang: str) -> str:
    """A control verdict's basis (written in English by compliance) in ``lang``: matched against the ``reason``
    domain; a count list ("3 fail, 1 pass") gets the control-status names of ``lang``; unknown text as written."""
    if not english:
        return ""
    if lang == "en":
        return english
    message = parse("reason", english)
    if message is None:
        return english
    params = dict(message["params"])
    counts = params.get("counts")
    if isinstance(counts, str) and _COUNTS.fullmatch(counts):
        sep = "、" if lang == "zh-TW" else ", "
        params["counts"] = sep.join(f"{Messages('audit', lang).of('control_status', status)} {n}"
                                    for n, status in (part.split(" ", 1) for part in counts.split(", ")))
    return render({"id": message["id"], "params": params}, lang, english)
