"""A full audit of the lab: every fault the lab plays is recorded with the class a real network would give it,
the others' results are stored, and no secret the lab holds appears anywhere netcomply writes."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

from netcomply.app.lab.manager import LabInfo
from netcomply.errors import ErrorClass
from netcomply.models import DeviceStatus, RunStatus
from netcomply.secrets import read_env_file

pytestmark = pytest.mark.lab

#: What each fault of the lab must become, per collector (None: not asserted, e.g. another transport).
EXPECTED = {
    "wrong_password": {"cli_facts": ErrorClass.AUTH_FAILED, "running_config": "skipped"},
    "changed_host_key": {"cli_facts": ErrorClass.AUTH_FAILED, "running_config": "skipped"},
    "garbage": {"cli_facts": ErrorClass.PARSE, "running_config": ErrorClass.PARSE},
    "drop_session": {"cli_facts": ErrorClass.PROTOCOL},
    "slow": {"cli_facts": ErrorClass.TIMEOUT, "running_config": "skipped"},
    "silent_snmp": {"snmp_system": ErrorClass.TIMEOUT},
}


@pytest.fixture(scope="module")
def audited(lab_audit: dict[str, Any]) -> dict[str, Any]:
    """The session's full lab audit (tests/conftest.py: run in-process, every log record kept); read only."""
    return lab_audit


def test_every_fault_has_the_right_error_class_and_the_rest_succeed(audited: dict[str, Any]) -> None:
    inv = audited["inv"]
    results = {(r.device, r.collector): r for r in audited["results"]}
    assert audited["run"].status is RunStatus.PARTIAL
    for device in inv.devices:
        fault = device.vars.get("lab", {}).get("fault")
        for (name, collector), result in results.items():
            if name != device.name:
                continue
            expected = EXPECTED.get(fault, {}).get(collector) if fault else None
            if expected == "skipped":
                assert result.status is DeviceStatus.SKIPPED, (name, collector, result.cause)
            elif expected is not None:
                assert result.error_class is expected, (name, collector, result.error_class, result.cause)
            elif not fault:
                assert result.status is DeviceStatus.OK, (name, collector, result.error_class, result.cause)
    rekey = results[("dt-rekey1", "cli_facts")]
    assert "host key" in (rekey.cause or "")
    # What the garbage device said is kept as evidence with its parse error.
    junk_artifacts = [a for a in audited["artifact_records"] if a.device == "dt-junk1"]
    assert {a.collector for a in junk_artifacts} >= {"cli_facts", "running_config"}
    # Every device with an ssh or snmp entry was tried by each collector that applies to it.
    assert {(d.name, "cli_facts") for d in inv.devices if d.ssh and d.platform} <= set(results)
    assert {(d.name, "snmp_system") for d in inv.devices if d.snmp} <= set(results)


def test_healthy_devices_say_who_they_are(audited: dict[str, Any]) -> None:
    facts = {o.device: o.data for o in audited["observations"] if o.kind == "device.cli_facts"}
    snmp = {o.device: o.data for o in audited["observations"] if o.kind == "device.snmp_system"}
    faulty = {d.name for d in audited["inv"].devices if d.vars.get("lab", {}).get("fault")}
    assert facts and snmp
    for name, data in facts.items():
        if name not in faulty:
            assert data["hostname"] == name, data
    for name, data in snmp.items():
        assert data["sys_name"] == name
        assert data["sys_object_id"].startswith("1.3.6.1.4.1.")


def _lab_secrets(city_lab: LabInfo) -> set[str]:
    """Every secret the lab knows: the env file (registered with the redactor) and the ones planted in the
    simulated devices' configurations (found by patterns only)."""
    values = set(read_env_file(city_lab.env_file).values())
    profiles = json.loads((city_lab.state_dir / "ssh-profiles.json").read_text())
    for p in profiles:
        for key in ("snmp_community", "snmp_community_rw", "secret_hash", "user_cipher", "enc_blob"):
            if p["vars"].get(key):
                values.add(p["vars"][key])
        values.update({p["password"], p["enable_secret"]})
    return {v for v in values if len(v) >= 6}


def test_no_secret_appears_in_anything_netcomply_wrote(audited: dict[str, Any], city_lab: LabInfo,
                                                       cli_env: dict[str, str]) -> None:
    secrets = _lab_secrets(city_lab)
    assert len(secrets) > 20  # the test seeds many, across every platform's syntax
    # The running configurations did contain secret syntax: redaction had work to do.
    configs = [o for o in audited["observations"] if o.kind == "device.config"]
    assert configs and all(o.data["redactions"] > 0 for o in configs)

    places: dict[str, str] = {}
    for sha, content in audited["artifacts"].items():
        places[f"artifact {sha[:12]}"] = content.decode("utf-8", "replace")
    places["observations"] = json.dumps([o.to_dict() for o in audited["observations"]], default=str)
    places["summary.json"] = audited["summary"].read_text()
    places["logs"] = "\n".join(audited["logs"])
    # The raw store: every table, every column; compressed blobs decompressed.
    con = sqlite3.connect(audited["db"])
    for (table,) in con.execute("select name from sqlite_master where type='table'"):
        for row in con.execute(f"select * from {table}"):
            for value in row:
                if isinstance(value, bytes):
                    with contextlib.suppress(zlib.error):
                        value = zlib.decompress(value)
                    value = value.decode("utf-8", "replace")
                places[f"table {table}"] = places.get(f"table {table}", "") + f"\n{value}"
    con.close()
    cli = subprocess.run(
        [sys.executable, "-m", "netcomply.app.cli.main", "runs", "show", audited["run"].id, "--db",
         str(audited["db"]), "--format", "json"],
        capture_output=True, text=True, env=cli_env, check=True, timeout=60,
    )
    places["cli stdout"] = cli.stdout
    places["cli stderr"] = cli.stderr
    leaks = [(where, s) for where, text in places.items() for s in secrets if s in text]
    assert not leaks, leaks[:5]


def test_lab_inventory_validates(city_lab: LabInfo, cli_env: dict[str, str]) -> None:
    proc = subprocess.run([sys.executable, "-m", "netcomply.app.cli.main", "inventory", "validate",
                           str(city_lab.inventory), "--strict"], capture_output=True, text=True, env=cli_env,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_audit_json_output_and_partial_exit_code(city_lab: LabInfo, cli_env: dict[str, str], tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "netcomply.app.cli.main", "audit", "-i", str(city_lab.inventory), "--format", "json",
         "--collectors", "snmp_system", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, env=cli_env, timeout=300,
    )
    assert proc.returncode == 3, proc.stderr  # dt-mute1 never answers: partial
    data = json.loads(proc.stdout)
    assert data["status"] == "partial"
    assert [f["device"] for f in data["failures"]] == ["dt-mute1"]
    assert (tmp_path / "out" / "summary.json").exists()
