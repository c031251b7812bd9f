"""Every command the playbooks would send goes through the same read-only guard as the native transport.

Static and complete: each task of each play in ``playbooks/*.yml`` is classified. A task on a device connection
must be one of the reading modules known here, and what it sends is checked with the guard: literal commands
directly, ``netcomply_commands`` through the transport (which writes that list only after the guard), and the
commands ``ios_facts`` runs for its subset read from the installed collection's own source. Tasks that run on
the control node (``delegate_to: localhost`` with a local connection) send nothing to a device. Anything else
(a ``*_config`` module, an unknown module) fails the test until it is classified here.
"""

from __future__ import annotations

import ast
import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from collectors.ansible.batch import AnsibleBatch, AnsibleOptions
from collectors.ansible.platforms import (
    NETWORK_OS,
    check_ansible_command,
    collections_path,
    playbooks_dir,
    read_only_commands,
)
from collectors.base import CollectContext
from netcomply.errors import DeviceError, ErrorClass, ReadOnlyViolation
from netcomply.models import Device, SshSettings
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver

#: Jinja expressions a device task may send: the list the transport wrote after checking every command.
CHECKED_LISTS = {"{{ netcomply_commands }}"}
#: Modules that only read from a network device, and the parameter holding what they send.
READ_MODULES = {"cisco.ios.ios_command": "commands", "ansible.netcommon.cli_command": "command",
                "cisco.ios.ios_facts": None}
#: Modules allowed on the control node (they never reach a device).
LOCAL_MODULES = {"ansible.builtin.command", "ansible.builtin.set_stats", "ansible.builtin.debug",
                 "ansible.builtin.set_fact", "ansible.builtin.assert"}
TASK_KEYS = {"name", "when", "register", "loop", "loop_control", "vars", "run_once", "delegate_to", "changed_when",
             "failed_when", "tags", "become", "ignore_errors", "no_log", "environment", "connection", "until",
             "retries", "delay", "notify", "check_mode", "timeout", "args", "block", "rescue", "always"}
FACT_SUBSETS = {"min": "Default", "default": "Default", "hardware": "Hardware", "config": "Config",
                "interfaces": "Interfaces"}


def plays() -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in sorted(playbooks_dir().glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(doc, list), path
        for play in doc:
            if "import_playbook" in play:
                continue
            yield path, play


def tasks(items: list[dict[str, Any]] | None) -> Iterator[dict[str, Any]]:
    for task in items or []:
        yield task
        for key in ("block", "rescue", "always"):
            yield from tasks(task.get(key))


def module_of(task: dict[str, Any]) -> str | None:
    found = [k for k in task if k not in TASK_KEYS]
    assert len(found) <= 1, f"task {task.get('name')!r}: cannot tell the module among {found}"
    return found[0] if found else None


def is_local(play: dict[str, Any], task: dict[str, Any]) -> bool:
    connection = (task.get("vars") or {}).get("ansible_connection") or task.get("connection") \
        or play.get("connection")
    return task.get("delegate_to") == "localhost" and connection in ("local", "ansible.builtin.local")


def platforms_for(task: dict[str, Any], module: str) -> list[str]:
    """The netmiko platforms a device task may face (ios modules: the IOS ones; generic: every routed one)."""
    if module.startswith("cisco.ios."):
        return [p for p, os_ in NETWORK_OS.items() if os_ == "cisco.ios.ios"]
    return sorted(NETWORK_OS)


def fact_commands(subsets: list[str]) -> list[str]:
    """The commands cisco.ios.ios_facts runs for ``subsets``, read from the installed collection's source."""
    base = collections_path() / "ansible_collections/cisco/ios/plugins/module_utils/network/ios/facts/legacy/base.py"
    if not base.is_file():
        pytest.skip("cisco.ios collection not installed (make deps)")
    tree = ast.parse(base.read_text(encoding="utf-8"))
    table: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.List) \
                        and any(getattr(t, "id", "") == "COMMANDS" for t in stmt.targets):
                    table[node.name] = list(ast.literal_eval(stmt.value))
    commands: list[str] = []
    for subset in subsets:
        assert subset in FACT_SUBSETS, f"ios_facts subset {subset!r} is not classified"
        commands += table[FACT_SUBSETS[subset]]
    return commands


def sent_by(task: dict[str, Any], module: str) -> list[str]:
    """Literal commands a device task sends (checked-list references return nothing: checked upstream)."""
    args = task[module] or {}
    if module == "cisco.ios.ios_facts":
        subsets = args.get("gather_subset", "min")
        assert not args.get("gather_network_resources"), "network resources run their own commands"
        return fact_commands([subsets] if isinstance(subsets, str) else list(subsets))
    value = args[READ_MODULES[module]]
    if value == "{{ item }}":
        assert task.get("loop") in CHECKED_LISTS, f"{task.get('name')!r} loops over {task.get('loop')!r}"
        return []
    if isinstance(value, str) and "{{" in value:
        assert value in CHECKED_LISTS, f"{task.get('name')!r} sends {value!r}, not a checked list"
        return []
    return [value] if isinstance(value, str) else list(value)


def classified() -> list[tuple[str, str, str, list[str]]]:
    found: list[tuple[str, str, str, list[str]]] = []
    for path, play in plays():
        for task in tasks(play.get("tasks")) or []:
            module = module_of(task)
            if module is None:
                continue
            if is_local(play, task):
                assert module in LOCAL_MODULES, f"{path.name}: local task uses {module}"
                found.append((path.name, str(task.get("name")), "local", []))
                continue
            assert module in READ_MODULES, f"{path.name}: {task.get('name')!r} uses {module}, not a reading module"
            found.append((path.name, str(task.get("name")), module, sent_by(task, module)))
    return found


def test_every_task_of_every_playbook_is_classified_and_only_reads() -> None:
    found = classified()
    assert {name for name, *_ in found} == {p.name for p in playbooks_dir().glob("*.yml")}
    device_tasks = [f for f in found if f[2] != "local"]
    assert device_tasks, "no device task found: the walk is broken"
    for path, name, module, commands in device_tasks:
        assert module is not None
        for command in commands:
            for platform in platforms_for({}, module):
                assert check_ansible_command(command, platform) == command, (path, name, command)


def test_ios_facts_subset_commands_come_from_the_collection_and_pass() -> None:
    commands = fact_commands(["min"])
    assert "show version" in commands
    with pytest.raises(ReadOnlyViolation):  # the subset the playbook avoids: hardware runs `dir`
        for command in fact_commands(["hardware"]):
            check_ansible_command(command, "cisco_ios")


@pytest.mark.parametrize("command", [
    "show \x15reload",
    "show version\x0b",
    "show version\u2028reload",
    "show {{ lookup('ansible.builtin.pipe', 'id') }}",
    "show {% if true %}x{% endif %}",
    "show {# comment #}",
    "configure terminal",
])
def test_the_transport_refuses_before_writing_anything(command: str, tmp_path: Path) -> None:
    with pytest.raises(DeviceError) as raised:
        read_only_commands(["show version", command], "cisco_ios", "r1")
    assert raised.value.error_class is ErrorClass.CONFIG and "refused before sending" in str(raised.value)
    device = Device(name="r1", address="127.0.0.1", platform="cisco_ios",
                    ssh=SshSettings(port=22, username="audit", password_env="PW"))
    ctx = CollectContext(run_id="guard", secrets=SecretResolver({"PW": "x"}, {}),
                         targets=TargetPolicy.of(["127.0.0.1"], reason="test"))
    batch = AnsibleBatch(ctx, {"r1": (device, ["show version", command])}, AnsibleOptions(work_dir=tmp_path))
    try:
        outcome = asyncio.run(batch.outcome("r1"))
    finally:
        batch.close()
    assert outcome.error is not None and outcome.error.error_class is ErrorClass.CONFIG
    assert batch.runs == 0 and list(tmp_path.iterdir()) == []  # no playbook run, no inventory written


def test_ansible_reads_every_literal_host_variable_without_templating(tmp_path: Path) -> None:
    """An inventory value holding Jinja2 (a user name here) would run on the control node if Ansible templated
    it; the run's inventory marks every value netcomply did not write as a template ``!unsafe``. Checked with
    Ansible's own loader (as its yaml inventory plugin loads: trusted as template) and templar."""
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar

    from collectors.ansible.workspace import Workspace, host_entry

    jinja = "{{ 7 * 7 }}"
    device = Device(name="r1", address="127.0.0.1", platform="cisco_ios",
                    ssh=SshSettings(port=22, username=jinja, password_env="PW"))
    entry = host_entry(device, ["show version"], SecretResolver({"PW": "pw-literal-1"}, {}))
    ws = Workspace(tmp_path, "literal")
    try:
        path = ws.write_inventory([entry])
        loader = DataLoader()
        doc = loader.load_from_file(str(path), cache="none", trusted_as_template=True)
        hostvars = doc["all"]["hosts"]["r1"]
        templar = Templar(loader=loader, variables={})
        assert templar.template(hostvars["ansible_user"]) == jinja  # taken literally
        assert templar.template(hostvars["netcomply_commands"]) == ["show version"]
        assert templar.template(hostvars["ansible_host"]) == "127.0.0.1"
        # the control: the same text without the tag is evaluated, so the assertion above can fail
        plain = tmp_path / "plain.yml"
        plain.write_text(f"user: '{jinja}'\n", encoding="utf-8")
        assert templar.template(loader.load_from_file(str(plain), cache="none", trusted_as_template=True)["user"]) \
            == 49
        # the secret's environment lookup is still a template (Ansible must resolve it)
        assert "lookup('ansible.builtin.env'" in str(hostvars["ansible_password"])
        assert "!unsafe" not in next(line for line in path.read_text().splitlines() if "ansible_password" in line)
    finally:
        ws.finish()
