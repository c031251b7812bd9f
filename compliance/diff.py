"""What got better and what got worse between two audits: findings and control statuses.

Findings are matched by (check id, subject) -- the same device judged by the same check. A finding that
disappears is reported as *gone*, not as *better*: the device may simply not have been audited the second time.
Control statuses are compared on :data:`compliance.status.RANK`; moving in or out of not_applicable is a
*changed* entry, neither better nor worse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from compliance.evaluate import Evaluation
from compliance.status import RANK, ControlStatus
from netcomply.models import Finding, FindingStatus, Run

#: Only verdicts are ranked. An error, a manual item or a "not assessed" is no verdict: moving to or from one is
#: "changed", so a failing device that could not be reached the next time never counts as "better".
_FINDING_RANK: dict[FindingStatus, int | None] = {
    FindingStatus.FAIL: 0, FindingStatus.PASS: 1,
    FindingStatus.ERROR: None, FindingStatus.MANUAL: None, FindingStatus.NOT_ASSESSED: None,
    FindingStatus.NOT_APPLICABLE: None,
}


@dataclass(frozen=True)
class Change:
    kind: str  # "finding" | "control"
    key: str  # "check_id @ subject" or the qualified control id
    before: str | None
    after: str | None
    direction: str  # better | worse | changed | new | gone
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "before": self.before, "after": self.after,
                "direction": self.direction, "message": self.message}


@dataclass(frozen=True)
class RunDiff:
    run_a: str
    run_b: str
    changes: tuple[Change, ...]

    def of(self, kind: str, direction: str | None = None) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and (direction is None or c.direction == direction)]

    def summary(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for c in self.changes:
            bucket = out.setdefault(c.kind, {"better": 0, "worse": 0, "changed": 0, "new": 0, "gone": 0})
            bucket[c.direction] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"run_a": self.run_a, "run_b": self.run_b, "summary": self.summary(),
                "changes": [c.to_dict() for c in self.changes]}


def _direction(before: int | None, after: int | None) -> str | None:
    if before is None or after is None:
        return "changed"
    if after > before:
        return "better"
    if after < before:
        return "worse"
    return None


#: Which finding stands for a (check, subject) when there are several: a fail first, then what hides a verdict.
_WORST_FIRST = (FindingStatus.FAIL, FindingStatus.ERROR, FindingStatus.NOT_ASSESSED, FindingStatus.MANUAL,
                FindingStatus.PASS, FindingStatus.NOT_APPLICABLE)


def _badness(f: Finding) -> int:
    return -_WORST_FIRST.index(FindingStatus(f.status))


def _worst(findings: Iterable[Finding]) -> dict[tuple[str, str], Finding]:
    """One finding per (check, subject): the worst, so a subject with one fail among passes counts as failing."""
    out: dict[tuple[str, str], Finding] = {}
    for f in sorted(findings, key=lambda f: (f.check_id, f.subject, f.message)):
        key = (f.check_id, f.subject)
        old = out.get(key)
        if old is None or _badness(f) > _badness(old):
            out[key] = f
    return out


def diff_findings(a: Iterable[Finding], b: Iterable[Finding]) -> list[Change]:
    before, after = _worst(a), _worst(b)
    changes: list[Change] = []
    for key in sorted(set(before) | set(after)):
        label = f"{key[0]} @ {key[1]}"
        fa, fb = before.get(key), after.get(key)
        if fa is None and fb is not None:
            arrived = "worse" if FindingStatus(fb.status) is FindingStatus.FAIL else "new"
            changes.append(Change("finding", label, None, str(fb.status), arrived, fb.message))
        elif fb is None and fa is not None:
            changes.append(Change("finding", label, str(fa.status), None, "gone", fa.message))
        elif fa is not None and fb is not None and fa.status != fb.status:
            direction = _direction(_FINDING_RANK[FindingStatus(fa.status)], _FINDING_RANK[FindingStatus(fb.status)])
            changes.append(Change("finding", label, str(fa.status), str(fb.status), direction or "changed",
                                  fb.message))
    return changes


def diff_evaluations(a: Evaluation, b: Evaluation) -> list[Change]:
    before = {r.control: r for r in a.results}
    changes: list[Change] = []
    for rb in b.results:
        ra = before.get(rb.control)
        if ra is None or ra.status == rb.status:
            continue
        direction = _direction(RANK[ControlStatus(ra.status)], RANK[ControlStatus(rb.status)])
        changes.append(Change("control", rb.control, ra.status.value, rb.status.value, direction or "changed",
                              rb.reason))
    return changes


def scope_differences(a: Run, b: Run) -> list[str]:
    """Why two runs can't be compared, one line per difference (empty when they can).

    A vendor run judges identity only, a scan has no inventory, an audit of two collectors says nothing about the
    other areas: a diff across them would call every finding the other run never looked for "gone" or "new"."""
    sa, sb = a.scope(), b.scope()
    names = {"kind": "kind of run", "collectors": "collectors", "limit": "device limit (--limit)",
             "targets": "scan targets"}
    return [f"{names[key]}: {sa[key] or '-'} vs {sb[key] or '-'}" for key in names if sa[key] != sb[key]]


def diff_runs(run_a: str, run_b: str, findings_a: Iterable[Finding], findings_b: Iterable[Finding],
              eval_a: Evaluation, eval_b: Evaluation) -> RunDiff:
    return RunDiff(run_a, run_b, tuple(diff_findings(findings_a, findings_b) + diff_evaluations(eval_a, eval_b)))
