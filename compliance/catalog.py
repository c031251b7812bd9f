"""Control catalogs as data: ISO/IEC 27001:2022 Annex A, the 2013 edition, the crosswalk, and tw-cyber.

Why data and not code: the standards' wording, their translations and the national duty schedules change on
their own calendar (a 2025 amendment, a corrected crosswalk row); an agency or a maintainer fixes a YAML file
under ``compliance/data/catalogs/`` without touching the engine.

Control ids are always qualified with their framework (and so with the edition): ``iso27001:2022/A.8.20`` is
not ``iso27001:2013/A.8.2``. National duties are ``tw-cyber:<duty>``; ``tw-cyber:A/<duty>`` (a duty cited
for one level) is accepted and normalised by :func:`normalise_control_id`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from compliance.yamldata import YamlDoc, read_yaml

CATALOGS_DATA = Path(__file__).resolve().parent / "data" / "catalogs"
ISO2022 = "iso27001:2022"
ISO2013 = "iso27001:2013"
TW = "tw-cyber"
RELATIONS = ("equal", "subset", "superset", "intersect", "per-27002-annex-B")
LEVELS = ("A", "B", "C", "D", "E")


@dataclass(frozen=True)
class Control:
    framework: str
    id: str  # as the framework writes it: A.8.20, internal-audit
    title: str
    title_zh: str
    group: str
    zh_source: str = "project"  # "project" (our translation) or "cns" (checked against the CNS standard)
    schedule: dict[str, Any] | None = None  # tw-cyber duties only: see tw-cyber.yaml
    notes: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()  # other ids check data uses for this control (tw-cyber:drill/social-engineering)

    @property
    def qid(self) -> str:
        """The edition-qualified id used everywhere else (findings, results, SoA)."""
        sep = ":" if self.framework == TW else "/"
        return f"{self.framework}{sep}{self.id}"


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    title_zh: str


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    title_zh: str
    groups: tuple[Group, ...]
    controls: tuple[Control, ...]
    translation: dict[str, str]

    def control(self, control_id: str) -> Control:
        for c in self.controls:
            if c.id == control_id:
                return c
        raise KeyError(control_id)


@dataclass(frozen=True)
class CrosswalkPair:
    old: str  # iso27001:2013 id, unqualified
    new: str  # iso27001:2022 id, unqualified
    relation: str


@dataclass(frozen=True)
class Catalogs:
    frameworks: dict[str, Framework]
    crosswalk: tuple[CrosswalkPair, ...]
    new_in_2022: tuple[str, ...]
    by_qid: dict[str, Control]
    aliases: dict[str, str] = field(default_factory=dict)  # alias qid -> qid

    def canonical(self, qid: str) -> str:
        """The catalog's own id for ``qid`` (level prefix dropped, alias resolved); unknown ids unchanged."""
        qid = normalise_control_id(qid)
        return self.aliases.get(qid, qid)

    def control(self, qid: str) -> Control:
        return self.by_qid[self.canonical(qid)]

    def forward(self, old_id: str) -> list[CrosswalkPair]:
        """2013 -> 2022 pairs of one 2013 control (unqualified id)."""
        return [p for p in self.crosswalk if p.old == old_id]

    def backward(self, new_id: str) -> list[CrosswalkPair]:
        """2013 predecessors of one 2022 control (unqualified id)."""
        return [p for p in self.crosswalk if p.new == new_id]


def normalise_control_id(qid: str) -> str:
    """``tw-cyber:A/internal-audit`` -> ``tw-cyber:internal-audit``; everything else unchanged."""
    if qid.startswith(f"{TW}:"):
        rest = qid[len(TW) + 1:]
        head, sep, tail = rest.partition("/")
        if sep and head in LEVELS:
            return f"{TW}:{tail}"
    return qid


def split_qid(qid: str) -> tuple[str, str]:
    """(framework, control id) of a qualified id; ValueError when it has no framework."""
    qid = normalise_control_id(qid)
    if qid.startswith(f"{TW}:"):
        return TW, qid[len(TW) + 1:]
    framework, sep, cid = qid.partition("/")
    if not sep or not cid:
        raise ValueError(f"control id {qid!r} has no framework (write iso27001:2022/A.8.20)")
    return framework, cid


def _framework(doc: YamlDoc) -> Framework:
    data = doc.data if isinstance(doc.data, dict) else {}
    fid = str(data.get("framework", ""))
    if not fid:
        doc.problem(("framework",), "missing 'framework'")
    groups = tuple(
        Group(str(g["id"]), str(g["title"]), str(g["title_zh"])) for g in data.get("groups") or ()
    )
    group_ids = {g.id for g in groups}
    controls: list[Control] = []
    seen: set[str] = set()
    for index, item in enumerate(data.get("controls") or ()):
        path = ("controls", index)
        missing = [k for k in ("id", "title", "title_zh", "group") if not item.get(k)]
        if missing:
            doc.problem(path, f"control needs {', '.join(missing)}")
            continue
        cid = str(item["id"])
        if cid in seen:
            doc.problem(path, f"control {cid} listed twice")
        seen.add(cid)
        if item["group"] not in group_ids:
            doc.problem((*path, "group"), f"unknown group {item['group']!r} (groups: {', '.join(sorted(group_ids))})")
        controls.append(Control(
            framework=fid, id=cid, title=str(item["title"]), title_zh=str(item["title_zh"]),
            group=str(item["group"]), zh_source=str(item.get("zh_source", "project")),
            schedule=item.get("schedule"), notes=dict(item.get("not_required_note") or {}),
            aliases=tuple(str(a) for a in item.get("aliases") or ()),
        ))
    doc.raise_if_problems()
    return Framework(fid, str(data.get("title", fid)), str(data.get("title_zh", fid)), groups, tuple(controls),
                     dict(data.get("translation") or {}))


def load_catalogs(directory: Path = CATALOGS_DATA) -> Catalogs:
    """Read and cross-check every catalog. Cached for the shipped data (:func:`catalogs`)."""
    frameworks: dict[str, Framework] = {}
    for name in ("iso27001-2022.yaml", "iso27001-2013.yaml", "tw-cyber.yaml"):
        fw = _framework(read_yaml(directory / name, what="catalog"))
        frameworks[fw.id] = fw
    doc = read_yaml(directory / "crosswalk-2013-2022.yaml", what="crosswalk")
    data = doc.data if isinstance(doc.data, dict) else {}
    old_ids = {c.id for c in frameworks[ISO2013].controls}
    new_ids = {c.id for c in frameworks[ISO2022].controls}
    pairs: list[CrosswalkPair] = []
    for index, item in enumerate(data.get("pairs") or ()):
        path = ("pairs", index)
        pair = CrosswalkPair(str(item.get("from")), str(item.get("to")), str(item.get("relation")))
        if pair.old not in old_ids:
            doc.problem(path, f"{pair.old} is not an ISO/IEC 27001:2013 control")
        if pair.new not in new_ids:
            doc.problem(path, f"{pair.new} is not an ISO/IEC 27001:2022 control")
        if pair.relation not in RELATIONS:
            doc.problem(path, f"relation {pair.relation!r} is not one of {', '.join(RELATIONS)}")
        pairs.append(pair)
    new_in_2022 = tuple(str(x) for x in data.get("new_in_2022") or ())
    for index, cid in enumerate(new_in_2022):
        if cid not in new_ids:
            doc.problem(("new_in_2022", index), f"{cid} is not an ISO/IEC 27001:2022 control")
    doc.raise_if_problems()
    by_qid = {c.qid: c for fw in frameworks.values() for c in fw.controls}
    aliases = {
        f"{c.framework}{':' if c.framework == TW else '/'}{alias}": c.qid
        for fw in frameworks.values() for c in fw.controls for alias in c.aliases
    }
    return Catalogs(frameworks, tuple(pairs), new_in_2022, by_qid, aliases)


@cache
def catalogs() -> Catalogs:
    """The shipped catalogs, read once per process."""
    return load_catalogs()
