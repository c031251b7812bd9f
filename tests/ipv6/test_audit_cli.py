"""`netcomply ipv6 check` and the IPv6 part of `netcomply audit` against the running city lab."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from netcomply.app.audit import AuditOptions, run_audit
from netcomply.app.lab.manager import LabInfo
from netcomply.inventory import load_inventory
from netcomply.models import RunStatus, Service
from netcomply.store import Store

pytestmark = pytest.mark.lab


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netcomply.app.cli.main", *args], capture_output=True, text=True,
                          env=env, timeout=240)


def _truth(city_lab: LabInfo) -> dict[str, Any]:
    return json.loads((city_lab.state_dir / "services" / "services.json").read_text(encoding="utf-8"))["truth"]


def test_ipv6_check_json_matches_the_lab_truth(city_lab: LabInfo, cli_env: dict[str, str]) -> None:
    proc = _cli(["ipv6", "check", "-i", str(city_lab.inventory), "--format", "json"], cli_env)
    assert proc.returncode == 3, proc.stderr  # some lab services are not ready on purpose
    data = json.loads(proc.stdout)
    truth = _truth(city_lab)
    assert data["errors"] == []
    assert {s["key"]: s["ready"] for s in data["services"]} == {
        s["key"]: truth[s["key"]]["ipv6_ready"] for s in data["services"]}
    phase1 = data["readiness"]["phases"][0]
    assert phase1["total"] == sum(1 for s in data["services"] if s["phase"] == 1)
    csv_out = _cli(["ipv6", "check", "-i", str(city_lab.inventory), "--format", "csv", "--kind", "dns"], cli_env)
    lines = csv_out.stdout.strip().splitlines()
    assert lines[0].startswith("service,kind") and all(",dns," in line for line in lines[1:]) and len(lines) > 1


def test_audit_prints_readiness_and_the_second_run_the_trend(city_lab: LabInfo, cli_env: dict[str, str],
                                                              tmp_path: Path) -> None:
    db = str(tmp_path / "trend.db")
    first = _cli(["audit", "-i", str(city_lab.inventory), "-c", "ipv6_service", "--db", db, "-f", "json"], cli_env)
    assert first.returncode == 0, first.stderr
    one = json.loads(first.stdout)
    assert one["ipv6"]["trend"]["previous_run"] is None
    assert [p["phase"] for p in one["ipv6"]["readiness"]["phases"]] == [1, 2, 3]
    second = _cli(["audit", "-i", str(city_lab.inventory), "-c", "ipv6_service", "--db", db], cli_env)
    assert second.returncode == 0, second.stderr
    text = second.stdout
    assert "IPv6 readiness by phase" in text and "IPv6 readiness by agency" in text
    assert f"since run {one['run']}" in text
    for agency in ("city-gov", "edu-bureau", "district"):
        assert agency in text


def test_service_pass_is_resumable_and_one_bad_service_never_stops_it(city_lab: LabInfo, tmp_path: Path) -> None:
    inv = load_inventory(city_lab.inventory)
    broken = Service(name="www.city.lab.example", kind="web", agency="city-gov",
                     endpoints={"resolver": "not-an-address"})
    services = (*inv.services[:3], broken.model_copy(update={"name": "broken.city.lab.example"}))
    small = dataclasses.replace(inv, services=services, devices=())
    with Store.open(tmp_path / "resume.db") as store:
        run, outcome = run_audit(small, store, AuditOptions(collectors=["ipv6_service"], judge=False))
        results = {r.device: r for r in store.device_results(run.id)}
        assert run.status is RunStatus.PARTIAL and outcome.failed == 1
        bad = results["web:broken.city.lab.example"]
        assert bad.status.value == "error" and bad.error_class == "config" and "not-an-address" in (bad.cause or "")
        assert sum(r.status.value == "ok" for r in results.values()) == 3
        observed = [o.device for o in store.observations(run.id, kind="ipv6.service")]
        _resumed, again = run_audit(small, store, AuditOptions(collectors=["ipv6_service"], resume=run.id,
                                                               judge=False))
        assert again.attempted == 1  # only the failed service is tried again
        assert sorted(o.device for o in store.observations(run.id, kind="ipv6.service")) == sorted(observed)
