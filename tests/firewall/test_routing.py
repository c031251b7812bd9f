"""Where addresses can be behind an interface (connected + static routes, longest match) and the irrelevant
rules that follow, on configurations written from the vendors' documented syntax (ASA ``nameif``/``route``,
IOS ``ip route``/``ip access-group``, FortiOS ``config router static``/``config system zone``)."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.firewall.model import V4_BASE, RuleSet, network
from collectors.firewall.parsers import cisco_asa, cisco_ios, fortigate
from collectors.firewall.routing import ANYWHERE, RoutingTable, routed_networks
from netcomply.app.pipelines.firewall import audit

ASA = """\
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
!
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 192.0.2.1 255.255.255.0
!
access-list INSIDE_IN extended permit tcp 192.0.2.0 255.255.255.0 any eq https
access-list INSIDE_IN extended permit tcp 10.20.0.0 255.255.0.0 any eq https
access-list INSIDE_IN extended permit tcp 203.0.113.0 255.255.255.128 any eq https
access-list INSIDE_IN extended permit tcp any any eq domain
access-list INSIDE_IN extended deny ip any any log
access-group INSIDE_IN in interface inside
route outside 0.0.0.0 0.0.0.0 203.0.113.1 1
route inside 10.20.0.0 255.255.0.0 192.0.2.254 1
"""


def _irrelevant_names(rulesets: list[RuleSet]) -> set[str]:
    from collectors.firewall.anomaly import irrelevant
    return {rs.rules[a.rule].name for rs in rulesets for a in irrelevant(rs)}


def test_asa_source_routed_elsewhere_is_irrelevant() -> None:
    sets = cisco_asa.parse(ASA, "asa.cfg")
    # 10.20/16 is routed via inside (static route); 203.0.113.0/25 is connected on outside.
    assert _irrelevant_names(sets) == {"INSIDE_IN #3"}


def test_asa_dynamic_routing_or_no_interfaces_claims_nothing() -> None:
    assert _irrelevant_names(cisco_asa.parse(ASA + "router ospf 1\n network 192.0.2.0 255.255.255.0 area 0\n",
                                             "asa.cfg")) == set()
    acl_only = "\n".join(line for line in ASA.splitlines() if line.startswith("access-"))
    assert _irrelevant_names(cisco_asa.parse(acl_only, "asa.cfg")) == set()


def test_asa_without_default_route_keeps_unrouted_sources() -> None:
    """10.99.0.0/16 has no route at all: it may arrive anywhere, so a rule on it is not irrelevant."""
    text = ASA.replace("route outside 0.0.0.0 0.0.0.0 203.0.113.1 1\n", "").replace(
        "10.20.0.0 255.255.0.0 any eq https", "10.99.0.0 255.255.0.0 any eq https")
    assert _irrelevant_names(cisco_asa.parse(text, "asa.cfg")) == {"INSIDE_IN #3"}


def test_asa_shutdown_interface_network_is_anywhere() -> None:
    text = ASA.replace(" nameif outside\n", " nameif outside\n shutdown\n")
    assert _irrelevant_names(cisco_asa.parse(text, "asa.cfg")) == set()


IOS = """\
interface GigabitEthernet0/0
 description uplink
 ip address 198.51.100.2 255.255.255.252
 ip access-group WAN-IN in
!
interface GigabitEthernet0/1
 ip address 192.0.2.1 255.255.255.0
 ip access-group LAN-OUT out
!
ip route 0.0.0.0 0.0.0.0 198.51.100.1
ip access-list extended WAN-IN
 permit tcp any host 192.0.2.10 eq 443
 permit tcp 192.0.2.0 0.0.0.255 any eq 22
 deny ip any any log
ip access-list extended LAN-OUT
 permit tcp any 192.0.2.0 0.0.0.255 eq 443
 permit tcp any 203.0.113.0 0.0.0.255 eq 443
 deny ip any any log
"""


def test_ios_access_group_in_and_out() -> None:
    sets = cisco_ios.parse(IOS, "ios.cfg")
    # WAN-IN in on Gi0/0: LAN sources never arrive there; LAN-OUT out of Gi0/1: 203.0.113/24 leaves by Gi0/0.
    assert _irrelevant_names(sets) == {"WAN-IN #2", "LAN-OUT #2"}


def test_ios_dhcp_address_claims_nothing() -> None:
    text = IOS.replace(" ip address 198.51.100.2 255.255.255.252\n", " ip address dhcp\n")
    assert _irrelevant_names(cisco_ios.parse(text, "ios.cfg")) == set()


FORTI = """\
config system interface
    edit "wan1"
        set ip 203.0.113.2 255.255.255.0
    next
    edit "port1"
        set ip 192.0.2.1 255.255.255.0
    next
    edit "port2"
        set ip 198.51.100.1 255.255.255.0
    next
end
config system zone
    edit "LAN"
        set interface "port1" "port2"
    next
end
config firewall address
    edit "SRV"
        set subnet 198.51.100.10 255.255.255.255
    next
    edit "WAN-NET"
        set subnet 203.0.113.0 255.255.255.0
    next
end
config router static
    edit 1
        set gateway 203.0.113.1
        set device "wan1"
    next
end
config firewall policy
    edit 1
        set name "lan-out"
        set srcintf "LAN"
        set dstintf "wan1"
        set srcaddr "SRV"
        set dstaddr "all"
        set action accept
        set service "HTTPS"
        set logtraffic all
    next
    edit 2
        set name "spoofed"
        set srcintf "LAN"
        set dstintf "wan1"
        set srcaddr "WAN-NET"
        set dstaddr "all"
        set action accept
        set service "HTTPS"
        set logtraffic all
    next
    edit 3
        set name "wrong-dst"
        set srcintf "wan1"
        set dstintf "port1"
        set srcaddr "all"
        set dstaddr "SRV"
        set action accept
        set service "HTTPS"
        set logtraffic all
    next
end
"""


def test_fortigate_zones_and_static_routes() -> None:
    assert _irrelevant_names(fortigate.parse(FORTI, "fgt.conf")) == {"spoofed", "wrong-dst"}


def test_fortigate_sdwan_or_bgp_is_conservative() -> None:
    sdwan = FORTI.replace('        set device "wan1"\n', '        set sdwan-zone "virtual-wan-link"\n')
    # The default route may leave anywhere: wan1's own network is still only on wan1 (connected).
    assert _irrelevant_names(fortigate.parse(sdwan, "fgt.conf")) == {"spoofed", "wrong-dst"}
    bgp = FORTI + "config router bgp\n    set as 65001\n    config neighbor\n        edit \"203.0.113.1\"\n" \
        "            set remote-as 65000\n        next\n    end\nend\n"
    assert _irrelevant_names(fortigate.parse(bgp, "fgt.conf")) == set()


def test_cli_reports_irrelevant_kind(tmp_path: object) -> None:
    from pathlib import Path
    f = Path(str(tmp_path)) / "asa.cfg"
    f.write_text(ASA)
    doc = audit([f], None)
    irr = [x for x in doc["findings"] if x["kind"] == "irrelevant"]
    assert [x["rule"]["line"] for x in irr] == [13]
    assert "routed via inside" in irr[0]["message"]


def test_unresolvable_next_hop_is_anywhere() -> None:
    t = RoutingTable()
    t.add_connected("a", "192.0.2.0/24")
    t.add_connected("b", "198.51.100.0/24")
    t.add_route("10.0.0.0/8", next_hop="203.0.113.1")  # on no connected network
    nets = t.networks()
    ten = network("10.1.2.3")
    assert all(any(lo <= ten[0] <= hi for lo, hi in nets[i]) for i in ("a", "b"))


_prefixes = st.builds(lambda a, n: ipaddress.ip_network(f"{ipaddress.IPv4Address(a)}/{n}", strict=False),
                      st.integers(0, 2**32 - 1), st.integers(0, 32))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_prefixes, st.sampled_from(["a", "b", "c", ANYWHERE])), min_size=1, max_size=8),
       st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=20))
def test_longest_match_against_brute_force(entries: list[tuple[ipaddress.IPv4Network, str]], probes: list[int]) -> None:
    """Every address is behind exactly the interfaces of its longest matching prefix (all of them when that
    prefix goes anywhere, or when no prefix matches)."""
    connected: dict[str, list[tuple[int, int]]] = {"a": [], "b": [], "c": []}
    routes = [(network(str(n)), i) for n, i in entries]
    nets = routed_networks(connected, routes)
    for p in probes:
        addr = ipaddress.IPv4Address(p)
        matching = [(n, i) for n, i in entries if addr in n]
        if matching:
            best = max(n.prefixlen for n, _ in matching)
            owners = {i for n, i in matching if n.prefixlen == best}
            expected = {"a", "b", "c"} if ANYWHERE in owners else owners
        else:
            expected = {"a", "b", "c"}
        x = V4_BASE + p
        got = {i for i, ivs in nets.items() if any(lo <= x <= hi for lo, hi in ivs)}
        assert got == expected, (addr, entries)


def test_vpn_client_pools_and_tunnels_are_never_judged() -> None:
    """VPN routes appear at run time: an ASA 'ip local pool' may be behind any interface, and a FortiGate
    SSL-VPN or IPsec tunnel interface has no knowable networks."""
    pool = ASA.replace("access-list INSIDE_IN extended permit tcp 203.0.113.0 255.255.255.128 any eq https\n",
                       "access-list INSIDE_IN extended permit tcp 10.99.0.0 255.255.255.0 any eq https\n")
    pool += "ip local pool RA-POOL 10.99.0.10-10.99.0.250 mask 255.255.255.0\n"
    assert _irrelevant_names(cisco_asa.parse(pool, "asa.cfg")) == set()  # pool addresses may arrive anywhere
    assert _irrelevant_names(cisco_asa.parse(pool.replace("ip local pool", "! ip local pool"), "asa.cfg")) == \
        {"INSIDE_IN #3"}  # without the pool, 10.99.0.0/24 is routed via outside
    ssl = FORTI.replace('''config firewall policy
''', '''config firewall address
    edit "SSLVPN_TUNNEL_ADDR1"
        set type iprange
        set start-ip 10.212.134.200
        set end-ip 10.212.134.210
    next
end
config firewall policy
    edit 9
        set name "vpn-users"
        set srcintf "ssl.root"
        set dstintf "port1"
        set srcaddr "SSLVPN_TUNNEL_ADDR1"
        set dstaddr "all"
        set action accept
        set service "HTTPS"
        set logtraffic all
    next
''', 1)
    assert _irrelevant_names(fortigate.parse(ssl, "fgt.conf")) == {"spoofed", "wrong-dst"}


def test_policy_based_routing_makes_routing_unknown() -> None:
    pbr_ios = IOS.replace(" ip access-group LAN-OUT out\n", " ip access-group LAN-OUT out\n ip policy route-map PBR\n")
    assert _irrelevant_names(cisco_ios.parse(pbr_ios, "ios.cfg")) == set()
    pbr_forti = FORTI + "config router policy\n    edit 1\n        set input-device \"port1\"\n" \
        "        set gateway 192.0.2.254\n    next\nend\n"
    assert _irrelevant_names(fortigate.parse(pbr_forti, "fgt.conf")) == set()
    assert _irrelevant_names(cisco_asa.parse("firewall transparent\n" + ASA, "asa.cfg")) == set()
