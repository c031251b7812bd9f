"""A run killed or interrupted mid-way leaves a store that opens and lists exactly the finished devices;
`lab down` cleans up after a crashed `lab up`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netcomply.app.lab.manager import LabInfo, lab_down, lab_status
from netcomply.app.lab.supervisor import strays
from netcomply.models import RunStatus
from netcomply.store import Store

pytestmark = pytest.mark.lab


def _start_audit(city_lab: LabInfo, db: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    # One device at a time, so the run lasts long enough to be interrupted in the middle.
    return subprocess.Popen(
        [sys.executable, "-m", "netcomply.app.cli.main", "audit", "-i", str(city_lab.inventory), "--db", str(db),
         "--collectors", "cli_facts", "--concurrency", "1", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def _wait_for_results(db: Path, at_least: int, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db.exists():
            with Store.open(db) as store:
                runs = store.list_runs(1)
                if runs and len(store.device_results(runs[0].id)) >= at_least:
                    return runs[0].id
        time.sleep(0.2)
    raise AssertionError(f"no {at_least} results within {timeout} s")


def test_sigkill_mid_run_keeps_finished_devices(city_lab: LabInfo, tmp_path: Path, cli_env: dict[str, str]) -> None:
    db = tmp_path / "killed.db"
    proc = _start_audit(city_lab, db, cli_env)
    try:
        run_id = _wait_for_results(db, 3)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    with Store.open(db) as store:
        finished = store.device_results(run_id)
        assert store.get_run(run_id).status is RunStatus.RUNNING  # nobody could mark it
        assert 3 <= len(finished) < 18
        assert run_id in store.mark_stale_runs_interrupted()
        assert store.get_run(run_id).status is RunStatus.INTERRUPTED
    shown = subprocess.run([sys.executable, "-m", "netcomply.app.cli.main", "runs", "show", run_id[:15], "--db", str(db),
                            "--format", "json"], capture_output=True, text=True, env=cli_env, timeout=60, check=True)
    data = json.loads(shown.stdout)
    assert data["run"]["status"] == "interrupted"
    assert {d["device"] for d in data["devices"]} == {r.device for r in finished}


def test_ctrl_c_stops_cleanly_with_exit_130(city_lab: LabInfo, tmp_path: Path, cli_env: dict[str, str]) -> None:
    db = tmp_path / "interrupted.db"
    proc = _start_audit(city_lab, db, cli_env)
    try:
        run_id = _wait_for_results(db, 2)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    with Store.open(db) as store:
        run = store.get_run(run_id)
        assert run.status is RunStatus.INTERRUPTED and run.finished_at is not None
        assert 2 <= len(store.device_results(run_id)) < 18


def test_lab_down_cleans_up_after_a_crashed_up(tmp_path: Path) -> None:
    state_dir = tmp_path / "crashed-lab"
    # Start `lab up` on other ports and kill it as soon as its first process is recorded.
    code = (
        "from pathlib import Path; from netcomply.app.lab.manager import lab_up; "
        f"lab_up(Path({str(state_dir)!r}), ssh_port=22222, snmp_port=21161, services_auto_ports=True)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not strays(state_dir):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert strays(state_dir), "lab up did not get as far as starting a process"
    lab_down(state_dir)
    assert strays(state_dir) == []
    assert lab_status(state_dir)["running"] is False
