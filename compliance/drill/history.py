"""Across drills: department trends, repeat clickers, people who improved.

History is kept by pseudonym, never by address: a previous drill can be given as its raw exports or as the JSON
report netcomply wrote for it (which holds only pseudonyms). Pseudonyms match across drills only under the same
key; every JSON report records the key's fingerprint so a mismatch is caught instead of silently finding
"no repeat clickers".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from compliance.drill.analyse import Analysis
from compliance.drill.config import Repeat
from netcomply.drill.timeutil import parse_utc
from netcomply.errors import InputError, InputProblem

REPORT_MARK = "netcomply-drill-report"


@dataclass(frozen=True)
class PersonMark:
    opened: bool
    clicked: bool
    reported: bool


@dataclass
class DrillRecord:
    """What history needs of one drill."""

    name: str
    start: datetime | None
    people: dict[str, PersonMark]  # pseudonym -> outcome (tested people only)
    departments: dict[str, dict[str, Any]]  # name -> {participants, open_rate, click_rate, suppressed}
    key_fingerprint: str = ""
    agency: dict[str, Any] = field(default_factory=dict)


def record_of(a: Analysis, pseudonym: Callable[[str], str], fingerprint: str) -> DrillRecord:
    people = {pseudonym(o.email): PersonMark(o.opened, o.clicked, o.reported)
              for o in a.adjusted.values() if o.tested}
    depts = {d.name: {"participants": d.participants, "open_rate": None if d.suppressed else d.open_rate,
                      "click_rate": None if d.suppressed else d.click_rate, "suppressed": d.suppressed}
             for d in a.departments}
    return DrillRecord(a.drill.name, a.drill.start, people, depts, fingerprint,
                       {"participants": a.agency.participants, "open_rate": a.agency.open_rate,
                        "click_rate": a.agency.click_rate})


def record_from_json(path: Path) -> DrillRecord:
    """A previous netcomply drill JSON report (pseudonymised people list)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(InputProblem(str(path), None, f"cannot read a drill report: {exc}")) from None
    except RecursionError:
        raise InputError(InputProblem(str(path), None, "not a drill report: JSON nested too deeply")) from None
    if not isinstance(doc, dict) or doc.get("format") != REPORT_MARK:
        raise InputError(InputProblem(str(path), None, "not a netcomply drill JSON report (no format marker)"))
    try:
        people = {p["id"]: PersonMark(bool(p["opened"]), bool(p["clicked"]), bool(p["reported"]))
                  for p in doc.get("people", [])}
        depts = {d["name"]: {"participants": d["participants"], "open_rate": d.get("open_rate"),
                             "click_rate": d.get("click_rate"), "suppressed": d.get("suppressed", False)}
                 for d in doc.get("departments", [])}
        start = parse_utc(doc["drill"]["start"]) if doc["drill"].get("start") else None
        name = str(doc["drill"].get("name", path.stem))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(InputProblem(str(path), None, f"drill report is missing or has a wrong {exc}")) from None
    return DrillRecord(name, start, people, depts, doc.get("key_fingerprint", ""),
                       {"participants": doc.get("participants"), "open_rate": doc.get("open_rate"),
                        "click_rate": doc.get("click_rate")})


@dataclass
class History:
    drills: list[str]  # names, oldest first (the current one last)
    trends: dict[str, list[dict[str, Any]]]  # department -> one point per drill
    agency_trend: list[dict[str, Any]]
    repeat_clickers: list[dict[str, Any]]
    improved: list[dict[str, Any]]
    key_mismatch: list[str]


def compare(previous: Sequence[DrillRecord], current: DrillRecord, repeat: Repeat) -> History:
    """Order drills by start, then look at each person's clicks over the drills they were tested in."""
    older = sorted(previous, key=lambda r: (r.start is None, r.start or datetime.min))
    seq = [*older, current]
    mismatch = [r.name for r in older if r.key_fingerprint and current.key_fingerprint
                and r.key_fingerprint != current.key_fingerprint]
    names = [r.name for r in seq]
    trends: dict[str, list[dict[str, Any]]] = {}
    for dept in sorted({d for r in seq for d in r.departments}):
        trends[dept] = [{"drill": r.name, "start": r.start, **r.departments.get(dept, {"participants": 0,
                         "open_rate": None, "click_rate": None, "suppressed": False})} for r in seq]
    agency_trend = [{"drill": r.name, "start": r.start, **r.agency} for r in seq]

    repeaters: list[dict[str, Any]] = []
    improved: list[dict[str, Any]] = []
    for pid, now in sorted(current.people.items()):
        marks = [r.people[pid] for r in seq if pid in r.people]  # drills this person was tested in
        clicks = [m.clicked for m in marks]
        streak = 0
        for c in reversed(clicks):
            if not c:
                break
            streak += 1
        last_m = clicks[-repeat.m:]
        k = sum(last_m)
        if streak >= repeat.in_a_row or (len(clicks) > 1 and k >= repeat.k):
            repeaters.append({"id": pid, "in_a_row": streak, "clicked_of_last": [k, len(last_m)],
                              "drills_tested": len(clicks), "clicked_now": now.clicked})
        if not now.clicked and any(clicks[:-1]):
            improved.append({"id": pid, "clicked_before": sum(clicks[:-1]), "drills_tested": len(clicks),
                             "reported_now": now.reported})
    repeaters.sort(key=lambda r: (-r["in_a_row"], -r["clicked_of_last"][0], r["id"]))
    return History(names, trends, agency_trend, repeaters, improved, mismatch)
