"""The drill report as data: the JSON document every renderer (HTML, PDF, XLSX) draws from, and the restricted
annex. Emails appear only as pseudonyms unless the caller asks for the annex; names only ever in the annex.
Submitted form values never reach this far (the parsers drop them): only *whether* someone submitted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from compliance.drill.analyse import Analysis
from compliance.drill.history import REPORT_MARK, History
from compliance.drill.metrics import Rates, Timing, below
from netcomply import __version__
from netcomply.drill.timeutil import taipei
from netcomply.models import utcnow as utc_now

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def _dept(d: Rates) -> dict[str, Any]:
    if d.suppressed:
        return {"name": d.name, "participants": d.participants, "suppressed": True, "opened": None,
                "clicked": None, "submitted": None, "reported": None, "open_rate": None, "click_rate": None,
                "pass": None, "verdict": "suppressed"}
    return {"name": d.name, "participants": d.participants, "suppressed": False, "opened": d.opened,
            "clicked": d.clicked, "submitted": d.submitted, "reported": d.reported,
            "open_rate": _r(d.open_rate), "click_rate": _r(d.click_rate),
            "open_ci95": [_r(d.open_ci95[0]), _r(d.open_ci95[1])],
            "click_ci95": [_r(d.click_ci95[0]), _r(d.click_ci95[1])],
            "raw_opened": d.raw_opened, "raw_clicked": d.raw_clicked,
            "raw_open_rate": _r(d.raw_open_rate), "raw_click_rate": _r(d.raw_click_rate),
            "pass": d.passed, "verdict": d.verdict}


def _timing(t: Timing) -> dict[str, Any]:
    return asdict(t)


def build(a: Analysis, hist: History | None, pseudonym: Callable[[str], str], fingerprint: str, *,
          reveal: bool = False) -> dict[str, Any]:
    """The report document. ``reveal`` puts real addresses where pseudonyms would be (restricted use)."""

    def who(email: str) -> str:
        return email if reveal else pseudonym(email)

    def scrub(text: str | None) -> str | None:
        """Free text from mail servers and reviewers quotes addresses (``550 <frank@...>: unknown``)."""
        return None if text is None else _EMAIL.sub(lambda m: who(m.group(0).lower()), text)

    ag = a.agency
    th = a.thresholds
    filt = a.filtering
    doc: dict[str, Any] = {
        "format": REPORT_MARK,
        "version": 1,
        "generator": f"netcomply {__version__}",
        "generated_at": taipei(utc_now()),
        "restricted": reveal,
        "key_fingerprint": fingerprint,
        "drill": {"name": a.drill.name, "kind": a.drill.kind, "start": taipei(a.drill.start),
                  "sources": list(a.drill.sources), "targets": len(a.drill.targets)},
        "thresholds": {"open_rate_max": th.open_rate_max, "click_rate_max": th.click_rate_max,
                       "confidence": th.confidence, "min_group_size": th.min_group_size},
        "participants": ag.participants,
        "excluded": len(a.excluded),
        "opened": ag.opened,
        "clicked": ag.clicked,
        "submitted": ag.submitted,
        "reported": ag.reported,
        "open_rate": _r(ag.open_rate),
        "click_rate": _r(ag.click_rate),
        "report_rate": _r(ag.reported / ag.participants) if ag.participants else None,
        "open_ci95": [_r(ag.open_ci95[0]), _r(ag.open_ci95[1])],
        "click_ci95": [_r(ag.click_ci95[0]), _r(ag.click_ci95[1])],
        "pass": ag.passed,
        "open_pass": below(ag.opened, ag.participants, th.open_rate_max) if ag.participants else None,
        "click_pass": below(ag.clicked, ag.participants, th.click_rate_max) if ag.participants else None,
        "open_verdict": ag.open_verdict,
        "click_verdict": ag.click_verdict,
        "verdict": ag.verdict,
        "raw": {"opened": ag.raw_opened, "clicked": ag.raw_clicked, "submitted": ag.raw_submitted,
                "open_rate": _r(ag.raw_open_rate), "click_rate": _r(ag.raw_click_rate)},
        "departments": [_dept(d) for d in a.departments],
        "department_count": len(a.departments),
        "excluded_people": [{"email": who(o.email), "reason": scrub(o.excluded)} for o in a.excluded],
        "not_in_roster": sorted(who(o.email) for o in a.missing_from_roster) if a.roster_given else [],
        "bot_filtering": {"judged": filt.judged, "discounted": len(filt.discounted),
                          "restored_by_override": len(filt.restored)},
        "bot_events": [{"email": who(j.event.email), "time": taipei(j.event.time), "action": j.event.action.value,
                        "ip": j.event.ip, "reason": j.reason, "signals": [s.code for s in j.signals],
                        "source": j.event.source} for j in filt.discounted],
        "overrides": [{"email": who(ov.email), "decision": ov.decision, "reason": scrub(ov.reason), "by": ov.by,
                       "action": ov.action.value if ov.action else None, "time": taipei(ov.time),
                       "matched_events": n, "source": ov.source} for ov, n in filt.overrides],
        "time_to_first_click": _timing(a.click_timing),
        "time_to_first_report": _timing(a.report_timing),
        "repeat_clickers": [],
        "improved": [],
        "trend": None,
        "people": [{"id": who(o.email), "opened": o.opened, "clicked": o.clicked, "submitted": o.submitted,
                    "reported": o.reported} for o in sorted(a.adjusted.values(), key=lambda o: pseudonym(o.email))
                   if o.tested],
    }
    if hist is not None:
        doc["repeat_clickers"] = hist.repeat_clickers
        doc["improved"] = hist.improved
        doc["trend"] = {"drills": hist.drills,
                        "agency": [{**p, "start": taipei(p["start"])} for p in hist.agency_trend],
                        "departments": {k: [{**p, "start": taipei(p["start"])} for p in v]
                                        for k, v in hist.trends.items()},
                        "key_mismatch": hist.key_mismatch}
        if reveal:
            # History is keyed by pseudonym; map back for the people of this drill only.
            back = {pseudonym(e): e for e in a.adjusted}
            for row in [*doc["repeat_clickers"], *doc["improved"]]:
                row["id"] = back.get(row["id"], row["id"])
    return doc


def annex(a: Analysis, pseudonym: Callable[[str], str]) -> dict[str, Any]:
    """The restricted annex: who is behind each pseudonym, with what happened to them. For the drill's
    organiser and the people's managers only; never filed with the main report."""
    people = []
    for email, o in sorted(a.adjusted.items(), key=lambda kv: (kv[1].department, kv[0])):
        t = a.drill.targets[email]
        raw = a.raw[email]
        people.append({
            "id": pseudonym(email), "email": email, "name": t.name, "department": o.department, "title": o.title,
            "in_roster": o.in_roster, "tested": o.tested, "excluded": o.excluded,
            "opened": o.opened, "clicked": o.clicked, "submitted": o.submitted, "reported": o.reported,
            "raw_clicked": raw.clicked, "raw_opened": raw.opened,
            "sent_at": taipei(o.sent_at), "first_click": taipei(o.first_click), "first_report": taipei(o.first_report),
        })
    return {"format": REPORT_MARK + "-annex", "restricted": True, "drill": a.drill.name,
            "generated_at": taipei(utc_now()), "people": people}
