"""LLDP and ARP table parsing on rows in the shape real agents return (index layouts from RFC/IEEE MIBs;
values from the LibreNMS ruijie/routeros/qnap recordings)."""

from __future__ import annotations

from collectors.transports.snmp import SnmpValue
from collectors.vendor.collector import arp_rows, lldp_rows, mac_of

REM = "1.0.8802.1.1.2.1.4.1.1"


def test_lldp_rows_group_by_index_and_normalise_the_chassis_mac() -> None:
    walk = [
        (f"{REM}.4.352274011.5.1", SnmpValue("Integer", 4)),
        (f"{REM}.5.352274011.5.1", SnmpValue("OctetString", "58696c06823b", "58696c06823b")),
        (f"{REM}.7.352274011.5.1", SnmpValue("OctetString", "Te0/5")),
        (f"{REM}.9.352274011.5.1", SnmpValue("OctetString", "core-2")),
        (f"{REM}.10.352274011.5.1", SnmpValue("OctetString", "Ruijie 10G Routing Switch(S6220-48XS4QXS)")),
        (f"{REM}.4.1762405819.21.1", SnmpValue("Integer", 4)),
        (f"{REM}.5.1762405819.21.1", SnmpValue("OctetString", "ABCDEF")),  # six printable bytes came as text
    ]
    rows = lldp_rows(walk)
    assert [r["local_port"] for r in rows] == [5, 21]
    assert rows[0]["chassis_id"] == "58:69:6c:06:82:3b" and rows[0]["sys_name"] == "core-2"
    assert rows[1]["chassis_id"] == "41:42:43:44:45:46"


def test_arp_prefers_ip_net_to_physical_and_falls_back_to_ip_net_to_media() -> None:
    phys = [("1.3.6.1.2.1.4.35.1.4.8.1.4.10.3.19.1", SnmpValue("OctetString", "f4b52ffd5030", "f4b52ffd5030")),
            ("1.3.6.1.2.1.4.35.1.4.8.2.16." + ".".join(["254", "128"] + ["0"] * 13 + ["1"]),
             SnmpValue("OctetString", "0010dbff1002", "0010dbff1002"))]
    media = [("1.3.6.1.2.1.4.22.1.2.10.192.168.11.110", SnmpValue("OctetString", "9c5c8ea4a477", "9c5c8ea4a477"))]
    rows = arp_rows(phys, media)
    assert {r["ip"] for r in rows} == {"10.3.19.1", "fe80::1"}
    rows = arp_rows([], media)
    assert rows == [{"ip": "192.168.11.110", "mac": "9c:5c:8e:a4:a4:77", "if_index": 10}]


def test_mac_of_handles_missing_values() -> None:
    assert mac_of(SnmpValue("NoSuchObject", None)) is None
    assert mac_of(None) is None
