"""Scan helpers and the commands' input errors (no network: bad input stops before anything is sent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from collectors.transports.nmap import HostResult, PortResult, parse_nmap_xml
from collectors.vendor.evidence import from_nmap_host
from collectors.vendor.kb import load_kb
from collectors.vendor.scan import found, parse_v3, resolve_community
from netcomply.app.cli.vendor_cmd import app
from netcomply.errors import InputError

# nmap 7.93 XML as it reported a lab Comware switch (trimmed to one host): banner + forced snmp-info.
NMAP_XML = """<?xml version="1.0"?><nmaprun scanner="nmap" args="nmap -n" start="1" version="7.93">
<host><status state="up" reason="user-set"/><address addr="127.0.10.2" addrtype="ipv4"/><ports>
<port protocol="tcp" portid="13722"><state state="open" reason="syn-ack"/><service name="ssh"
 product="HP Comware switch sshd" version="7.1.064" extrainfo="protocol 2.0" ostype="Comware" method="probed"
 conf="10"><cpe>cpe:/o:hp:comware:7.1.064</cpe></service></port>
<port protocol="udp" portid="12661"><state state="open|filtered" reason="no-response"/><service name="unknown"
 product="H3C SNMPv3 server" method="probed" conf="10"/><script id="snmp-info" output="&#xa;  enterprise: H3C&#xa;
  engineIDFormat: mac&#xa;  engineIDData: 9457a5c31f77&#xa;  snmpEngineBoots: 33&#xa;  snmpEngineTime: 18s"/>
</port></ports></host><runstats><finished time="2" timestr="x" elapsed="12.42"/>
<hosts up="1" down="0" total="1"/></runstats></nmaprun>"""


def test_nmap_view_of_a_comware_switch_names_the_maker_not_the_brand() -> None:
    (host,) = parse_nmap_xml(NMAP_XML)
    assert found(host, 12661)
    ev = from_nmap_host(load_kb(), host.to_dict(), "nmap")
    # "HP Comware switch sshd" is nmap's label for every Comware; the engine id says H3C built the agent
    assert not any(e.brand in ("HP", "H3C") for e in ev if e.signal.startswith("nmap."))
    engine = [e for e in ev if e.signal == "snmp.engineID"]
    assert engine and engine[0].manufacturer == "H3C" and engine[0].brand is None
    assert any(e.signal == "snmp.engineID.mac" and e.brand == "HP" for e in ev)  # 94:57:a5: "Hewlett Packard"


def test_only_hosts_with_something_listening_count() -> None:
    closed = HostResult("127.0.10.100", "up", ports=[PortResult("tcp", 22, "closed"), PortResult("udp", 161, "closed")])
    snmp = HostResult("127.0.10.6", "up", ports=[PortResult("udp", 161, "open|filtered")])
    assert not found(closed, 161) and found(snmp, 161) and not found(snmp, 1161)


def test_v3_spec_and_communities(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_v3("user=audit,auth=sha,auth_key_env=A,priv=aes,priv_key_env=P") == {
        "user": "audit", "auth": "sha", "auth_key_env": "A", "priv": "aes", "priv_key_env": "P"}
    with pytest.raises(InputError, match="user=NAME"):
        parse_v3("auth=sha")
    with pytest.raises(InputError, match="key=value"):
        parse_v3("user=a,authkey=secret")
    monkeypatch.setenv("NC_TEST_COMMUNITY", "s3cr3t-community")
    assert resolve_community("env:NC_TEST_COMMUNITY") == "s3cr3t-community"
    assert resolve_community("public") == "public"
    with pytest.raises(InputError, match="NC_NOT_SET"):
        resolve_community("env:NC_NOT_SET")


def test_scan_refuses_a_host_name_before_anything_runs(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["scan", "www.example.com", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2
    assert "not an IP address or prefix" in result.output
    assert not (tmp_path / "s.db").exists()  # nothing was stored, nothing was sent


def test_vendors_reports_a_bad_register_with_file_and_line(tmp_path: Path) -> None:
    inv = tmp_path / "inv.yaml"
    inv.write_text("hosts:\n  sw1: {address: 192.0.2.1}\n", encoding="utf-8")
    reg = tmp_path / "assets.csv"
    reg.write_text("asset_id,name\nA-1,sw1\n,sw2\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["vendors", "-i", str(inv), "--register", str(reg),
                                      "--db", str(tmp_path / "v.db")])
    assert result.exit_code == 2
    assert f"{reg}:3:" in result.output and "asset_id is empty" in result.output
