"""tools/compare_reports.py: equal apart from ids, times, hashes and ports; any verdict change is named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "compare_reports.py"


def _report(run: str, when: str, status: str, sha: str, port: int) -> dict[str, object]:
    return {"run": {"id": run, "started_at": when, "runs": [{"id": run}]},
            "findings": [{"ref": "F0001", "check_id": "vendor.prc_brand", "subject": "cam1", "status": status,
                          "message": f"seen at {when} via 127.0.0.1:{port}", "artifacts": [sha]}],
            "summary": {"findings": {"fail": 1 if status == "fail" else 0}}}


def _run(tmp_path: Path, a: dict[str, object], b: dict[str, object]) -> subprocess.CompletedProcess[str]:
    pa, pb = tmp_path / "a.json", tmp_path / "b.json"
    pa.write_text(json.dumps(a), encoding="utf-8")
    pb.write_text(json.dumps(b), encoding="utf-8")
    return subprocess.run([sys.executable, str(TOOL), str(pa), str(pb)], capture_output=True, text=True, timeout=60)


def test_two_runs_of_the_same_lab_compare_equal(tmp_path: Path) -> None:
    a = _report("20261204T010203Z-abcdef", "2026-12-04T01:02:03+00:00", "fail", "a" * 64, 1161)
    b = _report("20261205T090807Z-012345", "2026-12-05T09:08:07.5+08:00", "fail", "b" * 64, 1461)
    proc = _run(tmp_path, a, b)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_changed_verdict_is_named(tmp_path: Path) -> None:
    a = _report("20261204T010203Z-abcdef", "2026-12-04T01:02:03+00:00", "fail", "a" * 64, 1161)
    b = _report("20261204T010203Z-abcdef", "2026-12-04T01:02:03+00:00", "pass", "a" * 64, 1161)
    proc = _run(tmp_path, a, b)
    assert proc.returncode == 1
    assert 'findings[0].status: "fail" -> "pass"' in proc.stdout
    assert "summary.findings.fail: 1 -> 0" in proc.stdout


def test_unreadable_input_is_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(TOOL), str(bad), str(bad)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "bad.json" in proc.stderr
