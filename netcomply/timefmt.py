"""Dates and times as an agency's staff read them: in the agency's time zone, and in the ROC calendar for zh-TW.

Why one module: netcomply stores every time in UTC, but a person in Taipei who runs an audit at 01:30 expects
it dated that day, not the day before; and Taiwanese agencies date their documents in the Republic of China
calendar (民國115年12月4日 in prose, 115/12/04 in tables). Every deliverable (report, SoA, XLSX, CLI tables)
formats through these functions, so they cannot disagree about which day a run belongs to. JSON keeps ISO 8601
with an explicit offset (machines compare instants, not calendars).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netcomply.errors import InputError

DEFAULT_ZONE = "Asia/Taipei"
#: The ROC calendar counts years from 1912 (民國元年): ROC year = Gregorian year - 1911.
ROC_OFFSET = 1911

Style = Literal["prose", "table"]


def zone(name: str | None = None, *, where: str = "--timezone") -> ZoneInfo:
    """The IANA zone ``name`` (default Asia/Taipei); a bad name is a clear input error naming ``where``."""
    key = name or DEFAULT_ZONE
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(f"unknown time zone {key!r}: expected an IANA name such as Asia/Taipei or UTC",
                         file=where) from exc


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()} refused: netcomply's times are timezone-aware")
    return moment


def parse(value: str | datetime) -> datetime:
    """An ISO 8601 string (as the report dict holds times) or a datetime, timezone-aware."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return _aware(moment)


def to_zone(moment: str | datetime, tz: ZoneInfo | str | None = None) -> datetime:
    """``moment`` as wall-clock time in ``tz``."""
    return parse(moment).astimezone(tz if isinstance(tz, ZoneInfo) else zone(tz))


def local_date(moment: str | datetime, tz: ZoneInfo | str | None = None) -> date:
    """The calendar day of ``moment`` in ``tz``: the day a run belongs to (its evaluation date, 評估基準日)."""
    return to_zone(moment, tz).date()


def roc_year(year: int) -> int:
    """The ROC year of Gregorian ``year`` (2026 -> 115); years before 1912 have none."""
    if year <= ROC_OFFSET:
        raise ValueError(f"year {year} is before the ROC calendar (1912 = 民國1年)")
    return year - ROC_OFFSET


def format_date(day: date, lang: str, style: Style = "table") -> str:
    """``day`` for a reader of ``lang``: zh-TW 民國115年12月4日 (prose) or 115/12/04 (table); else ISO 2026-12-04."""
    if lang != "zh-TW":
        return day.isoformat()
    year = roc_year(day.year)
    if style == "prose":
        return f"民國{year}年{day.month}月{day.day}日"
    return f"{year:03d}/{day.month:02d}/{day.day:02d}"


def format_datetime(moment: str | datetime, lang: str, tz: ZoneInfo | str | None = None,
                    style: Style = "table") -> str:
    """``moment`` in ``tz`` as ``format_date`` plus the wall-clock time to the second."""
    local = to_zone(moment, tz)
    return f"{format_date(local.date(), lang, style)} {local:%H:%M:%S}"


def iso_local(moment: str | datetime, tz: ZoneInfo | str | None = None) -> str:
    """ISO 8601 in ``tz`` with its offset (2026-12-04T01:30:00+08:00): for JSON, unambiguous for machines."""
    return to_zone(moment, tz).isoformat()


def zone_label(tz: ZoneInfo | str | None = None, at: datetime | None = None) -> str:
    """The zone's name with its UTC offset at ``at`` (now by default), e.g. ``Asia/Taipei (UTC+08:00)``."""
    z = tz if isinstance(tz, ZoneInfo) else zone(tz)
    offset = (at or datetime.now(UTC)).astimezone(z).strftime("%z")
    return f"{z.key} (UTC{offset[:3]}:{offset[3:]})"
