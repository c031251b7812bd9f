"""Device-output parsers of the IPv6 and hotspot collectors under fuzzing: whatever a device (or something
pretending to be one) prints, a parser returns rows -- possibly none, which the collector reports as a ``parse``
error with the artifact kept -- and never raises. What they return stays well-formed: every IPv6 address parses,
every SSID has a known security kind. Long lines cost linear time (no regex backtracking blow-up).

Fixtures: tests/ipv6/fixtures and tests/hotspot/fixtures (captured-format device output), plus the lab's own
rendered WLAN controller configurations.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from fuzzkit import FUZZ, TESTS, mutated
from hypothesis import given
from hypothesis import strategies as st

from collectors.hotspot.snmp_probe import cisco_ap_table, huawei_ap_table, standalone_ap
from collectors.hotspot.ssh_probe import huawei_uptime, parse_display_ap_all, parse_show_ap_summary
from collectors.hotspot.wlan_config import parse_aireos_run_config, parse_huawei_wlan
from collectors.ipv6.devices import ipv6_from_index, prefix_length, snmp_interfaces
from collectors.ipv6.parsers import PARSERS, config_facts, split_address
from collectors.snmp_system import enterprise_number, entity_rows
from collectors.transports.snmp import SnmpValue

IPV6_FIXTURES = {p.name: p.read_text(encoding="utf-8") for p in sorted((TESTS / "ipv6" / "fixtures").glob("*.txt"))}
HOTSPOT_FIXTURES = {p.name: p.read_text(encoding="utf-8")
                    for p in sorted((TESTS / "hotspot" / "fixtures").glob("*.txt"))}
IFACE_PARSERS = {fn.__name__: fn for _, fn in PARSERS.values()}
AP_PARSERS: dict[str, Callable[[str], dict[str, Any]]] = {
    "show_ap_summary": parse_show_ap_summary, "display_ap_all": parse_display_ap_all}
WLAN_PARSERS: dict[str, Callable[[str], list[dict[str, Any]]]] = {
    "aireos": parse_aireos_run_config, "huawei": parse_huawei_wlan}


def _lab_wlan_configs() -> dict[str, str]:
    from netcomply.app.lab.sshsim.profile import DeviceProfile, make_vars
    from netcomply.app.lab.sshsim.render import render

    out = {}
    for platform, template in (("cisco_wlc_ssh", "show_run_config_commands.j2"),
                               ("huawei", "display_current_configuration.j2")):
        profile = DeviceProfile(name="wlc", platform=platform, address="127.0.10.5", port=22, hostname="wlc",
                                username="u", password="p", enable_secret="e",
                                vars=make_vars("wlc", platform, 4, brand="x", model="y", aps=["A-1", "A-2"],
                                               lab_epoch=time.time()))
        out[platform] = render(platform, template, profile)
    return out


WLAN_TEXTS = _lab_wlan_configs()
ALL_TEXTS = {**IPV6_FIXTURES, **HOTSPOT_FIXTURES, **WLAN_TEXTS}


def _check_interfaces(rows: list[Any]) -> None:
    assert isinstance(rows, list)
    for iface in rows:
        assert isinstance(iface.name, str) and iface.up in (True, False, None)
        assert all(split_address(a) is not None for a in iface.addresses), iface


def _check_wlans(rows: list[dict[str, Any]]) -> None:
    assert isinstance(rows, list)
    for w in rows:
        assert w["security"] in {"open", "wep", "wpa-psk", "wpa-802.1x", "wpa3-sae"}
        assert set(w["user_auth"]) <= {"802.1x", "web"}
        limits = w["per_client_kbps"]
        assert limits is None or all(v is None or isinstance(v, int) for v in limits.values())


@FUZZ
@given(data=st.data(), fixture=st.sampled_from(sorted(ALL_TEXTS)))
def test_every_parser_on_mutated_device_output(data: st.DataObject, fixture: str) -> None:
    """Each fixture, mutated, fed to every parser (a parser may also be handed another platform's output)."""
    text = data.draw(mutated(ALL_TEXTS[fixture]))
    for parse in IFACE_PARSERS.values():
        _check_interfaces(parse(text))
    for parse_ap in AP_PARSERS.values():
        for name, reading in parse_ap(text).items():
            assert isinstance(name, str) and isinstance(reading.up, bool)
    for parse_wlan in WLAN_PARSERS.values():
        _check_wlans(parse_wlan(text))
    for platform in ("cisco_ios", "cisco_asa", "huawei", "hp_comware", "juniper_junos", "fortinet",
                     "paloalto_panos", "unknown"):
        facts = config_facts(platform, text, has_global=data.draw(st.booleans()))
        assert facts["routing_enabled"] in (True, False, None) and isinstance(facts["acls"], list)


@FUZZ
@given(text=st.text(max_size=300))
def test_every_parser_on_random_text(text: str) -> None:
    for parse in IFACE_PARSERS.values():
        _check_interfaces(parse(text))
    for parse_ap in AP_PARSERS.values():
        parse_ap(text)
    for parse_wlan in WLAN_PARSERS.values():
        _check_wlans(parse_wlan(text))
    huawei_uptime(text)
    prefix_length(text)
    ipv6_from_index(text)


snmp_values = st.one_of(st.integers(-(2**70), 2**70), st.text(max_size=8), st.none())
oid_tail = st.lists(st.one_of(st.integers(0, 300).map(str), st.sampled_from(["", "x", "²", "9" * 50])),
                    min_size=0, max_size=20).map(".".join)


def _rows(prefix: str) -> st.SearchStrategy[list[tuple[str, SnmpValue]]]:
    return st.lists(st.tuples(oid_tail.map(lambda t: f"{prefix}.{t}"), snmp_values.map(
        lambda v: SnmpValue(type="x", value=v))), max_size=4)


@FUZZ
@given(data=st.data())
def test_snmp_tables_on_any_values(data: st.DataObject) -> None:
    """An agent may answer any type in any column (an OctetString where a Gauge belongs)."""
    bsn = "1.3.6.1.4.1.14179.2.2.1.1"
    cisco_ap_table(data.draw(_rows(f"{bsn}.3")), data.draw(_rows(f"{bsn}.6")),
                   data.draw(_rows("1.3.6.1.4.1.14179.2.2.2.1.15")), data.draw(_rows("1.3.6.1.4.1.9.9.513.1.1.1.1.6")))
    hw = "1.3.6.1.4.1.2011.6.139.13.3.3.1"
    huawei_ap_table([*data.draw(_rows(f"{hw}.4")), *data.draw(_rows(f"{hw}.6")), *data.draw(_rows(f"{hw}.18")),
                     *data.draw(_rows(f"{hw}.44"))])
    standalone_ap(data.draw(_rows("1.3.6.1.2.1.2.2.1.3")), data.draw(_rows("1.3.6.1.2.1.2.2.1.8")),
                  data.draw(st.none() | snmp_values.map(lambda v: SnmpValue(type="x", value=v))))
    rows = entity_rows(data.draw(_rows("1.3.6.1.2.1.47.1.1.1.1")))
    chassis = [row for row in rows if row.get("class") == 3]
    # chassis rows, or else at most one classless row: its maker and model, or the first row's description and model
    # (collectors.snmp_system.chassis_rows)
    assert chassis == rows or (len(rows) == 1 and "class" not in rows[0] and (
        (set(rows[0]) <= {"index", "mfg_name", "model_name"} and "mfg_name" in rows[0])
        or (set(rows[0]) <= {"index", "descr", "model_name"} and "descr" in rows[0])))
    number = enterprise_number(data.draw(oid_tail.map(lambda t: f"1.3.6.1.4.1.{t}")))
    assert number is None or number >= 0
    _check_interfaces(snmp_interfaces(data.draw(_rows("1.3.6.1.2.1.4.34.1.3")), data.draw(_rows("1.3.6.1.2.1.4.34.1.5")),
                                      {}, {}))


LONG = 200_000


@pytest.mark.parametrize("line", [":" * LONG + "x", "a" * LONG, "1" * LONG + "D", " " * LONG + "x",
                                  "rulebase security " * (LONG // 18), "edit 1\n" + "    set x\n" * (LONG // 10),
                                  "AP1 2 AIR-AP aa:bb:cc:dd:ee:ff" + " " * LONG + "x",
                                  "access-list a extended " + "a:" * (LONG // 2),
                                  "0 aaaa-bbbb-cccc n g 1.1.1.1 t nor " + "1" * LONG,
                                  "x\n  ge-0/0/0.0 up up inet6 " + ":" * LONG + "x"])
def test_long_lines_cost_linear_time(line: str) -> None:
    """Hostile output of 200,000 characters in one line: every parser answers within a second (a quadratic
    regex took minutes)."""
    for text in (line, "x\n" + line + "\n", " " + line):
        start = time.perf_counter()
        for parse in IFACE_PARSERS.values():
            parse(text)
        for parse_ap in AP_PARSERS.values():
            parse_ap(text)
        for parse_wlan in WLAN_PARSERS.values():
            parse_wlan(text)
        for platform in ("cisco_asa", "fortinet", "paloalto_panos", "huawei"):
            config_facts(platform, text, has_global=False)
        assert time.perf_counter() - start < 1.5, line[:20]
