"""Drill metrics: who was tested, who opened, clicked, submitted and reported; rates with Wilson intervals;
pass/fail against the marks.

Definitions (per person tested, as the national rule counts):

* tested (participant) = the email was delivered; a person with only send errors is excluded and listed;
* opened = an open was recorded, or the person clicked (a clicker whose tracking image never loaded opened it);
* clicked = a link was clicked or an attachment opened (submitting data implies a click);
* every flag is a monotone function of the events, so removing bot events can only lower a count.

Verdicts: ``pass`` is the rule as filed (rate strictly below the mark). ``verdict`` adds the statistics: "pass"
or "fail" when the whole 95 % interval is on one side of the mark, "inconclusive" when it straddles it, which for
a small department means the result says little about that department.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from statistics import NormalDist, median

from netcomply.drill.model import CLICKS, NOT_IN_ROSTER, UNASSIGNED, Action, Drill, Event, Member, Target


def wilson(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion; (0, 1) when nothing was observed."""
    if n <= 0:
        return (0.0, 1.0)
    if not 0 <= successes <= n:
        raise ValueError(f"{successes} successes out of {n}")
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = successes / n
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def below(count: int, n: int, mark: float) -> bool:
    """count/n < mark, exactly (no float rounding at 6.00 %)."""
    return n > 0 and Fraction(count, n) < Fraction(str(mark))


def verdict(count: int, n: int, mark: float, confidence: float) -> str:
    lo, hi = wilson(count, n, confidence)
    if n == 0:
        return "inconclusive"
    if hi < mark:
        return "pass"
    if lo >= mark:
        return "fail"
    return "inconclusive"


@dataclass(slots=True)
class Outcome:
    """One person in one drill, after (or before) bot filtering."""

    email: str
    department: str
    title: str
    in_roster: bool
    sent_at: datetime | None
    excluded: str | None  # why the person is not counted ("delivery failed: ...", "not sent")
    opened: bool = False
    clicked: bool = False
    submitted: bool = False
    reported: bool = False
    forwarded: bool = False
    first_click: datetime | None = None
    first_report: datetime | None = None

    @property
    def tested(self) -> bool:
        return self.excluded is None


def _placement(email: str, target: Target, roster: Mapping[str, Member] | None) -> tuple[str, str, bool]:
    """(department, title, in roster): the roster's word when there is one, else the source's."""
    if roster is None:
        return target.department or UNASSIGNED, target.position, True
    member = roster.get(email)
    if member is None:
        return NOT_IN_ROSTER, target.position, False
    return member.department, member.title or target.position, True


def _exclusion(target: Target, evs: list[Event], acts: set[Action]) -> str | None:
    """Why the person is not counted (None: they were tested, the email was delivered)."""
    if Action.SENT in acts:
        return None
    if Action.SEND_ERROR in acts:
        err = next((e.detail for e in evs if e.action is Action.SEND_ERROR and e.detail), None)
        return "delivery failed" + (f": {err}" if err else "")
    return f"not sent (status {target.status or 'unknown'})"


def _first(evs: list[Event], actions: frozenset[Action]) -> datetime | None:
    timed = [e.time for e in evs if e.action in actions and e.time is not None]
    return min(timed) if timed else None


def _flags(o: Outcome, evs: list[Event], acts: set[Action]) -> None:
    """Each flag a monotone function of the events (so dropping bot events can only lower a count)."""
    o.clicked = any(e.action in CLICKS for e in evs)
    o.submitted = Action.SUBMITTED in acts
    o.opened = o.clicked or Action.OPENED in acts
    o.reported = Action.REPORTED in acts
    o.forwarded = Action.FORWARDED in acts
    o.first_click = _first(evs, CLICKS)
    o.first_report = _first(evs, frozenset({Action.REPORTED}))


def outcomes(drill: Drill, events: Iterable[Event], roster: Mapping[str, Member] | None) -> dict[str, Outcome]:
    """Every target's outcome from the given events (pass all events for raw figures, kept ones for adjusted)."""
    by_person: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        by_person[e.email].append(e)
    out: dict[str, Outcome] = {}
    for email, target in drill.targets.items():
        evs = by_person.get(email, [])
        acts = {e.action for e in evs}
        excluded = _exclusion(target, evs, acts)
        o = Outcome(email, *_placement(email, target, roster), _first(evs, frozenset({Action.SENT})), excluded)
        if excluded is None:
            _flags(o, evs, acts)
        out[email] = o
    return out


@dataclass
class Rates:
    """Counts and rates for one group (the agency or a department), adjusted and raw side by side."""

    name: str
    participants: int
    opened: int
    clicked: int
    submitted: int
    reported: int
    raw_opened: int
    raw_clicked: int
    raw_submitted: int
    open_rate: float | None
    click_rate: float | None
    raw_open_rate: float | None
    raw_click_rate: float | None
    open_ci95: tuple[float, float]
    click_ci95: tuple[float, float]
    passed: bool | None
    verdict: str
    open_verdict: str
    click_verdict: str
    suppressed: bool = False


def rates(name: str, adj: list[Outcome], raw: Mapping[str, Outcome], th_open: float, th_click: float,
          confidence: float) -> Rates:
    tested = [o for o in adj if o.tested]
    n = len(tested)
    opened = sum(o.opened for o in tested)
    clicked = sum(o.clicked for o in tested)
    r_opened = sum(raw[o.email].opened for o in tested)
    r_clicked = sum(raw[o.email].clicked for o in tested)
    ov = verdict(opened, n, th_open, confidence)
    cv = verdict(clicked, n, th_click, confidence)
    combined = "fail" if "fail" in (ov, cv) else ("pass" if ov == cv == "pass" else "inconclusive")
    return Rates(
        name=name, participants=n, opened=opened, clicked=clicked, submitted=sum(o.submitted for o in tested),
        reported=sum(o.reported for o in tested), raw_opened=r_opened, raw_clicked=r_clicked,
        raw_submitted=sum(raw[o.email].submitted for o in tested),
        open_rate=opened / n if n else None, click_rate=clicked / n if n else None,
        raw_open_rate=r_opened / n if n else None, raw_click_rate=r_clicked / n if n else None,
        open_ci95=wilson(opened, n, confidence), click_ci95=wilson(clicked, n, confidence),
        passed=(below(opened, n, th_open) and below(clicked, n, th_click)) if n else None,
        verdict=combined, open_verdict=ov, click_verdict=cv,
    )


@dataclass
class Timing:
    """Seconds from delivery to a person's first click (or report), over the people who did it."""

    count: int
    median_s: float | None
    p90_s: float | None
    fastest_s: float | None
    first_after_launch_s: float | None  # from the drill's first delivery to the first such event anywhere


def timing(outs: Iterable[Outcome], which: str, launch: datetime | None) -> Timing:
    delays: list[float] = []
    firsts: list[datetime] = []
    for o in outs:
        when = o.first_click if which == "click" else o.first_report
        if o.tested and when is not None:
            firsts.append(when)
            if o.sent_at is not None:
                delays.append(max(0.0, (when - o.sent_at).total_seconds()))
    delays.sort()
    p90 = delays[min(len(delays) - 1, math.ceil(0.9 * len(delays)) - 1)] if delays else None
    first = (min(firsts) - launch).total_seconds() if firsts and launch is not None else None
    return Timing(len(delays), median(delays) if delays else None, p90, delays[0] if delays else None,
                  max(0.0, first) if first is not None else None)
