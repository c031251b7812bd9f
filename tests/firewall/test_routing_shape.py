"""The routing parsers' one shape (issue 15): RoutingTable.connect/route/shut, and the same conservative rule on
every platform: a route the parser cannot read makes the table unknown (the ASA reader used to drop it silently,
leaving a table that looked complete)."""

from __future__ import annotations

from collectors.firewall.parsers.cisco_routing import routing
from collectors.firewall.routing import ANYWHERE, RoutingTable

ASA = """interface GigabitEthernet0/0
 nameif outside
 ip address 192.0.2.1 255.255.255.0
!
interface GigabitEthernet0/1
 nameif inside
 ip address 198.51.100.1 255.255.255.0
!
route outside 0.0.0.0 0.0.0.0 192.0.2.254 1
"""


def test_asa_routes_read_and_table_known() -> None:
    table = routing(ASA, asa=True)
    assert not table.dynamic and set(table.connected) == {"outside", "inside"}


def test_asa_route_with_a_mask_that_is_no_prefix_makes_the_table_unknown() -> None:
    table = routing(ASA + "route inside 203.0.113.0 255.0.255.0 198.51.100.9 1\n", asa=True)
    assert table.dynamic


def test_shut_routes_the_interfaces_networks_anywhere_and_keeps_its_place() -> None:
    table = RoutingTable()
    table.connect("a", "192.0.2.0/24")
    table.connect("b", "198.51.100.0/24")
    table.shut("a")
    assert list(table.connected) == ["a", "b"] and table.connected["a"] == []
    assert [egress for _, egress in table.routes] == [ANYWHERE]


def test_unreadable_address_or_route_makes_the_table_unknown() -> None:
    for step in (lambda t: t.connect("a", "192.0.2.300/24"), lambda t: t.route("not-a-prefix", "a")):
        table = RoutingTable()
        step(table)
        assert table.dynamic
