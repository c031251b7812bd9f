"""What reaches the device when the Ansible transport collects: every line an (in-process) simulated Cisco IOS
device received, including what network_cli's cliconf/terminal plugins send on their own, passes the read-only
allow-list."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collectors.ansible.batch import AnsibleBatch, AnsibleOptions
from collectors.ansible.platforms import missing_collections
from collectors.base import CollectContext
from collectors.cli_facts import COMMANDS as FACT_COMMANDS
from collectors.running_config import COMMANDS as CONFIG_COMMANDS
from netcomply.app.lab.sshsim import DeviceProfile, SshLab
from netcomply.models import Device, SshSettings
from netcomply.safety.readonly import is_allowed
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver

pytestmark = [pytest.mark.lab, pytest.mark.skipif(bool(missing_collections()), reason="collections missing")]


@pytest.fixture(scope="module")
def ios_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SshLab, Device, str]]:
    from netcomply.app.lab.sshsim.profile import make_vars

    profile = DeviceProfile(name="wire1", platform="cisco_ios", address="127.0.0.1", port=0, hostname="wire1",
                            username="audit", password="Pw-wire-123", enable_secret="En-wire-456",
                            vars=make_vars("wire1", "cisco_ios", 0, brand="Cisco", model="C9300-48P"))
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    keys = tmp_path_factory.mktemp("keys")
    lab = asyncio.run_coroutine_threadsafe(SshLab.start([profile], host_key_dir=keys), loop).result(30)
    known_hosts = str(lab.write_known_hosts(keys / "known_hosts"))
    device = Device(name="wire1", address="127.0.0.1", platform="cisco_ios",
                    ssh=SshSettings(port=lab.endpoints["wire1"][1], username="audit", password_env="PW",
                                    secret_env="EN"))
    try:
        yield lab, device, known_hosts
    finally:
        asyncio.run_coroutine_threadsafe(lab.close(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def test_every_line_ansible_sent_is_read_only(ios_lab: Any, tmp_path: Path) -> None:
    lab, device, known_hosts = ios_lab
    commands = [*FACT_COMMANDS["cisco_ios"], CONFIG_COMMANDS["cisco_ios"]]
    policy = TargetPolicy.of(["127.0.0.1"], reason="test")
    ctx = CollectContext(run_id="wire", secrets=SecretResolver({"PW": "Pw-wire-123", "EN": "En-wire-456"}, {}),
                         targets=policy, known_hosts=known_hosts)
    batch = AnsibleBatch(ctx, {"wire1": (device, commands)}, AnsibleOptions(forks=1, work_dir=tmp_path))
    try:
        outcome = asyncio.run(batch.outcome("wire1"))
    finally:
        batch.close()
    assert outcome.error is None, outcome.error
    assert set(outcome.outputs) == set(commands)
    assert "C9300-48P" in outcome.outputs["show version"]
    received = lab.received("wire1")
    assert "terminal width 512" in received  # network_cli's own session set-up went through the same check
    assert {"show version", "show running-config"} <= set(received)
    refused = [line for line in received if line != "<enable secret>" and not is_allowed(line, "cisco_ios")]
    assert refused == [], refused
    assert list(tmp_path.iterdir()) == []  # the private data dir is gone

