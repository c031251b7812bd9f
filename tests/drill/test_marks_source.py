"""The drill pass marks have one source: compliance/data/thresholds.yaml (where every pass mark is kept)."""

from __future__ import annotations

from pathlib import Path

import yaml

from compliance.drill.config import DEFAULTS, MARKS, load_thresholds


def test_marks_come_from_the_compliance_thresholds_only() -> None:
    marks = yaml.safe_load(MARKS.read_text())["drill"]
    drill_file = yaml.safe_load(DEFAULTS.read_text())
    assert "open_rate_max" not in drill_file and "click_rate_max" not in drill_file
    t = load_thresholds()
    assert (t.open_rate_max, t.click_rate_max) == (marks["open_rate_max"], marks["click_rate_max"])


def test_an_agency_file_can_still_tighten_them(tmp_path: Path) -> None:
    agency = tmp_path / "agency.yaml"
    agency.write_text("click_rate_max: 0.04\n")
    assert load_thresholds(agency).click_rate_max == 0.04
