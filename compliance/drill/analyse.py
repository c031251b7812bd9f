"""One drill, start to finish: bot filtering, outcomes raw and adjusted, agency and department rates, timing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from compliance.drill.bots import FilterResult, Override, judge
from compliance.drill.config import Thresholds
from compliance.drill.metrics import Outcome, Rates, Timing, outcomes, rates, timing
from netcomply.drill.model import Drill, Member


@dataclass
class Analysis:
    drill: Drill
    thresholds: Thresholds
    raw: dict[str, Outcome]
    adjusted: dict[str, Outcome]
    filtering: FilterResult
    agency: Rates
    departments: list[Rates]
    click_timing: Timing
    report_timing: Timing
    roster_given: bool

    @property
    def excluded(self) -> list[Outcome]:
        return [o for o in self.adjusted.values() if not o.tested]

    @property
    def missing_from_roster(self) -> list[Outcome]:
        return [o for o in self.adjusted.values() if not o.in_roster]


def analyse(drill: Drill, thresholds: Thresholds, roster: Mapping[str, Member] | None = None,
            overrides: Sequence[Override] = ()) -> Analysis:
    filt = judge(drill.events, thresholds.bots, overrides)
    raw = outcomes(drill, drill.events, roster)
    adj = outcomes(drill, filt.kept, roster)
    th = thresholds
    agency = rates(drill.name, list(adj.values()), raw, th.open_rate_max, th.click_rate_max, th.confidence)
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in adj.values():
        groups[o.department].append(o)
    depts: list[Rates] = []
    for name in sorted(groups):
        r = rates(name, groups[name], raw, th.open_rate_max, th.click_rate_max, th.confidence)
        r.suppressed = r.participants < th.min_group_size
        depts.append(r)
    launch = drill.start
    return Analysis(drill, th, raw, adj, filt, agency, depts, timing(adj.values(), "click", launch),
                    timing(adj.values(), "report", launch), roster is not None)
