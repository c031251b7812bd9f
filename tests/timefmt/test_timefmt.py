"""netcomply.timefmt: the agency's day and the ROC calendar (ROC year = Gregorian - 1911; days turn at the zone's
midnight, not UTC's)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcomply.errors import InputError
from netcomply.timefmt import (
    format_date,
    format_datetime,
    iso_local,
    local_date,
    roc_year,
    to_zone,
    zone,
)

TAIPEI = ZoneInfo("Asia/Taipei")
moments = st.datetimes(min_value=datetime(1913, 1, 2), max_value=datetime(9000, 1, 1), timezones=st.just(UTC))


def test_run_before_eight_taipei_is_dated_the_taipei_day() -> None:
    started = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)
    assert local_date(started) == date(2026, 12, 4)
    assert format_date(local_date(started), "zh-TW", "prose") == "民國115年12月4日"
    assert format_date(local_date(started), "zh-TW", "table") == "115/12/04"
    assert format_date(local_date(started), "en") == "2026-12-04"
    assert format_datetime(started, "zh-TW") == "115/12/04 01:30:00"
    assert iso_local(started) == "2026-12-04T01:30:00+08:00"
    assert local_date(started, "UTC") == date(2026, 12, 3)


def test_iso_string_with_offset_is_accepted() -> None:
    assert local_date("2026-12-03T17:30:00+00:00") == date(2026, 12, 4)


def test_naive_time_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        local_date(datetime(2026, 12, 3, 17, 30))


def test_unknown_zone_is_input_error() -> None:
    with pytest.raises(InputError, match="Mars/Olympus"):
        zone("Mars/Olympus", where="inventory.yaml: settings.timezone")


def test_before_roc_calendar_refused() -> None:
    with pytest.raises(ValueError):
        roc_year(1911)
    assert roc_year(1912) == 1


@given(st.dates(min_value=date(1912, 1, 1), max_value=date(9999, 12, 31)))
def test_roc_year_is_gregorian_minus_1911(day: date) -> None:
    prose = format_date(day, "zh-TW", "prose")
    table = format_date(day, "zh-TW", "table")
    assert prose == f"民國{day.year - 1911}年{day.month}月{day.day}日"
    y, m, d = table.split("/")
    assert (int(y) + 1911, int(m), int(d)) == (day.year, day.month, day.day)
    assert len(m) == len(d) == 2
    assert format_date(day, "en") == day.isoformat()


@given(moments, st.sampled_from(["Asia/Taipei", "UTC", "America/Los_Angeles", "Pacific/Chatham"]))
def test_day_boundary_is_the_zone_midnight(moment: datetime, name: str) -> None:
    tz = ZoneInfo(name)
    day = local_date(moment, name)
    # the zone's wall clock of the same instant names that day, and the instant lies within that local day
    start = datetime.combine(day, datetime.min.time(), tz)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tz)
    assert start <= moment < end
    assert to_zone(moment, name).date() == day


@given(moments)
def test_taipei_day_is_utc_day_plus_eight_hours(moment: datetime) -> None:
    # Taipei has been UTC+8 without daylight saving since 1980
    if moment.year >= 1980:
        assert local_date(moment) == (moment + timedelta(hours=8)).date()
    assert datetime.fromisoformat(iso_local(moment)) == moment
