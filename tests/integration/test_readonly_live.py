"""The read-only guard against a live simulated device: refused commands never reach it, whether our code
or netmiko's own driver tries to send them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collectors.transports.ssh import SshSession
from netcomply.app.lab.sshsim import DeviceProfile, SshLab
from netcomply.errors import ReadOnlyViolation
from netcomply.models import Device, SshSettings
from netcomply.secrets import SecretResolver
from tests.lab.ssh.background import serving

pytestmark = pytest.mark.lab

PLATFORMS = {"ios1": "cisco_ios", "asa1": "cisco_asa", "vrp1": "huawei", "cw1": "hp_comware", "srx1": "juniper_junos"}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SshLab, dict[str, Device], str]]:
    from netcomply.app.lab.sshsim.profile import make_vars

    profiles = [
        DeviceProfile(name=n, platform=p, address="127.0.0.1", port=0, hostname=n, username="audit",
                      password="Pw-live-123", enable_secret="En-live-456",
                      vars=make_vars(n, p, i, brand="Lab", model="LAB-1"))
        for i, (n, p) in enumerate(PLATFORMS.items())
    ]
    with serving(profiles, tmp_path_factory.mktemp("keys")) as (lab, known_hosts):
        devices = {
            n: Device(name=n, address="127.0.0.1", platform=p,
                      ssh=SshSettings(port=lab.endpoints[n][1], username="audit", password_env="PW", secret_env="EN"))
            for n, p in PLATFORMS.items()
        }
        yield lab, devices, known_hosts


SECRETS = SecretResolver({"PW": "Pw-live-123", "EN": "En-live-456"}, {})


@pytest.mark.parametrize("name", list(PLATFORMS))
@pytest.mark.parametrize(
    "command", ["configure terminal", "system-view", "write memory", "reload", "copy running-config tftp:",
                "save", "request system reboot"],
)
def test_refused_commands_never_reach_the_device(live: Any, name: str, command: str) -> None:
    lab, devices, known_hosts = live
    with SshSession(devices[name], SECRETS, known_hosts=known_hosts) as cli:
        before = len(lab.received(name))
        with pytest.raises(ReadOnlyViolation):
            cli.send(command)
        assert cli.send(_read_command(name)).strip()  # the session is still fine for reads
        received = lab.received(name)[before:]
    assert command not in received
    assert all(not line.startswith(command.split()[0]) for line in received)


@pytest.mark.parametrize("name", list(PLATFORMS))
def test_the_driver_itself_cannot_enter_configuration_mode(live: Any, name: str) -> None:
    lab, devices, known_hosts = live
    with SshSession(devices[name], SECRETS, known_hosts=known_hosts) as cli:
        with pytest.raises(ReadOnlyViolation):
            cli._conn.config_mode()  # what netmiko's send_config_set would do first
        assert cli.guard is not None
        sent = list(cli.guard.sent)
    received = lab.received(name)
    for word in ("configure", "system-view", "edit", "config"):
        assert not any(line.split()[:1] == [word] for line in received), received
    assert all(not s.startswith(("configure", "system-view")) for s in sent)


def _read_command(name: str) -> str:
    return {"vrp1": "display version", "cw1": "display version"}.get(name, "show version")


def test_unknown_host_key_is_refused_without_explicit_opt_out(live: Any, tmp_path: Path) -> None:
    _lab, devices, _known = live
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    from netcomply.errors import DeviceError, ErrorClass

    with pytest.raises(DeviceError) as err:
        SshSession(devices["ios1"], SECRETS, known_hosts=str(empty)).open()
    assert err.value.error_class is ErrorClass.AUTH_FAILED
    with SshSession(devices["ios1"], SECRETS, insecure_host_keys=True) as cli:  # the explicit opt-out works
        assert "Cisco" in cli.send("show version")


def test_hashed_known_hosts_entries_verify_too(live: Any, tmp_path: Path) -> None:
    """`ssh-keygen -H` hashes host names; those entries cannot be indexed and must still verify."""
    import shutil
    import subprocess

    _lab, devices, known = live
    hashed = tmp_path / "known_hosts"
    shutil.copy(known, hashed)
    subprocess.run(["ssh-keygen", "-H", "-f", str(hashed)], check=True, capture_output=True)
    assert "|1|" in hashed.read_text() and "127.0.0.1" not in hashed.read_text()
    with SshSession(devices["ios1"], SECRETS, known_hosts=str(hashed)) as cli:
        assert "Cisco" in cli.send("show version")


def test_a_key_listed_for_another_device_is_refused(live: Any, tmp_path: Path) -> None:
    from netcomply.errors import DeviceError, ErrorClass

    _lab, devices, known = live
    lines = Path(known).read_text().splitlines()
    ios_port, asa_port = devices["ios1"].ssh.port, devices["asa1"].ssh.port
    asa_key = next(line.split(" ", 1)[1] for line in lines if f"]:{asa_port} " in line)
    swapped = tmp_path / "known_hosts"
    swapped.write_text(f"[127.0.0.1]:{ios_port} {asa_key}\n")  # ios1 listed with a key that is not its own
    if asa_key == next(line.split(" ", 1)[1] for line in lines if f"]:{ios_port} " in line):
        pytest.skip("the lab's key pool gave both devices the same key")
    with pytest.raises(DeviceError) as err:
        SshSession(devices["ios1"], SECRETS, known_hosts=str(swapped)).open()
    assert err.value.error_class is ErrorClass.AUTH_FAILED and "host key" in err.value.cause
