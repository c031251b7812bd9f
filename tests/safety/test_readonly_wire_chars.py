"""Against a live simulated device: a command holding a line-editing character is refused before anything
leaves the process, the session stays usable, and the device never receives a byte of it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from collectors.transports.ssh import SshSession
from netcomply.app.lab.sshsim import DeviceProfile, SshLab
from netcomply.errors import ReadOnlyViolation
from netcomply.models import Device, SshSettings
from netcomply.secrets import SecretResolver
from tests.lab.ssh.background import serving

pytestmark = pytest.mark.lab

PLATFORMS = {"ios9": ("cisco_ios", "show version"), "vrp9": ("huawei", "display version")}
SECRETS = SecretResolver({"PW": "Pw-chars-123", "EN": "En-chars-456"}, {})


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SshLab, dict[str, Device], str]]:
    from netcomply.app.lab.sshsim.profile import make_vars

    profiles = [DeviceProfile(name=n, platform=p, address="127.0.0.1", port=0, hostname=n, username="audit",
                              password="Pw-chars-123", enable_secret="En-chars-456",
                              vars=make_vars(n, p, i, brand="Lab", model="LAB-1"))
                for i, (n, (p, _)) in enumerate(PLATFORMS.items())]
    with serving(profiles, tmp_path_factory.mktemp("keys")) as (lab, known_hosts):
        devices = {n: Device(name=n, address="127.0.0.1", platform=p,
                             ssh=SshSettings(port=lab.endpoints[n][1], username="audit", password_env="PW",
                                             secret_env="EN"))
                   for n, (p, _) in PLATFORMS.items()}
        yield lab, devices, known_hosts


@pytest.mark.parametrize("name", list(PLATFORMS))
def test_line_editing_characters_never_reach_the_device(live: Any, name: str) -> None:
    lab, devices, known_hosts = live
    read = PLATFORMS[name][1]
    hostile = [f"{read.split()[0]} \x15reload", f"{read}\x0b", f"{read}\u2028reboot", f"{read}\x1a",
               f"\x01{read}", f"{read} | include x\x08\x08\x08\x08\x08"]
    with SshSession(devices[name], SECRETS, known_hosts=known_hosts) as cli:
        before = len(lab.received(name))
        for command in hostile:
            with pytest.raises(ReadOnlyViolation, match="U\\+"):
                cli.send(command)
        assert cli.send(read).strip()  # the session is still fine for reads
        received = lab.received(name)[before:]
    assert [line for line in received if line] == [read]  # netmiko's bare Enter aside, only the read
    assert not any(ch in line for line in lab.received(name) for ch in "\x15\x0b\u2028\x1a\x01\x08")
