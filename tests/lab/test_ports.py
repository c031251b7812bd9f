"""`lab up` chooses its ports: the usual ones, the first free ones above them when those are taken, or the
ones given; `lab status` prints them. Seen before: a second lab holding UDP 1161 left `lab up` no way out."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from netcomply.app.lab.manager import LabInfo, choose_port
from netcomply.app.lab.supervisor import LabError


@pytest.fixture
def held_udp() -> Iterator[int]:
    """A UDP port on 127.0.0.1 that someone else holds, as a running lab's agent would."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        yield s.getsockname()[1]


@pytest.fixture
def held_tcp() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def test_a_taken_usual_port_moves_to_the_next_free_one(held_udp: int, held_tcp: int) -> None:
    udp = choose_port(None, held_udp, ["127.0.0.1", "127.0.0.2"], udp=True)
    tcp = choose_port(None, held_tcp, ["127.0.0.1"], udp=False)
    assert udp > held_udp and tcp > held_tcp
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", udp))  # really free


def test_a_port_asked_for_is_used_or_refused(held_udp: int) -> None:
    with pytest.raises(LabError, match=f"UDP port {held_udp} is taken on 127.0.0.1"):
        choose_port(held_udp, 1161, ["127.0.0.1"], udp=True)
    free = choose_port(None, held_udp, ["127.0.0.1"], udp=True)
    assert choose_port(free, 1161, ["127.0.0.1"], udp=True) == free


def test_a_port_taken_on_one_device_address_is_taken(held_udp: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as other:
        other.bind(("127.0.10.9", held_udp + 1))
        got = choose_port(None, held_udp, ["127.0.0.1", "127.0.10.9"], udp=True)
    assert got not in (held_udp, held_udp + 1)


@pytest.mark.lab
def test_lab_status_prints_the_ports(city_lab: LabInfo) -> None:
    proc = subprocess.run([sys.executable, "-m", "netcomply.app.cli.main", "lab", "status", "--state-dir",
                           str(city_lab.state_dir)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert f"SSH tcp/{city_lab.ssh_port}, SNMP udp/{city_lab.snmp_port}" in proc.stdout
    as_json = subprocess.run([sys.executable, "-m", "netcomply.app.cli.main", "lab", "status", "--state-dir",
                              str(city_lab.state_dir), "-f", "json"], capture_output=True, text=True, timeout=60)
    info = json.loads(as_json.stdout)["info"]
    assert (info["ssh_port"], info["snmp_port"]) == (city_lab.ssh_port, city_lab.snmp_port)


@pytest.mark.lab
def test_lab_up_refuses_a_taken_port_it_was_given(city_lab: LabInfo, tmp_path: Path) -> None:
    """The running test lab holds its SNMP port: a second `lab up --snmp-port` on it fails cleanly."""
    proc = subprocess.run([sys.executable, "-m", "netcomply.app.cli.main", "lab", "up", "--state-dir",
                           str(tmp_path / "second"), "--no-services", "--ssh-port", str(city_lab.ssh_port + 7),
                           "--snmp-port", str(city_lab.snmp_port)], capture_output=True, text=True, timeout=180)
    assert proc.returncode != 0
    assert f"UDP port {city_lab.snmp_port} is taken" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    status = subprocess.run([sys.executable, "-m", "netcomply.app.cli.main", "lab", "status", "--state-dir",
                             str(tmp_path / "second")], capture_output=True, text=True, timeout=60)
    assert "not running" in status.stdout  # nothing left behind
