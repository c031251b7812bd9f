"""The CLI details netmiko and auditors rely on: errors in the platform's own words, the caret under the
offending word, output filters, and config mode (which the read-only guard exists to prevent)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.lab

#: (device, bad command, the platform's error line, caret expected)
ERRORS = [
    ("cg-core1", "show ip interfacez brief", "% Invalid input detected at '^' marker.", True),
    ("cg-fw1", "show acess-list", "ERROR: % Invalid input detected at '^' marker.", True),
    ("ed-core1", "display ip interfacez brief", "Error: Unrecognized command found at '^' position.", True),
    ("dt-sw1", "display foo", "% Unrecognized command found at '^' position.", True),
    ("ed-fw1", "get system foo", "command parse error before 'foo'", False),
    ("dt-fw1", "show nonsense", "Invalid syntax.", False),
    ("cg-edge1", "show chassis frobnicate", "syntax error, expecting <command>.", True),
    ("cg-wlc1", "show nonsense", "Incorrect usage. Use the '?' or <TAB> key to list commands.", False),
]


@pytest.mark.parametrize(("name", "command", "error", "caret"), ERRORS)
def test_unknown_command_gives_platform_error(ssh_lab: Any, name: str, command: str, error: str,
                                              caret: bool) -> None:
    profile = ssh_lab.profiles[name]
    conn = ssh_lab.session(name)
    prompt = conn.find_prompt()
    output = conn.send_command(command, strip_command=False)
    lines = [ln for ln in output.splitlines() if ln.strip()]
    assert any(ln.strip() == error for ln in lines), output
    if caret:
        caret_line = next(ln for ln in lines if ln.strip() == "^")
        # The marker sits under the first word no command continues with, counting the prompt's width
        # (Junos writes a space after its prompt; netmiko's find_prompt strips it).
        bad_word = next(w for w in command.split() if w in ("interfacez", "acess-list", "foo", "frobnicate"))
        column = len(prompt) + (1 if profile.platform == "juniper_junos" else 0)
        assert caret_line.index("^") == column + command.index(bad_word)


def test_abbreviations_and_filters(ssh_lab: Any) -> None:
    profile = ssh_lab.profiles["cg-core1"]
    conn = ssh_lab.session("cg-core1")
    full = conn.send_command("show ip interface brief")
    abbreviated = conn.send_command("sh ip int br")
    filtered = conn.send_command("show ip interface brief | include Vlan")
    incomplete = conn.send_command("show ip")
    assert abbreviated == full
    assert filtered.splitlines() == [ln for ln in full.splitlines() if "Vlan" in ln]
    assert any(i["name"].startswith("Vlan") for i in profile.vars["interfaces"])
    assert incomplete.strip() == "% Incomplete command."


def test_running_config_needs_enable_and_carries_the_profile_secrets(ssh_lab: Any) -> None:
    v = ssh_lab.profiles["cg-rtr1"].vars
    with ssh_lab.connect("cg-rtr1") as conn:
        refused = conn.send_command("show running-config")
        conn.enable()
        config = conn.send_command("show running-config")
    assert "% Invalid input detected" in refused
    assert f"enable secret 9 {v['secret_hash']}" in config
    assert f"snmp-server community {v['snmp_community']} RO" in config
    assert "<enable secret>" in ssh_lab.received("cg-rtr1")
    assert "lab-enable-secret" not in ssh_lab.received("cg-rtr1")


@pytest.mark.parametrize(("name", "command", "needle"), [
    ("ed-core1", "display current-configuration", "snmp-agent community read cipher {snmp_community}"),
    ("cg-dist1", "display current-configuration", "snmp-agent community read simple {snmp_community}"),
    ("ed-fw1", "show", "set password ENC {enc_blob}"),
    ("dt-fw1", "show config running", "snmp-community-string {snmp_community};"),
    ("cg-edge1", "show configuration | display set", "set snmp community {snmp_community} authorization"),
])
def test_configs_carry_secrets_for_redaction_tests(ssh_lab: Any, name: str, command: str, needle: str) -> None:
    config = ssh_lab.session(name).send_command(command)
    assert needle.format(**ssh_lab.profiles[name].vars) in config


@pytest.mark.parametrize(("name", "command", "defects"), [
    ("cg-fw1", "show access-list", ["permit ip any4 any4", "eq telnet"]),
    ("cg-core1", "show ip access-lists", ["permit ip any any", "eq telnet"]),
    ("ed-fw1", "show firewall policy", ['set service "TELNET"', "set logtraffic disable"]),
    ("dt-fw1", "show running security-policy", ["0:telnet/tcp/any/23", "application/service any/any/any/any"]),
    ("cg-edge1", "show configuration security policies | display set",
     ["match application junos-telnet", "policy TEMP-ANY match source-address any"]),
])
def test_firewall_rule_sets_have_defects_to_find(ssh_lab: Any, name: str, command: str,
                                                 defects: list[str]) -> None:
    rules = ssh_lab.session(name).send_command(command)
    for defect in defects:
        assert defect in rules, f"{name}: {defect!r} missing from {command!r}"


def test_config_command_enters_config_mode_and_is_on_record(ssh_lab: Any) -> None:
    """What the read-only guard must prevent: a real device would now take configuration."""
    with ssh_lab.connect("dt-rtr1") as conn:
        conn.enable()
        conn.config_mode()
        assert conn.find_prompt() == "dt-rtr1(config)#"
        conn.exit_config_mode()
        assert conn.find_prompt() == "dt-rtr1#"
    assert "configure terminal" in ssh_lab.received("dt-rtr1")
    conn = ssh_lab.connect("ed-core1")
    # (netmiko's Huawei config_mode() waits 2 s per check for silence; expecting the prompt is quicker)
    conn.send_command("system-view", expect_string=r"\[ed-core1\]")
    assert conn.find_prompt() == "[ed-core1]"
    conn.send_command("return", expect_string=r"<ed-core1>")
    conn.paramiko_cleanup()
    assert "system-view" in ssh_lab.received("ed-core1")
