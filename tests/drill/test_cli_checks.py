"""`netcomply drill report` through typer's CliRunner, the drill checks, and the 1,629-person drill."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from collectors.drill.synth import PLANTED_PASSWORD, SCANNER_UA, generate
from compliance.checks.base import JudgeContext
from compliance.checks.drill import DrillClickRate, DrillOpenRate, DrillSemiannual, summary_observation
from netcomply.app.cli.drill_cmd import app
from netcomply.models import FindingStatus

runner = CliRunner()


def _json_out(result) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(result.stdout)


def test_report_json_to_stdout_and_files(fixtures: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = runner.invoke(app, ["report", str(fixtures / "gophish-results.csv"), str(fixtures / "gophish-events.csv"),
                              "--roster", str(fixtures / "roster.csv"), "-f", "json", "-f", "html", "--lang", "en",
                              "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    doc = _json_out(res)
    assert {"participants", "excluded", "opened", "clicked", "submitted", "reported", "open_rate", "click_rate",
            "open_ci95", "click_ci95", "pass", "departments", "bot_events", "repeat_clickers"} <= set(doc)
    assert {"name", "participants", "opened", "clicked", "submitted", "reported", "open_rate", "click_rate",
            "pass"} <= set(doc["departments"][0])
    assert {"email", "time", "reason"} <= set(doc["bot_events"][0])
    assert all(b["email"].startswith("P-") for b in doc["bot_events"])
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["clicked"] == doc["clicked"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not (out / "annex-restricted.json").exists()
    statuses = {f["check"]: f["status"] for f in doc["findings"] if " / " not in f["subject"]}
    assert statuses["drill.click_rate"] == ("pass" if doc["click_pass"] else "fail")
    assert statuses["drill.semiannual"] == "manual"


def test_annex_is_a_separate_restricted_file(fixtures: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["report", str(fixtures / "msast-users.csv"), "--annex", "-f", "json", "--out",
                              str(tmp_path), "-q"])
    assert res.exit_code == 0, res.output
    assert "yichun.chen@tycg.gov.tw" in res.stdout  # --annex: real addresses in the JSON
    annex = json.loads((tmp_path / "annex-restricted.json").read_text(encoding="utf-8"))
    assert annex["restricted"] is True and any(p["name"] == "陳 怡君" for p in annex["people"])
    assert "陳 怡君" not in res.stdout


def test_bad_input_is_exit_2_without_traceback(tmp_path: Path, fixtures: Path) -> None:
    bad = tmp_path / "events.csv"
    bad.write_text("campaign_id,email,time,message,details\n1,a@x,not-a-time,Email Sent,\n", encoding="utf-8")
    res = runner.invoke(app, ["report", str(bad), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert f"{bad}:2:" in res.output and "Traceback" not in res.output
    res = runner.invoke(app, ["report", str(fixtures / "generic.csv"), "--roster", str(tmp_path / "none.csv")])
    assert res.exit_code == 2 and "none.csv" in res.output
    res = runner.invoke(app, ["report", "--gophish-url", "http://127.0.0.1:1"])
    assert res.exit_code == 2 and "--campaign" in res.output


def test_help_says_emails_are_pseudonymised() -> None:
    res = runner.invoke(app, ["report", "--help"])
    assert res.exit_code == 0 and "pseudonym" in res.output


def test_checks_judge_the_figures() -> None:
    base = {"drill": {"name": "d", "start": "2026-10-05T09:00:00+08:00", "sources": []}, "participants": 1629,
            "opened": 131, "clicked": 104, "thresholds": {"open_rate_max": 0.10, "click_rate_max": 0.06},
            "open_ci95": [0.07, 0.09], "click_ci95": [0.05, 0.07], "departments": []}
    ctx = JudgeContext(run_id="t")
    # 131/1629 = 8.04 % passes 10 %; 104/1629 = 6.38 % fails 6 % (the example agency report's figures)
    assert [f.status for f in DrillOpenRate().run([summary_observation(base)], ctx)] == [FindingStatus.PASS]
    click = list(DrillClickRate().run([summary_observation(base)], ctx))
    assert [f.status for f in click] == [FindingStatus.FAIL]
    assert "iso27001:2022/A.6.3" in click[0].controls and "tw-cyber:drill/social-engineering" in click[0].controls
    edge = {**base, "clicked": 6, "participants": 100}  # exactly 6 % is not below 6 %
    assert [f.status for f in DrillClickRate().run([summary_observation(edge)], ctx)] == [FindingStatus.FAIL]
    ok = list(DrillSemiannual().run([summary_observation(base, ["2026-04-07T09:00:00+08:00"])], ctx))
    late = list(DrillSemiannual().run([summary_observation(base, ["2025-10-06T09:00:00+08:00"])], ctx))
    assert [f.status for f in ok + late] == [FindingStatus.PASS, FindingStatus.FAIL]


@pytest.mark.slow
def test_agency_of_1629_people_in_53_departments(tmp_path: Path) -> None:
    s = generate(20261122, people=1629, departments=53, start=datetime(2026, 10, 5, 1, tzinfo=UTC))
    for name, text in (("results.csv", s.results_csv), ("events.csv", s.events_csv), ("hr.csv", s.roster_csv)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    res = runner.invoke(app, ["report", str(tmp_path / "results.csv"), str(tmp_path / "events.csv"), "--roster",
                              str(tmp_path / "hr.csv"), "-f", "json", "-f", "html", "-f", "xlsx", "--out",
                              str(tmp_path / "out"), "--annex", "-q"])
    assert res.exit_code == 0, res.output
    doc = _json_out(res)
    truth = s.truth.values()
    delivered = [t for t in truth if t.delivered]
    assert len(truth) == 1629 and doc["drill"]["targets"] == 1629
    assert doc["participants"] == len(delivered) and doc["excluded"] == 1629 - len(delivered)
    assert doc["opened"] == sum(t.opened for t in delivered)
    assert doc["clicked"] == sum(t.clicked for t in delivered)
    assert doc["submitted"] == sum(t.submitted for t in delivered)
    assert doc["reported"] == sum(t.reported for t in delivered)
    assert doc["raw"]["clicked"] == sum(t.clicked or t.bot_clicked for t in delivered)
    assert len(doc["bot_events"]) == sum(t.bot_clicked for t in delivered)
    assert all("scanner user agent" in b["reason"] for b in doc["bot_events"])
    assert doc["department_count"] == 53
    sizes = Counter(t.department for t in delivered)
    depts = {d["name"]: d for d in doc["departments"]}
    for name, n in sizes.items():
        assert depts[name]["participants"] == n
        assert depts[name]["suppressed"] == (n < 5)
        if n >= 5:
            assert depts[name]["clicked"] == sum(t.clicked for t in delivered if t.department == name)
    out = tmp_path / "out"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<tr>") >= 53 and "<svg" in html
    for path in out.iterdir():
        assert PLANTED_PASSWORD.encode() not in path.read_bytes()
    assert SCANNER_UA not in html  # user agents are evidence in the JSON/annex, not report clutter
    assert (out / "report.xlsx").stat().st_size > 0


def test_manual_overrides_are_applied_and_recorded(fixtures: Path, tmp_path: Path) -> None:
    ov = tmp_path / "overrides.csv"
    ov.write_text("email,decision,reason,by,action,time\n"
                  "heidi@agency.gov.tw,human,she confirmed clicking after reporting,資安長,clicked,\n"
                  "bob@agency.gov.tw,bot,gateway sandbox opened it (ticket 4711),資訊科,opened,\n"
                  "carol@agency.gov.tw,bot,no events to match,資訊科,,\n", encoding="utf-8")
    base = ["report", str(fixtures / "gophish-results.csv"), str(fixtures / "gophish-events.csv"), "-f", "json",
            "--out", str(tmp_path / "o"), "-q"]
    plain = _json_out(runner.invoke(app, base))
    res = runner.invoke(app, [*base, "--overrides", str(ov)])
    assert res.exit_code == 0, res.output
    doc = _json_out(res)
    assert doc["clicked"] == plain["clicked"] + 1  # heidi restored
    assert doc["opened"] == plain["opened"]  # +1 heidi (click implies open), -1 bob (open discounted)
    assert [o["matched_events"] for o in doc["overrides"]] == [1, 1, 0]
    assert doc["bot_filtering"]["restored_by_override"] == 1
    assert any("manual override" in b["reason"] for b in doc["bot_events"])
    bad = tmp_path / "bad.csv"
    bad.write_text("email,decision,reason\nx@y,maybe,because\n", encoding="utf-8")
    res = runner.invoke(app, [*base, "--overrides", str(bad)])
    assert res.exit_code == 2 and f"{bad}:2:" in res.output


@pytest.mark.slow
def test_xlsx_and_pdf(fixtures: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("weasyprint")
    res = runner.invoke(app, ["report", str(fixtures / "msast-users.csv"), "-f", "xlsx", "-f", "pdf", "--lang", "en",
                              "--out", str(tmp_path), "-q"])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(tmp_path / "report.xlsx")
    assert wb.sheetnames[:2] == ["Summary", "Departments"]
    assert [r[0] for r in wb["Departments"].iter_rows(min_row=2, values_only=True)] == ["人事室", "資訊科"]
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")
