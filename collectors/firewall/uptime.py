"""How long a device's rule hit counters have been counting: its uptime, read from the platform's own words.

Why: "this permit rule has matched nothing" means something only after the counters ran long enough. Counters
start at boot (and at a manual ``clear``, which the compliance check detects across stored runs when a count
goes down). The collector records ``counters_since = collected_at - uptime`` on every rule set.

Forms read (as the platforms print them)::

    ASA    cg-fw1 up 41 days 3 hours               IOS   rtr1 uptime is 1 year, 2 weeks, 3 days, 4 hours, 5 minutes
    FortiOS  Uptime: 10 days,  3 hours,  42 minutes  PAN-OS  uptime: 41 days, 3:14:15
    Junos  System booted: 2024-09-01 10:00:00 CST (5w2d 03:14 ago)
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_UNIT = {"year": 365 * 86400, "yr": 365 * 86400, "week": 7 * 86400, "wk": 7 * 86400, "day": 86400,
         "hour": 3600, "hr": 3600, "minute": 60, "min": 60, "second": 1, "sec": 1}
_LINE = re.compile(r"(?:^\S+ up |uptime is|[Uu]ptime:)\s*(?P<rest>.+)$", re.MULTILINE)
_WORDS = re.compile(r"(\d+)\s*(years?|yrs?|weeks?|wks?|days?|hours?|hrs?|minutes?|mins?|seconds?|secs?)\b")
_CLOCK = re.compile(r"(?:(\d+)\s*days?,\s*)?(\d+):(\d{2}):(\d{2})")
_JUNOS = re.compile(r"System booted:.*\((?P<ago>[^)]*?)\s*ago\)")
_JUNOS_PARTS = re.compile(r"(?:(\d+)w)?(?:(\d+)d)?\s*(?:(\d+):(\d{2}))?(?::(\d{2}))?")


def uptime_seconds(text: str) -> int | None:
    """The uptime the output states, in seconds; None when it states none (never a guess)."""
    m = _JUNOS.search(text)
    if m:
        parts = _JUNOS_PARTS.fullmatch(m["ago"].strip())
        if parts and any(parts.groups()):
            w, d, h, mi, s = (int(x) if x else 0 for x in parts.groups())
            return w * 7 * 86400 + d * 86400 + h * 3600 + mi * 60 + s
        return None
    for line in _LINE.finditer(text):
        rest = line["rest"]
        clock = _CLOCK.search(rest)
        if clock and not _WORDS.search(rest.split(clock.group(0))[0] if clock.start() else ""):
            d, h, mi, s = (int(x) if x else 0 for x in clock.groups())
            return d * 86400 + h * 3600 + mi * 60 + s
        words = _WORDS.findall(rest)
        if words:
            total = 0
            for n, unit in words:
                key = unit.rstrip("s") if unit.rstrip("s") in _UNIT else unit
                total += int(n) * _UNIT[key]
            return total
    return None


def counters_since(text: str, collected_at: datetime) -> datetime | None:
    """When the hit counters started (the last boot), from the uptime output and the collection time."""
    seconds = uptime_seconds(text)
    return None if seconds is None else collected_at - timedelta(seconds=seconds)
