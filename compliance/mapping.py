"""From the controls a finding cites to every control of every framework it bears on.

A check cites controls in its YAML metadata, in whatever edition its author knew. This layer makes the
citation count everywhere, through data:

* ``iso27001:2013/...`` lands on 2022 controls through the crosswalk, and ``iso27001:2022/...`` on its 2013
  predecessors (so the 2013 view of an old certificate is evaluated too);
* national duties (``tw-cyber:...``) are reached from check ids and controls by the rules in
  ``compliance/data/mappings/tw-cyber.yaml``.

Each target carries a *coverage*: ``full`` when a pass of the source proves the target, ``partial`` when it is
only part of it (a 2013 control that is a subset of a larger 2022 one, say). A failure always counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path

from compliance.catalog import ISO2013, ISO2022, Catalogs, catalogs
from compliance.status import FULL, PARTIAL_COVERAGE
from compliance.yamldata import read_yaml

MAPPINGS_DATA = Path(__file__).resolve().parent / "data" / "mappings"

#: 2013 -> 2022: a pass of the 2013 control proves the 2022 one only when it is the same or larger.
_FORWARD_FULL = frozenset({"equal", "superset"})
#: 2022 -> 2013: a pass of the 2022 control proves the 2013 one when it is the same or the 2013 one is inside it.
_BACKWARD_FULL = frozenset({"equal", "subset"})


@dataclass(frozen=True)
class Target:
    control: str  # qualified id
    coverage: str  # full | partial
    via: str  # "direct", "crosswalk 2013->2022 (subset)", "mapping: ..."


@dataclass(frozen=True)
class Rule:
    checks: tuple[str, ...]
    controls: tuple[str, ...]
    to: tuple[str, ...]
    coverage: str
    why: str


def load_rules(path: Path = MAPPINGS_DATA / "tw-cyber.yaml", cats: Catalogs | None = None) -> tuple[Rule, ...]:
    cats = cats or catalogs()
    doc = read_yaml(path, what="mapping")
    rules: list[Rule] = []
    for index, item in enumerate((doc.data or {}).get("rules") or ()):
        where = ("rules", index)
        rule = Rule(
            checks=tuple(str(x) for x in item.get("checks") or ()),
            controls=tuple(cats.canonical(str(x)) for x in item.get("controls") or ()),
            to=tuple(cats.canonical(str(x)) for x in item.get("to") or ()),
            coverage=str(item.get("coverage", PARTIAL_COVERAGE)),
            why=str(item.get("why", "")),
        )
        if not (rule.checks or rule.controls) or not rule.to:
            doc.problem(where, "a rule needs 'checks' or 'controls', and 'to'")
        if rule.coverage not in (FULL, PARTIAL_COVERAGE):
            doc.problem((*where, "coverage"), f"coverage must be {FULL} or {PARTIAL_COVERAGE}")
        for qid in (*rule.controls, *rule.to):
            if qid not in cats.by_qid:
                doc.problem(where, f"unknown control {qid!r}")
        rules.append(rule)
    doc.raise_if_problems()
    return tuple(rules)


def _weaker(a: str, b: str) -> str:
    return FULL if a == FULL and b == FULL else PARTIAL_COVERAGE


class Mapper:
    """Maps (check id, cited controls) to targets. Results are cached per distinct citation: a run has many
    findings but few distinct (check, controls) pairs."""

    def __init__(self, cats: Catalogs | None = None, rules: tuple[Rule, ...] | None = None) -> None:
        self.catalogs = cats or catalogs()
        self.rules = rules if rules is not None else load_rules(cats=self.catalogs)
        self._cache: dict[tuple[str, tuple[str, ...]], tuple[tuple[Target, ...], tuple[str, ...]]] = {}

    def targets(self, check_id: str, controls: tuple[str, ...] | list[str]) -> tuple[Target, ...]:
        return self.resolve(check_id, controls)[0]

    def unknown(self, check_id: str, controls: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """Cited ids that are in no catalog (a typo in check data): reported, never silently dropped."""
        return self.resolve(check_id, controls)[1]

    def resolve(
        self, check_id: str, controls: tuple[str, ...] | list[str]
    ) -> tuple[tuple[Target, ...], tuple[str, ...]]:
        key = (check_id, tuple(controls))
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._resolve(check_id, key[1])
        return hit

    def _resolve(self, check_id: str, controls: tuple[str, ...]) -> tuple[tuple[Target, ...], tuple[str, ...]]:
        best: dict[str, Target] = {}
        unknown: list[str] = []

        def add(qid: str, coverage: str, via: str) -> None:
            old = best.get(qid)
            if old is None or (old.coverage != FULL and coverage == FULL):
                best[qid] = Target(qid, coverage, via)

        for raw in controls:
            qid = self.catalogs.canonical(raw)
            if qid not in self.catalogs.by_qid:
                unknown.append(raw)
                continue
            add(qid, FULL, "direct")
            if qid.startswith(f"{ISO2013}/"):
                for pair in self.catalogs.forward(qid.split("/", 1)[1]):
                    cov = FULL if pair.relation in _FORWARD_FULL else PARTIAL_COVERAGE
                    add(f"{ISO2022}/{pair.new}", cov, f"crosswalk 2013->2022 ({pair.relation}) from {qid}")
            elif qid.startswith(f"{ISO2022}/"):
                for pair in self.catalogs.backward(qid.split("/", 1)[1]):
                    cov = FULL if pair.relation in _BACKWARD_FULL else PARTIAL_COVERAGE
                    add(f"{ISO2013}/{pair.old}", cov, f"crosswalk 2022->2013 ({pair.relation}) from {qid}")
        # national duties, from the check id and from every control reached so far (one step, no chains)
        reached = dict(best)
        for rule in self.rules:
            if any(fnmatchcase(check_id, pattern) for pattern in rule.checks):
                for dest in rule.to:
                    add(dest, rule.coverage, f"mapping: check {check_id} ({rule.why})")
            for src in rule.controls:
                if src in reached:
                    for dest in rule.to:
                        add(dest, _weaker(rule.coverage, reached[src].coverage), f"mapping: {src} ({rule.why})")
        return tuple(sorted(best.values(), key=lambda t: t.control)), tuple(unknown)


@cache
def default_mapper() -> Mapper:
    return Mapper()
