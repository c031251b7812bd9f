"""Scheduled audits: install into a test unit folder / crontab file, then run the installed command line exactly
as systemd or cron would, against the lab. Never touches the real crontab or /etc/systemd."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netcomply.app.lab.manager import LabInfo
from netcomply.app.schedule import cron, systemd
from netcomply.app.schedule.execute import prune
from netcomply.app.schedule.spec import Every, ScheduleSpec

NETCOMPLY = [sys.executable, "-m", "netcomply.app.cli.main"]


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NETCOMPLY, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """No real scheduler reachable: unit folder and crontab file are the test's own."""
    e = dict(os.environ)
    e["NETCOMPLY_SYSTEMD_DIR"] = str(tmp_path / "units")
    e["NETCOMPLY_CRONTAB_FILE"] = str(tmp_path / "crontab")
    e["NETCOMPLY_DB"] = str(tmp_path / "default.db")
    e.pop("JOURNAL_STREAM", None)
    return e


def test_calendar_and_cron_expressions() -> None:
    def spec(every: Every, at: str) -> ScheduleSpec:
        return ScheduleSpec("x", every, Path("inv.yaml"), Path("out"), at=at)

    assert spec(Every.daily, "02:30").on_calendar() == "*-*-* 02:30:00"
    assert spec(Every.weekly, "7:05").on_calendar() == "Mon *-*-* 07:05:00"
    assert spec(Every.monthly, "23:59").on_calendar() == "*-*-01 23:59:00"
    assert spec(Every.daily, "02:30").cron_expression() == "30 2 * * *"
    assert spec(Every.weekly, "7:05").cron_expression() == "5 7 * * 1"
    assert spec(Every.monthly, "23:59").cron_expression() == "59 23 1 * *"


def test_bad_input_is_named_and_exits_2(tmp_path: Path, env: dict[str, str]) -> None:
    inv = tmp_path / "inv.yaml"
    inv.write_text("hosts: {}\n")
    cases = [
        (["--every", "hourly"], "--every"),
        (["--every", "daily", "--at", "25:00"], "--at"),
        (["--every", "daily", "--name", "Bad Name!"], "--name"),
    ]
    for extra, named in cases:
        proc = _cli("schedule", "install", "-i", str(inv), "--out-root", str(tmp_path / "r"), "--backend", "cron",
                    *extra, env=env)
        assert proc.returncode == 2, proc.stderr
        assert named in proc.stderr and "Traceback" not in proc.stderr
    proc = _cli("schedule", "remove", "nosuch", "--backend", "cron", env=env)
    assert proc.returncode == 2 and "nosuch" in proc.stderr
    assert not Path(env["NETCOMPLY_CRONTAB_FILE"]).exists()


def test_cron_lines_are_ours_only(tmp_path: Path) -> None:
    crontab = cron.Crontab(tmp_path / "crontab")
    crontab.write(["MAILTO=ops@example.org", "0 1 * * * /usr/local/bin/backup # not ours"])
    spec = ScheduleSpec("nightly", Every.daily, tmp_path / "inv.yaml", tmp_path / "out", keep=3, at="01:15")
    cron.install(spec, crontab)
    cron.install(spec, crontab)  # again: replaced, not duplicated
    lines = crontab.read()
    assert lines[:2] == ["MAILTO=ops@example.org", "0 1 * * * /usr/local/bin/backup # not ours"]
    assert len(lines) == 3 and lines[2].startswith("15 1 * * * ")
    (entry,) = cron.listed(crontab)
    assert entry["name"] == "nightly" and entry["when"] == "15 1 * * *" and "--keep 3" in entry["command"]
    assert cron.remove("nightly", crontab) and crontab.read() == lines[:2]


def test_systemd_units_list_and_remove(tmp_path: Path) -> None:
    where = systemd.UnitDir.choose(tmp_path / "units", system=False)
    spec = ScheduleSpec("monthly-a", Every.monthly, tmp_path / "inv 100%.yaml", tmp_path / "out", store="pg$x")
    service, timer = systemd.install(spec, where)
    assert "OnCalendar=*-*-01 02:30:00" in timer.read_text() and "Persistent=true" in timer.read_text()
    assert "SuccessExitStatus=3" in service.read_text()
    argv = systemd.exec_start(service)  # systemd's % and $ escaping round-trips
    assert str((tmp_path / "inv 100%.yaml").resolve()) in argv and argv[argv.index("--store") + 1] == "pg$x"
    assert [s["name"] for s in systemd.listed(where)] == ["monthly-a"]
    assert systemd.remove("monthly-a", where) == [timer, service]
    assert systemd.listed(where) == []


def test_prune_keeps_the_newest_and_nothing_else_is_touched(tmp_path: Path) -> None:
    for name in ("20250101T000000Z", "20250201T000000Z", "20250201T000000Z-2", "20250301T000000Z", "notes"):
        (tmp_path / name).mkdir()
    removed = prune(tmp_path, 2)
    assert [p.name for p in removed] == ["20250101T000000Z", "20250201T000000Z"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["20250201T000000Z-2", "20250301T000000Z", "notes"]


@pytest.mark.lab
def test_installed_timer_runs_the_audit_and_keeps_n(city_lab: LabInfo, tmp_path: Path, env: dict[str, str]) -> None:
    out_root = tmp_path / "reports"
    out_root.mkdir()
    for old in ("20240101T023000Z", "20240102T023000Z", "20240103T023000Z"):
        (out_root / old).mkdir()
    (out_root / "auditor-notes").mkdir()
    store = tmp_path / "scheduled.db"
    proc = _cli("schedule", "install", "--every", "daily", "--at", "03:00", "-i", str(city_lab.inventory),
                "--out-root", str(out_root), "--keep", "2", "--name", "city", "--store", str(store),
                "--backend", "systemd", "--format", "json", "--",
                "--limit", "cg-core1,ed-sw2", "--collectors", "cli_facts", "--formats", "json", env=env)
    assert proc.returncode == 0, proc.stderr
    service = Path(env["NETCOMPLY_SYSTEMD_DIR"]) / "netcomply-city.service"
    argv = systemd.exec_start(service)
    # Run it as systemd would: no shell, absolute paths, another working directory.
    run = subprocess.run(argv, capture_output=True, text=True, env={**env, "JOURNAL_STREAM": "8:1"},
                         cwd="/", timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    status = json.loads((out_root / "last-run.json").read_text())
    assert status["exit_code"] == 0 and status["status"] == "complete"
    report = Path(status["report_dir"])
    assert report.parent == out_root and (report / "summary.json").is_file()
    assert json.loads((report / "summary.json").read_text())["run"]["id"] == status["run"]
    assert sorted(p.name for p in out_root.iterdir() if p.is_dir()) == \
        sorted(["20240103T023000Z", report.name, "auditor-notes"])
    assert status["pruned"] == ["20240101T023000Z", "20240102T023000Z"]
    # journald gets the same start/end lines as the log file
    log = (out_root / "netcomply-schedule.log").read_text()
    assert "schedule=city start" in log and "schedule=city end exit=0" in log
    assert "schedule=city end exit=0" in run.stdout
    assert store.is_file()


@pytest.mark.lab
def test_cron_line_runs_and_exits_with_the_audits_code(city_lab: LabInfo, tmp_path: Path,
                                                       env: dict[str, str]) -> None:
    out_root = tmp_path / "reports"
    proc = _cli("schedule", "install", "--every", "weekly", "-i", str(city_lab.inventory), "--out-root",
                str(out_root), "--keep", "1", "--name", "district", "--store", str(tmp_path / "s.db"),
                "--backend", "cron", "--", "--limit", "dt-rtr1,dt-badpw1", "--collectors", "cli_facts",
                "--formats", "json", env=env)
    assert proc.returncode == 0, proc.stderr
    (line,) = Path(env["NETCOMPLY_CRONTAB_FILE"]).read_text().splitlines()
    assert line.startswith("30 2 * * 1 ")
    # cron hands the command to /bin/sh with a minimal environment
    minimal = {"PATH": "/usr/bin:/bin", "HOME": env.get("HOME", "/root"), "LANG": "C.UTF-8"}
    run = subprocess.run(["/bin/sh", "-c", cron.command_of(line)], capture_output=True, text=True, env=minimal,
                         cwd="/", timeout=300)
    assert run.returncode == 3, run.stdout + run.stderr  # partial: dt-badpw1 refuses the login
    assert run.stdout == "" and run.stderr == ""  # a partial run is not worth a cron mail; the log has it
    status = json.loads((out_root / "last-run.json").read_text())
    assert status["exit_code"] == 3 and status["status"] == "partial" and len(status["kept"]) == 1
    assert "exit=3" in (out_root / "netcomply-schedule.log").read_text()
