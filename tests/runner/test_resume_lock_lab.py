"""Real processes against the lab: a run being collected is locked; a kill -9 leaves a stale lock that a resume
takes over and completes without duplicates; a resume with a changed inventory is refused (exit 2); what
``audit --out`` writes is private even under the usual umask 022.

One audit subprocess collects the city-gov devices and then the lab's slow device one at a time (the slow one
keeps it alive however loaded the machine is); while it runs, a second ``audit --resume``
of its run must exit 75 naming its pid and host; after SIGKILL, a resume with a changed inventory must exit 2
naming the device removed, and a resume with the run's inventory must take over and finish.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from netcomply.app.cli import exitcodes
from netcomply.app.lab.manager import LabInfo
from netcomply.models import DeviceStatus, RunStatus
from netcomply.store import Store

pytestmark = [pytest.mark.lab, pytest.mark.slow]

FIRST_LIMIT = "city-gov,dt-slow1"  # six healthy SSH devices, then one that answers too slowly
LIMIT = "city-gov"  # what the resumes collect (a process waiting on the slow device takes a minute to exit)
PLANNED = 6


def _audit(city_lab: LabInfo, db: str, *extra: str, inventory: Path | None = None, limit: str = LIMIT) -> list[str]:
    return [sys.executable, "-m", "netcomply.app.cli.main", "audit", "-i", str(inventory or city_lab.inventory),
            "--db", str(db), "--collectors", "cli_facts", "--limit", limit, "--concurrency", "1", *extra]


def _wait_for_results(db: str, at_least: int, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "://" in db or Path(db).exists():
            with Store.open(db) as store:
                runs = store.list_runs(1)
                if runs and len(store.device_results(runs[0].id)) >= at_least:
                    return runs[0].id
        time.sleep(0.1)
    raise AssertionError(f"no {at_least} results within {timeout} s")


def _changed_inventory(city_lab: LabInfo) -> Path:
    """The lab's inventory without cg-rtr1, beside it (its relative paths still resolve)."""
    text = city_lab.inventory.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("  cg-rtr1:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
    changed = city_lab.inventory.with_name(f"inventory-changed-{os.getpid()}.yaml")
    changed.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    return changed


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "locked.db")
    return str(request.getfixturevalue("pg_url"))


def test_locked_while_collected_taken_over_after_kill9(city_lab: LabInfo, tmp_path: Path, db: str,
                                                      cli_env: dict[str, str]) -> None:
    first = subprocess.Popen(_audit(city_lab, db, "--quiet", "--timeout", "90", limit=FIRST_LIMIT),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env)
    changed = _changed_inventory(city_lab)
    try:
        run_id = _wait_for_results(db, 1)
        second = subprocess.run(_audit(city_lab, db, "--resume", run_id, "--quiet"), capture_output=True,
                                text=True, env=cli_env, timeout=120)
        first_still_running = first.poll() is None
        assert second.returncode == exitcodes.LOCKED, (second.returncode, first_still_running, second.stderr)
        assert first_still_running, "the first audit finished before the second one tried"
        refusal = " ".join(second.stderr.split())
        assert f"run {run_id} is being collected by pid {first.pid} on host {socket.gethostname()} since " in refusal
        assert "Traceback" not in second.stderr

        first.send_signal(signal.SIGKILL)
        first.wait(30)
        with Store.open(db) as store:
            before = {(r.device, r.collector) for r in store.device_results(run_id)}
            assert 1 <= len(before) <= PLANNED
            kept = {o.id: o.device for o in store.observations(run_id) if o.collector == "cli_facts"}
            assert store.get_run(run_id).status is RunStatus.RUNNING  # nobody could mark it

        refused = subprocess.run(_audit(city_lab, db, "--resume", run_id, "--quiet", inventory=changed),
                                 capture_output=True, text=True, env=cli_env, timeout=120)
        assert refused.returncode == exitcodes.BAD_INPUT, refused.stderr
        said = " ".join(refused.stderr.split())
        assert f"changed since run {run_id} started" in said and "1 device removed (cg-rtr1)" in said, said

        out = tmp_path / "report"
        resumed = subprocess.run(
            _audit(city_lab, db, "--resume", run_id, "--format", "json", "--out", str(out), "--formats", "json"),
            capture_output=True, text=True, env=cli_env, timeout=300, umask=0o022)
    finally:
        changed.unlink(missing_ok=True)
        if first.poll() is None:
            first.kill()
        first.communicate(timeout=30)
    # 0, or 3 if a lab device failed on its own (the lock and the resume are what is tested here)
    assert resumed.returncode in (exitcodes.OK, exitcodes.PARTIAL), resumed.stdout + resumed.stderr
    takeover = " ".join(resumed.stderr.split())
    assert f"took over the stale lock of pid {first.pid} on host {socket.gethostname()}" in takeover, takeover
    assert "no longer runs on this host" in takeover
    data = json.loads(resumed.stdout)
    assert data["run"] == run_id and data["outcome"]["tasks"] == PLANNED - len(before)
    assert data["status"] == ("complete" if resumed.returncode == exitcodes.OK else "partial"), data["failures"]

    with Store.open(db) as store:
        results = store.device_results(run_id)
        pairs = Counter((r.device, r.collector) for r in results)
        assert len(pairs) == PLANNED and set(pairs.values()) == {1}  # every device once, none twice
        collected = {o.id: o.device for o in store.observations(run_id) if o.collector == "cli_facts"}
        # what was finished before the kill is untouched (not collected again); what is new is of the other devices
        assert {i: collected.get(i) for i in kept} == kept
        assert set(collected.values()) == {r.device for r in results if r.status is DeviceStatus.OK}
        assert not {d for i, d in collected.items() if i not in kept} & {d for d, _ in before}
        run = store.get_run(run_id)
        assert run.status.value == data["status"] and run.finished_at is not None
        assert [r["inventory_sha256"] for r in run.parameters["resumes"]] == [run.inventory_sha256]

    # what --out wrote is private, although the process ran with umask 022
    assert _mode(out) == 0o700
    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert {p.name for p in written} >= {"report.json", "summary.json", "soa.xlsx"}
    assert {p.name: _mode(p) for p in written} == {p.name: 0o600 for p in written}
    if "://" not in db:
        assert _mode(Path(db)) == 0o600
