"""One PAN-OS port reader and one interval complement for the firewall parsers (issue 15: the copies drifted)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.firewall.model import ANY_PORT
from collectors.firewall.parsers import iptables, nft_json, panos, panos_xml
from collectors.firewall.parsers.ranges import complement, panos_ports


@pytest.mark.parametrize("text", ["", " ", "any", " any ", "80, 443", " 8080-8090 ,22"])
def test_both_panos_parsers_read_ports_the_same_way(text: str) -> None:
    """The text parser used to fail on an empty or padded port list that the XML parser read."""
    assert panos.panos_ports is panos_xml.panos_ports is panos_ports
    expected = {"": [ANY_PORT], " ": [ANY_PORT], "any": [ANY_PORT], " any ": [ANY_PORT],
                "80, 443": [(80, 80), (443, 443)], " 8080-8090 ,22": [(8080, 8090), (22, 22)]}[text]
    assert panos_ports(text) == expected


def test_iptables_and_nftables_negate_with_one_complement() -> None:
    assert iptables.complement is nft_json.complement is complement


@given(st.lists(st.tuples(st.integers(0, 65535), st.integers(0, 65535)).map(sorted).map(tuple), max_size=8),
       st.integers(0, 65535))
def test_complement_is_exactly_what_no_interval_covers(ivs: list[tuple[int, int]], port: int) -> None:
    out = complement([(a, b) for a, b in ivs], ANY_PORT)
    covered = any(a <= port <= b for a, b in ivs)
    assert any(a <= port <= b for a, b in out) is not covered
    assert all(a <= b for a, b in out) and out == sorted(out)
