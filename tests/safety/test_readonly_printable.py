"""The read-only guard passes only printable characters and reading output filters (issue 14, point 4).

The bugs: line-editing control characters (Ctrl-U, backspace, DEL, Ctrl-A/Ctrl-K, VT, FF, Ctrl-Z, U+2028,
U+0085) went through, and on the generic family ``display x | find . -exec rm {} +`` passed. The real command
set every collector sends (taken from the collectors' own tables, not retyped here) must still pass.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.ansible.platforms import commands_of
from collectors.base import available
from netcomply.errors import ReadOnlyViolation
from netcomply.safety.readonly import check_command, is_allowed

PLATFORMS = ["cisco_ios", "cisco_xe", "cisco_asa", "cisco_nxos", "cisco_wlc_ssh", "huawei", "huawei_vrpv8",
             "hp_comware", "fortinet", "paloalto_panos", "juniper_junos", "ruijie_os", "linux", "generic_termserver",
             None]

#: The characters the issue names, each as a device's line editor or a text stack reads it.
LINE_EDITING = {
    "\x15": "Ctrl-U: erase to the start of the line",
    "\x08": "backspace",
    "\x7f": "DEL",
    "\x01": "Ctrl-A: cursor to the start",
    "\x0b": "vertical tab (also Ctrl-K: cut to the end)",
    "\x0c": "form feed (Ctrl-L)",
    "\x1a": "Ctrl-Z: leave configuration mode",
    "\u2028": "LINE SEPARATOR",
    "\u0085": "NEXT LINE",
    "\x03": "Ctrl-C",
    "\x17": "Ctrl-W: erase word",
    "\x1b": "ESC",
    "\t": "TAB: word completion",
    "\x00": "NUL",
    "\u2029": "PARAGRAPH SEPARATOR",
    "\u200b": "ZERO WIDTH SPACE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\ufeff": "BOM",
    "\u00a0": "NO-BREAK SPACE",
    "\u3000": "IDEOGRAPHIC SPACE",
}


def _real_commands() -> set[tuple[str, str]]:
    """(platform, command) for every command a collector of this tree sends: each registered collector's own
    ``commands`` table, plus the tables of the collectors that pick commands themselves."""
    from collectors.cli_facts import COMMANDS as FACTS
    from collectors.firewall.collector import COMMANDS as FIREWALL
    from collectors.firewall.collector import UPTIME
    from collectors.hotspot.ssh_probe import COMMANDS as AP
    from collectors.ipv6.parsers import CONFIG_COMMANDS
    from collectors.running_config import COMMANDS as CONFIG
    from collectors.vendor.cli_inventory import COMMANDS as VENDOR

    found: set[tuple[str, str]] = set()
    tables: list[dict[str, object]] = [FACTS, CONFIG, VENDOR, CONFIG_COMMANDS, UPTIME,  # type: ignore[list-item]
                                       {p: spec[1] for p, spec in FIREWALL.items()},
                                       {p: spec[0] for p, spec in AP.items()}]
    for cls in available().values():
        table = getattr(cls, "commands", None)
        if isinstance(table, dict):
            tables.append(table)
    for table in tables:
        for platform, spec in table.items():
            found.update((platform, c) for c in commands_of(spec))
    return found


REAL = sorted(_real_commands())


def test_the_real_command_set_is_large_enough_to_mean_something() -> None:
    assert len(REAL) >= 40
    assert {p for p, _ in REAL} >= {"cisco_ios", "cisco_asa", "huawei", "hp_comware", "fortinet", "paloalto_panos",
                                    "juniper_junos", "linux"}
    assert any("|" in c for _, c in REAL)  # the filters the collectors use are among them


@pytest.mark.parametrize(("platform", "command"), REAL)
def test_every_command_the_collectors_send_still_passes(platform: str, command: str) -> None:
    assert check_command(command, platform) == command


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("char", list(LINE_EDITING), ids=[LINE_EDITING[c] for c in LINE_EDITING])
def test_line_editing_characters_are_refused(char: str, platform: str | None) -> None:
    for command in (f"show {char}reload", f"show version{char}", f"{char}show version", f"display {char}x",
                    f"show version | include {char}x"):
        with pytest.raises(ReadOnlyViolation, match="U\\+"):
            check_command(command, platform)


def test_the_issue_example_names_the_character() -> None:
    with pytest.raises(ReadOnlyViolation, match="U\\+0015"):
        check_command("show \x15reload", "cisco_ios")


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("command", [
    "display x | find . -exec rm {} +",
    "show x | find . -exec rm {} +",
    "show x | include y -exec rm {} +",
    "show x -execdir sh",
    "show x | include a; reload",
    "show x | include `reload`",
    "show x | include $(reload)",
    "show x && reload",
    "show x || reload",
    "show x > flash:x",
    "show x >> flash:x",
    "show x < /etc/passwd",
    "show x | sh",
    "show x | bash",
    "show x | xargs rm",
    "show x | tee flash:x",
    "show x | append flash:x",
    "show x | redirect flash:x",
    "show x | save /var/tmp/x",
    "show x | grep -exec y",
    "get x | grep -exec y",
    "show x | include",  # a filter without its pattern
    "show x |",
])
def test_shell_constructs_and_writing_filters_are_refused(command: str, platform: str | None) -> None:
    with pytest.raises(ReadOnlyViolation):
        check_command(command, platform)


@pytest.mark.parametrize(("platform", "command"), [
    ("cisco_ios", "show running-config | include snmp"),
    ("cisco_ios", "show running-config | i snmp"),
    ("cisco_ios", "show running-config | inc snmp"),
    ("cisco_ios", "show running-config | exclude ^!"),
    ("cisco_ios", "show running-config | begin interface"),
    ("cisco_ios", "show running-config | section line vty"),
    ("cisco_ios", "show running-config | sec line vty"),
    ("cisco_ios", "show interfaces | count up"),
    ("cisco_ios", "show running-config | include 臺北市"),
    ("cisco_asa", "show running-config | include access-list"),
    ("ruijie_os", "show running-config | include snmp"),
    ("huawei", "display current-configuration | include snmp"),
    ("huawei", "display current-configuration | begin interface"),
    ("hp_comware", "display current-configuration | exclude #"),
    ("fortinet", "get system status | grep Version"),
    ("fortinet", "get system status | grep -i version"),
    ("fortinet", "show firewall policy | grep -f srcaddr"),
    ("paloalto_panos", "show system info | match serial"),
    ("paloalto_panos", "show system info | except uptime"),
    ("juniper_junos", "show configuration | display set"),
    ("juniper_junos", "show configuration | display set | match snmp"),
    ("juniper_junos", "show interfaces terse | except down | count"),
    ("juniper_junos", "show log messages | last 20"),
    ("juniper_junos", "show configuration | no-more"),
    ("generic_termserver", "show version | include Version"),
    ("generic_termserver", "display version | begin x"),
])
def test_reading_filters_pass(platform: str, command: str) -> None:
    assert check_command(command, platform) == command


@pytest.mark.parametrize(("platform", "command"), [
    ("cisco_ios", "show running-config | t flash:x"),  # abbreviates tee
    ("cisco_ios", "show running-config | a flash:x"),  # abbreviates append
    ("cisco_ios", "show running-config | r flash:x"),  # abbreviates redirect
    ("cisco_ios", "show running-config | format x"),
    ("cisco_ios", "show running-config | match x"),  # another family's filter
    ("huawei", "display current-configuration | section x"),  # VRP/Comware: include/exclude/begin only
    ("hp_comware", "display current-configuration | by-linenum"),
    ("fortinet", "get system status | include Version"),
    ("paloalto_panos", "show system info | include serial"),
    ("juniper_junos", "show configuration | display commit-scripts"),
    ("juniper_junos", "show configuration | compare rollback 1"),
    ("juniper_junos", "show configuration | request message all x"),
    ("juniper_junos", "show configuration | s x"),  # ambiguous: save
    ("cisco_wlc_ssh", "show run-config commands | include x"),
    ("generic_termserver", "display x | find ."),
    ("generic_termserver", "show x | i y"),  # no abbreviations where the CLI is unknown
    ("linux", "nft -j list ruleset | grep x"),
])
def test_filters_outside_the_family_allow_list_are_refused(platform: str, command: str) -> None:
    with pytest.raises(ReadOnlyViolation):
        check_command(command, platform)


def _not_printable(ch: str) -> bool:
    return ch != " " and (unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"}
                          or not ch.isprintable())


bad_char = st.characters(codec=None).filter(_not_printable)


@settings(max_examples=400)
@given(st.sampled_from(REAL), bad_char, st.integers(min_value=0, max_value=200))
def test_any_refused_character_anywhere_in_a_real_command_is_refused(real: tuple[str, str], char: str,
                                                                    at: int) -> None:
    platform, command = real
    at = at % (len(command) + 1)
    with pytest.raises(ReadOnlyViolation):
        check_command(command[:at] + char + command[at:], platform)


@settings(max_examples=300)
@given(st.text(max_size=40), bad_char, st.text(max_size=40), st.sampled_from(PLATFORMS))
def test_no_string_holding_a_refused_character_ever_passes(head: str, char: str, tail: str,
                                                          platform: str | None) -> None:
    assert not is_allowed(head + char + tail, platform)


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec=None), max_size=60), st.sampled_from(PLATFORMS))
def test_whatever_passes_is_printable_and_shell_free(text: str, platform: str | None) -> None:
    if not is_allowed(text, platform):
        return
    assert all(ch == " " or (ch.isprintable() and unicodedata.category(ch) != "Zs") for ch in text), text
    assert not any(token in text for token in (";", "`", "$(", "&&", ">", "<", "-exec")), text
