"""Two collector processes, each with its own slice of the inventory (``--limit``), writing to one PostgreSQL
store at the same time under one ``--batch`` name; then one combined report (docs/multi-collector.md).

One collector goes through Ansible (as an AWX execution node would), the other is native.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from typing import Any

import pytest

from collectors.ansible.platforms import missing_collections
from netcomply.app.lab.manager import LabInfo
from netcomply.inventory import load_inventory
from netcomply.store import Store
from netcomply.store.pgtest import create_schema

pytestmark = [pytest.mark.lab, pytest.mark.postgres]

NETCOMPLY = [sys.executable, "-m", "netcomply.app.cli.main"]
BATCH = "2026-11-city-monthly"
SLICES = {"city-gov": "ansible", "edu-bureau": "native"}


@pytest.fixture(scope="module")
def pg_store(pg_server: str) -> str:
    """One schema on the session's PostgreSQL server: the store both collector processes write to."""
    return create_schema(pg_server)


@pytest.fixture(scope="module")
def collected(city_lab: LabInfo, pg_store: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if missing_collections():
        pytest.skip(f"Ansible collections missing: {missing_collections()} (make deps)")
    tmp = tmp_path_factory.mktemp("multi")
    env = {k: v for k, v in os.environ.items() if k != "NETCOMPLY_DB"}
    procs = {}
    for group, transport in SLICES.items():  # both started before either is waited for: they overlap
        procs[group] = subprocess.Popen(
            [*NETCOMPLY, "audit", "-i", str(city_lab.inventory), "--limit", group, "--batch", BATCH,
             "--transport", transport, "--collectors", "cli_facts,snmp_system", "--db", pg_store,
             "--operator", f"collector-{group}", "--format", "json", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    results = {}
    for group, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=600)
        results[group] = {"rc": proc.returncode, "out": json.loads(stdout) if stdout.strip() else None,
                          "err": stderr}
    return {"results": results, "store": pg_store, "tmp": tmp, "lab": city_lab}


def test_both_collectors_write_their_slice_to_one_store(collected: dict[str, Any]) -> None:
    inventory = load_inventory(collected["lab"].inventory)
    for group, result in collected["results"].items():
        assert result["rc"] == 0, (group, result["err"])
    with Store.open(collected["store"]) as store:
        runs = [r for r in store.list_runs(100) if r.parameters.get("batch") == BATCH]
        assert len(runs) == 2
        by_limit = {r.parameters["limit"]: r for r in runs}
        assert set(by_limit) == set(SLICES)
        for group, run in by_limit.items():
            assert run.parameters["transport"] == SLICES[group]
            assert run.operator == f"collector-{group}"
            assert run.status.value == "complete"
            devices = {r.device for r in store.device_results(run.id)}
            assert devices == {d.name for d in inventory.filter(group).devices}
            # the checks judged each slice where it was collected
            assert store.findings(run.id)
        # facts from both transports side by side, same kind
        facts = {o.device: o.data for run in runs for o in store.observations(run.id, kind="device.cli_facts")}
        assert facts["cg-core1"]["model"] == "C9300-48P" and facts["ed-sw2"]["serial"]


@pytest.mark.skipif(importlib.util.find_spec("netcomply.app.cli.report_cmd") is None,
                    reason="`netcomply report` (netcomply/app/cli/report_cmd.py) is not installed")
def test_one_report_combines_the_batch(collected: dict[str, Any]) -> None:
    out = collected["tmp"] / "combined"
    proc = subprocess.run([*NETCOMPLY, "report", "--batch", BATCH, "--store", collected["store"], "--out", str(out),
                           "--formats", "json"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["combined"] is True and len(report["run"]["runs"]) == 2 and report["run"]["batch"] == BATCH
    devices = report["devices"]
    names = {d["name"] if isinstance(d, dict) else d for d in devices}
    inventory = load_inventory(collected["lab"].inventory)
    for group in SLICES:
        assert {d.name for d in inventory.filter(group).devices} <= names, group
