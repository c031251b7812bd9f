"""Every platform over real SSH with real netmiko: log in, prepare the session, run the commands a collector
runs, and parse the output with ntc-templates into the values the device's profile holds."""

from __future__ import annotations

from typing import Any

import pytest
from ntc_templates.parse import parse_output

from netcomply.app.lab.sshsim import ap_is_up

pytestmark = pytest.mark.lab

HEALTHY = ["cg-core1", "cg-rtr1", "ed-sw2", "cg-fw1", "cg-dist1", "dt-sw1", "ed-core1", "dt-ac1", "ed-fw1",
           "dt-fw1", "cg-edge1", "cg-wlc1"]

#: The command that names the device and its model, per platform, and the ntc-templates platform name.
VERSION = {
    "cisco_ios": ("cisco_ios", "show version"),
    "cisco_asa": ("cisco_asa", "show version"),
    "huawei": ("huawei_vrp", "display version"),
    "hp_comware": ("hp_comware", "display device manuinfo"),
    "fortinet": ("fortinet", "get system status"),
    "paloalto_panos": ("paloalto_panos", "show system info"),
    "juniper_junos": ("juniper_junos", "show version"),
    "cisco_wlc_ssh": ("cisco_wlc_ssh", "show sysinfo"),
}


#: Inventory commands with a template: (ntc platform, command, serial field, model field).
INVENTORY = {
    "cisco_ios": ("cisco_ios", "show inventory", "sn", "pid"),
    "cisco_asa": ("cisco_asa", "show inventory", "sn", "pid"),
    "cisco_wlc_ssh": ("cisco_wlc_ssh", "show inventory", "sn", "pid"),
    "juniper_junos": ("juniper_junos", "show chassis hardware", "chassis_serial_number", "chassis_description"),
}


def _identity(platform: str, row: dict[str, Any]) -> dict[str, str]:
    """(hostname, model, serial) as each template names them; '' where the command does not show it."""
    if platform == "cisco_ios":
        return {"hostname": row["hostname"], "model": row["hardware"][0], "serial": row["serial"][0]}
    if platform == "cisco_asa":
        return {"hostname": row["hostname"], "model": row["hardware"].split(",")[0], "serial": row["serial"][0]}
    if platform == "huawei":  # "S5735-L48T4X-A1 Routing Switch" -> the model is the first word
        return {"hostname": "", "model": row["model"].split()[0], "serial": ""}
    if platform == "hp_comware":
        return {"hostname": "", "model": row["device_name"], "serial": row["device_serial_number"]}
    if platform == "fortinet":
        return {"hostname": row["hostname"], "model": row["version"].split()[0], "serial": row["serial_number"]}
    if platform == "paloalto_panos":
        return {"hostname": row["hostname"], "model": row["model"], "serial": row["serial"]}
    if platform == "juniper_junos":
        return {"hostname": row["hostname"], "model": row["model"].upper(), "serial": ""}
    return {"hostname": row["system_name"], "model": "", "serial": ""}


@pytest.mark.parametrize("name", HEALTHY)
def test_login_prepare_and_identify(ssh_lab: Any, name: str) -> None:
    profile = ssh_lab.profiles[name]
    ntc_platform, command = VERSION[profile.platform]
    conn = ssh_lab.session(name)  # the first use logs in, prepares the session and enables
    if profile.platform in ("cisco_ios", "cisco_asa"):
        assert conn.check_enable_mode()
    assert profile.hostname in conn.find_prompt()
    output = conn.send_command(command)
    inventory = INVENTORY.get(profile.platform)
    if inventory:
        inv_rows = parse_output(platform=inventory[0], command=inventory[1],
                                data=conn.send_command(inventory[1]))
        assert inv_rows[0][inventory[2]] == profile.vars["serial"]
        assert inv_rows[0][inventory[3]] == profile.vars["model"]
    rows = parse_output(platform=ntc_platform, command=command, data=output)
    assert rows, f"{command!r} on {name} parsed to nothing:\n{output}"
    got = _identity(profile.platform, rows[0])
    want = {"hostname": profile.hostname, "model": profile.vars["model"], "serial": profile.vars["serial"]}
    for key, value in got.items():
        if value:
            assert value == want[key], f"{name}: {key} {value!r} != profile's {want[key]!r}"
    # The session preparation netmiko did is on record, in order, before the command.
    received = ssh_lab.received(name)
    assert command in received
    assert "configure terminal" not in received or profile.platform == "cisco_asa"


def test_huawei_elabel_names_model_and_serial(ssh_lab: Any) -> None:
    profile = ssh_lab.profiles["ed-core1"]
    output = ssh_lab.session("ed-core1").send_command("display elabel")
    assert f"/$BoardType={profile.vars['model']}" in output.splitlines()
    assert f"/$BarCode={profile.vars['serial']}" in output.splitlines()
    assert "/$VendorName=Huawei" in output


@pytest.mark.parametrize("name", ["cg-core1", "ed-sw2"])
def test_ios_interfaces_v4_and_v6(ssh_lab: Any, name: str) -> None:
    profile = ssh_lab.profiles[name]
    conn = ssh_lab.session(name)
    v4 = parse_output(platform="cisco_ios", command="show ip interface brief",
                      data=conn.send_command("show ip interface brief"))
    v6 = parse_output(platform="cisco_ios", command="show ipv6 interface brief",
                      data=conn.send_command("show ipv6 interface brief"))
    interfaces = profile.vars["interfaces"]
    assert [r["interface"] for r in v4] == [i["name"] for i in interfaces]
    assert {r["interface"]: r["ip_address"] for r in v4} == {
        i["name"]: i.get("ipv4", "unassigned") for i in interfaces}
    v6_by_name = {r["interface"]: [a.lower() for a in r["ipv6_address"]] for r in v6}
    with_v6 = [i for i in interfaces if "ipv6" in i]
    assert with_v6, "the profile should give some interfaces a global IPv6 address"
    for iface in with_v6:
        assert iface["ipv6"] in v6_by_name[iface["name"]]
    for iface in interfaces:
        if "ipv6" not in iface:
            assert v6_by_name[iface["name"]] == ["unassigned"]


def _ap_states(profile: Any) -> dict[str, bool]:
    return {ap["name"]: ap_is_up(ap, profile.vars["lab_epoch"]) for ap in profile.vars["aps"]}


def test_huawei_ac_lists_its_aps_with_scheduled_state(ssh_lab: Any) -> None:
    profile = ssh_lab.profiles["dt-ac1"]
    rows = parse_output(platform="huawei_vrp", command="display ap all",
                        data=ssh_lab.session("dt-ac1").send_command("display ap all"))
    assert [r["name"] for r in rows] == ssh_lab.topology["controller_aps"]["dt-ac1"]
    states = _ap_states(profile)
    assert {r["name"]: r["state"] == "nor" for r in rows} == states
    assert not all(states.values()), "the schedule keeps at least one hotspot down"


def test_wlc_in_shell_login_and_ap_summary(ssh_lab: Any) -> None:
    profile = ssh_lab.profiles["cg-wlc1"]
    conn = ssh_lab.session("cg-wlc1")
    assert conn.find_prompt() == f"({profile.hostname}) >"
    summary = parse_output(platform="cisco_wlc_ssh", command="show ap summary",
                           data=conn.send_command("show ap summary"))
    joins = conn.send_command("show ap join stats summary all")
    states = _ap_states(profile)
    assert [r["ap_name"] for r in summary] == [n for n, up in states.items() if up]
    for name, up in states.items():
        line = next(ln for ln in joins.splitlines() if f" {name} " in ln)
        assert line.rstrip().endswith("Not Joined") != up


def test_wlc_refuses_wrong_in_shell_password(ssh_lab: Any) -> None:
    from netmiko.exceptions import NetmikoAuthenticationException, ReadTimeout

    with pytest.raises((NetmikoAuthenticationException, ReadTimeout, EOFError, OSError)):
        ssh_lab.connect("cg-wlc1", password="not-the-password", read_timeout_override=3)


def test_fortigate_output_mode_already_standard(ssh_lab: Any) -> None:
    """netmiko's fortinet driver reads the console mode and, finding `standard`, changes nothing."""
    rows = parse_output(platform="fortinet", command="get system status",
                        data=ssh_lab.session("ed-fw1").send_command("get system status"))
    received = ssh_lab.received("ed-fw1")
    assert "get system console" in received
    assert not any(line.startswith(("config ", "set ")) for line in received)
    assert rows[0]["serial_number"] == ssh_lab.profiles["ed-fw1"].vars["serial"]
