"""The compliance commands through typer's CliRunner, on a real SQLite store in a temp dir."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from netcomply.app.cli.compliance_cmd import app
from netcomply.errors import ErrorClass
from netcomply.models import utcnow
from netcomply.store import Store

from .conftest import DeviceSpec

runner = CliRunner()


@pytest.fixture
def two_runs(store: Store, make_run: Callable[..., str]) -> tuple[str, str]:
    earlier = make_run([DeviceSpec("sw1"), DeviceSpec("sw2", error=ErrorClass.TIMEOUT)],
                       started_at=utcnow() - timedelta(days=30))
    later = make_run([DeviceSpec("sw1"), DeviceSpec("sw2")])
    return earlier, later


def invoke(store: Store, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", store.url])
    return result.exit_code, result.stdout, result.stderr


def test_judge_then_controls_as_json(store: Store, two_runs: tuple[str, str]) -> None:
    earlier, _ = two_runs
    code, out, err = invoke(store, "judge", "--run", earlier, "--format", "json")
    assert code == 0, err
    judged = json.loads(out)
    assert judged["findings"] == len(store.findings(earlier)) and judged["by_status"]["fail"] >= 1
    code, out, err = invoke(store, "controls", "--run", earlier[:-1], "--framework", "iso27001:2022",
                            "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert len(doc["controls"]) == 93
    by = {c["control"]: c for c in doc["controls"]}
    assert by["iso27001:2022/A.8.9"]["status"] == "partial"
    assert by["iso27001:2022/A.8.9"]["evidence"]["artifacts"]
    assert by["iso27001:2022/A.6.1"]["status"] == "manual"


def test_controls_table_and_duties(store: Store, two_runs: tuple[str, str], tmp_path: Path) -> None:
    _, later = two_runs
    duties = tmp_path / "duties.yaml"
    duties.write_text("agency: city-gov\nlevel: A\nlevel_approved: 2023-08-01\ndone:\n"
                      "  internal-audit: {date: 2026-10-01, evidence: 內稽報告}\n", encoding="utf-8")
    assert invoke(store, "judge", "--run", later, "-q")[0] == 0
    code, out, err = invoke(store, "controls", "--run", later, "--framework", "tw-cyber", "--duties", str(duties),
                            "--as-of", "2026-11-22")
    assert code == 0, err
    assert "tw-cyber:internal-audit" in out and "2027-04-01" in out  # next due: six months after 2026-10-01


def test_soa_writes_xlsx_and_both_html(store: Store, two_runs: tuple[str, str], tmp_path: Path) -> None:
    _, later = two_runs
    invoke(store, "judge", "--run", later)
    decisions = tmp_path / "soa.yaml"
    decisions.write_text("agency: 範例市政府\ncontrols:\n  A.8.28: {applicable: false, justification: 無自行開發}\n",
                         encoding="utf-8")
    out_dir = tmp_path / "soa"
    code, _out, err = invoke(store, "soa", "--run", later, "--decisions", str(decisions), "--out", str(out_dir))
    assert code == 0, err
    assert {p.name for p in out_dir.iterdir()} == {"soa.xlsx", "soa.zh-TW.html", "soa.en.html"}
    rows = list(load_workbook(out_dir / "soa.xlsx")["SoA"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 93
    assert next(r for r in rows if r[0] == "A.8.9")[6] == "已查證實施"


def test_soa_bad_decisions_file_is_exit_2_with_file_and_line(store: Store, two_runs: tuple[str, str],
                                                             tmp_path: Path) -> None:
    decisions = tmp_path / "soa.yaml"
    decisions.write_text("controls:\n  A.8.28: {applicable: false}\n", encoding="utf-8")
    code, _, err = invoke(store, "soa", "--run", two_runs[1], "--decisions", str(decisions), "--out",
                          str(tmp_path / "o"))
    assert code == 2
    assert f"{decisions}:2:" in err.replace("\n", "") and "justification" in err
    assert not (tmp_path / "o").exists()


def test_unknown_run_is_exit_2(store: Store) -> None:
    code, _, err = invoke(store, "controls", "--run", "nope")
    assert code == 2 and "nope" in err


def test_diff_reports_the_fixed_device(store: Store, two_runs: tuple[str, str]) -> None:
    earlier, later = two_runs
    for run_id in two_runs:
        invoke(store, "judge", "--run", run_id)
    code, out, err = invoke(store, "diff", earlier, later, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    changes = {(c["kind"], c["key"]): c for c in doc["changes"]}
    assert changes[("finding", "collection.asset_verifiable @ sw2")]["direction"] == "better"
    assert changes[("control", "iso27001:2022/A.8.9")]["before"] == "partial"
    assert changes[("control", "iso27001:2022/A.8.9")]["after"] == "pass"
    assert doc["summary"]["finding"]["worse"] == 0


def test_diff_refuses_runs_that_judged_different_things(store: Store, make_run: Callable[..., str]) -> None:
    """An audit against a vendor run (or a scan) is no before/after: refused, unless --force, which says why."""
    audit = make_run([DeviceSpec("sw1"), DeviceSpec("sw2", error=ErrorClass.TIMEOUT)],
                     started_at=utcnow() - timedelta(days=30), parameters={"collectors": ["config", "snmp_system"]})
    vendors = make_run([DeviceSpec("sw1"), DeviceSpec("sw2")],
                       parameters={"command": "vendors", "collectors": ["snmp_system", "vendor_snmp"]})
    code, _, err = invoke(store, "diff", audit, vendors)
    assert code == 2
    assert "kind of run: audit vs vendors" in err and "--force" in err
    code, out, err = invoke(store, "diff", audit, vendors, "--force", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["comparable"] is False and any(d.startswith("collectors:") for d in doc["differences"])
    same = make_run([DeviceSpec("sw1")], parameters={"collectors": ["snmp_system", "config"]})
    code, out, _ = invoke(store, "diff", audit, same, "--format", "json")
    assert code == 0 and json.loads(out)["comparable"] is True  # the order of collectors does not matter


def test_runs_list_counts_subjects_once_and_names_the_kind(store: Store, make_run: Callable[..., str]) -> None:
    """Each device has two collector tasks here: "devices ok" used to count 4 for two devices."""
    from netcomply.app.cli.runs_cmd import app as runs_app

    audit = make_run([DeviceSpec("sw1"), DeviceSpec("sw2", error=ErrorClass.TIMEOUT)])
    vendors = make_run([DeviceSpec("sw1")], parameters={"command": "vendors"})
    result = runner.invoke(runs_app, ["list", "--db", store.url, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    runs = {r["id"]: r for r in json.loads(result.stdout)["runs"]}
    assert runs[audit]["kind"] == "audit" and runs[vendors]["kind"] == "vendors"
    assert runs[audit]["summary"]["subjects"]["devices"] == {"total": 2, "ok": 1, "with_errors": 1, "not_tried": 0}
    assert runs[audit]["summary"]["subjects"]["services"]["total"] == 0  # no run inventory: no services here
    table = runner.invoke(runs_app, ["list", "--db", store.url])
    assert "kind" in table.stdout and "vendors" in table.stdout
