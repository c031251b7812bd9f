"""Control statuses and the one rule that combines evidence into a status.

The rule is small and pure on purpose: it is what an auditor will question, so it lives in one place, is
order-independent (it looks at a multiset of statuses, never at their order) and is property-tested.

* a passing finding counts only if it carries evidence (observations or artifacts); a pass claimed without
  evidence is treated as *manual* -- nothing without evidence is ever shown as passed;
* failures and passes together make *partial*; failures alone make *fail*;
* a pass next to something unverified (an error, a manual item, a pending duty) is *partial*, not *pass*;
* nothing at all is *manual* when no check of this installation could ever evidence the control, otherwise
  *not_assessed* (a check exists but produced nothing for this run).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from netcomply.models import Finding, FindingStatus


class ControlStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    PARTIAL = "partial"
    MANUAL = "manual"
    NOT_ASSESSED = "not_assessed"
    NOT_APPLICABLE = "not_applicable"


#: How good a status is, for "better / worse" between two runs. Statuses that carry no verdict (manual, not
#: assessed, not applicable) are outside the scale (None): fail -> not assessed is "changed", never "better".
RANK: dict[ControlStatus, int | None] = {
    ControlStatus.FAIL: 0,
    ControlStatus.PARTIAL: 1,
    ControlStatus.PASS: 2,
    ControlStatus.NOT_ASSESSED: None,
    ControlStatus.MANUAL: None,
    ControlStatus.NOT_APPLICABLE: None,
}

FULL = "full"
PARTIAL_COVERAGE = "partial"


def has_evidence(finding: Finding) -> bool:
    return bool(finding.observations or finding.artifacts)


def contribution(finding: Finding, coverage: str) -> ControlStatus:
    """What one finding says about one control it maps to, given how much of the control it covers."""
    status = FindingStatus(finding.status)
    if status is FindingStatus.FAIL:
        return ControlStatus.FAIL
    if status is FindingStatus.PASS:
        if not has_evidence(finding):
            return ControlStatus.MANUAL
        return ControlStatus.PASS if coverage == FULL else ControlStatus.PARTIAL
    if status in (FindingStatus.ERROR, FindingStatus.NOT_ASSESSED):
        return ControlStatus.NOT_ASSESSED
    if status is FindingStatus.MANUAL:
        return ControlStatus.MANUAL
    return ControlStatus.NOT_APPLICABLE


def combine(statuses: Iterable[ControlStatus]) -> ControlStatus | None:
    """Combine component statuses; None when there is nothing to combine."""
    present = set(statuses)
    if not present:
        return None
    present.discard(ControlStatus.NOT_APPLICABLE)
    if not present:
        return ControlStatus.NOT_APPLICABLE
    ok = bool(present & {ControlStatus.PASS, ControlStatus.PARTIAL})
    if ControlStatus.FAIL in present:
        return ControlStatus.PARTIAL if ok else ControlStatus.FAIL
    if ControlStatus.PARTIAL in present:
        return ControlStatus.PARTIAL
    if ControlStatus.PASS in present:
        unverified = present & {ControlStatus.MANUAL, ControlStatus.NOT_ASSESSED}
        return ControlStatus.PARTIAL if unverified else ControlStatus.PASS
    if ControlStatus.MANUAL in present:
        return ControlStatus.MANUAL
    return ControlStatus.NOT_ASSESSED
