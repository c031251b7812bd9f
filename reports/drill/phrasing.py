"""A drill finding's line in the report's language, from the reason and numbers the check put in its details.

The finding's ``message`` stays English (it is what the store and JSON carry); people read this instead.
"""

from __future__ import annotations

from typing import Any

from netcomply.fmt import percent, percent_of
from reports.drill.render import messages


def phrase(details: dict[str, Any], lang: str, *, fallback: str) -> str:
    t = messages(lang)
    reason = details.get("reason")
    template = t.get(f"finding_{reason}") if reason else None
    if not template:
        return fallback
    n = int(details.get("participants") or 0)
    count = int(details.get("count") or 0)
    values: dict[str, Any] = {"n": n, "count": count, "pct": percent_of(count, n, none="–"),
                              "mark": percent(float(details.get('mark') or 0), 0),
                              "days": details.get("gap_days"), "previous": details.get("previous")}
    if reason == "rate":
        values["side"] = t["side_below"] if details.get("below") else t["side_not_below"]
        ci = details.get("ci95")
        if not ci:
            template = t["finding_rate_no_ci"]
        else:
            values["lo"], values["hi"] = percent(ci[0]), percent(ci[1])
    if reason == "department_rate":
        verdict = details.get("verdict") or "inconclusive"
        values["verdict"] = t.get(verdict, verdict)
    return str(template).format(**values)
