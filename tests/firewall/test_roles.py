"""Each ACL is judged as what it is: packet filter, route filter, management, NAT, classifier or unbound.

The first tests use Batfish's example network unchanged (fixtures/batfish_example, SOURCES there): its numbered
ACLs ``access-list 101 permit ip host 1.0.1.0 host 255.255.255.0`` are BGP prefix filters used only through
``route-map ... match ip address``, and were judged as packet filters (overly wide, no log, no final deny).
The expected roles are derived in the test from the configuration's own lines, independently of the module.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from collectors.firewall.bindings import assign_roles, cisco_asa_uses, cisco_ios_uses, juniper_uses
from collectors.firewall.parsers import parse_text
from netcomply.app.pipelines.firewall import audit

BATFISH = Path(__file__).parent / "fixtures" / "batfish_example"
PACKET_FILTER_KINDS = {"any_any", "wide", "insecure_service", "no_final_deny", "no_log", "no_comment", "unused",
                       "zone_violation", "irrelevant", "generalization", "correlation"}


def _expected_roles(text: str) -> dict[str, str]:
    """From the file itself: ACLs on an interface, ACLs in a route map's ``match ip address``, the rest."""
    on_iface = set(re.findall(r"^ ip access-group (\S+) (?:in|out)", text, re.M))
    in_route_map = {a for names in re.findall(r"^ match ip address (?!prefix-list)(.+)$", text, re.M)
                    for a in names.split()}
    acls = set(re.findall(r"^access-list (\d+) ", text, re.M)) | set(
        re.findall(r"^ip access-list (?:standard|extended) (\S+)", text, re.M))
    return {a: "packet_filter" if a in on_iface else "route_filter" if a in in_route_map else "unbound"
            for a in acls}


@pytest.mark.parametrize("path", sorted(BATFISH.glob("*.cfg")), ids=lambda p: p.stem)
def test_batfish_example_acls_get_the_role_their_bindings_give(path: Path) -> None:
    text = path.read_text()
    sets = parse_text(text, "cisco_ios", str(path))
    assign_roles(sets, text, str(path))
    assert {rs.name: list(rs.roles) for rs in sets} == {a: [r] for a, r in _expected_roles(text).items()}


def _audit_batfish() -> dict[str, Any]:
    return audit(sorted(BATFISH.glob("*.cfg")), "cisco_ios")


def test_batfish_route_map_acls_get_no_packet_filter_findings() -> None:
    doc = _audit_batfish()
    route_filters = {(r["source"], r["name"]) for r in doc["rulesets"] if r["roles"] == ["route_filter"]}
    assert len(route_filters) == 19  # numbered ACLs used only as prefix filters, over the ten files
    by_source = {(r["source"], r["name"]) for r in doc["rulesets"]}
    assert len(by_source) == len(doc["rulesets"])  # one ACL "101" per file, never merged across files
    on_route_filters = [f for f in doc["findings"] if f["ruleset"].isdigit() and f["kind"] in PACKET_FILTER_KINDS]
    assert on_route_filters == []
    kinds = {f["kind"] for f in doc["findings"] if f["ruleset"] in ("OUTSIDE_TO_INSIDE", "INSIDE_TO_AS1", "blocktelnet")}
    assert {"no_log", "no_final_deny"} <= kinds  # interface ACLs are still packet filters


def test_batfish_unreachable_lines_still_reported_unbound_acl_marked() -> None:
    """Batfish's filterLineReachability answer on this network: two unreachable lines, one of them in an ACL
    bound to nothing (RESTRICT_HOST_TRAFFIC_OUT): list facts stay, packet-filter findings go."""
    doc = _audit_batfish()
    hidden = sorted((f["ruleset"], f["rule"]["text"], f["related"][0]["text"]) for f in doc["findings"]
                    if f["kind"] in ("shadowed", "redundant"))
    assert hidden == [("RESTRICT_HOST_TRAFFIC_IN", "permit icmp any any", "deny   ip any any"),
                      ("RESTRICT_HOST_TRAFFIC_OUT", "deny   ip 1.128.0.0 0.0.255.255 2.128.0.0 0.0.255.255",
                       "permit ip any 2.128.0.0 0.0.255.255")]
    unbound = {f["ruleset"] for f in doc["findings"] if f["kind"] == "unbound"}
    assert unbound == {"RESTRICT_HOST_TRAFFIC_OUT", "102", "105"}
    assert all(f["severity"] == "info" for f in doc["findings"] if f["kind"] == "unbound")
    assert not [f for f in doc["findings"] if f["ruleset"] == "RESTRICT_HOST_TRAFFIC_OUT"
                and f["kind"] in PACKET_FILTER_KINDS]


IOS = """hostname r1
interface GigabitEthernet0/0
 ip address 192.0.2.1 255.255.255.0
 ip access-group EDGE-IN in
 ip nat outside
interface GigabitEthernet0/1
 ip policy route-map PBR
ip access-list extended EDGE-IN
 permit tcp any host 192.0.2.10 eq 443
ip access-list standard VTY
 permit 192.0.2.0 0.0.0.255
ip access-list standard SNMP-WIDE
 permit any
ip access-list standard WEB-MGMT
 permit 10.0.0.0 0.255.255.255
ip access-list extended NAT-INSIDE
 permit ip 198.51.100.0 0.0.0.255 any
ip access-list extended PBR-SEL
 permit tcp 198.51.100.0 0.0.0.255 any eq 80
ip access-list standard RIP-IN
 permit 203.0.113.0 0.0.0.255
ip access-list extended LEFTOVER
 permit ip any any
ip nat inside source list NAT-INSIDE interface GigabitEthernet0/0 overload
ip http access-class WEB-MGMT
snmp-server community s3cr3t RO SNMP-WIDE
route-map PBR permit 10
 match ip address PBR-SEL
router rip
 distribute-list RIP-IN in
line vty 0 4
 access-class VTY in
"""


def test_ios_roles_from_every_kind_of_binding() -> None:
    uses = cisco_ios_uses(IOS)
    assert uses.complete
    sets = {rs.name: rs for rs in parse_text(IOS, "cisco_ios", "r1")}
    assign_roles(sets.values(), IOS)
    assert {n: rs.roles for n, rs in sets.items()} == {
        "EDGE-IN": ("packet_filter",), "VTY": ("management",), "SNMP-WIDE": ("management",),
        "WEB-MGMT": ("management",), "NAT-INSIDE": ("nat",), "PBR-SEL": ("classifier",),
        "RIP-IN": ("route_filter",), "LEFTOVER": ("unbound",)}


def test_ios_findings_follow_the_role(tmp_path: Path) -> None:
    f = tmp_path / "r1.cfg"
    f.write_text(IOS)
    doc = audit([f], "cisco_ios")
    by: dict[str, set[str]] = {}
    for x in doc["findings"]:
        by.setdefault(x["ruleset"], set()).add(x["kind"])
    assert by["EDGE-IN"] >= {"no_log", "no_final_deny"}  # the packet filter, as before
    # management: too wide a source (any; 10/8), never packet-filter findings; a /24 of admins is fine
    assert by["SNMP-WIDE"] == {"mgmt_exposure"} and by["WEB-MGMT"] == {"mgmt_exposure"}
    assert "VTY" not in by
    assert "NAT-INSIDE" not in by and "PBR-SEL" not in by and "RIP-IN" not in by
    assert by["LEFTOVER"] == {"unbound"}  # "permit ip any any", but it filters nothing
    wide = next(x for x in doc["findings"] if x["ruleset"] == "WEB-MGMT")
    assert "16777216 IPv4 source addresses" in wide["message"]


def test_acl_listing_without_configuration_is_unknown_and_judged_as_before(tmp_path: Path) -> None:
    """``show ip access-lists`` alone says nothing about bindings: not "unbound", all checks as before."""
    text = "Extended IP access list LEFTOVER\n    10 permit ip any any\n"
    uses = cisco_ios_uses(text)
    assert not uses.complete
    f = tmp_path / "acl.txt"
    f.write_text(text)
    doc = audit([f], "cisco_ios")
    assert doc["rulesets"][0]["roles"] == ["unknown"]
    assert {"any_any", "no_log"} <= {x["kind"] for x in doc["findings"]}


ASA = """ASA Version 9.8(2)
hostname fw
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 192.0.2.1 255.255.255.0
access-list OUTSIDE_IN extended permit tcp any host 192.0.2.10 eq https
access-list TO_BOX extended permit tcp 198.51.100.0 255.255.255.0 any eq ssh
access-list VPN_SEL extended permit ip 192.0.2.0 255.255.255.0 203.0.113.0 255.255.255.0
access-list OLD extended permit ip any any
access-group OUTSIDE_IN in interface outside
access-group TO_BOX in interface outside control-plane
crypto map CM 10 match address VPN_SEL
"""


def test_asa_roles() -> None:
    uses = cisco_asa_uses(ASA)
    assert uses.complete
    sets = parse_text(ASA, "cisco_asa", "fw")
    assign_roles(sets, ASA)
    assert {rs.name: rs.roles for rs in sets} == {
        "OUTSIDE_IN": ("packet_filter",), "TO_BOX": ("management",), "VPN_SEL": ("classifier",),
        "OLD": ("unbound",)}


JUNOS = """set version 21.4R3
set system host-name r2
set interfaces ge-0/0/0 unit 0 family inet filter input EDGE
set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24
set interfaces lo0 unit 0 family inet filter input PROTECT-RE
set firewall family inet filter EDGE term web from destination-address 192.0.2.10/32
set firewall family inet filter EDGE term web from protocol tcp
set firewall family inet filter EDGE term web from destination-port 443
set firewall family inet filter EDGE term web then accept
set firewall family inet filter PROTECT-RE term ssh from source-address 192.0.2.0/24
set firewall family inet filter PROTECT-RE term ssh from protocol tcp
set firewall family inet filter PROTECT-RE term ssh from destination-port 22
set firewall family inet filter PROTECT-RE term ssh then accept
set firewall family inet filter SPARE term all then accept
set policy-options prefix-list CUSTOMERS 203.0.113.0/24
set policy-options policy-statement IMPORT term 1 from prefix-list CUSTOMERS
set policy-options policy-statement IMPORT term 1 then accept
"""


def test_junos_filter_input_lo0_and_policy_statement_prefix_lists() -> None:
    uses = juniper_uses(JUNOS, "r2")
    assert uses.complete
    assert uses.by_acl["CUSTOMERS"] == [("route_filter", "policy-statement IMPORT")]
    sets = [rs for rs in parse_text(JUNOS, "juniper_junos", "r2") if rs.name.startswith("filter ")]
    assign_roles(sets, JUNOS, "r2")
    assert {rs.name: rs.roles for rs in sets} == {
        "filter inet/EDGE": ("packet_filter",), "filter inet/PROTECT-RE": ("management",),
        "filter inet/SPARE": ("unbound",)}


def test_zone_policies_are_always_packet_filters() -> None:
    text = (Path(__file__).parent / "fixtures" / "fortigate_v6_62.conf").read_text()
    sets = parse_text(text, "fortinet", "fg")
    assign_roles(sets, text)
    assert sets and all(rs.roles[0] == "packet_filter" for rs in sets)


def test_report_section_states_each_rule_sets_role_and_the_removable_set(tmp_path: Path) -> None:
    """The audit report shows what each ACL was judged as, and on a redundancy finding the lines that can be
    deleted together (XLSX column), from the same observations and findings a collected run stores."""
    from datetime import UTC, datetime

    from collectors.firewall.observe import observations
    from compliance.checks.base import JudgeContext, registered
    from netcomply.models import Run
    from reports.sections.base import SectionContext
    from reports.sections.firewall import FirewallSection

    text = IOS + "ip access-list extended WEB\n permit tcp any host 192.0.2.10 eq 443 log\n" \
        " permit tcp any host 192.0.2.10 eq 443 log\n deny ip any any log\n" \
        "interface GigabitEthernet0/2\n ip access-group WEB in\n"
    sets = parse_text(text, "cisco_ios", "r1.cfg")
    assign_roles(sets, text, "r1.cfg")
    obs = observations(sets, "r1", "firewall_rules", "file:r1.cfg")
    for k, o in enumerate(obs):
        o.id = k
    ctx = JudgeContext(run_id="r", data={"now": "2026-12-01T00:00:00+00:00"})
    findings = [f for cid, cls in registered().items() if cid.startswith("firewall.") for f in cls().run(obs, ctx)]
    run = Run("r", datetime(2026, 12, 1, tzinfo=UTC), "t", "0")
    section = FirewallSection()
    data = section.build(SectionContext(store=None, run=run, observations=obs, findings=findings, evaluation=None,
                                        lang="en"))
    assert data is not None
    roles = {s["name"]: s["roles"] for s in data["devices"][0]["rule_sets"]}
    assert roles["RIP-IN"] == ["route_filter"] and roles["LEFTOVER"] == ["unbound"] and roles["WEB"] == [
        "packet_filter"]
    sheets = {s.name: s for s in section.sheets(data, "en")}
    sets_sheet = sheets["Firewall rule sets"]
    assert [r[-1] for r in sets_sheet.rows if r[1] == "RIP-IN"] == ["route filter"]
    red = [r for r in sheets["Firewall findings"].rows if r[2] == "redundant"]
    assert len(red) == 1 and red[0][-1] == str(red[0][4])  # the duplicate line is the whole set


def test_an_acl_named_where_no_rule_here_knows_is_unknown_not_unbound() -> None:
    """``ip wccp web-cache redirect-list CACHE`` is not modelled: CACHE is used, so it is judged as before."""
    text = "hostname r3\nip access-list extended CACHE\n permit tcp any any eq 80\n" \
        "ip access-list extended CACHE-OLD\n permit tcp any any eq 8080\n" \
        "ip wccp web-cache redirect-list CACHE\n"
    sets = parse_text(text, "cisco_ios", "r3")
    assign_roles(sets, text)
    got = {rs.name: (rs.roles, rs.uses) for rs in sets}
    assert got["CACHE"] == (("unknown",), ("unknown: named by 'ip wccp web-cache redirect-list'",))
    assert got["CACHE-OLD"] == (("unbound",), ())  # a longer name containing it is not a mention


def test_junos_filters_applied_through_groups_are_bound() -> None:
    text = JUNOS.replace("set interfaces ge-0/0/0 unit 0 family inet filter input EDGE\n",
                         "set groups EDGE-FILTERS interfaces <ge-*> unit 0 family inet filter input EDGE\n"
                         "set apply-groups EDGE-FILTERS\n")
    sets = [rs for rs in parse_text(text, "juniper_junos", "r2") if rs.name == "filter inet/EDGE"]
    assign_roles(sets, text, "r2")
    assert sets[0].roles == ("packet_filter",)


def test_nxos_bindings() -> None:
    text = """hostname n1
version 9.3(8)
interface Ethernet1/1
  ip access-group EDGE in
  ip port access-group PORT-IN in
line vty
  access-class VTY in
snmp-server community c0mmun1ty group network-operator
snmp-server community c0mmun1ty use-ipv4acl SNMP
route-map RM permit 10
  match ip address RM-ACL
"""
    uses = cisco_ios_uses(text)
    assert uses.complete
    assert {a: [r for r, _ in u] for a, u in uses.by_acl.items()} == {
        "EDGE": ["packet_filter"], "PORT-IN": ["packet_filter"], "VTY": ["management"], "SNMP": ["management"],
        "RM-ACL": ["route_filter"]}


def test_a_configuration_partition_is_not_a_whole_configuration() -> None:
    """``show running-config partition access-list`` (as ntc-templates captures it) has the configuration's
    header and ``end`` but only the ACLs: nothing says they are unused."""
    text = "Building configuration...\n\nCurrent configuration : 120 bytes\n!\n" \
        "Configuration of Partition - access-list\n!\naccess-list 99 permit 192.0.2.19\n!\nend\n"
    sets = parse_text(text, "cisco_ios", "p")
    assign_roles(sets, text)
    assert [rs.roles for rs in sets] == [("unknown",)]


JUNOS_XML = """<rpc-reply><configuration><version>21.4R3</version><system><host-name>r2</host-name></system>
<interfaces><interface><name>lo0</name><unit><name>0</name><family><inet><filter><input>
<filter-name>PROTECT-RE</filter-name></input></filter></inet></family></unit></interface></interfaces>
<firewall><family><inet><filter><name>PROTECT-RE</name><term><name>ssh</name><from><protocol>tcp</protocol>
<destination-port>22</destination-port></from><then><accept/></then></term></filter>
<filter><name>SPARE</name><term><name>all</name><then><accept/></then></term></filter></inet></family></firewall>
</configuration></rpc-reply>
"""


def test_junos_display_xml_bindings() -> None:
    uses = juniper_uses(JUNOS_XML, "r2.xml")
    assert uses.complete and set(uses.by_acl) == {"filter inet/PROTECT-RE"}
    sets = parse_text(JUNOS_XML, "juniper_junos", "r2.xml")
    assign_roles(sets, JUNOS_XML, "r2.xml")
    assert {rs.name: rs.roles for rs in sets} == {"filter inet/PROTECT-RE": ("management",),
                                                 "filter inet/SPARE": ("unbound",)}


@pytest.mark.lab
def test_collected_rule_sets_carry_their_roles(city_lab: Any, tmp_path: Path) -> None:
    """The SSH collector reads the bindings from the whole configuration it fetches: the lab ASA's
    ``access-group`` ACLs are packet filters; the IOS router's ACLs each get their own role (route map, SNMP,
    VTY, nothing), none is left "unknown" (tests/firewall/test_lab_roles.py judges them end to end)."""
    import collectors.firewall.collector  # noqa: F401  (registers the collector)
    from netcomply.app.audit import AuditOptions, run_audit
    from netcomply.inventory import load_inventory
    from netcomply.store import Store

    inv = load_inventory(city_lab.inventory)
    with Store.open(tmp_path / "fw.db") as store:
        run, _ = run_audit(inv, store, AuditOptions(collectors=["firewall_rules"], limit="cg-rtr1,cg-fw1",
                                                    operator="pytest", judge=False))
        sets = {(o.device, o.data["name"]): o.data for o in store.observations(run.id, kind="firewall.ruleset")}
    assert {name: tuple(d["roles"]) for (dev, name), d in sets.items() if dev == "cg-rtr1"} == {
        "BGP-ANNOUNCE": ("route_filter",), "MGMT-SNMP": ("management",), "VTY-IN": ("management",),
        "USER-IN": ("unbound",)}
    assert {d["roles"][0] for (dev, _), d in sets.items() if dev == "cg-fw1" and d["bound_to"]} == {"packet_filter"}
