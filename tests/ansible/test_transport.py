"""The Ansible transport against the lab: same facts as the native transport, failures classified the same way,
nothing secret left behind, only read-only commands sent.

One ansible-playbook run (module fixture) serves every lab test here: a playbook run costs seconds.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from collectors.ansible.platforms import missing_collections, playbooks_dir
from netcomply.app.audit import AuditOptions, run_audit
from netcomply.app.lab.manager import LabInfo
from netcomply.inventory import load_inventory
from netcomply.safety.readonly import is_allowed
from netcomply.secrets import read_env_file
from netcomply.store import Store

pytestmark = pytest.mark.skipif(bool(missing_collections()),
                                reason=f"Ansible collections missing: {missing_collections()} (make deps)")

#: Healthy Cisco IOS devices, two that must fail (wrong password, changed host key), garbage output, and a
#: Comware switch that Ansible does not serve (it stays on the native transport).
HOSTS = "cg-core1,cg-rtr1,ed-sw2,dt-rtr1,dt-badpw1,dt-rekey1,dt-junk1,cg-dist1"
COLLECTORS = ["cli_facts", "running_config"]


def _audit(lab: LabInfo, db: Path, transport: str, **kw: Any) -> dict[str, Any]:
    inventory = load_inventory(lab.inventory)
    with Store.open(f"sqlite:///{db}") as store:
        run, _ = run_audit(inventory, store, AuditOptions(
            collectors=COLLECTORS, limit=HOSTS, transport=transport, judge=False, retries=0, **kw))
        return {
            "run": run,
            "results": {(r.device, r.collector): r for r in store.device_results(run.id)},
            "observations": {(o.device, o.kind): o.data for o in store.observations(run.id)},
            "artifacts": {(a.device, a.source): store.artifact_content(a.sha256).decode("utf-8", "replace")
                          for a in store.artifact_records(run.id)},
        }


@pytest.fixture(scope="module")
def both(city_lab: LabInfo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("ansible-transport")
    work = tmp / "ansible-work"
    ansible = _audit(city_lab, tmp / "ansible.db", "ansible", ansible_keep=True, ansible_dir=str(work))
    native = _audit(city_lab, tmp / "native.db", "native")
    return {"ansible": ansible, "native": native, "work": work, "lab": city_lab}


@pytest.mark.lab
def test_same_facts_as_the_native_transport(both: dict[str, Any]) -> None:
    ansible, native = both["ansible"], both["native"]
    assert ansible["run"].parameters["transport"] == "ansible"
    healthy = ["cg-core1", "cg-rtr1", "ed-sw2", "dt-rtr1"]
    for device in healthy:
        facts = ansible["observations"][(device, "device.cli_facts")]
        assert facts == native["observations"][(device, "device.cli_facts")]
        assert facts["model"] and facts["serial"] and facts["os_version"]
        config = ansible["observations"][(device, "device.config")]
        native_config = native["observations"][(device, "device.config")]
        assert config["redactions"] == native_config["redactions"] > 0
    # The raw outputs are the same text; network_cli trims the trailing newline.
    for key, text in ansible["artifacts"].items():
        if key[0] in healthy:
            assert text.rstrip() == native["artifacts"][key].rstrip(), key
    # The Comware switch went the native way in the Ansible run: same facts, too.
    assert ansible["observations"][("cg-dist1", "device.cli_facts")] == \
        native["observations"][("cg-dist1", "device.cli_facts")]


@pytest.mark.lab
def test_per_host_failures_are_classified_like_the_native_transport(both: dict[str, Any]) -> None:
    ansible, native = both["ansible"], both["native"]
    for device in ("dt-badpw1", "dt-rekey1"):
        a, n = ansible["results"][(device, "cli_facts")], native["results"][(device, "cli_facts")]
        assert a.status.value == n.status.value == "error"
        assert a.error_class == n.error_class == "auth_failed"
        # the second collector is not tried again after a refused login (no account lock-out)
        assert ansible["results"][(device, "running_config")].status.value == "skipped"
    assert "host key" in ansible["results"][("dt-rekey1", "cli_facts")].cause
    junk = ansible["results"][("dt-junk1", "cli_facts")]
    assert junk.status.value == "error" and junk.error_class in ("protocol", "parse")
    assert ansible["run"].status.value == "partial"


@pytest.mark.lab
def test_no_secret_in_the_kept_private_data_dir(both: dict[str, Any]) -> None:
    lab: LabInfo = both["lab"]
    secrets = [v for v in read_env_file(lab.env_file).values() if len(v) >= 6]
    kept = [p for p in both["work"].iterdir() if p.is_dir()]
    assert len(kept) == 1, kept  # one ansible-runner run for the whole audit
    files = [p for p in kept[0].rglob("*") if p.is_file()]
    assert any("job_events" in str(p) for p in files)  # the events were kept (redacted), so this looked at them
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace")
        for secret in secrets:
            assert secret not in text, f"{path} holds a secret"
    # The device configuration's own secrets were masked in the kept events too.
    events = "".join(p.read_text(errors="replace") for p in files if "job_events" in str(p))
    assert "enable secret" in events and "$9$lab" not in events


def ansible_yaml(text: str) -> Any:
    """The run's inventory as plain data (its literal values carry Ansible's ``!unsafe`` tag)."""

    class Loader(yaml.SafeLoader):
        pass

    def unsafe(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_scalar(node)  # type: ignore[arg-type]

    Loader.add_constructor("!unsafe", unsafe)
    return yaml.load(text, Loader=Loader)  # a SafeLoader subclass


@pytest.mark.lab
def test_only_read_only_commands_were_handed_to_ansible(both: dict[str, Any]) -> None:
    (kept,) = [p for p in both["work"].iterdir() if p.is_dir()]
    inventory = ansible_yaml((kept / "inventory" / "hosts.yml").read_text())
    hosts = inventory["all"]["hosts"]
    assert set(hosts) == {"cg-core1", "cg-rtr1", "ed-sw2", "dt-rtr1", "dt-badpw1", "dt-rekey1", "dt-junk1"}
    for name, hostvars in hosts.items():
        assert hostvars["netcomply_commands"], name
        for command in hostvars["netcomply_commands"]:
            assert is_allowed(command, hostvars["netcomply_platform"]), command
        assert "lookup('ansible.builtin.env'" in hostvars["ansible_password"]


def test_the_collection_playbook_sends_nothing_but_the_hosts_commands() -> None:
    """Static: every task of collect.yml sends ``netcomply_commands`` (the allow-listed list netcomply writes)
    with a command module; no other module, no literal command that could bypass the allow-list."""
    plays = yaml.safe_load((playbooks_dir() / "collect.yml").read_text())
    for play in plays:
        assert play["gather_facts"] is False
        for task in play["tasks"]:
            assert task["name"] == "netcomply collect"
            modules = [k for k in task if "." in k]
            assert modules in (["cisco.ios.ios_command"], ["ansible.netcommon.cli_command"]), task
            if modules == ["cisco.ios.ios_command"]:
                assert task["cisco.ios.ios_command"] == {"commands": "{{ netcomply_commands }}"}
            else:
                assert task["ansible.netcommon.cli_command"] == {"command": "{{ item }}"}
                assert task["loop"] == "{{ netcomply_commands }}"


def test_every_playbook_literal_command_is_read_only() -> None:
    """The other playbooks (AWX examples, facts) send literal commands only through the allow-list's verbs."""
    for path in playbooks_dir().rglob("*.yml"):
        for command in re.findall(r"(?:command|commands):\s*\[?\"?((?:show|display|get) [^\"\]\n]+)",
                                  path.read_text()):
            assert is_allowed(command.strip(), "cisco_ios"), (path, command)



@pytest.mark.lab
def test_ansibles_own_ios_facts_agree_with_netcomplys_parsing(both: dict[str, Any], tmp_path: Path) -> None:
    """An independent parser: cisco.ios.ios_facts (playbooks/ios-facts.yml) reads model, serial, version and
    hostname from the same lab devices; netcomply's ntc-templates parsing (device.cli_facts) must agree."""
    import shutil

    import ansible_runner

    from collectors.ansible.batch import runner_environment
    from collectors.ansible.workspace import Workspace, host_entry
    from netcomply.secrets import SecretResolver

    lab: LabInfo = both["lab"]
    inventory = load_inventory(lab.inventory)
    healthy = [d for d in inventory.devices if d.name in ("cg-core1", "cg-rtr1", "ed-sw2")]
    secrets = SecretResolver.from_env_file(inventory.env_file)
    ws = Workspace(tmp_path, "facts")
    try:
        shutil.copy2(playbooks_dir() / "ios-facts.yml", ws.root / "project" / "ios-facts.yml")
        entries = [host_entry(d, ["show version"], secrets) for d in healthy]
        ws.write_inventory(entries)
        ws.install_known_hosts(inventory.settings.known_hosts)
        facts: dict[str, dict[str, Any]] = {}

        def keep(event: dict[str, Any]) -> bool:
            data = event.get("event_data") or {}
            if event.get("event") == "runner_on_ok" and data.get("task") == "netcomply ios facts":
                facts[data["host"]] = data["res"]["ansible_facts"]
            return False

        result = ansible_runner.run(private_data_dir=str(ws.root), playbook="ios-facts.yml", quiet=True,
                                    envvars=runner_environment(ws, entries), suppress_env_files=True,
                                    event_handler=keep)
        assert result.rc == 0, result.stdout.read()
    finally:
        ws.finish()
    assert not ws.root.exists()
    native = both["native"]["observations"]
    for device in healthy:
        ours, theirs = native[(device.name, "device.cli_facts")], facts[device.name]
        assert theirs["ansible_net_model"] == ours["model"]
        assert theirs["ansible_net_serialnum"] == ours["serial"]
        assert theirs["ansible_net_version"] == ours["os_version"]
        assert theirs["ansible_net_hostname"] == ours["hostname"] == device.name


def test_ios_facts_sends_only_allow_listed_commands() -> None:
    """ios_facts' default subset (what gather_subset: min runs) sends only read-only commands; other subsets
    (hardware runs `dir`) are not allowed in the playbook."""
    import importlib

    from collectors.ansible.platforms import collections_path

    play = yaml.safe_load((playbooks_dir() / "ios-facts.yml").read_text())[0]
    (task,) = play["tasks"]
    assert task["cisco.ios.ios_facts"] == {"gather_subset": "min", "gather_network_resources": []}
    import sys

    sys.path.insert(0, str(collections_path()))
    try:
        legacy = importlib.import_module(
            "ansible_collections.cisco.ios.plugins.module_utils.network.ios.facts.legacy.base")
    finally:
        sys.path.remove(str(collections_path()))
    assert legacy.Default.COMMANDS
    for command in legacy.Default.COMMANDS:
        assert is_allowed(command, "cisco_ios"), command
    assert not is_allowed("dir", "cisco_ios")  # why the hardware subset stays out
