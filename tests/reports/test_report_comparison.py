"""The summary's improvement line counts what ``netcomply diff`` counts, against the previous run of the same kind
and scope (issue 18: "改善 0 項" was about IPv6 only while ``netcomply diff`` of the same runs said 17 better)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from typer.testing import CliRunner

from compliance.engine import previous_comparable
from netcomply.app.cli.main import app
from netcomply.models import Run, RunStatus
from netcomply.store import Store
from reports.audit import build_report

from .conftest import T0, make_run


def _diff(db: Path, a: str, b: str) -> dict:
    result = CliRunner().invoke(app, ["compliance", "diff", a, b, "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output[result.output.index("{"):])


def test_report_counts_equal_netcomply_diff(store: Store, inventory: Path, tmp_path: Path) -> None:
    # Before: dt-sw1 refused the login, cg-core1 served the default community. After: a different community and
    # only two devices, so findings get better, worse, new and gone between the two runs.
    a = make_run(store, inventory, "20260302T013000Z-cmpa", T0, community="public")
    b = make_run(store, inventory, "20260302T033000Z-cmpb", T0 + timedelta(hours=2), community="n0t-d3fault-ro",
                 devices=("cg-core1", "cg-cam1"))
    report = build_report(store, [b], inventory=None)
    summary = report["summary"]["comparison"]
    diff = _diff(tmp_path / "store.db", a, b)["summary"]
    assert summary["previous"] == a
    assert summary["findings"] == diff["finding"]
    assert summary["controls"] == {**{"better": 0, "worse": 0, "changed": 0, "new": 0, "gone": 0},
                                   **diff.get("control", {})}
    assert sum(summary["findings"].values()) > 0  # the two runs do differ: the equality above is not 0 == 0


def test_a_first_run_has_nothing_to_compare_with(store: Store, inventory: Path) -> None:
    a = make_run(store, inventory, "20260302T013000Z-first", T0)
    report = build_report(store, [a])
    assert report["summary"]["comparison"] == {"previous": None}


def test_previous_run_of_another_kind_or_scope_is_skipped(store: Store, inventory: Path) -> None:
    a = make_run(store, inventory, "20260302T013000Z-prev", T0)
    # A scan and an audit of other collectors came in between: neither is the audit's previous run.
    store.create_run(Run(id="20260302T020000Z-scan", started_at=T0 + timedelta(minutes=30), operator="x",
                         tool_version="t", parameters={"command": "scan", "targets": ["192.0.2.0/28"]}))
    store.finish_run("20260302T020000Z-scan", RunStatus.COMPLETE, finished_at=T0 + timedelta(minutes=31))
    store.create_run(Run(id="20260302T021000Z-snmp", started_at=T0 + timedelta(minutes=40), operator="x",
                         tool_version="t", parameters={"collectors": ["snmp_system"]}))
    store.finish_run("20260302T021000Z-snmp", RunStatus.COMPLETE, finished_at=T0 + timedelta(minutes=41))
    b = make_run(store, inventory, "20260302T033000Z-next", T0 + timedelta(hours=2))
    found = previous_comparable(store, b)
    assert found is not None and found.id == a
    assert previous_comparable(store, a) is None
