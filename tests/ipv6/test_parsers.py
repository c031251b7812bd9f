"""IPv6 interface and configuration parsers on captured output (fixtures modelled on real devices' output:
ntc-templates test captures, genieparser's Junos golden output, vendor documentation), plus property tests."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.ipv6.devices import _from_ntc, ipv6_from_index, prefix_length, summarise
from collectors.ipv6.parsers import (
    config_facts,
    is_global,
    parse_cisco_brief,
    parse_comware_brief,
    parse_fortigate_physical,
    parse_huawei_brief,
    parse_junos_terse,
    parse_panos_interface_all,
)
from collectors.transports.ssh import parse_with_ntc

FIX = Path(__file__).resolve().parent / "fixtures"


def text(name: str) -> str:
    return (FIX / name).read_text(encoding="utf-8")


def global_map(interfaces) -> dict[str, list[str]]:
    facts = summarise(interfaces)
    return {row["name"]: row["global"] for row in facts["interfaces"] if row["global"]}


def test_cisco_ios_own_parser_agrees_with_ntc_templates() -> None:
    raw = text("cisco_ios_show_ipv6_interface_brief.txt")
    ours = parse_cisco_brief(raw)
    rows = parse_with_ntc("cisco_ios", "show ipv6 interface brief", raw)
    assert rows
    assert [i.to_dict() for i in ours] == [i.to_dict() for i in _from_ntc(rows)]
    assert global_map(ours) == {"TenGigabitEthernet1/1": ["2a01:3333:3333::5"], "Loopback0": ["2a01:5a20:1fff::13"],
                                "Vlan76": ["2a01:3333:3333:33::1", "2a01:3333:3333:33::2"]}
    states = {i.name: i.up for i in ours}
    assert states["TenGigabitEthernet2/6"] is False and states["TenGigabitEthernet3/10"] is False
    assert states["Vlan77"] is True


def test_cisco_asa() -> None:
    ifaces = parse_cisco_brief(text("cisco_asa_show_ipv6_interface_brief.txt"))
    assert [i.name for i in ifaces] == ["outside", "inside", "dmz"]
    assert global_map(ifaces) == {"outside": ["2001:db8:100::1"], "inside": ["2001:db8:200::1"]}
    assert ifaces[2].up is False


@pytest.mark.parametrize("fixture, expected", [
    ("huawei_display_ipv6_interface_brief.txt",
     {"GigabitEthernet0/0/1": ["2001:db8:12::1"], "LoopBack0": ["2001:db8:ffff::1"]}),
    ("huawei_v8_display_ipv6_interface_brief.txt",
     {"10GE1/0/1": ["2001:db8:a::1"], "Vlanif333": ["2a02:6b8:c0e:49::1"]}),
])
def test_huawei(fixture: str, expected: dict[str, list[str]]) -> None:
    ifaces = parse_huawei_brief(text(fixture))
    assert global_map(ifaces) == expected
    if fixture.startswith("huawei_display"):
        assert {i.name: i.up for i in ifaces}["GigabitEthernet0/0/2"] is False
        assert "Vlanif10" in {i.name for i in ifaces}  # link-local only: present, not global


def test_hp_comware() -> None:
    ifaces = parse_comware_brief(text("hp_comware_display_ipv6_interface_brief.txt"))
    assert global_map(ifaces) == {"GigabitEthernet1/0/1": ["2001:db8:1::1"], "LoopBack0": ["2001:db8:ffff::1"],
                                  "Vlan-interface100": ["2001:db8:100::1"]}
    assert {i.name: i.up for i in ifaces}["Vlan-interface100"] is False


def test_junos_terse() -> None:
    ifaces = parse_junos_terse(text("juniper_show_interfaces_terse.txt"))
    assert global_map(ifaces) == {"em1.0": ["2001:db8:8d82:0:a::4"]}
    em1 = next(i for i in ifaces if i.name == "em1.0")
    assert em1.addresses == ["fe80::250:56ff:fe82:ba52/64", "2001:db8:8d82:0:a::4/64"]
    assert {i.name: i.up for i in ifaces}["ge-0/0/2"] is False
    assert summarise(ifaces)["global_addresses"][0]["prefixlen"] == 64


def test_fortigate() -> None:
    ifaces = parse_fortigate_physical(text("fortinet_get_system_interface_physical.txt"))
    assert [i.name for i in ifaces] == ["mgmt", "port1", "port2", "modem"]
    assert global_map(ifaces) == {"port1": ["2001:db8:51::1"]}
    assert {i.name: i.up for i in ifaces} == {"mgmt": True, "port1": True, "port2": False, "modem": False}


def test_panos() -> None:
    ifaces = parse_panos_interface_all(text("paloalto_show_interface_all.txt"))
    assert [i.name for i in ifaces] == ["ethernet1/8", "ethernet1/8.81", "ethernet1/13", "ha1-b"]
    assert global_map(ifaces) == {"ethernet1/8": ["2001:db8:8::1"]}
    assert {i.name: i.up for i in ifaces}["ha1-b"] is False


def test_config_facts_per_platform() -> None:
    ios = "hostname r1\nipv6 unicast-routing\nipv6 access-list MGMT-V6\n permit ipv6 2001:DB8::/32 any\n"
    assert config_facts("cisco_ios", ios, has_global=True) == {"routing_enabled": True, "acls": ["MGMT-V6"]}
    assert config_facts("cisco_ios", "hostname r1\n", has_global=True) == {"routing_enabled": False, "acls": []}
    asa = "access-list OUT6 extended permit tcp any6 host 2001:db8::10 eq https\naccess-list IN extended permit ip any any\n"
    assert config_facts("cisco_asa", asa, has_global=True)["acls"] == ["OUT6"]
    vrp = "sysname core\nipv6\n#\nacl ipv6 number 3000\n rule 5 permit ipv6\n"
    assert config_facts("huawei", vrp, has_global=False) == {"routing_enabled": True, "acls": ["3000"]}
    assert config_facts("huawei", "sysname core\n ipv6 enable\n", has_global=True)["routing_enabled"] is False
    comware = "acl ipv6 advanced 3001\n rule 0 permit ipv6\n"
    assert config_facts("hp_comware", comware, has_global=True) == {"routing_enabled": True, "acls": ["3001"]}
    junos = "set firewall family inet6 filter PROTECT-RE term a then accept\nset interfaces lo0 unit 0 family inet6\n"
    assert config_facts("juniper_junos", junos, has_global=False) == {"routing_enabled": False,
                                                                       "acls": ["PROTECT-RE"]}
    forti = ("config firewall policy\n    edit 7\n        set name \"v6\"\n        set srcaddr6 \"all\"\n"
             "        set dstaddr6 \"all\"\n    next\n    edit 8\n        set srcaddr \"all\"\n    next\nend\n")
    assert config_facts("fortinet", forti, has_global=True)["acls"] == ["7"]
    assert config_facts("linux", "x", has_global=True) == {"routing_enabled": None, "acls": []}


def test_snmp_index_and_prefix_decoding() -> None:
    index = "2.16." + ".".join(str(b) for b in ipaddress.IPv6Address("2001:db8:10::1").packed)
    assert ipv6_from_index(index) == "2001:db8:10::1"
    assert ipv6_from_index("1.4.192.0.2.1") is None
    assert prefix_length("1.3.6.1.2.1.4.32.1.5.3.2.16.32.1.13.184.0.16.0.0.0.0.0.0.0.0.0.0.64") == 64


# ------------------------------------------------------------------------------------------- properties

hextets = st.lists(st.integers(0, 0xFFFF), min_size=8, max_size=8)
v6 = hextets.map(lambda h: str(ipaddress.IPv6Address(":".join(f"{x:x}" for x in h))))
names = st.from_regex(r"[A-Z][a-z]{2,8}[0-9]/[0-9]{1,2}", fullmatch=True)
interfaces = st.lists(st.tuples(names, st.booleans(), st.lists(v6, max_size=3)), max_size=6,
                      unique_by=lambda t: t[0])


def expected(rows) -> list[tuple[str, bool, list[str]]]:
    return [(n, up, addrs) for n, up, addrs in rows]


@settings(max_examples=60, deadline=None)
@given(interfaces)
def test_cisco_roundtrip(rows) -> None:
    out = ""
    for name, up, addrs in rows:
        out += f"{name:<23}[{'up/up' if up else 'administratively down/down'}]\n"
        out += "".join(f"    {a.upper()}\n" for a in addrs) or "    unassigned\n"
    parsed = parse_cisco_brief(out)
    assert [(i.name, i.up, [a.lower() for a in i.addresses]) for i in parsed] == expected(rows)


@settings(max_examples=60, deadline=None)
@given(interfaces)
def test_huawei_roundtrip(rows) -> None:
    out = "Interface                    Physical Protocol VPN\n"
    for name, up, addrs in rows:
        out += f"{name:<29}{'up' if up else '*down':<9}{'up' if up else 'down':<9}--\n"
        out += "".join(f"[IPv6 Address/Prefix Length] {a}/64\n" for a in addrs) or "[IPv6 Address] Unassigned\n"
    parsed = parse_huawei_brief(out)
    assert [(i.name, i.up, [a.split("/")[0] for a in i.addresses]) for i in parsed] == expected(rows)


@settings(max_examples=60, deadline=None)
@given(interfaces)
def test_fortigate_roundtrip(rows) -> None:
    out = "== [onboard]\n"
    for name, up, addrs in rows:
        addr = f"{addrs[0]}/64" if addrs else "::/0"
        out += f"\t==[{name}]\n\t\tmode: static\n\t\tipv6: {addr}\n\t\tstatus: {'up' if up else 'down'}\n"
    parsed = parse_fortigate_physical(out)
    want = [(n, up, [a for a in addrs[:1] if a != "::"]) for n, up, addrs in rows]
    assert [(i.name, i.up, [a.split("/")[0] for a in i.addresses]) for i in parsed] == want


@settings(max_examples=100, deadline=None)
@given(v6)
def test_is_global_matches_ipaddress(address: str) -> None:
    ip = ipaddress.IPv6Address(address)
    assert is_global(address) == (not (ip.is_link_local or ip.is_loopback or ip.is_unspecified or ip.is_multicast))


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=300))
def test_parsers_never_crash_on_garbage(garbage: str) -> None:
    for parser in (parse_cisco_brief, parse_huawei_brief, parse_comware_brief, parse_junos_terse,
                   parse_fortigate_physical, parse_panos_interface_all):
        for iface in parser(garbage):
            assert all(":" in a for a in iface.addresses)


@settings(max_examples=100, deadline=None)
@given(v6, st.integers(0, 128))
def test_ip_mib_index_roundtrip(address: str, plen: int) -> None:
    packed = ipaddress.IPv6Address(address).packed
    index = "2.16." + ".".join(str(b) for b in packed)
    assert ipv6_from_index(index) == address
    assert prefix_length(f"1.3.6.1.2.1.4.32.1.5.7.{index}.{plen}") == plen
