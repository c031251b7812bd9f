"""The Statement of Applicability as data: one entry per ISO/IEC 27001:2022 control, in catalog order.

"Implemented" is stated with its source, because an auditor weighs them differently:

* ``yes`` -- the audit verified it (the control's status is *pass*, so there is evidence);
* ``partial`` -- the audit verified part of it, or found failures next to passes;
* ``no`` -- the audit found it failing, or the agency declares it not implemented;
* ``declared`` -- the agency declares it implemented and cites documents; netcomply could not verify it;
* ``unknown`` -- nobody has said, and the audit had nothing to go on;
* ``n/a`` -- excluded, with the justification.

An agency declaration never turns into ``yes``: only evidence does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from compliance.catalog import ISO2022, Catalogs, catalogs
from compliance.evaluate import ControlResult, Evaluation
from compliance.soa.decisions import Decision, Decisions
from compliance.status import ControlStatus
from netcomply.models import Agency
from netcomply.timefmt import format_date

DEFAULT_JUSTIFICATION = "applicable by default (no exclusion decided)"


class Implemented(StrEnum):
    YES = "yes"
    PARTIAL = "partial"
    NO = "no"
    DECLARED = "declared"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "n/a"


@dataclass(frozen=True)
class SoaEntry:
    control: str
    id: str
    title: str
    title_zh: str
    group: str
    applicable: bool
    justification: str
    decided: bool  # written in the decisions file (False: the default applied)
    implemented: Implemented
    status: ControlStatus
    reason: str
    documents: tuple[str, ...]  # the agency's evidence references
    findings: dict[str, int]  # counts_as -> number of findings
    observations: int
    artifacts: tuple[str, ...]
    owner: str | None = None
    conflict: str | None = None  # the agency's declaration and the audit disagree
    zh_source: str = "project"  # "cns": title_zh is the CNS 27001 wording; "project": our translation (marked 譯)

    def to_dict(self) -> dict[str, Any]:
        return {
            "control": self.control, "id": self.id, "title": self.title, "title_zh": self.title_zh,
            "group": self.group, "applicable": self.applicable, "justification": self.justification,
            "decided": self.decided, "implemented": self.implemented.value, "status": self.status.value,
            "reason": self.reason, "documents": list(self.documents), "findings": dict(self.findings),
            "observations": self.observations, "artifacts": list(self.artifacts), "owner": self.owner,
            "conflict": self.conflict, "zh_source": self.zh_source,
        }


@dataclass(frozen=True)
class Soa:
    agency: str | None
    run_id: str | None
    as_of: date
    version: str | None
    approved_by: str | None
    approved_on: date | None
    decisions_source: str | None
    entries: tuple[SoaEntry, ...]
    groups: dict[str, tuple[str, str]]  # group id -> (title, title_zh)
    agency_zh: str | None = None  # the agency's Chinese name (機關), from the inventory

    def header(self, lang: str, t: dict[str, Any]) -> dict[str, str]:
        """The SoA's header fields as a reader of ``lang`` sees them (``t``: the SoA labels): 機關 in the
        reader's language, the date in the ROC calendar for zh-TW, and 版次 / 核定 from the decisions file, or
        an explicit "draft, not approved" so a blank field is never mistaken for an approval."""
        agency = (self.agency_zh or self.agency) if lang == "zh-TW" else (self.agency or self.agency_zh)
        approved = " ".join(x for x in (self.approved_by or "",
                                         format_date(self.approved_on, lang, "prose") if self.approved_on else "") if x)
        return {
            "agency": agency or t["agency_unknown"],
            "as_of": format_date(self.as_of, lang, "prose"),
            "version": self.version or t["version_draft"],
            "approved": approved or t["not_approved"],
        }

    def counts(self) -> dict[str, int]:
        out = {"controls": len(self.entries), "applicable": sum(e.applicable for e in self.entries)}
        for value in Implemented:
            out[f"implemented_{value.value}"] = sum(e.implemented is value for e in self.entries)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency, "agency_zh": self.agency_zh, "run": self.run_id, "as_of": self.as_of.isoformat(),
            "version": self.version,
            "approved_by": self.approved_by,
            "approved_on": self.approved_on.isoformat() if self.approved_on else None,
            "decisions": self.decisions_source, "counts": self.counts(),
            "entries": [e.to_dict() for e in self.entries],
        }


def _implemented(result: ControlResult, decision: Decision | None) -> tuple[Implemented, str | None]:
    status = result.status
    declared = decision.implemented if decision else None
    if decision is not None and not decision.applicable:
        return Implemented.NOT_APPLICABLE, None
    if status is ControlStatus.PASS:
        conflict = "the agency declares it not implemented, yet the audit verified it" if declared is False else None
        return Implemented.YES, conflict
    if status is ControlStatus.PARTIAL:
        return Implemented.PARTIAL, None
    if status is ControlStatus.FAIL:
        conflict = "the agency declares it implemented, but the audit found it failing" if declared else None
        return Implemented.NO, conflict
    if declared is True:
        return (Implemented.DECLARED, None) if decision and decision.evidence else (Implemented.UNKNOWN,
                "declared implemented without any evidence reference")
    if declared is False:
        return Implemented.NO, None
    return Implemented.UNKNOWN, None


def _agency_names(decisions: Decisions, evaluation: Evaluation,
                  agencies: Sequence[Agency]) -> tuple[str | None, str | None]:
    """(name, Chinese name) of the SoA's agency: the decisions file's, else the evaluated agency's, else every
    agency of the inventory (an SoA over a city's whole inventory names all of them)."""
    if decisions.agency:
        return decisions.agency, decisions.agency
    chosen = [evaluation.agency] if evaluation.agency else list(agencies)
    if not chosen:
        return None, None
    return "; ".join(a.name for a in chosen), "、".join(a.name_zh or a.name for a in chosen)


def build_soa(evaluation: Evaluation, decisions: Decisions, *, run_id: str | None = None,
              cats: Catalogs | None = None, agencies: Sequence[Agency] = ()) -> Soa:
    """One entry per 2022 control. Evaluate with ``applicability=decisions.applicability()`` so exclusions show
    as not applicable in the results too. ``agencies`` (the inventory's) name the agency when neither the
    decisions file nor the evaluation does."""
    cats = cats or catalogs()
    fw = cats.frameworks[ISO2022]
    results = {r.control: r for r in evaluation.framework(ISO2022)}
    entries = []
    for control in fw.controls:
        result = results[control.qid]
        decision = decisions.controls.get(control.qid)
        implemented, conflict = _implemented(result, decision)
        entries.append(SoaEntry(
            control=control.qid, id=control.id, title=control.title, title_zh=control.title_zh,
            group=control.group, applicable=decision.applicable if decision else True,
            justification=(decision.justification if decision and decision.justification else DEFAULT_JUSTIFICATION),
            decided=decision is not None, implemented=implemented, status=result.status, reason=result.reason,
            documents=decision.evidence if decision else (), findings=dict(result.counts),
            observations=len(result.observations), artifacts=result.artifacts,
            owner=decision.owner if decision else None, conflict=conflict, zh_source=control.zh_source,
        ))
    agency, agency_zh = _agency_names(decisions, evaluation, agencies)
    return Soa(
        agency=agency, agency_zh=agency_zh, run_id=run_id,
        as_of=evaluation.as_of, version=decisions.version, approved_by=decisions.approved_by,
        approved_on=decisions.approved_on, decisions_source=decisions.source, entries=tuple(entries),
        groups={g.id: (g.title, g.title_zh) for g in fw.groups},
    )
