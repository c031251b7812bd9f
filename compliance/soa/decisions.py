"""The agency's own SoA decisions: a small YAML file it keeps and signs off.

::

    agency: 範例市政府
    version: "1.2"
    approved_by: 資安長
    approved_on: 2026-10-01
    controls:
      A.8.28: {applicable: false, justification: 本機關未自行開發軟體}
      A.5.23: {applicable: true, implemented: true, evidence: [雲端服務管理程序 v2], owner: 資訊科}

Keys are ISO/IEC 27001:2022 controls (``A.8.28`` or ``iso27001:2022/A.8.28``). Every control not written here
is applicable by default (Annex A is the reference list; an exclusion needs a reason). Every mistake is
reported with its line, all at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from compliance.catalog import ISO2022, Catalogs, catalogs
from compliance.yamldata import YamlDoc, read_yaml

_TOP = ("agency", "version", "approved_by", "approved_on", "controls")
_ENTRY = ("applicable", "justification", "implemented", "evidence", "owner", "note")


@dataclass(frozen=True)
class Decision:
    control: str  # qualified 2022 id
    applicable: bool
    justification: str
    implemented: bool | None = None  # what the agency declares; None: says nothing
    evidence: tuple[str, ...] = ()
    owner: str | None = None
    note: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Decisions:
    source: str | None = None
    agency: str | None = None
    version: str | None = None
    approved_by: str | None = None
    approved_on: date | None = None
    controls: dict[str, Decision] = field(default_factory=dict)

    def applicability(self) -> dict[str, tuple[bool, str]]:
        """For :func:`compliance.evaluate.evaluate`: qualified id -> (applicable, justification)."""
        return {qid: (d.applicable, d.justification) for qid, d in self.controls.items()}


def _text(value: Any) -> str | None:
    return None if value is None else str(value).strip() or None


def _control_id(doc: YamlDoc, key: Any, known: set[str]) -> str | None:
    """``A.8.28`` or ``iso27001:2022/A.8.28`` -> ``A.8.28``; an unknown id is a problem with a suggestion."""
    cid = str(key)
    if cid.startswith(f"{ISO2022}/"):
        cid = cid.split("/", 1)[1]
    if cid not in known:
        close = difflib.get_close_matches(cid, sorted(known), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        doc.problem(("controls", key), f"{key!r} is not an ISO/IEC 27001:2022 Annex A control{hint}", key=str(key))
        return None
    return cid


def _evidence(doc: YamlDoc, where: tuple[Any, ...], cid: str, value: Any) -> tuple[str, ...]:
    evidence = value or ()
    if isinstance(evidence, str):
        evidence = (evidence,)
    if not isinstance(evidence, list | tuple) or not all(isinstance(e, str | int | float) for e in evidence):
        doc.problem((*where, "evidence"), f"{cid}: 'evidence' is a list of document references", key="evidence")
        return ()
    return tuple(str(e) for e in evidence)


def _decision(doc: YamlDoc, key: Any, cid: str, entry: Any) -> Decision | None:
    """One control's entry, every problem reported; None when it cannot be used."""
    where: tuple[Any, ...] = ("controls", key)
    if not isinstance(entry, dict):
        doc.problem(where, "expected {applicable: true|false, justification: ...}", key=str(key))
        return None
    for extra in sorted(set(map(str, entry)) - set(_ENTRY)):
        doc.problem((*where, extra), f"unknown key {extra!r} (expected {', '.join(_ENTRY)})", key=extra)
    applicable = entry.get("applicable")
    if not isinstance(applicable, bool):
        doc.problem((*where, "applicable") if "applicable" in entry else where,
                    f"{cid}: 'applicable' must be true or false", key="applicable")
        return None
    justification = _text(entry.get("justification"))
    if not applicable and not justification:
        doc.problem(where, f"{cid}: excluding a control needs a 'justification'", key="justification")
        return None
    implemented = entry.get("implemented")
    if implemented is not None and not isinstance(implemented, bool):
        doc.problem((*where, "implemented"), f"{cid}: 'implemented' must be true or false", key="implemented")
        implemented = None
    if not applicable and implemented:
        doc.problem((*where, "implemented"), f"{cid}: a control cannot be excluded and implemented",
                    key="implemented")
    return Decision(control=f"{ISO2022}/{cid}", applicable=applicable, justification=justification or "",
                    implemented=implemented, evidence=_evidence(doc, where, cid, entry.get("evidence")),
                    owner=_text(entry.get("owner")), note=_text(entry.get("note")), line=doc.lines.key_line(where))


def _approved_on(doc: YamlDoc, value: Any) -> date | None:
    if value is None:
        return None
    if not isinstance(value, date):
        doc.problem(("approved_on",), f"approved_on must be a date like 2026-10-01, not {value!r}")
        return None
    return value.date() if isinstance(value, datetime) else value  # a YAML timestamp: approved on its day


def load_decisions(path: str | Path, cats: Catalogs | None = None) -> Decisions:
    """The agency's decisions; every mistake with its line and key, all at once (InputError)."""
    cats = cats or catalogs()
    known = {c.id for c in cats.frameworks[ISO2022].controls}
    doc = read_yaml(path, what="SoA decisions file")
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        doc.problem((), "an SoA decisions file is a mapping with 'agency' and 'controls'")
        doc.raise_if_problems()
    for key in data:
        if key not in _TOP:
            doc.problem((key,), f"unknown key {key!r} (expected {', '.join(_TOP)})", key=str(key))
    approved_on = _approved_on(doc, data.get("approved_on"))
    controls: dict[str, Decision] = {}
    raw = data.get("controls") or {}
    if not isinstance(raw, dict):
        doc.problem(("controls",), "'controls' maps control ids (A.8.28) to {applicable, justification, ...}")
        raw = {}
    for key, entry in raw.items():
        cid = _control_id(doc, key, known)
        if cid is None:
            continue
        qid = f"{ISO2022}/{cid}"
        if qid in controls:
            doc.problem(("controls", key), f"{cid} decided twice (once as {controls[qid].control})", key=str(key))
            continue
        decision = _decision(doc, key, cid, entry)
        if decision is not None:
            controls[qid] = decision
    doc.raise_if_problems()
    return Decisions(str(path), _text(data.get("agency")), _text(data.get("version")), _text(data.get("approved_by")),
                     approved_on, controls)
