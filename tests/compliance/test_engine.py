"""Where the agency's level comes from: the inventory wins over the duty record; ambiguity is an input error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from compliance.engine import agency_inputs
from netcomply.errors import InputError

INVENTORY = """agencies:
  city-gov: {name: Example City Government, name_zh: 範例市政府, level: A, level_approved: 2023-08-01}
  district: {name: Example District Office, level: C, level_approved: 2022-11-30}
hosts:
  sw1: {address: 192.0.2.1, platform: cisco_ios, agency: city-gov}
"""


def test_inventory_agency_wins_over_the_record(tmp_path: Path) -> None:
    inv = tmp_path / "inv.yaml"
    inv.write_text(INVENTORY, encoding="utf-8")
    record = tmp_path / "duties.yaml"
    record.write_text("agency: district\nlevel: B\nlevel_approved: 2020-01-01\n", encoding="utf-8")
    got = agency_inputs(inventory=inv, duties=record)
    assert got.agency is not None and (got.agency.level, got.agency.level_approved) == ("C", date(2022, 11, 30))
    assert agency_inputs(duties=record).agency.level == "B"  # type: ignore[union-attr]


def test_several_agencies_need_a_choice(tmp_path: Path) -> None:
    inv = tmp_path / "inv.yaml"
    inv.write_text(INVENTORY, encoding="utf-8")
    with pytest.raises(InputError, match="--agency"):
        agency_inputs(inventory=inv)
    with pytest.raises(InputError, match="not in the inventory"):
        agency_inputs(inventory=inv, agency_id="nowhere")
    assert agency_inputs(inventory=inv, agency_id="city-gov").agency.level == "A"  # type: ignore[union-attr]
