"""Controller output parsers: AP listings (AireOS, Huawei AC) and WLAN security/bandwidth, on captured-format
fixtures and on the lab's own rendered templates; hypothesis for the uptime format."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from collectors.hotspot.snmp_probe import cisco_ap_table, huawei_ap_table, standalone_ap
from collectors.hotspot.ssh_probe import huawei_uptime, parse_display_ap_all, parse_show_ap_summary
from collectors.hotspot.wlan_config import parse_aireos_run_config, parse_huawei_wlan
from collectors.transports.snmp import SnmpValue
from netcomply.app.lab.sshsim.profile import DeviceProfile, make_vars
from netcomply.app.lab.sshsim.render import render

FIXTURES = Path(__file__).parent / "fixtures"


def test_show_ap_summary_lists_joined_aps_with_clients() -> None:
    aps = parse_show_ap_summary((FIXTURES / "cisco_wlc_show_ap_summary.txt").read_text())
    assert {k: (v.up, v.clients) for k, v in aps.items()} == {
        "LIB-2F-READING": (True, 17), "PARK-GATE-N": (True, 0), "TRAIN-STN-HALL": (True, 42)}


def test_display_ap_all_states_stations_and_uptime() -> None:
    aps = parse_display_ap_all((FIXTURES / "huawei_ac_display_ap_all.txt").read_text())
    assert aps["DO-1F-HALL"].up and aps["DO-1F-HALL"].clients == 5
    assert aps["DO-1F-HALL"].uptime_s == ((4 * 24 + 18) * 60 + 14) * 60 + 3
    assert aps["MKT-01"].uptime_s == 17 * 60 + 32
    assert not aps["MKT-02"].up and aps["MKT-02"].uptime_s is None and aps["MKT-02"].detail["controller_state"] == "fault"


@given(st.integers(0, 400), st.integers(0, 23), st.integers(0, 59), st.integers(0, 59))
def test_huawei_uptime_roundtrip(d: int, h: int, m: int, s: int) -> None:
    text = (f"{d}D:" if d else "") + (f"{h}H:" if d or h else "") + f"{m}M:{s}S"
    assert huawei_uptime(text) == ((d * 24 + h) * 60 + m) * 60 + s


def _lab_profile(platform: str, name: str, aps: list[str]) -> DeviceProfile:
    return DeviceProfile(name=name, platform=platform, address="127.0.10.5", port=22, hostname=name,
                         username="u", password="p", enable_secret="e",
                         vars=make_vars(name, platform, 4, brand="x", model="y", aps=aps, lab_epoch=time.time()))


def test_lab_listings_parse_like_real_ones() -> None:
    cisco = _lab_profile("cisco_wlc_ssh", "wlc", ["A-1", "A-2", "A-3"])
    huawei = _lab_profile("huawei", "ac", ["B-1", "B-2", "B-3"])
    c = parse_show_ap_summary(render("cisco_wlc_ssh", "show_ap_summary.j2", cisco))
    h = parse_display_ap_all(render("huawei", "display_ap_all.j2", huawei))
    # the last AP of a lab controller never came up (profile's own down windows)
    assert set(c) == {"A-1", "A-2"} and set(h) == {"B-1", "B-2", "B-3"} and not h["B-3"].up


def test_wlan_security_and_rate_limits_from_lab_configs() -> None:
    cisco = {w["ssid"]: w for w in parse_aireos_run_config(
        render("cisco_wlc_ssh", "show_run_config_commands.j2", _lab_profile("cisco_wlc_ssh", "wlc", ["A-1"])))}
    assert cisco["CityFreeWiFi"]["security"] == "open" and cisco["CityFreeWiFi"]["user_auth"] == ["web"]
    assert cisco["CityFreeWiFi"]["per_client_kbps"] == {"up": 5000, "down": 5000}
    assert cisco["CityStaff"]["security"] == "wpa-psk" and cisco["CityStaff"]["encrypted"]
    assert cisco["CityAdmin-Legacy"]["encrypted"] is False and cisco["CH-Meeting"]["user_auth"] == []
    huawei = {w["ssid"]: w for w in parse_huawei_wlan(
        render("huawei", "display_current_configuration.j2", _lab_profile("huawei", "ac", ["B-1"])))}
    assert huawei["iTaiwan"]["user_auth"] == ["web"] and huawei["iTaiwan"]["per_client_kbps"]["down"] == 5120
    assert huawei["District-Free"]["user_auth"] == [] and huawei["District-Free"]["per_client_kbps"]["down"] == 1024
    assert huawei["DO-Office"]["security"] == "wpa-psk" and all(w["enabled"] for w in huawei.values())


def test_aireos_defaults_and_disabled_wlans() -> None:
    text = ("config wlan create 7 Corp Corp\nconfig wlan create 8 Old Old\nconfig wlan security wpa disable 8\n"
            "config wlan security static-wep-key enable 8\nconfig wlan enable 7\n")
    w = {x["ssid"]: x for x in parse_aireos_run_config(text)}
    assert w["Corp"]["security"] == "wpa-802.1x" and w["Corp"]["user_auth"] == ["802.1x"] and w["Corp"]["enabled"]
    assert w["Old"]["security"] == "wep" and not w["Old"]["encrypted"] and not w["Old"]["enabled"]


def _rows(prefix: str, values: dict[str, object]) -> list[tuple[str, SnmpValue]]:
    return [(f"{prefix}.{k}", SnmpValue("Integer" if isinstance(v, int) else "OctetString", v))  # type: ignore[arg-type]
            for k, v in values.items()]


def test_snmp_tables() -> None:
    mac = "112.219.152.1.2.3"
    cisco = cisco_ap_table(_rows("1.3.6.1.4.1.14179.2.2.1.1.3", {mac: "AP-X"}),
                           _rows("1.3.6.1.4.1.14179.2.2.1.1.6", {mac: 1}),
                           _rows("1.3.6.1.4.1.14179.2.2.2.1.15", {f"{mac}.0": 3, f"{mac}.1": 4}),
                           _rows("1.3.6.1.4.1.9.9.513.1.1.1.1.6", {mac: 12345}))
    assert (cisco["AP-X"].up, cisco["AP-X"].clients, cisco["AP-X"].uptime_s) == (True, 7, 123.45)
    hw = huawei_ap_table(_rows("1.3.6.1.4.1.2011.6.139.13.3.3.1.4", {mac: "AP-Y"})
                         + _rows("1.3.6.1.4.1.2011.6.139.13.3.3.1.6", {mac: 4}))
    assert hw["AP-Y"].up is False and hw["AP-Y"].clients == 0
    ap = standalone_ap(_rows("1.3.6.1.2.1.2.2.1.3", {"1": 6, "2": 71, "3": 71}),
                       _rows("1.3.6.1.2.1.2.2.1.8", {"1": 1, "2": 2, "3": 2}), SnmpValue("TimeTicks", 500))
    assert ap.up is False  # the uplink is up but no radio is: no Wi-Fi service
