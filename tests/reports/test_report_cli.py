"""``netcomply report``: files written, bad input refused with exit 2 and a clear message, no secret in any file."""

from __future__ import annotations

import json
import secrets
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from netcomply.app.cli.main import app
from netcomply.models import Finding, FindingStatus, Observation, Severity
from netcomply.safety.redact import REDACTOR
from netcomply.store import Store

from .conftest import T0, make_run

runner = CliRunner()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def test_report_writes_every_format_in_both_languages(store: Store, run_id: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = _invoke("report", "--run", run_id[:12], "--db", str(store.url), "--out", str(out), "--lang", "both",
                         "--format", "json", "--quiet")
    assert code == 0, text
    payload = json.loads(text)
    assert payload["runs"] == [run_id]
    names = sorted(Path(p).name for p in payload["files"])
    assert names == ["report.en.html", "report.en.pdf", "report.json", "report.xlsx", "report.zh-TW.html",
                     "report.zh-TW.pdf"]
    assert json.loads((out / "report.json").read_text())["run"]["id"] == run_id


def test_report_of_a_batch(store: Store, inventory: Path, tmp_path: Path) -> None:
    a = make_run(store, inventory, "20260302T013000Z-b1", T0, batch="night", devices=("cg-core1",))
    b = make_run(store, inventory, "20260302T020000Z-b2", T0 + timedelta(minutes=30), batch="night",
                 devices=("cg-cam1",))
    make_run(store, inventory, "20260302T030000Z-other", T0 + timedelta(hours=1), devices=("dt-sw1",))
    code, text = _invoke("report", "--batch", "night", "--db", str(store.url), "--out", str(tmp_path / "b"),
                         "--formats", "json", "--format", "json", "--quiet")
    assert code == 0, text
    assert json.loads(text)["runs"] == [a, b]
    report = json.loads((tmp_path / "b" / "report.json").read_text())
    assert {d["name"] for d in report["devices"] if d["status"] != "not_tried"} == {"cg-core1", "cg-cam1"}


@pytest.mark.parametrize(("args", "expected"), [
    (["--run", "19990101"], "no run id starts with '19990101'"),
    (["--batch", "nosuch"], "no run of batch 'nosuch'"),
    ([], "give either --run ID"),
    (["--run", "2026", "--batch", "x"], "give either --run ID"),
    (["--run", "2026", "--formats", "html,docx"], "--formats: unknown report format(s) docx"),
])
def test_bad_input_is_exit_2_with_a_clear_message(store: Store, run_id: str, tmp_path: Path, args: list[str],
                                                  expected: str) -> None:
    code, text = _invoke("report", "--db", str(store.url), "--out", str(tmp_path / "o"), *args)
    assert code == 2, text
    assert expected in text
    assert "Traceback" not in text


def test_unwritable_out_dir_and_bad_lang(store: Store, run_id: str, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, text = _invoke("report", "--run", run_id, "--db", str(store.url), "--out", str(blocker / "sub"))
    assert code == 2 and str(blocker / "sub") in text and "cannot create the output folder" in text
    code, text = _invoke("report", "--run", run_id, "--db", str(store.url), "--lang", "fr")
    assert code == 2 and "--lang" in text


def _texts(folder: Path) -> dict[str, str]:
    """Every file's text as a reader (or a program) would see it: XLSX members unzipped, PDF text extracted."""
    out = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as zf:
                out[path.name] = "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
        elif path.suffix == ".pdf":
            out[path.name] = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
            out[path.name + ":raw"] = path.read_bytes().decode("latin-1")
        else:
            out[path.name] = path.read_text(encoding="utf-8")
    return out


def test_no_secret_reaches_any_report_file(store: Store, inventory: Path, tmp_path: Path) -> None:
    """A secret the process knows (registered, as secret resolution does) and one written in configuration
    syntax are planted where collectors and checks could leak them: observation data and a finding message."""
    known = "Nc-" + secrets.token_hex(8)
    community = "cm" + secrets.token_hex(6)
    run = make_run(store, inventory, "20260302T013000Z-sec", T0, community=community)
    store.add_observations(run, [Observation(
        "cg-core1", "cli_facts", "device.cli_facts",
        {"hostname": "cg-core1", "banner": f"login with {known}", "raw": f"snmp-server community {community} RO"},
        "ssh:show version", collected_at=T0)])
    findings = store.findings(run)
    findings.append(Finding("collection.config_captured", "cg-core1", FindingStatus.FAIL, Severity.HIGH,
                            f"config shows snmp-server community {community} RO and {known}",
                            controls=["iso27001:2022/A.8.9"]))
    store.replace_findings(run, findings)
    REDACTOR.add_secret(known)
    out = tmp_path / "out"
    code, text = _invoke("report", "--run", run, "--db", str(store.url), "--out", str(out), "--lang", "both")
    assert code == 0, text
    texts = _texts(out)
    assert len(texts) == 8  # json, 2 html, xlsx, 2 pdf (text and raw)
    assert "config shows snmp-server community" in texts["report.json"]  # the finding is in the report...
    for name, content in texts.items():
        assert known not in content, name  # ...without the secret
        assert community not in content, name
    assert known not in text and community not in text


def test_audit_refuses_an_unwritable_out_dir_before_collecting(inventory: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    db = tmp_path / "audit.db"
    code, text = _invoke("audit", "-i", str(inventory), "--out", str(blocker / "out"), "--db", str(db), "--quiet")
    assert code == 2, text
    assert "cannot create the output folder" in text
    with Store.open(db) as store:
        assert store.list_runs() == []  # nothing was collected


def test_audit_refuses_bad_report_formats_before_collecting(inventory: Path, tmp_path: Path) -> None:
    code, text = _invoke("audit", "-i", str(inventory), "--out", str(tmp_path / "o"), "--db", str(tmp_path / "a.db"),
                         "--formats", "pdf,word", "--quiet")
    assert code == 2 and "--formats" in text, text


def test_an_empty_run_still_gives_a_complete_report(store: Store, tmp_path: Path) -> None:
    from netcomply.models import Run, RunStatus

    store.create_run(Run(id="20260302T013000Z-empty", started_at=T0, operator="x", tool_version="t",
                         status=RunStatus.INTERRUPTED))
    code, text = _invoke("report", "--run", "20260302T013000Z-empty", "--db", str(store.url), "--out",
                         str(tmp_path / "e"), "--formats", "json,html,xlsx", "--lang", "both")
    assert code == 0, text
    report = json.loads((tmp_path / "e" / "report.json").read_text())
    assert report["devices"] == [] and report["findings"] == []
    assert sum(c["framework"] == "iso27001:2022" for c in report["controls"]) == 93
    assert "中斷" in (tmp_path / "e" / "report.zh-TW.html").read_text()


def test_national_duties_show_next_due_and_overdue(store: Store, run_id: str, inventory: Path, tmp_path: Path) -> None:
    """With the agency (from the inventory) and its duty record, each duty has its next due date; one done
    too long ago (level A: internal audit every 6 months) is overdue on the day of the run."""
    duties = tmp_path / "duties.yaml"
    duties.write_text("agency: city-gov\ndone:\n  internal-audit: {date: 2025-05-10, evidence: 稽核報告 114-01}\n",
                      encoding="utf-8")
    out = tmp_path / "d"
    code, text = _invoke("report", "--run", run_id, "--db", str(store.url), "--out", str(out), "-i", str(inventory),
                         "--agency", "city-gov", "--duties", str(duties), "--formats", "json,html")
    assert code == 0, text
    report = json.loads((out / "report.json").read_text())
    assert report["agency"]["level"] == "A"
    audit = next(c for c in report["controls"] if c["control"] == "tw-cyber:internal-audit")
    assert audit["status"] == "fail"
    assert audit["schedule"]["overdue"] is True and audit["schedule"]["next_due"] == "2025-11-10"
    html = (out / "report.zh-TW.html").read_text()
    row = html[html.index('id="control-tw-cyber_internal-audit'):]
    row = row[:row.index("</tr>")]
    assert "2025-11-10" in row and "已逾期" in row


def test_audit_refuses_a_missing_evidence_key_before_collecting(inventory: Path, tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    code, text = _invoke("audit", "-i", str(inventory), "--out", str(tmp_path / "o"), "--db", str(db),
                         "--evidence-key", str(tmp_path / "nokey.pem"), "--quiet")
    assert code == 2, text
    assert "nokey.pem" in text and "evidence signing key" in text
    with Store.open(db) as store:
        assert store.list_runs() == []
