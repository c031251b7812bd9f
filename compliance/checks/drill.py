"""Drill checks: judge a drill report's figures against the pass marks and the six-monthly duty.

Input is one ``drill.summary`` observation per drill, whose data is the (pseudonymised) drill report document
written by :mod:`reports.drill.report`: counts, rates, thresholds, departments, start and the previous drills'
starts. Pure and offline, like every check.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from compliance.checks.base import Check, JudgeContext, register
from compliance.drill.metrics import below
from netcomply import i18n
from netcomply.fmt import percent, percent_of
from netcomply.i18n import msg
from netcomply.models import Finding, FindingStatus, Observation

KIND = "drill.summary"
#: Six months, read generously (a drill in the first week of April after one in the first week of October).
SIX_MONTHS = timedelta(days=190)


def summary_observation(doc: dict[str, Any], previous_starts: Iterable[str | None] = ()) -> Observation:
    """The observation a drill report becomes (pseudonymised figures only; no people)."""
    data = {k: v for k, v in doc.items() if k not in {"people", "bot_events", "excluded_people", "not_in_roster",
                                                      "overrides", "repeat_clickers", "improved", "trend"}}
    data["previous_starts"] = [s for s in previous_starts if s]
    return Observation(device=str(doc["drill"]["name"]), collector="drill", kind=KIND, data=data,
                       source="drill:" + ",".join(doc["drill"].get("sources", []))[:500])


def _participants_min(ctx: JudgeContext) -> int:
    """The fewest participants a drill needs for its open and click rates to be judged (thresholds.yaml
    ``drill.participants_min``)."""
    return int(((ctx.data.get("thresholds") or {}).get("drill") or {}).get("participants_min", 20))


def _straddles(lo: float | None, hi: float | None, mark: float) -> bool:
    """The interval has values below and at-or-above the mark (the drill report's "inconclusive"); without an
    interval, every small drill is treated as undecided."""
    return lo is None or hi is None or (lo < mark <= hi)


class _RateCheck(Check):
    field: str
    mark_key: str

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        for obs in observations:
            if obs.kind != KIND:
                continue
            d = obs.data
            n, count = int(d["participants"]), int(d[self.field])
            mark = float(d["thresholds"][self.mark_key])
            if n == 0:
                yield self.finding(obs.device, FindingStatus.MANUAL, msg("drill.finding_none_tested"),
                                   observations=[obs], details={"reason": "none_tested"})
                continue
            lo, hi = d.get(self.field.replace("opened", "open").replace("clicked", "click") + "_ci95") or [None, None]
            needed = _participants_min(ctx)
            if n < needed and _straddles(lo, hi, mark):
                # A handful of people, and the 95 % interval of the rate lies on both sides of the mark: the
                # result could go either way, so no verdict (a clear result, e.g. 4 of 12 clicked, still counts).
                yield self.finding(obs.device, FindingStatus.NOT_ASSESSED,
                                   msg("finding.evidence.drill_too_few", n=n, needed=needed), observations=[obs],
                                   details={"reason": "insufficient_data", "participants": n, "needed": needed,
                                            "count": count, "ci95": [lo, hi] if lo is not None else None})
                continue
            ok = below(count, n, mark)
            rate = {"count": count, "n": n, "pct": percent_of(count, n), "mark": percent(mark, 0),
                    "side": msg("drill.side_below" if ok else "drill.side_not_below")}
            yield self.finding(
                obs.device, FindingStatus.PASS if ok else FindingStatus.FAIL,
                msg("drill.finding_rate", **rate, lo=percent(lo), hi=percent(hi)) if lo is not None else
                msg("drill.finding_rate_no_ci", **rate),
                observations=[obs],
                details={"reason": "rate", "count": count, "participants": n, "mark": mark, "below": ok,
                         "ci95": [lo, hi] if lo is not None else None},
            )


@register
class DrillOpenRate(_RateCheck):
    id = "drill.open_rate"
    field = "opened"
    mark_key = "open_rate_max"


@register
class DrillClickRate(_RateCheck):
    id = "drill.click_rate"
    field = "clicked"
    mark_key = "click_rate_max"


@register
class DrillDepartmentClickRate(Check):
    id = "drill.department_click_rate"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        for obs in observations:
            if obs.kind != KIND:
                continue
            mark = float(obs.data["thresholds"]["click_rate_max"])
            for dept in obs.data.get("departments", []):
                subject = f"{obs.device} / {dept['name']}"
                if dept.get("suppressed") or not dept.get("participants"):
                    yield self.finding(subject, FindingStatus.NOT_APPLICABLE,
                                       msg("drill.finding_suppressed", n=dept.get("participants", 0)),
                                       observations=[obs],
                                       details={"reason": "suppressed", "participants": dept.get("participants", 0)})
                    continue
                n, c = int(dept["participants"]), int(dept["clicked"])
                ok = below(c, n, mark)
                verdict = dept.get("verdict") or "inconclusive"
                yield self.finding(subject, FindingStatus.PASS if ok else FindingStatus.FAIL,
                                   msg("drill.finding_department_rate", count=c, n=n, pct=f"{100 * c / n:.2f}%",
                                       mark=percent(mark, 0),
                                       verdict=msg(f"drill.verdict_{verdict}") if i18n.has(f"drill.verdict_{verdict}")
                                       else verdict),
                                   observations=[obs],
                                   details={"reason": "department_rate", "count": c, "participants": n, "mark": mark,
                                            "verdict": dept.get("verdict")})


@register
class DrillSemiannual(Check):
    id = "drill.semiannual"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        for obs in observations:
            if obs.kind != KIND:
                continue
            start = obs.data["drill"].get("start")
            earlier = sorted(datetime.fromisoformat(s) for s in obs.data.get("previous_starts", []))
            if not start or not earlier:
                yield self.finding(obs.device, FindingStatus.MANUAL, msg("drill.finding_no_previous"),
                                   observations=[obs], details={"reason": "no_previous"})
                continue
            now = datetime.fromisoformat(start)
            before = [e for e in earlier if e < now]
            if not before:
                yield self.finding(obs.device, FindingStatus.MANUAL, msg("drill.finding_not_earlier"),
                                   observations=[obs], details={"reason": "not_earlier"})
                continue
            gap = now - before[-1]
            ok = gap <= SIX_MONTHS
            yield self.finding(obs.device, FindingStatus.PASS if ok else FindingStatus.FAIL,
                               msg("drill.finding_gap", days=gap.days, previous=before[-1].date().isoformat()),
                               observations=[obs],
                               details={"reason": "gap", "gap_days": gap.days,
                                        "previous": before[-1].date().isoformat()})
