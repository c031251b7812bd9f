"""Cisco ASA and IOS parsers on published captures (ntc-templates test data, lines copied into our own
fixtures) and a running-config written from Cisco's documented syntax."""

from __future__ import annotations

from pathlib import Path

from collectors.firewall.model import Action, ParseStatus, Rule, network
from collectors.firewall.parsers import cisco_asa, cisco_ios

FIX = Path(__file__).parent / "fixtures"


def hits(rule: Rule, src: str, dst: str, proto: int, dport: int = 0, sport: int = 40000) -> bool:
    """Whether one packet matches the rule's modelled fields."""
    s, d = network(src)[0], network(dst)[0]
    return (any(a <= s <= b for a, b in rule.src) and any(a <= d <= b for a, b in rule.dst)
            and any(x.proto[0] <= proto <= x.proto[1] and x.dport[0] <= dport <= x.dport[1]
                    and x.sport[0] <= sport <= x.sport[1] for x in rule.services))


def by_name(path: str, mod: object) -> dict[str, Rule]:
    sets = mod.parse((FIX / path).read_text(), path)  # type: ignore[attr-defined]
    return {r.name: r for rs in sets for r in rs.rules}


def test_asa_show_access_list_capture() -> None:
    rules = by_name("asa_show_access_list.txt", cisco_asa)
    assert "cached" not in " ".join(rules)  # header lines are not rules
    # the device's own interface address and objects only the device resolves (line 8: FQDN children) are not in
    # the input: read as any address, approximate and partial (never used to hide another rule), with why
    for line, why in (("test line 1", "interface"), ("test line 8", "'test1' is not defined")):
        r = rules[line]
        assert r.status == ParseStatus.APPROXIMATE and r.partial and not r.blocker and why in (r.reason or "")
    r5 = rules["test line 5"]  # rebuilt from the expansion, address "range" children
    assert r5.status == ParseStatus.EXACT
    assert hits(r5, "10.1.1.2", "10.1.1.8", 6, 80) and hits(r5, "10.1.1.2", "10.1.1.3", 6, 101)
    assert not hits(r5, "10.1.1.2", "10.1.1.9", 6, 80) and not hits(r5, "10.1.1.2", "10.1.1.3", 6, 99)
    r6 = rules["test line 6"]
    assert hits(r6, "10.1.1.15", "198.51.100.1", 17) and not hits(r6, "10.1.1.16", "198.51.100.1", 17)
    assert rules["test line 2"].services[0].dport == (195, 195)  # dnsix
    assert rules["test line 18"].hits == 31778 and rules["test line 18"].log
    assert not rules["test line 39"].log  # "log disable"
    assert rules["test line 16"].comment == "explicit-deny"
    assert rules["test line 21"].services[0].dport == (8 * 256, 8 * 256 + 255)  # icmp echo


def test_asa_running_config_objects_groups_and_time_ranges() -> None:
    [rs] = cisco_asa.parse((FIX / "asa_running_config.txt").read_text(), "running-config")
    assert rs.bound_to == ("outside in",)
    r = rs.rules
    assert r[0].comment and "owner" in r[0].comment and r[0].log
    assert hits(r[0], "198.51.100.9", "203.0.113.10", 6, 443) and not hits(r[0], "198.51.100.9", "203.0.113.10", 6, 22)
    assert hits(r[1], "192.0.2.40", "203.0.113.99", 17, 161) and not hits(r[1], "192.0.2.21", "203.0.113.99", 6, 22)
    assert r[2].schedule == "VENDOR-WINDOW" and r[2].schedule_end is not None and r[2].schedule_end.year == 2024
    assert hits(r[3], "2001:db8:1::1", "2001:db8:20::10", 6, 443) and not hits(r[3], "192.0.2.1", "203.0.113.10", 6, 443)
    # a TCP+UDP protocol group with no port match is exact (a port after it would be unparsed)
    assert r[4].status == ParseStatus.EXACT and {s.proto for s in r[4].services} == {(6, 6), (17, 17)}
    assert not r[5].enabled and hits(r[5], "203.0.113.10", "198.51.100.1", 6, 1024)
    assert r[6].action == Action.DENY and r[6].log


def test_ios_show_ip_access_lists_capture() -> None:
    rules = by_name("ios_show_ip_access_lists.txt", cisco_ios)
    # non-contiguous wildcard 0.255.0.255: exact, one /24 in each of 256 second octets (never rounded)
    assert rules["99 30"].status == ParseStatus.EXACT and len(rules["99 30"].src) == 256
    assert hits(rules["99 30"], "10.77.10.255", "198.51.100.1", 6, 22)
    assert not hits(rules["99 30"], "10.77.11.1", "198.51.100.1", 6, 22)
    assert hits(rules["99 10"], "172.16.191.199", "198.51.100.1", 6, 22)
    r80 = rules["101 80"]
    assert hits(r80, "10.9.9.9", "10.1.0.0", 6, 8080, sport=8080)
    assert not hits(r80, "10.9.9.9", "10.1.0.0", 6, 22, sport=23)  # neq telnet ssh
    assert not hits(r80, "10.9.9.9", "10.1.0.0", 6, 80, sport=443)
    assert hits(rules["101 70"], "198.51.100.1", "10.1.0.9", 17, 5, sport=68)
    assert rules["101 40"].status == ParseStatus.APPROXIMATE and rules["101 40"].partial
    assert rules["101 30"].services[0].proto == (51, 51) and rules["101 30"].log
    assert rules["sample 20"].services[0].sport == (179, 179)


def test_ios_ipv6_access_list_any_is_ipv6_and_icmp_is_icmpv6() -> None:
    text = """IPv6 access list MGMT-V6
    permit tcp 2001:DB8:100:1::/64 any eq 22 (12 matches) sequence 10
    permit icmp any any nd-ns sequence 20
    deny ipv6 any any log (4 matches) sequence 30
"""
    [rs] = cisco_ios.parse(text, "show ipv6 access-list")
    r10, r20, r30 = rs.rules
    assert r10.name == "MGMT-V6 10" and r10.hits == 12
    assert hits(r10, "2001:db8:100:1::5", "2001:db8::1", 6, 22) and not hits(r10, "2001:db8:100:1::5", "192.0.2.1", 6, 22)
    assert r20.services[0].proto == (58, 58) and r20.services[0].dport == (135 * 256, 135 * 256 + 255)
    assert r30.log and not hits(r30, "192.0.2.1", "192.0.2.2", 6, 22) and hits(r30, "2001:db8::1", "2001:db8::2", 6)
