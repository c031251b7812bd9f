"""The read-only guard refuses everything that could change a device, before it is sent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcomply.errors import ReadOnlyViolation
from netcomply.safety.readonly import check_command, check_snmp_operation, is_allowed, platform_family

PLATFORMS = ["cisco_ios", "cisco_asa", "cisco_wlc_ssh", "huawei", "hp_comware", "fortinet", "paloalto_panos",
             "juniper_junos", "linux", None]

DANGEROUS = [
    "configure terminal",
    "conf t",
    "write memory",
    "wr",
    "reload",
    "reload in 5",
    "copy running-config startup-config",
    "copy tftp: flash:",
    "delete flash:config.text",
    "erase startup-config",
    "system-view",
    "save",
    "reboot",
    "config system interface",
    "execute reboot",
    "configure",
    "request system reboot",
    "commit",
    "set cli config-output-format set",
    "clear counters",
    "debug all",
    "no shutdown",
    "username x privilege 15 secret y",
    "rm -rf /",
    "nft flush ruleset",
    "iptables -F",
]


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("command", DANGEROUS)
def test_dangerous_commands_are_refused_on_every_platform(platform: str | None, command: str) -> None:
    with pytest.raises(ReadOnlyViolation):
        check_command(command, platform)


@pytest.mark.parametrize(
    ("platform", "command"),
    [
        ("cisco_ios", "show version"),
        ("cisco_ios", "show running-config | include snmp"),
        ("cisco_ios", "terminal length 0"),
        ("cisco_ios", "terminal width 511"),
        ("cisco_asa", "terminal pager 0"),
        ("cisco_asa", "show access-list"),
        ("cisco_wlc_ssh", "config paging disable"),
        ("cisco_wlc_ssh", "show ap summary"),
        ("huawei", "display version"),
        ("huawei", "screen-length 0 temporary"),
        ("hp_comware", "screen-length disable"),
        ("hp_comware", "display device manuinfo"),
        ("fortinet", "get system status | grep Version"),
        ("fortinet", "show firewall policy"),
        ("paloalto_panos", "set cli pager off"),
        ("paloalto_panos", "show system info"),
        ("juniper_junos", "show configuration security policies | display set"),
        ("juniper_junos", "set cli screen-length 0"),
        ("linux", "nft -j list ruleset"),
        ("linux", "ip -j -6 addr"),
        ("linux", "iptables-save -c"),
        ("ruijie_os", "terminal width 256"),  # what netmiko's ruijie_os driver sends, in its order
        ("ruijie_os", "terminal length 0"),
        ("ruijie_os", "enable"),
        ("ruijie_os", "show version"),
    ],
)
def test_read_and_session_commands_pass(platform: str, command: str) -> None:
    assert check_command(command, platform) == command


@pytest.mark.parametrize(
    ("platform", "command"),
    [
        ("cisco_ios", "show run | redirect flash:x"),
        ("cisco_ios", "show run | tee flash:x"),
        ("cisco_ios", "show version\nreload"),
        ("cisco_ios", "show version; reload"),
        ("juniper_junos", "show configuration | save /var/tmp/x"),
        ("linux", "nft -j list ruleset; nft flush ruleset"),
        ("linux", "nft -j list ruleset | sh"),
        ("linux", "cat /etc/shadow"),
        ("linux", "ip addr add 192.0.2.1/24 dev eth0"),
        ("huawei", "screen-length 0"),  # without 'temporary' it changes the user's saved setting
        ("cisco_ios", "set cli pager off"),  # another platform's session command
        ("ruijie_os", "display version"),  # RGOS reads with show
        ("ruijie_os", "write memory"),
    ],
)
def test_smuggling_and_cross_platform_commands_are_refused(platform: str, command: str) -> None:
    with pytest.raises(ReadOnlyViolation):
        check_command(command, platform)


@pytest.mark.parametrize("op", ["set", "SET", "inform", "trap", "set-request"])
def test_snmp_writes_are_refused(op: str) -> None:
    with pytest.raises(ReadOnlyViolation):
        check_snmp_operation(op)


@pytest.mark.parametrize("op", ["get", "getnext", "getbulk", "walk", "bulk_walk"])
def test_snmp_reads_pass(op: str) -> None:
    assert check_snmp_operation(op)


def test_platform_families() -> None:
    assert platform_family("cisco_xe") == "cisco"
    assert platform_family("cisco_wlc_ssh") == "cisco_wlc"
    assert platform_family("huawei_vrpv8") == "huawei"
    assert platform_family("hp_comware") == "comware"
    assert platform_family("ruijie_os") == "ruijie"
    assert platform_family("unknown_os") == "generic"


_READ_VERBS = {"show", "display", "get"}


@given(
    verb=st.text(alphabet=st.characters(min_codepoint=97, max_codepoint=122), min_size=1, max_size=12),
    rest=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
    platform=st.sampled_from(PLATFORMS),
)
def test_anything_not_starting_with_a_read_verb_is_refused(verb: str, rest: str, platform: str | None) -> None:
    command = f"{verb} {rest}".strip()
    if verb in _READ_VERBS or not command:
        return
    if is_allowed(command, platform):
        # Only the exact session commands (terminal length 0, screen-length 0 temporary ...) may pass.
        assert verb in {"terminal", "screen-length", "screen-width", "set", "enable", "exit", "quit", "cli",
                        "config", "logout", "nft", "ip", "iptables-save", "ip6tables-save", "uname", "hostname",
                        "cat", "sysctl"}, command


@given(st.text(max_size=60), st.sampled_from(PLATFORMS))
def test_a_line_break_never_passes(text: str, platform: str | None) -> None:
    command = f"show version\n{text}reload"
    with pytest.raises(ReadOnlyViolation):
        check_command(command, platform)
