"""Time parsing for drill sources: UTC in, Asia/Taipei out.

GoPhish writes Go's RFC 3339 with nanoseconds and uses ``0001-01-01T00:00:00Z`` (Go's zero time) for "never";
Microsoft's portal exports write either ISO 8601 or US-style ``M/D/YYYY h:mm:ss AM``, in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")
_FRACTION = re.compile(r"(\.\d{6})\d+")
_US = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M")


def parse_utc(value: str | None) -> datetime | None:
    """Parse a source timestamp as UTC. Empty and Go-zero dates mean "unset" and give None.

    A naive timestamp is taken as UTC (both GoPhish and Microsoft export UTC); an explicit offset is honoured.
    Raises ValueError on anything else so that the caller can say which file and line.
    """
    if value is None:
        return None
    text = value.strip()
    if not text or text.startswith("0001-01-01"):
        return None
    dt: datetime | None
    try:
        dt = datetime.fromisoformat(text)  # 3.11 reads Go's "Z" and nanoseconds itself
    except ValueError:
        dt = None
    if dt is None:
        try:
            dt = datetime.fromisoformat(_FRACTION.sub(r"\1", text.replace(" UTC", "")))
        except ValueError:
            dt = None
    if dt is None:
        for fmt in _US:
            try:
                dt = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"not a timestamp: {value!r}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        dt = dt.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00-05:00 is past the last date Python can hold
        raise ValueError(f"timestamp out of range: {value!r}") from None
    if dt.year < 1971:  # any other sentinel from a zeroed field
        return None
    return dt


def taipei(dt: datetime | None) -> str | None:
    """ISO 8601 in Asia/Taipei (+08:00), second precision: what a Taiwanese reader and report expect."""
    if dt is None:
        return None
    return dt.astimezone(TAIPEI).replace(microsecond=0).isoformat()


def taipei_short(dt: datetime | None) -> str:
    """``2026-10-05 09:12`` in Asia/Taipei, for tables."""
    return "" if dt is None else dt.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M")
