"""Every control a check cites resolves to a catalog control: a typo or a made-up sub-duty in check data is a
test failure here, not 18 runtime warnings in every ``compliance controls`` (issue 18:
``tw-cyber:health-check/firewall-rules`` was cited by 19 firewall checks and is in no catalog)."""

from __future__ import annotations

import yaml

from compliance.checks.base import CHECKS_DATA, _all_meta
from compliance.mapping import Mapper


def test_every_cited_control_is_in_a_catalog() -> None:
    mapper = Mapper()
    unknown = {check_id: mapper.unknown(check_id, meta.controls)
               for check_id, meta in _all_meta().items() if mapper.unknown(check_id, meta.controls)}
    assert unknown == {}


def test_the_consistency_check_catches_a_made_up_control() -> None:
    """The test above is not vacuous: the mapper does report an id that no catalog has."""
    assert Mapper().unknown("firewall.shadowed", ("tw-cyber:health-check/firewall-rules",)) == (
        "tw-cyber:health-check/firewall-rules",)


def test_every_check_file_is_read() -> None:
    """The metadata loader sees every check of every data file, so the first test covers all of them."""
    in_files = set()
    for path in sorted(CHECKS_DATA.glob("*.yaml")):
        in_files |= set((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("checks") or {})
    assert in_files and in_files == set(_all_meta())


def test_firewall_checks_reach_the_health_check_only_in_part() -> None:
    """The firewall review is one item of the health check: a passing rule base never proves the whole duty."""
    targets = {t.control: t.coverage for t in Mapper().targets("firewall.shadowed",
                                                                 _all_meta()["firewall.shadowed"].controls)}
    assert targets["tw-cyber:health-check"] == "partial"
