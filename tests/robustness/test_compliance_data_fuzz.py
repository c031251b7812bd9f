"""Compliance data files a user hands in, under fuzzing: SoA decisions (--decisions), the duty record (--duties),
a thresholds override (--thresholds), an IPv6 phases file (--phases) and the drill settings (drill --config).
Starting from the shipped files and the documented examples, any mutation gives the loaded data (which the
evaluation can use) or an InputError naming the file and a line or key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fuzzkit import FUZZ, ROOT, mutated, result_or_input_error
from hypothesis import given
from hypothesis import strategies as st

from compliance.catalog import TW, catalogs
from compliance.drill.config import load_thresholds as load_drill_settings
from compliance.duties import load_duty_record, schedule_state
from compliance.ipv6_readiness import load_rules
from compliance.soa import load_decisions
from compliance.thresholds import load_thresholds
from netcomply.errors import InputError

DATA = ROOT / "compliance" / "data"
DECISIONS = """agency: 範例市政府
version: "1.2"
approved_by: 資安長
approved_on: 2026-10-01
controls:
  A.8.28: {applicable: false, justification: 本機關未自行開發軟體}
  iso27001:2022/A.5.23: {applicable: true, implemented: true, evidence: [雲端服務管理程序 v2], owner: 資訊科}
  A.8.20: {applicable: true, implemented: true, evidence: [網路安全管理程序]}
"""
DUTIES = """agency: city-gov
level: A
level_approved: 2023-08-01
done:
  internal-audit:
    - {date: 2026-03-15, evidence: 115年度第1次內部稽核報告}
  security-staff:
    - {date: 2026-01-02, count: 4, evidence: 人事派令 115-001}
"""
CATS = catalogs()


def _decisions(path: Path) -> None:
    load_decisions(path, CATS).applicability()


def _duties(path: Path) -> None:
    record = load_duty_record(path, CATS)
    for control in CATS.frameworks[TW].controls:
        schedule_state(control, record.agency, record, date(2026, 11, 22))


def _thresholds(path: Path) -> None:
    load_thresholds(path)


def _phases(path: Path) -> None:
    load_rules(load_thresholds(), path)


def _drill_settings(path: Path) -> None:
    load_drill_settings(path)


CASES = {
    "decisions": (_decisions, DECISIONS),
    "duties": (_duties, DUTIES),
    "thresholds": (_thresholds, (DATA / "thresholds.yaml").read_text(encoding="utf-8")),
    "phases": (_phases, (DATA / "ipv6-phases.yaml").read_text(encoding="utf-8")),
    "drill-settings": (_drill_settings, (DATA / "drill-thresholds.yaml").read_text(encoding="utf-8")),
}


@FUZZ
@given(data=st.data(), kind=st.sampled_from(sorted(CASES)))
def test_mutated_compliance_data(tmp_path: Path, data: st.DataObject, kind: str) -> None:
    load, text = CASES[kind]
    path = tmp_path / f"{kind}.yaml"
    path.write_text(data.draw(mutated(text)), encoding="utf-8")
    result_or_input_error(lambda: load(path), str(path))


@FUZZ
@given(kind=st.sampled_from(sorted(CASES)), raw=st.binary(max_size=200))
def test_random_bytes(tmp_path: Path, kind: str, raw: bytes) -> None:
    path = tmp_path / f"{kind}.yaml"
    path.write_bytes(raw)
    result_or_input_error(lambda: CASES[kind][0](path), str(path))


@pytest.mark.parametrize("kind", sorted(CASES))
@pytest.mark.parametrize("text", ["1: {2: 3}\n", "[1, 2]\n", "a: &a [*a]\n", "x: !!python/name:os.system\n",
                                  "controls: [1]\ndone: 3\nphases: [1]\n", "phases: {1: {counts: 5}}\n",
                                  "done: {internal-audit: [{date: 2026-01-01 10:00:00}, {date: 2026-01-02}]}\n"
                                  "level: A\n"])
def test_wrong_shapes_are_located(tmp_path: Path, kind: str, text: str) -> None:
    path = tmp_path / f"{kind}.yaml"
    path.write_text(text, encoding="utf-8")
    result_or_input_error(lambda: CASES[kind][0](path), str(path))


def test_shipped_files_load() -> None:
    for kind in ("thresholds", "phases", "drill-settings"):
        path = DATA / {"thresholds": "thresholds.yaml", "phases": "ipv6-phases.yaml",
                       "drill-settings": "drill-thresholds.yaml"}[kind]
        CASES[kind][0](path)


def test_missing_file_is_bad_input(tmp_path: Path) -> None:
    for kind, (load, _) in CASES.items():
        with pytest.raises(InputError):
            load(tmp_path / f"{kind}-missing.yaml")
