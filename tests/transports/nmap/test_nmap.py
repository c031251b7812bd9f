"""The nmap transport finds what listens on loopback and refuses every target outside its policy."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator

import pytest

from collectors.transports.nmap import NmapScanner, parse_nmap_xml
from netcomply.errors import TargetNotAllowed
from netcomply.safety.targets import TargetPolicy


@pytest.fixture
def listener() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_finds_an_open_port_and_a_closed_one(listener: int, closed_port: int) -> None:
    scanner = NmapScanner(TargetPolicy.loopback_only())
    result = scanner.scan(["127.0.0.1"], tcp_ports=f"{listener},{closed_port}", ping=False)
    (host,) = result.hosts
    states = {p.port: p.state for p in host.ports}
    assert states == {listener: "open", closed_port: "closed"}
    assert "-n" in result.command


def test_ipv6_loopback(listener: int) -> None:
    with socket.socket(socket.AF_INET6) as s6:
        s6.bind(("::1", 0))
        s6.listen()
        port = s6.getsockname()[1]
        result = NmapScanner(TargetPolicy.loopback_only()).scan(["::1"], tcp_ports=str(port), ping=False)
    assert [(p.port, p.state) for p in result.hosts[0].ports] == [(port, "open")]


@pytest.mark.parametrize(
    "target",
    ["192.0.2.1", "198.51.100.0/24", "2001:db8::1", "-iR 5", "--script=evil 127.0.0.1", "localhost", "0.0.0.0/0"],
)
def test_targets_outside_the_policy_are_refused_before_nmap_starts(target: str) -> None:
    scanner = NmapScanner(TargetPolicy.loopback_only(), nmap="/nonexistent/nmap")
    with pytest.raises(TargetNotAllowed):
        scanner.build_command([target], tcp_ports="22")


def test_large_prefixes_need_an_explicit_allowance() -> None:
    scanner = NmapScanner(TargetPolicy.loopback_only())
    with pytest.raises(TargetNotAllowed, match="allow-large"):
        scanner.build_command(["127.0.0.0/8"])
    assert "127.0.0.0/8" in scanner.build_command(["127.0.0.0/8"], allow_large=True)


def test_namespace_wrapper() -> None:
    argv = NmapScanner(TargetPolicy.loopback_only(), netns="nclab-client").build_command(["127.0.0.1"])
    assert argv[:4] == ["ip", "netns", "exec", "nclab-client"]
    assert argv[argv.index("--") + 1 :] == ["127.0.0.1/32"]


def test_parse_xml_from_a_real_run(listener: int) -> None:
    xml = subprocess.run(
        ["nmap", "-n", "-Pn", "-sT", "-p", str(listener), "-oX", "-", "127.0.0.1"],
        capture_output=True, text=True, check=True,
    ).stdout
    hosts = parse_nmap_xml(xml)
    assert hosts[0].address == "127.0.0.1"
    assert hosts[0].ports[0].port == listener
