"""Observation contract of the social-engineering drill: ``drill.summary`` (one per drill; written by
``compliance.checks.drill.summary_observation`` from the pseudonymised drill report document of
``reports.drill.report``; read by the drill checks).

Why here: the importers and the report builder (which write the figures) and the checks (which judge them against
the pass marks) must agree on the names; the shape is written down once, in the base. Rates are fractions 0..1
(never percentages); counts are people; times are ISO 8601 with the agency's offset (+08:00). No person is named
in it: the people, bot events, overrides and trend are left out of the observation. Base layer: standard library
only.
"""

from __future__ import annotations

from typing import Any, TypedDict


class DrillHeader(TypedDict, total=False):
    """The drill itself."""

    name: str  # required: the campaign's name (the observation's subject)
    kind: str  # gophish | msast | generic | mixed
    start: str | None  # first delivery, ISO 8601 (+08:00)
    sources: list[str]  # the files or API it was read from
    targets: int  # people the mail was sent to


class DrillThresholds(TypedDict, total=False):
    """The pass marks the drill was judged against (compliance/data/thresholds.yaml)."""

    open_rate_max: float  # required: a drill passes when its open rate is below this (0.10)
    click_rate_max: float  # required: and its click rate below this (0.06)
    confidence: float  # of the Wilson intervals (0.95)
    min_group_size: int  # departments smaller than this are suppressed (privacy)


#: One department's figures: ``name``, ``participants``, ``suppressed`` (too small to show), ``opened``,
#: ``clicked``, ``submitted``, ``reported`` (None when suppressed), ``open_rate``, ``click_rate`` (0..1),
#: ``open_ci95``, ``click_ci95`` ([lo, hi]), raw figures before bot filtering, ``pass`` and ``verdict``.
DrillDepartment = TypedDict("DrillDepartment", {
    "name": str, "participants": int, "suppressed": bool, "opened": int | None, "clicked": int | None,
    "submitted": int | None, "reported": int | None, "open_rate": float | None, "click_rate": float | None,
    "open_ci95": list[float | None], "click_ci95": list[float | None], "raw_opened": int, "raw_clicked": int,
    "raw_open_rate": float | None, "raw_click_rate": float | None, "pass": bool | None, "verdict": str | None,
}, total=False)


class BotFiltering(TypedDict):
    """What the mail-scanner filter did: opens and clicks judged as bots are not counted."""

    judged: bool  # False when the drill had no timeline (nothing could be judged)
    discounted: int  # events discounted as bot traffic
    restored_by_override: int  # of those, restored by a reviewer's override


class Timing(TypedDict):
    """Seconds from delivery to a person's first click (or report), over the people who did it."""

    count: int
    median_s: float | None
    p90_s: float | None
    fastest_s: float | None
    first_after_launch_s: float | None  # from the drill's first delivery to the first such event anywhere


class _DrillFigures(TypedDict):
    """The keys every drill summary has: what the checks read."""

    drill: DrillHeader
    thresholds: DrillThresholds
    participants: int  # people tested (after exclusions)
    opened: int  # people who opened (bots discounted)
    clicked: int  # people who clicked a link
    departments: list[DrillDepartment]
    previous_starts: list[str]  # starts of the agency's earlier drills (the six-monthly duty), ISO 8601


#: The rest of the report document (``format``,
#: ``version`` of the document, ``generator``, ``generated_at``, ``restricted``, ``key_fingerprint``, ``excluded``,
#: ``submitted``, ``reported``, ``open_rate``, ``click_rate``, ``report_rate``, ``open_ci95``, ``click_ci95``,
#: ``pass``, ``open_pass``, ``click_pass``, the verdicts, ``raw``, ``department_count``, ``bot_filtering``, the
#: time-to-first-click/-report figures in seconds).
_DrillReportFields = TypedDict("_DrillReportFields", {
    "format": str, "version": int, "generator": str, "generated_at": str, "restricted": bool,
    "key_fingerprint": str, "excluded": int, "submitted": int, "reported": int, "open_rate": float | None,
    "click_rate": float | None, "report_rate": float | None, "open_ci95": list[float | None],
    "click_ci95": list[float | None], "pass": bool | None, "open_pass": bool | None, "click_pass": bool | None,
    "open_verdict": str | None, "click_verdict": str | None, "verdict": str | None, "raw": dict[str, Any],
    "department_count": int, "bot_filtering": BotFiltering, "time_to_first_click": Timing,
    "time_to_first_report": Timing,
}, total=False)


class DrillSummary(_DrillFigures, _DrillReportFields):
    """``drill.summary``, version 1: the required figures, plus the optional fields of the report document."""


CONTRACTS: dict[str, tuple[type, int]] = {
    "drill.summary": (DrillSummary, 1),
}
