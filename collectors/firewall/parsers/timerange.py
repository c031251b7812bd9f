"""Cisco ``time-range`` blocks: the absolute end of each (periodic ranges have none)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_END = re.compile(r"\bend\s+(\d{1,2}:\d{2})\s+(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")


def absolute_end(line: str) -> datetime | None:
    """``absolute start 00:00 01 January 2024 end 23:59 31 December 2024`` -> 2024-12-31 23:59 (UTC; the
    device's clock zone is not in the ACL, and a day's difference does not change "expired last year")."""
    m = _END.search(line)
    if not m:
        return None
    try:
        return datetime.strptime(" ".join(m.groups()), "%H:%M %d %B %Y").replace(tzinfo=UTC)
    except ValueError:
        return None


def time_ranges(lines: list[str]) -> dict[str, datetime | None]:
    out: dict[str, datetime | None] = {}
    current: str | None = None
    for line in lines:
        if line.startswith("time-range "):
            current = line.split()[1]
            out[current] = None
        elif current and line.startswith(" "):
            if "absolute" in line:
                out[current] = absolute_end(line)
        else:
            current = None
    return out
