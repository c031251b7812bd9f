"""Addresses in the inventory are validated: IPv4 and IPv6 literals must be valid, host names must be DNS names.

Issue 14: ``address: 999.1.1.1`` passed ``inventory validate``. The properties below pin the rule from both sides
(every real address and every well-formed name passes; whatever passes is a literal or an RFC 1123 name), and the
lab's and the sample inventories stay valid.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest
from fuzzkit import FUZZ, ROOT
from hypothesis import given
from hypothesis import strategies as st

from netcomply.app.lab.inventory_writer import build_inventory, hotspots_from_topology, write_inventory
from netcomply.app.lab.manager import load_topology
from netcomply.inventory import validate_inventory
from netcomply.inventory.addresses import address_problem, hostname_problem, resolver_problem

_RFC1123 = re.compile(r"(?=.{1,253}\.?$)((?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)*(?!-)[A-Za-z0-9-]*[A-Za-z-][A-Za-z0-9-]*"
                      r"(?<!-)\.?")


def _inventory(tmp_path: Path, address: str) -> Path:
    path = tmp_path / "inv.yaml"
    path.write_text(f"hosts:\n  r1:\n    platform: cisco_ios\n    address: '{address}'\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("address", ["999.1.1.1", "1.2.3", "192.0.2.256", "192.0.02.1", "2001:db8::zz",
                                     "2001:db8:::1", "-sw1.example", "sw1..example", "sw_1.example",
                                     "host.123", "0x7f000001", "127.1", "a" * 64 + ".example", "sw1.例子.tw"])
def test_bad_addresses_are_file_line_key_errors(tmp_path: Path, address: str) -> None:
    path = _inventory(tmp_path, address)
    report = validate_inventory(path, environ={})
    assert [(p.file, p.line, p.key) for p in report.problems] == [(str(path), 4, "hosts.r1.address")]
    assert repr(address) in report.problems[0].message


@pytest.mark.parametrize("address", ["192.0.2.1", "2001:db8::1", "fe80::1%eth0", "::ffff:192.0.2.1",
                                     "sw1.example.gov.tw", "sw1.example.gov.tw.", "core-1", "xn--fsqu00a.tw",
                                     "3com-switch.example"])
def test_good_addresses_pass(tmp_path: Path, address: str) -> None:
    assert validate_inventory(_inventory(tmp_path, address), environ={}).problems == []


@FUZZ
@given(st.one_of(st.ip_addresses().map(str), st.from_regex(_RFC1123, fullmatch=True)))
def test_every_ip_and_dns_name_passes(value: str) -> None:
    labels = value.rstrip(".").split(".")
    looks_like_aton = len(labels) <= 4 and all(re.fullmatch(r"0[xX][0-9A-Fa-f]*|[0-9]+", x) for x in labels)
    if len(value.rstrip(".")) <= 253 and not looks_like_aton:
        assert address_problem(value) is None, value


@FUZZ
@given(st.text(alphabet=st.sampled_from("0123456789.:abcdefxX-_% é"), max_size=40))
def test_whatever_passes_is_an_ip_or_a_host_name(value: str) -> None:
    if address_problem(value) is not None:
        return
    text = value.strip()
    try:
        ipaddress.ip_address(text)
    except ValueError:
        assert _RFC1123.fullmatch(text), text
        assert hostname_problem(text) is None


@FUZZ
@given(st.ip_addresses(), st.integers(1, 65535))
def test_resolver_forms(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, port: int) -> None:
    written = f"[{ip}]:{port}" if ip.version == 6 else f"{ip}:{port}"
    assert resolver_problem(written) is None and resolver_problem(str(ip)) is None
    assert resolver_problem(f"{written}99999") is not None


def test_service_names_and_resolvers_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text("services:\n"
                    "  - {name: www.example.gov.tw, kind: web}\n"
                    "  - {name: 'mail server.example', kind: mail}\n"
                    "  - {name: lab.example, kind: dns, endpoints: {resolver: '[::1]:70000'}}\n"
                    "  - {name: lab.example, kind: dns, endpoints: {resolver: '[::1]:5353', hosts: {'ns_1.x': {}}}}\n",
                    encoding="utf-8")
    report = validate_inventory(path, environ={})
    assert [(p.line, p.key) for p in report.problems] == [(3, "services[1].name"), (4, "services[2].endpoints"),
                                                          (5, "services[3].endpoints")]


def test_sample_inventory_stays_valid() -> None:
    report = validate_inventory(ROOT / "inventory" / "sample-city.yaml", environ={})
    assert report.problems == [] and report.inventory is not None and len(report.inventory.devices) >= 30


def test_lab_inventory_stays_valid(tmp_path: Path) -> None:
    topology = load_topology()
    doc = build_inventory(topology, topology["devices"], ssh_port=12222, snmp_port=11161,
                          hotspots=hotspots_from_topology(topology))
    (tmp_path / "lab.env").write_text("", encoding="utf-8")
    report = validate_inventory(write_inventory(tmp_path / "lab.yaml", doc, "lab"), environ={})
    assert report.problems == []
    assert report.inventory is not None and len(report.inventory.devices) == len(topology["devices"])
