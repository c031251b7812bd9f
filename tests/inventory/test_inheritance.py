"""Inheritance: host > its groups in listed order > their parent groups > defaults."""

from __future__ import annotations

import hashlib
import json
import os

from netcomply.inventory import load_inventory, resolved_hosts

LAYERED = """
defaults:
  role: default-role
  site: default-site
  platform: linux
  tags: [d]
  ssh: {username: audit, port: 22, password_env: NC_PW, timeout: 5}
  snmp: {version: "2c", community_env: NC_RO}
  vars: {a: defaults, nested: {x: defaults, y: defaults}, list: [1, 2]}
groups:
  first: {groups: [parent], site: first-site, tags: [f], ssh: {port: 2201}, vars: {nested: {x: first}}}
  second: {role: second-role, site: second-site, platform: cisco_ios, tags: [s, f], ssh: {port: 2202, timeout: 9}}
  parent: {role: parent-role, platform: huawei, tags: [p], snmp: {port: 1161}, vars: {nested: {z: parent}}, level: C}
hosts:
  h:
    address: 192.0.2.1
    groups: [first, second]
    tags: [h]
    ssh: {read_timeout: 99}
    vars: {list: [3]}
  bare: {address: 192.0.2.2}
"""


def test_precedence_order(write):
    inv = load_inventory(write(LAYERED), environ={})
    h = inv.device("h")
    assert h.site == "first-site"  # first listed group beats the second
    assert h.role == "second-role"  # a direct group beats a parent group
    assert h.platform == "cisco_ios"  # ... for platform too
    assert h.level == "C"  # from the parent group, beating no one
    assert h.groups == ("first", "second", "parent")
    assert h.tags == ("h", "f", "s", "p", "d")  # union, highest layer first, no repeats
    bare = inv.device("bare")
    assert (bare.role, bare.site, bare.platform, bare.groups, bare.tags) == (
        "default-role", "default-site", "linux", (), ("d",))


def test_deep_merge_of_ssh_snmp_vars(write):
    h = load_inventory(write(LAYERED), environ={}).device("h")
    assert h.ssh is not None and h.snmp is not None
    assert (h.ssh.username, h.ssh.port, h.ssh.timeout, h.ssh.read_timeout, h.ssh.password_env) == (
        "audit", 2201, 9.0, 99.0, "NC_PW")
    assert (h.snmp.version, h.snmp.port, h.snmp.community_env) == ("2c", 1161, "NC_RO")
    assert h.vars == {"a": "defaults", "nested": {"x": "first", "y": "defaults", "z": "parent"}, "list": [3]}


def test_level_falls_back_to_agency_and_host_wins(write):
    inv = load_inventory(write("""
        agencies:
          city: {name: City, name_zh: 範例市政府, level: A, level_approved: 2023-08-01}
          town: {name: Town, level: C}
        groups:
          town-hall: {agency: town}
        hosts:
          a: {address: 192.0.2.1, agency: city}
          b: {address: 192.0.2.2, groups: [town-hall]}
          c: {address: 192.0.2.3, agency: city, level: B}
          d: {address: 192.0.2.4}
        """), environ={})
    assert [inv.device(n).level for n in "abcd"] == ["A", "C", "B", None]
    assert inv.agencies["city"].name_zh == "範例市政府"
    assert str(inv.agencies["city"].level_approved) == "2023-08-01"


def test_level_differing_from_agency_is_a_warning(check):
    report = check("agencies: {city: {name: C, level: A}}\nhosts:\n  a: {address: 192.0.2.1, agency: city, level: B}\n")
    assert report.problems == []
    assert [(w.line, w.message) for w in report.warnings] == [(3, "a: level B differs from agency city's level A")]


def test_no_ssh_or_snmp_when_no_layer_sets_them(write):
    d = load_inventory(write("hosts: {cam: {address: 192.0.2.5, role: camera}}"), environ={}).device("cam")
    assert d.ssh is None and d.snmp is None and d.vars == {} and d.tags == ()


def test_paths_are_resolved_relative_to_the_inventory(write, tmp_path):
    write("A=1\n", "conf/lab.env")
    path = write("""
        env_file: lab.env
        settings: {known_hosts: ../known_hosts, allowed_ranges: [192.0.2.0/24]}
        groups:
          g: {ssh: {key_file: keys/id_ed25519}}
        hosts:
          a: {address: 192.0.2.1, groups: [g]}
          b: {address: 192.0.2.2, ssh: {key_file: /abs/key}}
        """, "conf/inv.yaml")
    inv = load_inventory(path, environ={})
    assert inv.env_file == str(tmp_path / "conf" / "lab.env")
    assert inv.settings.known_hosts == str(tmp_path / "known_hosts")
    assert inv.settings.allowed_ranges == ("192.0.2.0/24",)
    assert inv.device("a").ssh.key_file == str(tmp_path / "conf" / "keys" / "id_ed25519")
    assert inv.device("b").ssh.key_file == "/abs/key"
    assert inv.source == str(path.resolve())
    assert inv.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_services_hotspots_and_endpoints(write):
    inv = load_inventory(write("""
        hosts: {wlc: {address: "2001:db8::5", platform: cisco_wlc_ssh}}
        services:
          - {name: city.example, kind: dns, phase: 1, endpoints: {resolver: "[::1]:5353", hosts: {ns1.city.example: {dns: 5354}}}}
          - {name: city.example, kind: mail, phase: 2}
        hotspots: [{name: LOBBY, device: wlc, ap_name: AP-LOBBY, ssids: [iTaiwan]}]
        """), environ={})
    assert [(s.kind, s.phase) for s in inv.services] == [("dns", 1), ("mail", 2)]
    assert inv.services[0].endpoints is not None
    assert inv.services[0].endpoints.resolver == "[::1]:5353"
    assert inv.services[0].endpoints.hosts["ns1.city.example"].dns == 5354
    assert inv.hotspots[0].ssids == ("iTaiwan",)


def test_anchors_and_merge_keys(write):
    inv = load_inventory(write("""
        groups:
          base: &base {role: switch, site: hq}
        hosts:
          a: {<<: *base, address: 192.0.2.1, site: branch}
          b:
            <<: [{platform: cisco_ios}, {platform: huawei, role: router}]
            address: 192.0.2.2
        """), environ={})
    assert (inv.device("a").role, inv.device("a").site) == ("switch", "branch")
    assert (inv.device("b").platform, inv.device("b").role) == ("cisco_ios", "router")


def test_version_3_unquoted_is_accepted(write):
    d = load_inventory(write("hosts: {a: {address: 192.0.2.1, snmp: {version: 3, user: u}}}"), environ={}).device("a")
    assert d.snmp.version == "3"


def test_resolved_hosts_shows_references_never_values(write):
    secret = "very-secret-community"
    path = write(f"""
        env_file: lab.env
        defaults:
          ssh: {{username: audit, password_env: NC_PW, secret_env: NC_EN}}
        hosts:
          a: {{address: 192.0.2.1, snmp: {{community: {secret}}}}}
          b: {{address: 192.0.2.2, snmp: {{version: "3", user: u, auth_key_env: NC_AUTH}}}}
        """)
    write("NC_EN=enable-value\n", "lab.env")
    inv = load_inventory(path, environ={"NC_PW": "pw-value"})
    out = resolved_hosts(inv, environ={"NC_PW": "pw-value"})
    text = json.dumps(out)
    for value in (secret, "pw-value", "enable-value"):
        assert value not in text
    a, b = out
    assert a["snmp"]["community"] == "<redacted>"
    assert a["secrets"] == [
        {"field": "ssh.password_env", "variable": "NC_PW", "set": True},
        {"field": "ssh.secret_env", "variable": "NC_EN", "set": True},
    ]
    assert b["secrets"][-1] == {"field": "snmp.auth_key_env", "variable": "NC_AUTH", "set": False}
    assert a["groups"] == [] and a["name"] == "a"


def test_limit_filter_works_on_resolved_groups(write):
    inv = load_inventory(write(LAYERED), environ={})
    assert [d.name for d in inv.filter("parent").devices] == ["h"]
    assert os.path.isabs(inv.source)
