"""The engine without a client: profiles, templates, schedules, filters, host keys, the process entry point."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler

from netcomply.app.lab.sshsim import DeviceProfile, LabPortInUse, SshLab, ap_is_up, profiles_from_topology
from netcomply.app.lab.sshsim.hostkeys import POOL_SIZE, load_pool
from netcomply.app.lab.sshsim.platform import load_platform
from netcomply.app.lab.sshsim.profile import PLATFORMS, SCALE_CYCLE
from netcomply.app.lab.sshsim.render import PipeError, apply_pipe, render

from .conftest import ENABLE, PASSWORD

REPO = Path(__file__).resolve().parents[3]


def _profiles(topology: dict[str, Any], **kw: Any) -> list[DeviceProfile]:
    return profiles_from_topology(topology, password=PASSWORD, enable_secret=ENABLE, **kw)


def test_default_lab_has_every_ssh_device_and_platform(topology: dict[str, Any]) -> None:
    profiles = _profiles(topology)
    ssh_devices = [d for d in topology["devices"] if d.get("ssh")]
    assert [p.name for p in profiles] == [d["name"] for d in ssh_devices]
    assert {p.platform for p in profiles} == set(PLATFORMS)
    for p, d in zip(profiles, ssh_devices, strict=True):
        assert (p.address, p.vars["model"], p.vars["brand"], p.fault) == (
            d["address"], d["model"], d["brand"], d.get("fault"))
        assert (p.password != PASSWORD) == (d.get("fault") == "wrong_password")
    # Facts are derived from the name: the same on every run, different between devices.
    again = {p.name: p.vars["serial"] for p in _profiles(topology)}
    assert again == {p.name: p.vars["serial"] for p in profiles}
    assert len(set(again.values())) == len(again)


def test_scale_profiles_cycle_platforms_on_distinct_loopback_addresses(topology: dict[str, Any]) -> None:
    profiles = _profiles(topology, scale=1000)
    assert len({p.address for p in profiles}) == 1000
    assert all(p.address.startswith("127.1.") for p in profiles)
    assert [p.platform for p in profiles[: len(SCALE_CYCLE)]] == list(SCALE_CYCLE)


def test_every_command_of_every_platform_renders(topology: dict[str, Any]) -> None:
    for profile in _profiles(topology) + _profiles(topology, scale=len(SCALE_CYCLE)):
        spec = load_platform(profile.platform)
        for command in spec.commands:
            if command.needs and not profile.vars.get(command.needs):
                continue
            text = render(profile.platform, command.template, profile, mode="priv")
            assert text.strip(), f"{profile.platform}: {command.template} rendered nothing"
            assert "\t\t\t" not in text and "{{" not in text


def test_ap_schedule() -> None:
    ap = {"name": "x", "down": [[60, 180]]}
    assert ap_is_up(ap, lab_epoch=1000, now=1059)
    assert not ap_is_up(ap, lab_epoch=1000, now=1060)
    assert not ap_is_up(ap, lab_epoch=1000, now=1179)
    assert ap_is_up(ap, lab_epoch=1000, now=1180)
    assert ap_is_up({"name": "y"}, lab_epoch=0)


def test_pipes() -> None:
    text = "alpha 1\nbeta 2\ngamma 3\n"
    assert apply_pipe(text, "include a 1") == "alpha 1\n"
    assert apply_pipe(text, "exclude beta") == "alpha 1\ngamma 3\n"
    assert apply_pipe(text, "begin beta") == "beta 2\ngamma 3\n"
    assert apply_pipe(text, "grep -i GAMMA") == "gamma 3\n"
    assert apply_pipe(text, "count") == "Count: 3 lines\n"
    with pytest.raises(PipeError):
        apply_pipe(text, "tee /tmp/x")


def test_host_key_pool_is_small_and_reused(tmp_path: Path) -> None:
    first = load_pool(tmp_path)
    second = load_pool(tmp_path)
    assert len(first.keys) == POOL_SIZE
    assert [k.export_public_key() for k in first.keys] == [k.export_public_key() for k in second.keys]
    assert first.rogue.export_public_key() not in {k.export_public_key() for k in first.keys}
    assert len({first.for_device(f"d{i}").export_public_key() for i in range(100)}) > 1


def test_lab_refuses_non_loopback_and_reports_taken_ports(tmp_path: Path, topology: dict[str, Any]) -> None:
    profile = _profiles(topology)[0]
    profile.address, profile.port = "192.0.2.1", 0
    with pytest.raises(ValueError, match="loopback"):
        asyncio.run(SshLab.start([profile], host_key_dir=tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.10.250", 0))
        taken.listen()
        profile.address, profile.port = "127.0.10.250", taken.getsockname()[1]
        with pytest.raises(LabPortInUse, match="already in use"):
            asyncio.run(SshLab.start([profile], host_key_dir=tmp_path))


def _run_process(tmp_path: Path, profiles: list[DeviceProfile]) -> tuple[subprocess.Popen[str], Path]:
    path = tmp_path / "profiles.json"
    path.write_text(json.dumps([p.to_dict() for p in profiles]))
    ready = tmp_path / "ready.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "netcomply.app.lab.sshsim", "--profiles", str(path), "--host-keys",
         str(tmp_path / "keys"), "--ready-file", str(ready)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    return proc, ready


@pytest.mark.lab
def test_process_serves_until_sigterm(tmp_path: Path, topology: dict[str, Any]) -> None:
    profiles = [p for p in _profiles(topology, port=0) if p.name in ("cg-core1", "ed-core1")]
    proc, ready = _run_process(tmp_path, profiles)
    try:
        deadline = time.monotonic() + 20
        while not ready.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the ready file never appeared"
            time.sleep(0.05)
        info = json.loads(ready.read_text())
        assert set(info["devices"]) == {"cg-core1", "ed-core1"}
        address, port = info["devices"]["cg-core1"]
        known_hosts = tmp_path / "known_hosts"
        known_hosts.write_text("\n".join(info["known_hosts"]) + "\n")
        with ConnectHandler(device_type="cisco_ios", host=address, port=port, username=profiles[0].username,
                            password=PASSWORD, system_host_keys=False, alt_host_keys=True,
                            alt_key_file=str(known_hosts), ssh_strict=True) as conn:
            assert conn.find_prompt() == "cg-core1>"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    assert not ready.exists()


@pytest.mark.lab
def test_process_exits_clearly_when_a_port_is_taken(tmp_path: Path, topology: dict[str, Any]) -> None:
    profile = _profiles(topology)[0]
    with socket.socket() as taken:
        taken.bind(("127.0.10.251", 0))
        taken.listen()
        profile.address, profile.port = "127.0.10.251", taken.getsockname()[1]
        proc, ready = _run_process(tmp_path, [profile])
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 3
    assert f"127.0.10.251:{profile.port} is already in use" in err
    assert "Traceback" not in err
    assert not ready.exists()
    assert os.path.isdir(tmp_path / "keys")
