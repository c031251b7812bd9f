"""The AWX pieces: the inventory source script, the example specs, and playbooks/audit.yml run through
ansible-runner against the lab (one playbook run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from collectors.ansible.inventory import to_ansible
from collectors.ansible.platforms import ansible_bin_dir, collections_path, missing_collections, playbooks_dir
from netcomply.app.lab.manager import LabInfo
from netcomply.inventory import load_inventory
from netcomply.store import Store

AWX = playbooks_dir() / "awx"
SCRIPT = AWX / "inventory" / "netcomply_inventory.py"


def test_inventory_script_lists_netcomply_devices_as_hosts(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[2] / "inventory" / "sample-city.yaml"
    inventory = load_inventory(sample)
    proc = subprocess.run([sys.executable, str(SCRIPT), "--list"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NETCOMPLY_INVENTORY": str(sample)})
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc == json.loads(json.dumps(to_ansible(inventory)))
    assert set(doc["all"]["hosts"]) == {d.name for d in inventory.devices}
    for device in inventory.devices:
        hv = doc["_meta"]["hostvars"][device.name]
        assert hv["ansible_host"] == device.address
        assert not any("password" in k or "secret" in k or "community" in k for k in hv)
        if device.agency:
            assert device.name in doc[f"agency_{device.agency.replace('-', '_')}"]["hosts"]
    host = subprocess.run([sys.executable, str(SCRIPT), "--host", inventory.devices[0].name], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "NETCOMPLY_INVENTORY": str(sample)})
    assert json.loads(host.stdout) == doc["_meta"]["hostvars"][inventory.devices[0].name]


def test_inventory_script_names_a_bad_inventory(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("hosts:\n  sw1: {address: 192.0.2.1, platform: [oops]}\n")
    proc = subprocess.run([sys.executable, str(SCRIPT), "--list", "--inventory", str(bad)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and str(bad) in proc.stderr and "Traceback" not in proc.stderr


def test_awx_examples_are_consistent() -> None:
    cred = yaml.safe_load((AWX / "credential-type.yml").read_text())
    fields = {f["id"] for f in cred["inputs"]["fields"]}
    secret_fields = {f["id"] for f in cred["inputs"]["fields"] if f.get("secret")}
    assert set(cred["inputs"]["required"]) <= fields
    for var, template in cred["injectors"]["env"].items():
        assert template.strip("{} ") in fields, var
    assert {"ssh_password", "enable_secret"} <= secret_fields
    template = yaml.safe_load((AWX / "job-template.yml").read_text())
    assert (playbooks_dir().parent / template["playbook"]).is_file()
    survey = json.loads((AWX / template["survey_spec"]).read_text())
    play_vars = yaml.safe_load((playbooks_dir() / "audit.yml").read_text())[0]["vars"]
    for question in survey["spec"]:
        assert question["variable"] in play_vars, question["variable"]
    for var in template["extra_vars"]:
        assert var in play_vars, var
    source = yaml.safe_load((AWX / "inventory-source.yml").read_text())
    assert (playbooks_dir().parent / source["source_path"]).is_file()


@pytest.mark.lab
@pytest.mark.skipif(bool(missing_collections()), reason="Ansible collections missing (make deps)")
def test_audit_playbook_audits_the_limited_group(city_lab: LabInfo, tmp_path: Path) -> None:
    """What an AWX job with limit agency_edu_bureau does: one netcomply audit of exactly those devices."""
    import ansible_runner

    store = tmp_path / "awx.db"
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "pdd").mkdir()
    inventory = load_inventory(city_lab.inventory)
    edu = {d.name for d in inventory.filter("edu-bureau").devices}
    result = ansible_runner.run(
        private_data_dir=str(tmp_path / "pdd"),
        project_dir=str(playbooks_dir()),
        playbook="audit.yml",
        inventory=str(SCRIPT),
        limit="agency_edu_bureau",
        extravars={"netcomply_inventory": str(city_lab.inventory), "netcomply_batch": "awx-test",
                   "netcomply_collectors": "cli_facts", "netcomply_out_root": str(tmp_path / "reports"),
                   "netcomply_report_formats": "json",
                   "netcomply_bin": str(ansible_bin_dir() / "netcomply"),
                   "ansible_python_interpreter": sys.executable},
        envvars={"PATH": f"{ansible_bin_dir()}{os.pathsep}{os.environ['PATH']}", "HOME": str(home),
                 "ANSIBLE_HOME": str(home / ".ansible"), "ANSIBLE_COLLECTIONS_PATH": str(collections_path()),
                 "NETCOMPLY_INVENTORY": str(city_lab.inventory), "NETCOMPLY_DB": str(store)},
        quiet=True, suppress_env_files=True,
    )
    assert result.rc == 0, result.stdout.read()
    stats = result.stats
    assert stats["failures"] == {} and stats["dark"] == {}
    with Store.open(store) as opened:
        (run,) = opened.list_runs()
        assert run.parameters["batch"] == "awx-test"
        assert set(run.parameters["limit"].split(",")) == edu
        assert run.operator.startswith("awx:")
        # cli_facts asks the SSH devices among them (the APs and the NVR only speak SNMP)
        assert {r.device for r in opened.device_results(run.id)} == {d for d in edu if not d.startswith(("ed-ap",
                                                                                                          "ed-nvr"))}
    reports = list((tmp_path / "reports" / "awx-test").iterdir())
    assert len(reports) == 1 and (reports[0] / "summary.json").is_file()
