"""Findings cite controls in any edition; the mapping lands them on every framework, with honest coverage."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.mapping import Mapper, load_rules
from compliance.status import FULL, PARTIAL_COVERAGE
from netcomply.errors import InputError


@pytest.fixture(scope="module")
def mapper() -> Mapper:
    return Mapper()


def targets(mapper: Mapper, check_id: str, *controls: str) -> dict[str, str]:
    return {t.control: t.coverage for t in mapper.targets(check_id, list(controls))}


def test_2013_equal_relation_lands_fully_on_2022(mapper: Mapper) -> None:
    got = targets(mapper, "x.check", "iso27001:2013/A.13.1.1")
    assert got["iso27001:2013/A.13.1.1"] == FULL
    assert got["iso27001:2022/A.8.20"] == FULL


def test_2013_subset_relation_lands_partially_on_2022(mapper: Mapper) -> None:
    got = targets(mapper, "x.check", "iso27001:2013/A.12.4.1")
    assert got["iso27001:2022/A.8.15"] == PARTIAL_COVERAGE


def test_a_2013_control_with_two_successors_reaches_both(mapper: Mapper) -> None:
    got = targets(mapper, "x.check", "iso27001:2013/A.18.2.3")
    assert {"iso27001:2022/A.5.36", "iso27001:2022/A.8.8"} <= set(got)


def test_2022_reaches_its_2013_predecessors(mapper: Mapper) -> None:
    got = targets(mapper, "x.check", "iso27001:2022/A.8.15")
    # the three 2013 logging controls are each part of A.8.15: a pass of A.8.15 proves each of them
    assert {got[f"iso27001:2013/A.12.4.{i}"] for i in (1, 2, 3)} == {FULL}


def test_new_2022_control_has_no_2013_target(mapper: Mapper) -> None:
    got = targets(mapper, "x.check", "iso27001:2022/A.8.9")
    assert not [q for q in got if q.startswith("iso27001:2013/")]


def test_national_duties_from_check_ids_and_controls(mapper: Mapper) -> None:
    assert targets(mapper, "vendor.prc_brand_on_network")["tw-cyber:prc-products"] == FULL
    assert targets(mapper, "firewall.any_any")["tw-cyber:health-check"] == PARTIAL_COVERAGE
    assert targets(mapper, "x.check", "iso27001:2022/A.5.9")["tw-cyber:vans"] == PARTIAL_COVERAGE
    # through the crosswalk too: 2013 A.8.1.1 (inventory of assets) -> 2022 A.5.9 -> VANS
    assert "tw-cyber:vans" in targets(mapper, "x.check", "iso27001:2013/A.8.1.1")


def test_level_qualified_duty_ids_are_normalised(mapper: Mapper) -> None:
    assert "tw-cyber:internal-audit" in targets(mapper, "x.check", "tw-cyber:B/internal-audit")


def test_unknown_ids_are_reported_not_dropped_silently(mapper: Mapper) -> None:
    assert mapper.unknown("x.check", ["iso27001:2022/A.9.99", "A.8.20"]) == ("iso27001:2022/A.9.99", "A.8.20")


def test_mapping_rules_to_unknown_controls_are_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "tw.yaml"
    bad.write_text("rules:\n- checks: ['x.*']\n  to: [tw-cyber:no-such-duty]\n  coverage: full\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_rules(bad)
    assert "tw.yaml:2:" in str(err.value) and "no-such-duty" in str(err.value)
