"""The firewall contract: one address/port encoding that the parsers (collectors.firewall.model) write and the
checks (compliance.checks.firewall) read, and one set of role names for bindings, checks and the report."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

import compliance.checks.firewall as checks
from collectors.firewall import bindings
from collectors.firewall.model import Action, Provenance, Rule, RuleSet, network
from collectors.firewall.observe import observations
from netcomply.contracts import addresses as A
from netcomply.contracts.firewall import ROLES, role_of
from reports.sections import firewall as section

v4 = st.builds(ipaddress.IPv4Address, st.integers(0, 2**32 - 1))
v6 = st.builds(ipaddress.IPv6Address, st.integers(0, 2**128 - 1))
addrs = st.one_of(v4, v6)


@st.composite
def networks(draw: st.DrawFn) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    addr = draw(addrs)
    prefix = draw(st.integers(0, addr.max_prefixlen))
    return ipaddress.ip_network(f"{addr}/{prefix}", strict=False)


@given(addrs)
def test_an_address_round_trips_and_keeps_its_family(addr: A.IPAddress) -> None:
    point = A.encode_address(addr)
    assert A.decode_address(point) == addr
    assert (point >= A.V4_BASE) == (addr.version == 4)
    assert 0 <= point <= A.ADDR_MAX


@given(networks())
def test_a_network_round_trips_through_the_stored_form(net: A.IPNetwork) -> None:
    iv = A.encode_network(net)
    (back,) = A.ranges_from_json(A.ranges_to_json([iv]))  # what a firewall.rule observation stores and checks read
    assert back == iv and A.size([back]) == net.num_addresses
    assert A.decode_address(back[0]) == net.network_address and A.decode_address(back[1]) == net.broadcast_address
    assert network(A.format_interval(iv)) == iv  # the readable form reads back (any4, any6, CIDR, address)
    assert A.is_v4(iv) == (net.version == 4) and A.is_v6(iv) == (net.version == 6)


@given(addrs, addrs)
def test_ranges_never_cross_the_families(a: A.IPAddress, b: A.IPAddress) -> None:
    if a.version != b.version or int(a) > int(b):
        with pytest.raises(ValueError):
            A.encode_range(str(a), str(b))
    else:
        lo, hi = A.encode_range(str(a), str(b))
        assert A.decode_address(lo) == a and A.decode_address(hi) == b


def test_decode_outside_the_line_is_an_error() -> None:
    with pytest.raises(ValueError, match="outside"):
        A.decode_address(A.ADDR_MAX + 1)
    with pytest.raises(ValueError, match="expected tcp/PORT"):
        A.parse_port_spec("sctp/80")
    assert A.parse_port_spec(" udp/8000-8010 ") == (17, 8000, 8010)


@given(st.lists(networks(), min_size=1, max_size=3), st.lists(networks(), min_size=1, max_size=3))
def test_the_checks_read_what_the_parser_wrote(src: list[A.IPNetwork], dst: list[A.IPNetwork]) -> None:
    """A rule built by the collector's model, turned into its observation, read by the checks' helpers: the same
    intervals, and "any" exactly when the collector's model says the set covers a whole family."""
    rule = Rule(0, "r", Action.PERMIT, Provenance("t", 1, "permit"), src=tuple(A.encode_network(n) for n in src),
                dst=tuple(A.encode_network(n) for n in dst))
    (_, obs) = observations([RuleSet("acl", "cisco_ios", "t", rules=[rule])], "d", "c", "t")[:2]
    assert checks._ranges(obs.data, "src") == list(rule.src)
    assert checks._ranges(obs.data, "dst") == list(rule.dst)
    whole = any(n.prefixlen == 0 for n in src)
    assert checks._is_any(checks._ranges(obs.data, "src")) == whole


def test_any_means_the_same_on_both_sides() -> None:
    for text in ("any", "any4", "any6", "0.0.0.0/0", "::/0"):
        assert checks._is_any([network(text)]), text
    assert not checks._is_any([network("192.0.2.0/24"), network("2001:db8::/32")])


def test_role_names_are_one_set() -> None:
    assert set(checks.ROLE_CHECKS) == set(ROLES)
    assert set(section.ROLES) == set(ROLES)
    assert bindings.ROLES == ROLES
    assert role_of("nat") == "nat"
    with pytest.raises(ValueError, match="unknown firewall role"):
        role_of("packet filter")  # the parsers' free-text extra["role"] is not a role name


def test_a_rule_set_with_a_misspelt_role_cannot_become_an_observation() -> None:
    rs = RuleSet("acl", "cisco_ios", "t", roles=("packet filter",))
    with pytest.raises(ValueError, match="unknown firewall role"):
        rs.summary()
