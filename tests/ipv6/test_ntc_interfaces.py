"""FortiOS and PAN-OS interface listings read by ntc-templates (issue 15), checked on real captures from
networktocode/ntc-templates (tests/robustness/fixtures/ntc-templates, SOURCES names path and commit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ntc_templates.parse import parse_output

from collectors.ipv6.parsers import parse_fortigate_physical, parse_panos_interface_all

TESTS = Path(__file__).resolve().parents[1]
RAW = TESTS / "robustness" / "fixtures" / "ntc-templates"
OWN = TESTS / "ipv6" / "fixtures"


@pytest.mark.parametrize("path", [RAW / "fortinet_get_system_interface_physical_5.6.raw",
                                  RAW / "fortinet_get_system_interface_physical_7.4.raw",
                                  OWN / "fortinet_get_system_interface_physical.txt"])
def test_fortigate_ports_are_the_templates(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rows = parse_output(platform="fortinet", command="get system interface physical", data=text)
    ports = parse_fortigate_physical(text)
    assert [p.name for p in ports] == [r["name"] for r in rows] and len(ports) >= 4
    assert [p.up for p in ports] == [r["status"] == "up" for r in rows]
    assert [p.addresses for p in ports] == [[f"{r['ipv6_address']}/{r['ipv6netmask']}"]
                                            if r["ipv6_address"] not in ("", "::") else [] for r in rows]


def test_fortigate_global_address_is_kept() -> None:
    ports = {p.name: p for p in parse_fortigate_physical(
        (OWN / "fortinet_get_system_interface_physical.txt").read_text(encoding="utf-8"))}
    assert ports["port1"].addresses == ["2001:db8:51::1/64"] and ports["mgmt"].addresses == []


def test_panos_logical_interfaces_with_link_state_from_hardware() -> None:
    text = (RAW / "paloalto_panos_show_interface_all.raw").read_text(encoding="utf-8")
    ifaces = {i.name: i for i in parse_panos_interface_all(text)}
    # hardware rows '[n/a]/[n/a]/up' (aggregate, vlan, loopback): up; the former hand parser read them as down
    assert ifaces["ae1"].up is True and ifaces["ae1.99"].up is True and ifaces["loopback"].up is True
    assert ifaces["ethernet1/8.81"].up is True
    own = {i.name: i for i in parse_panos_interface_all(
        (OWN / "paloalto_show_interface_all.txt").read_text(encoding="utf-8"))}
    assert own["ethernet1/8"].addresses == ["2001:db8:8::1/64"] and own["ha1-b"].up is False


def test_output_the_templates_cannot_follow_gives_no_interfaces() -> None:
    text = (RAW / "paloalto_panos_show_interface_all.raw").read_text(encoding="utf-8")
    assert parse_panos_interface_all(text + "\nInvalid syntax.\n") == []
    assert parse_fortigate_physical("Command fail. Return code -61\n") == []
