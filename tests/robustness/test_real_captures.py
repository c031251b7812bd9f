"""Public real device output (networktocode/ntc-templates test captures, see fixtures/ntc-templates/SOURCES) read
by the hotspot and IPv6 parsers, and used as seeds for fuzzing them.

Two real shapes the captured-format fixtures did not have, each a bug on the old parsers: Huawei AP names with
spaces ("APW_0055(WC VIP)": the only normal AP of the capture was dropped, and with it the hotspot) and the
AireOS 2500 series' ``show ap summary`` without IP and client columns (nothing parsed: a ``parse`` error).
"""

from __future__ import annotations

from pathlib import Path

from fuzzkit import FUZZ, mutated
from hypothesis import given
from hypothesis import strategies as st

from collectors.hotspot.ssh_probe import parse_display_ap_all, parse_show_ap_summary
from collectors.ipv6.parsers import parse_cisco_brief, parse_huawei_brief, split_address

NTC = Path(__file__).resolve().parent / "fixtures" / "ntc-templates"
RAW = {p.name: p.read_text(encoding="utf-8") for p in sorted(NTC.glob("*.raw"))}


def test_huawei_ap_names_with_spaces_and_every_state() -> None:
    aps = parse_display_ap_all(RAW["huawei_vrp_display_ap_all.raw"])
    assert {name: ap.detail["controller_state"] for name, ap in aps.items()} == {
        "APW_0055(WC VIP)": "nor", "APW_0001": "idle", "APW_0002": "fault", "APW_0003(Parkin VIP)": "stdby"}
    normal = aps["APW_0055(WC VIP)"]
    assert normal.up and normal.clients == 0 and normal.uptime_s == ((4 * 24 + 1) * 60 + 10) * 60
    assert not any(ap.up for name, ap in aps.items() if name != "APW_0055(WC VIP)")


def test_aireos_ap_summary_with_and_without_client_columns() -> None:
    full = parse_show_ap_summary(RAW["cisco_wlc_ssh_show_ap_summary.raw"])
    assert {name: (ap.up, ap.clients) for name, ap in full.items()} == {"2800-Default": (True, 0),
                                                                         "2700-Server": (True, 0)}
    wlc2500 = parse_show_ap_summary(RAW["cisco_wlc_ssh_show_ap_summary_2500.raw"])
    assert {name: (ap.up, ap.clients) for name, ap in wlc2500.items()} == {"CISCO-WAP05": (True, None),
                                                                           "CISCO-WAP11": (True, None)}


def test_real_ipv6_interface_listings() -> None:
    huawei = {i.name: (i.up, i.addresses) for i in parse_huawei_brief(RAW["huawei_vrp_display_ipv6_interface_brief.raw"])}
    assert huawei["Eth-Trunk1"] == (True, ["fd00:0db8:abcd:0001::/64"])
    assert huawei["LoopBack0"] == (True, ["fd23:4567:89ab::/64"])  # up(s): spoofing, still up
    assert huawei["MEth0/0/0"] == (True, [])  # "fd01:abcd:efgh::/64" in the capture is no IPv6 address
    assert len(huawei) == 10
    cisco = {i.name: (i.up, i.addresses) for i in parse_cisco_brief(RAW["cisco_ios_show_ipv6_interface_brief.raw"])}
    assert cisco["Vlan76"] == (True, ["FE80::333:3333:3333:3333", "2A01:3333:3333:33::1", "2A01:3333:3333:33::2"])
    assert cisco["TenGigabitEthernet2/6"] == (False, []) and cisco["Vlan1"] == (False, [])
    assert len(cisco) == 11


@FUZZ
@given(data=st.data(), name=st.sampled_from(sorted(RAW)))
def test_mutated_real_captures(data: st.DataObject, name: str) -> None:
    text = data.draw(mutated(RAW[name]))
    for parse in (parse_cisco_brief, parse_huawei_brief):
        assert all(split_address(a) is not None for iface in parse(text) for a in iface.addresses)
    for parse_ap in (parse_show_ap_summary, parse_display_ap_all):
        assert all(isinstance(ap.up, bool) for ap in parse_ap(text).values())
