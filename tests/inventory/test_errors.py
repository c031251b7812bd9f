"""Every class of inventory error is reported with the line of the offending key or value."""

from __future__ import annotations

import pytest

from netcomply.errors import InputError
from netcomply.inventory import load_inventory


def lines_of(report, needle: str) -> list[int | None]:
    """Lines of the problems whose message contains ``needle``."""
    return [p.line for p in report.problems if needle in p.message]


def test_unknown_key_with_suggestion(check):
    report = check(
        """
        hosts:
          sw1:
            address: 192.0.2.1
            ssh:
              pasword_env: X
            platfrom: cisco_ios
        """
    )
    assert report.inventory is None
    messages = {p.line: p.message for p in report.problems}
    assert messages[5] == "unknown key 'pasword_env'; did you mean 'password_env'?"
    assert messages[6] == "unknown key 'platfrom'; did you mean 'platform'?"
    assert {p.key for p in report.problems} == {"hosts.sw1.ssh.pasword_env", "hosts.sw1.platfrom"}


def test_unknown_top_level_key_lists_valid_keys_when_nothing_is_close(check):
    report = check("hosts: {sw1: {address: 192.0.2.1}}\nzzzzqqq: 1\n")
    (problem,) = report.problems
    assert problem.line == 2
    assert "unknown key 'zzzzqqq'; expected one of: agencies, defaults, env_file" in problem.message


def test_wrong_type_says_what_was_expected(check):
    report = check(
        """
        defaults:
          ssh: {port: twenty-two}
        groups:
          g: [not, a, mapping]
        hosts:
          sw1: {address: 192.0.2.1, tags: core, groups: [g]}
        """
    )
    got = {(p.line, p.message) for p in report.problems}
    assert (2, "port: expected a whole number; got text") in got
    assert (4, "g: expected a mapping (key: value lines); got a list") in got
    assert (6, "tags: expected a list; got text") in got


def test_unknown_group_and_parent_group(check):
    report = check(
        """
        groups:
          cisco: {platform: cisco_ios, groups: [netwrk]}
          network: {role: switch}
        hosts:
          sw1:
            address: 192.0.2.1
            groups:
              - cisco
              - cisko
        """
    )
    assert lines_of(report, "unknown parent group 'netwrk'; did you mean 'network'?") == [2]
    assert lines_of(report, "unknown group 'cisko'; did you mean 'cisco'?") == [9]


def test_group_cycle(check):
    report = check(
        """
        groups:
          a: {groups: [b]}
          b:
            groups: [c]
          c: {groups: [a]}
          self: {groups: [self]}
        hosts:
          sw1: {address: 192.0.2.1, groups: [a]}
        """
    )
    assert lines_of(report, "group cycle: a -> b -> c -> a") == [2]
    assert lines_of(report, "group cycle: self -> self") == [6]


def test_missing_address(check):
    report = check(
        """
        hosts:
          sw1: {platform: cisco_ios}
          sw2:
          sw3: {address: 192.0.2.3}
        """
    )
    assert lines_of(report, "has no address") == [2, 3]


def test_bad_address_points_at_address_line(check):
    report = check(
        """
        hosts:
          sw1:
            platform: cisco_ios
            address: "not an address!"
        """
    )
    assert [(p.line, p.key) for p in report.problems] == [(4, "hosts.sw1.address")]
    assert report.problems[0].message.startswith("address: 'not an address!' is not a valid host name")


def test_duplicate_host_and_group_names(check):
    report = check(
        """
        groups:
          core: {role: switch}
          core: {role: router}
        hosts:
          sw1: {address: 192.0.2.1}
          sw2: {address: 192.0.2.2}
          sw1: {address: 192.0.2.9}
        """
    )
    assert lines_of(report, "duplicate group name 'core' (first defined at line 2)") == [3]
    assert lines_of(report, "duplicate host name 'sw1' (first defined at line 5)") == [7]


def test_duplicate_key_inside_a_host(check):
    report = check("hosts:\n  sw1:\n    address: 192.0.2.1\n    address: 192.0.2.2\n")
    assert lines_of(report, "duplicate key 'address' (first defined at line 3)") == [4]


@pytest.mark.parametrize("level", ["F", "a1", "1"])
def test_invalid_level(check, level):
    report = check(f"hosts:\n  sw1:\n    address: 192.0.2.1\n    level: '{level}'\n")
    (problem,) = report.problems
    assert problem.line == 4
    assert problem.message == f"invalid level {level!r}: expected one of 'A', 'B', 'C', 'D' or 'E'"


def test_unknown_platform(check):
    report = check(
        """
        defaults: {platform: cisco_iso}
        hosts:
          sw1: {address: 192.0.2.1, platform: hp_comwre}
        """
    )
    assert lines_of(report, "unknown platform 'cisco_iso': not a netmiko device_type; did you mean 'cisco_ios'?") == [1]
    assert lines_of(report, "unknown platform 'hp_comwre'") == [3]


def test_unknown_agency_only_when_agencies_given(check):
    text = """
        {agencies}
        groups:
          g: {{agency: town-hall}}
        hosts:
          sw1: {{address: 192.0.2.1, agency: city-gov, groups: [g]}}
        services: [{{name: www.example.org, kind: web, agency: citygov}}]
        """
    report = check(text.format(agencies="agencies: {city-gov: {name: City, level: A}}"))
    assert lines_of(report, "unknown agency 'town-hall'") == [3]
    assert lines_of(report, "unknown agency 'citygov'; did you mean 'city-gov'?") == [6]
    assert check(text.format(agencies="")).problems == []


def test_hotspot_device_must_be_a_host(check):
    report = check(
        """
        hosts:
          wlc1: {address: 192.0.2.1, platform: cisco_wlc_ssh}
        hotspots:
          - {name: LOBBY, device: wlc1}
          - name: PARK
            device: wlc2
        """
    )
    assert [(p.line, p.message) for p in report.problems] == [
        (6, "hotspot device 'wlc2' is not a host in this inventory; did you mean 'wlc1'?")
    ]


def test_service_kind(check):
    report = check("services:\n  - {name: www.example.org, kind: web}\n  - name: ftp.example.org\n    kind: ftp\n")
    assert [(p.line, p.message) for p in report.problems] == [
        (4, "invalid service kind 'ftp': expected one of 'web', 'dns' or 'mail'")
    ]


@pytest.mark.parametrize(
    ("where", "key", "use"),
    [
        ("hosts:\n  sw1:\n    address: 192.0.2.1\n    ssh:\n      {key}: {value}\n", "password", "password_env"),
        ("defaults:\n  ssh:\n    username: a\n    {key}: {value}\n", "secret", "secret_env"),
        ("groups:\n  g:\n    vars:\n      {key}: {value}\n", "enable_secret", "secret_env"),
        ("groups:\n  g:\n    snmp:\n      {key}: {value}\n", "auth_key", "auth_key_env"),
        ("defaults:\n  snmp:\n    user: u\n    {key}: {value}\n", "priv_key", "priv_key_env"),
        ("hosts:\n  ap1:\n    address: 192.0.2.9\n    vars:\n      wlan:\n        {key}: {value}\n", "psk", "psk_env"),
    ],
)
def test_inline_secret_is_refused_and_never_echoed(check, where, key, use):
    value = "Tr0ub4dor&3-s3cret"
    report = check(where.format(key=key, value=value))
    assert report.inventory is None
    (problem,) = report.problems
    assert problem.line == where.count("\n")
    assert problem.message == f"secret written inline; use {use}: VARIABLE (read from the environment or env_file)"
    assert value not in str(problem) and all(value not in str(w) for w in report.warnings)


def test_inline_private_key(check):
    # A key-like value, not a word: the inline value is registered with the global redactor, and a plain "AAAA" masked
    # the DNS record type in every later report of the test session.
    report = check("hosts:\n  sw1:\n    address: 192.0.2.1\n    ssh:\n      private_key: MIIEvQIBADANBgkqhkiG9w0\n")
    assert lines_of(report, "secret written inline; use key_file") == [5]


def test_yaml_syntax_error_has_its_line(check):
    report = check("hosts:\n  sw1:\n    address: 192.0.2.1\n    groups: [a, b\n  sw2: {address: 192.0.2.2}\n")
    (problem,) = report.problems
    assert problem.message.startswith("YAML syntax error")
    assert problem.line == 5


def test_tab_indentation_is_a_syntax_error(check):
    report = check("hosts:\n\tsw1: {address: 192.0.2.1}\n")
    assert report.problems[0].line == 2
    assert "YAML syntax error" in report.problems[0].message


@pytest.mark.parametrize(("text", "got"), [("- a\n- b\n", "a list"), ("just text\n", "text"), ("42\n", "a number")])
def test_top_level_must_be_a_mapping(check, text, got):
    (problem,) = check(text).problems
    assert problem.line == 1
    assert problem.message == f"the top level must be a mapping (hosts:, groups:, defaults: ...); got {got}"


def test_empty_file(check):
    (problem,) = check("# nothing here\n").problems
    assert "empty" in problem.message


def test_env_file_must_exist(check, tmp_path):
    report = check("hosts: {sw1: {address: 192.0.2.1}}\nenv_file: secrets/lab.env\n")
    (problem,) = report.problems
    assert problem.line == 2
    assert problem.message == f"env_file {tmp_path / 'secrets' / 'lab.env'} does not exist"


def test_bad_line_in_env_file_is_reported_in_the_env_file(check, write, tmp_path):
    write("A=1\nthis is not a pair\n", "lab.env")
    (problem,) = check("env_file: lab.env\nhosts: {sw1: {address: 192.0.2.1}}\n").problems
    assert (problem.file, problem.line) == (str(tmp_path / "lab.env"), 2)


def test_unreadable_value_and_non_utf8(check, write):
    report = check("agencies:\n  a:\n    name: A\n    level: A\n    level_approved: 2023-13-45\n")
    assert [p.line for p in report.problems] == [5]
    path = write("hosts:\n  sw1: {address: 192.0.2.1, site: \xe5\n").with_suffix(".yaml")
    path.write_bytes(b"hosts:\n  sw1: {address: 192.0.2.1, site: \xff\xfe}\n")
    from netcomply.inventory import validate_inventory

    (problem,) = validate_inventory(path, environ={}).problems
    assert problem.line == 2 and "UTF-8" in problem.message


def test_missing_file():
    with pytest.raises(InputError) as info:
        load_inventory("/nonexistent/inventory.yaml", environ={})
    assert "cannot read inventory" in str(info.value)


def test_all_problems_are_reported_in_one_pass_in_line_order(write):
    path = write(
        """
        hosts:
          sw1: {address: 192.0.2.1, level: Z}
          sw2: {platform: nope}
          sw3: {address: 192.0.2.3, groups: [missing]}
        hotspots: [{name: X, device: sw9}]
        """
    )
    with pytest.raises(InputError) as info:
        load_inventory(path, environ={})
    assert [p.line for p in info.value.problems] == [2, 3, 3, 4, 5]
    assert str(info.value).splitlines()[0].startswith(f"{path}:2: [hosts.sw1.level] invalid level 'Z'")


def test_warnings_do_not_stop_a_load(check):
    report = check(
        """
        defaults:
          ssh: {username: audit, password_env: NC_SSH_PASSWORD}
          snmp: {version: 3}
        hosts:
          sw1:
            address: 192.0.2.1
            snmp: {version: "2c", community: public}
          sw2: {address: 192.0.2.2}
        """,
        environ={"OTHER": "1"},
    )
    assert report.problems == []
    assert report.inventory is not None
    got = [(w.line, w.message) for w in report.warnings]
    assert got == [
        (2, "environment variable NC_SSH_PASSWORD is not set (nor in env_file), or is empty"),
        (3, "sw2: SNMP v3 without user; expected snmp.user"),
        (7, "SNMP community written inline; prefer community_env: VARIABLE"),
    ]
    assert "public" not in "\n".join(map(str, report.warnings))


def test_env_variable_found_in_env_file_is_not_warned_about(check, write):
    write("export NC_SSH_PASSWORD='x y'\n", "lab.env")
    report = check("env_file: lab.env\ndefaults: {ssh: {password_env: NC_SSH_PASSWORD}}\nhosts: {a: {address: a.example}}\n")
    assert report.problems == [] and report.warnings == []
