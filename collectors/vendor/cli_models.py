"""Makers' part-number schemes, read on SSH CLI output that states a model but never its maker's name.

Why: a Cisco ``show inventory`` says ``PID: N9K-C9396PX``, a Junos ``show chassis hardware`` says ``MX480``, a SmartAX
``display version`` says ``PRODUCT : MA5608T`` -- and none of them names Cisco, Juniper or Huawei. Each maker numbers
its products in its own documented way; those schemes are facts, kept as data with a source per family
(``data/cli_models.yaml``), not as code. Where the number is read matters as much as its shape: a ``field``
family is read only in a value the output labels as the model (``Model number:``, ``PID:``, a chassis row), a
``text`` family also in the output's first lines. Pure: text in, claims out; the evidence layer turns claims into
:class:`collectors.vendor.evidence.Evidence`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from collectors.vendor.cli_parsers import model_fields, udi_description
from netcomply.errors import InputError, InputProblem

SHIPPED = Path(__file__).resolve().parent / "data" / "cli_models.yaml"
SCOPES = ("text", "field")
STATES = ("model", "version")
#: Lines of an output searched by ``text`` families: the first lines describe the product itself (further down:
#: modules, optics and neighbours, often other makers').
HEAD_LINES = 8
#: Labelled values read per output (the chassis and its first modules; a large chassis lists hundreds).
MAX_VALUES = 32


@dataclass(frozen=True)
class Family:
    brand: str
    family: str
    pattern: re.Pattern[str]  # case-sensitive, for free text
    field_pattern: re.Pattern[str]  # the same, case-insensitive, for labelled values (Junos writes ``mx240``)
    scope: str
    source: str
    commands: tuple[str, ...] = ()  # read only in these commands' outputs (empty: any)
    fields: tuple[str, ...] = ()  # read only in these kinds of value (``pid``; empty: any labelled value)
    states: str = "model"  # what the number is: a ``model``, or a software ``version`` in the maker's numbering


@dataclass(frozen=True)
class ModelClaim:
    """One model number read in one place: the brand whose numbering it follows, and how far that is trusted."""

    brand: str
    model: str
    family: Family
    where: str  # "Model number", "chassis row", "PID", "line 2"
    value: str  # the text it was read in
    weight: float


@dataclass(frozen=True)
class CliModels:
    version: str
    families: tuple[Family, ...]
    weights: Mapping[str, float]

    def claims(self, command: str, text: str, facts: Mapping[str, Any] | None = None) -> list[ModelClaim]:
        """The best claim per brand that ``command``'s output supports: labelled values first (the parsed
        inventory's model, then ``Model:``-like lines), then the first lines of free text; a module's PID counts
        half (a module sits in its maker's chassis, but it is not the chassis)."""
        cmd = " ".join(command.lower().split())
        best: dict[str, ModelClaim] = {}
        seen: set[tuple[str, str]] = set()
        for value, where, kind in _labelled(text, facts or {}):
            if (value, kind) in seen or len(seen) >= MAX_VALUES:  # a chassis lists the same PSU or fan many times
                continue
            seen.add((value, kind))
            weight = self.weights["field"] * (0.5 if kind == "component" else 1.0)
            for fam in self._families(cmd, kind):
                m = _search(fam.field_pattern, value)
                if m and fam.brand not in best:
                    best[fam.brand] = ModelClaim(fam.brand, m, fam, where, value, round(weight, 3))
        head = [_without_host_name(ln.strip()) for ln in text.splitlines() if ln.strip()][:HEAD_LINES]
        joined = "\n".join(head)  # one search per family over the head, not one per line
        found: list[tuple[int, int, Family, str]] = []
        for order, fam in enumerate(self._families(cmd, None)):
            hit = fam.pattern.search(joined) if fam.brand not in best else None
            if hit:
                found.append((joined.count("\n", 0, hit.start()), order, fam, hit.group(0)))
        for line_no, _, fam, model in sorted(found, key=lambda f: (f[0], f[1])):  # the earliest line first
            if fam.brand not in best:
                best[fam.brand] = ModelClaim(fam.brand, model, fam, f"line {line_no + 1}", head[line_no],
                                             self.weights["text"])
        return list(best.values())

    def _families(self, cmd: str, kind: str | None) -> list[Family]:
        """Families that may be read in ``cmd``'s output, in a value of ``kind`` (None: free text)."""
        out = []
        for f in self.families:
            if f.commands and cmd not in f.commands:
                continue
            if kind is None and f.scope != "text":
                continue
            if kind is not None and f.fields and kind not in f.fields:
                continue
            out.append(f)
        return out


#: Lines that name the host, not the product: ``Hostname: X``, NX-OS ``Device name: X``, IOS ``X uptime is``, a
#: prompt echoed with its command (``<S5720-core>display version``). A host may be named after anything, including
#: another maker's model number.
_HOST_KEY = re.compile(r"^(?:host ?name|device name|system name|sysname|switch name|router name|name)\s*(?:\.{2,}|:|=)",
                       re.IGNORECASE)
_UPTIME = re.compile(r"^\S+(?=\s+uptime is\b)")
_PROMPT = re.compile(r"^[<\[]?[\w./-]+(?:\([\w-]+\))?[>#\]]")


def _without_host_name(line: str) -> str:
    """``line`` with any host name taken out (see :data:`_HOST_KEY`); of an inventory row's ``NAME: .., DESCR: ..``
    line (whose ``NAME:`` is no host name) only the description is kept."""
    descr = udi_description(line)
    if descr is not None:
        return descr
    if _HOST_KEY.match(line) or _PROMPT.match(line):
        return ""
    return _UPTIME.sub("", line)


def _search(pattern: re.Pattern[str], value: str) -> str | None:
    m = pattern.search(value)
    return m.group(0) if m else None


def _labelled(text: str, facts: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """``(value, where, kind)`` of every value that states a model: the parsed inventory's chassis (``pid`` for a
    Cisco UDI row, else ``model``), its modules' PIDs (``component``), then labelled lines (``model``)."""
    out: list[tuple[str, str, str]] = []
    model = str(facts.get("model") or "").strip()
    if model:
        kind = "pid" if facts.get("component_pids") is not None else "model"
        out.append((model, f"{facts.get('section') or 'parsed'} row", kind))
    for pid in facts.get("component_pids") or []:
        out.append((str(pid), "a module's PID", "component"))
    out += [(value, key, "model") for key, value in model_fields(text)]
    return out


# --------------------------------------------------------------------------------------------- loading


def _bounded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A family pattern on word boundaries: no letter, digit or hyphen may touch the number on either side."""
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", flags)


def _family(i: int, raw: Any, where: str, problems: list[InputProblem]) -> Family | None:
    def bad(key: str, message: str) -> None:
        problems.append(InputProblem(where, None, message, key=f"families[{i}].{key}"))

    if not isinstance(raw, Mapping):
        bad("", "expected a mapping with brand, family, pattern, scope and source")
        return None
    missing = [k for k in ("brand", "family", "pattern", "scope", "source") if not raw.get(k)]
    if missing:
        bad(missing[0], f"missing {', '.join(missing)}")
        return None
    if raw["scope"] not in SCOPES:
        bad("scope", f"expected one of {', '.join(SCOPES)}, got {raw['scope']!r}")
        return None
    if raw.get("states", "model") not in STATES:
        bad("states", f"expected one of {', '.join(STATES)}, got {raw.get('states')!r}")
        return None
    try:
        text, field = _bounded(str(raw["pattern"])), _bounded(str(raw["pattern"]), re.IGNORECASE)
    except re.error as exc:
        bad("pattern", f"bad pattern: {exc}")
        return None
    lists = {k: raw.get(k) or [] for k in ("commands", "fields")}
    for key, value in lists.items():
        if not isinstance(value, list):
            bad(key, "expected a list")
            return None
    return Family(str(raw["brand"]), str(raw["family"]), text, field, str(raw["scope"]), str(raw["source"]),
                  tuple(" ".join(str(c).lower().split()) for c in lists["commands"]),
                  tuple(str(f) for f in lists["fields"]), str(raw.get("states", "model")))


def build(doc: Mapping[str, Any], where: str) -> CliModels:
    """Validate and compile a document of the ``cli_models.yaml`` shape; problems name the file and the key."""
    problems: list[InputProblem] = []
    raw_families = doc.get("families")
    if not isinstance(raw_families, list):
        raise InputError(InputProblem(where, None, "expected a list of part-number families", key="families"))
    families = [f for i, raw in enumerate(raw_families) if (f := _family(i, raw, where, problems)) is not None]
    weights = {"field": 0.7, "text": 0.6, **{str(k): float(v) for k, v in (doc.get("weights") or {}).items()}}
    if problems:
        raise InputError(problems)
    return CliModels(str(doc.get("version", "")), tuple(families), weights)


@functools.lru_cache(maxsize=4)
def load(path: str = str(SHIPPED)) -> CliModels:
    """The part-number families of ``path`` (the shipped file by default), compiled once."""
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(InputProblem(path, None, f"cannot read part-number families: {exc.strerror}")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(InputProblem(path, mark.line + 1 if mark is not None else None,
                                      f"not valid YAML: {getattr(exc, 'problem', exc)}")) from None
    if not isinstance(doc, Mapping):
        raise InputError(InputProblem(path, 1, "expected a mapping with 'families'"))
    return build(doc, path)


def brands(models: CliModels) -> Sequence[str]:
    """Every brand some family names (each must be a brand of the knowledge base)."""
    return sorted({f.brand for f in models.families})
