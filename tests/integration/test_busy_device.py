"""A busy device answers every line late, even an empty one: each command must still get its own answer.

CI caught an ASA whose firewall rules came back as "no rule set found" while the lab was under load: netmiko's
ASA driver (without its terminal-width change, which is a configuration command) does not wait for a command's
echo, and its spare Enter before each command was answered late, so every command took the previous one's
answer and the access lists were lost. The simulator's ``laggy`` fault plays that device: echo at once, every
answer late. Each device has a calm twin with the same facts; the busy one must give the same outputs."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from collectors.base import CollectContext
from collectors.firewall.collector import COMMANDS, FirewallRules
from collectors.transports.ssh import SshSession
from netcomply.app.lab.sshsim import DeviceProfile
from netcomply.errors import DeviceError, ErrorClass
from netcomply.models import Device, SshSettings
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver
from tests.lab.ssh.background import serving

pytestmark = pytest.mark.lab

#: The drivers that do not wait for echoes (ASA, the one that failed, and Comware) and one that does, as the
#: contrast: the commands the collectors send them, and a word the calm twin's answers must hold somewhere.
PLATFORMS = {
    "cisco_asa": ((*COMMANDS["cisco_asa"][1], "show version"), "access-list"),
    "hp_comware": (("display device manuinfo", "display version", "display current-configuration"), "sysname"),
    "cisco_ios": ((*COMMANDS["cisco_ios"][1], "show version"), "access list"),
}
#: Seconds the busy twin takes for every line: far longer than netmiko's first look for a prompt (25 ms with
#: fast_cli), which is all it takes.
LAG = 0.15
SECRETS = SecretResolver({"PW": "Pw-busy-123", "EN": "En-busy-456"}, {})


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Device], str]]:
    from netcomply.app.lab.sshsim.profile import make_vars

    profiles = [
        DeviceProfile(name=f"{state}-{platform}", platform=platform, address="127.0.0.1", port=0, hostname="fw1",
                      username="audit", password="Pw-busy-123", enable_secret="En-busy-456",
                      fault="laggy" if state == "busy" else None,
                      vars=make_vars(f"fw-{platform}", platform, 0, brand="Lab", model="LAB-1", role="firewall"))
        for platform in PLATFORMS for state in ("calm", "busy")
    ] + [DeviceProfile(name="noise-cisco_asa", platform="cisco_asa", address="127.0.0.1", port=0, hostname="fw1",
                       username="audit", password="Pw-busy-123", enable_secret="En-busy-456", fault="garbage",
                       vars=make_vars("fw-cisco_asa", "cisco_asa", 0, brand="Lab", model="LAB-1", role="firewall"))]
    for p in profiles:
        p.vars["lag"] = LAG  # read by the busy twins only
    with serving(profiles, tmp_path_factory.mktemp("busy-keys")) as (lab, known_hosts):
        yield {p.name: Device(name=p.name, address="127.0.0.1", platform=p.platform, role="firewall",
                              ssh=SshSettings(port=lab.endpoints[p.name][1], username="audit", password_env="PW",
                                              secret_env="EN", read_timeout=30))
               for p in profiles}, known_hosts


@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_command_gets_its_own_answer_from_a_busy_device(twins: Any, platform: str) -> None:
    devices, known_hosts = twins
    commands, word = PLATFORMS[platform]
    answers: dict[str, list[str]] = {}
    for state in ("calm", "busy"):
        with SshSession(devices[f"{state}-{platform}"], SECRETS, known_hosts=known_hosts) as cli:
            answers[state] = [cli.send(c).strip() for c in commands]
    assert any(word in a.lower() for a in answers["calm"])  # the twin's answers are real ones
    for command, calm, busy in zip(commands, answers["calm"], answers["busy"], strict=True):
        assert busy == calm, command


def test_a_busy_asa_still_gives_its_rule_sets(twins: Any) -> None:
    devices, known_hosts = twins
    ctx = CollectContext(run_id="busy", secrets=SECRETS, targets=TargetPolicy.loopback_only(), known_hosts=known_hosts)
    rules: dict[str, list[str]] = {}
    for state in ("calm", "busy"):
        out = asyncio.run(FirewallRules().collect(devices[f"{state}-cisco_asa"], ctx))
        rules[state] = sorted(json.dumps(o.data, sort_keys=True, default=str) for o in out.observations
                              if o.kind == "firewall.rule")
    assert len(rules["calm"]) >= 5
    assert rules["busy"] == rules["calm"]


def test_a_firewall_whose_rules_cannot_be_read_keeps_what_it_said(twins: Any) -> None:
    """The error says "artifacts kept": the outputs travel with it, for the runner to store."""
    devices, known_hosts = twins
    ctx = CollectContext(run_id="noise", secrets=SECRETS, targets=TargetPolicy.loopback_only(), known_hosts=known_hosts)
    with pytest.raises(DeviceError) as caught:
        asyncio.run(FirewallRules().collect(devices["noise-cisco_asa"], ctx))
    assert caught.value.error_class is ErrorClass.PARSE
    assert "artifacts kept" in caught.value.cause
    sources = [a.source for a in caught.value.artifacts]
    assert sources[:len(COMMANDS["cisco_asa"][1])] == [f"ssh:{c}" for c in COMMANDS["cisco_asa"][1]]
