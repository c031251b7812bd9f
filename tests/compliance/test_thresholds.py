"""Thresholds are data; a user file overrides exactly what it names and nothing it misspells."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.thresholds import load_thresholds
from netcomply.errors import InputError


def test_shipped_thresholds_hold_the_national_figures() -> None:
    t = load_thresholds()
    assert t["drill"]["open_rate_max"] == 0.10 and t["drill"]["click_rate_max"] == 0.06
    assert t["vendor"]["unapproved_prc_devices_max"] == 0
    assert t["ipv6"]["phase1"]["due"].isoformat() == "2013-12-31"
    assert 0 < t["hotspot"]["availability_min"] <= 1


def test_override_changes_only_what_it_names(tmp_path: Path) -> None:
    user = tmp_path / "t.yaml"
    user.write_text("drill:\n  click_rate_max: 0.05\n", encoding="utf-8")
    t = load_thresholds(user)
    assert t["drill"]["click_rate_max"] == 0.05 and t["drill"]["open_rate_max"] == 0.10
    assert load_thresholds()["drill"]["click_rate_max"] == 0.06  # the shipped data is not mutated


def test_misspelt_and_mistyped_overrides_are_errors_with_lines(tmp_path: Path) -> None:
    user = tmp_path / "t.yaml"
    user.write_text("drill:\n  clik_rate_max: 0.05\nhotspot:\n  availability_min: high\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_thresholds(user)
    text = str(err.value)
    assert f"{user}:2:" in text and "drill.clik_rate_max" in text
    assert f"{user}:4:" in text and "availability_min" in text
