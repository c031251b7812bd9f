"""Faults on purpose behave as they do on a real network, seen through real netmiko."""

from __future__ import annotations

import time
from typing import Any

import pytest
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout
from ntc_templates.parse import parse_output

from .conftest import SLOW_DELAY

pytestmark = pytest.mark.lab


def test_wrong_password_is_refused(ssh_lab: Any) -> None:
    with pytest.raises(NetmikoAuthenticationException):
        ssh_lab.connect("dt-badpw1")
    # Its real password, which the lab's inventory does not have, is accepted: the fault is the credential.
    with ssh_lab.connect("dt-badpw1", password=ssh_lab.profiles["dt-badpw1"].password) as conn:
        assert conn.find_prompt() == "dt-badpw1>"


def test_slow_device_times_out_a_short_read_and_answers_a_patient_one(ssh_lab: Any) -> None:
    with ssh_lab.connect("dt-slow1") as conn:  # login itself is slow: every prep command waits too
        with pytest.raises(ReadTimeout):
            conn.send_command("show inventory", read_timeout=SLOW_DELAY / 2)
        time.sleep(SLOW_DELAY * 1.5)
        conn.clear_buffer()  # the late answer to the abandoned command
        start = time.monotonic()
        output = conn.send_command("show inventory", read_timeout=SLOW_DELAY * 5)
        assert time.monotonic() - start >= SLOW_DELAY
    assert ssh_lab.profiles["dt-slow1"].vars["serial"] in output


def test_dropped_session_ends_in_the_middle_of_show_version(ssh_lab: Any) -> None:
    conn = ssh_lab.connect("dt-drop1")
    assert conn.send_command("show ip interface brief")  # other commands work
    with pytest.raises((ReadTimeout, EOFError, OSError)):
        conn.send_command("show version", read_timeout=2)
    assert not conn.is_alive()
    conn.disconnect()


def test_garbage_device_logs_in_but_answers_noise(ssh_lab: Any) -> None:
    with ssh_lab.connect("dt-junk1") as conn:
        output = conn.send_command("show version")
    assert output.strip()
    assert "Cisco IOS" not in output
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in output)
    assert printable / len(output) < 0.9, "garbage should not look like text"
    rows = parse_output(platform="cisco_ios", command="show version", data=output)
    assert not any(row["hostname"] or row["serial"] for row in rows)


def _strict(ssh_lab: Any, name: str) -> Any:
    return ssh_lab.connect(name, system_host_keys=False, alt_host_keys=True,
                           alt_key_file=str(ssh_lab.known_hosts), ssh_strict=True)


def test_known_hosts_matches_every_healthy_device(ssh_lab: Any) -> None:
    with _strict(ssh_lab, "cg-core1") as conn:
        assert conn.find_prompt() == "cg-core1>"


def test_changed_host_key_is_a_mismatch(ssh_lab: Any) -> None:
    with pytest.raises(NetmikoTimeoutException, match="does not match"):
        _strict(ssh_lab, "dt-rekey1")
    # Unchecked, the same device is a normal IOS switch: the key is the only thing wrong with it.
    with ssh_lab.connect("dt-rekey1") as conn:
        assert conn.find_prompt() == "dt-rekey1>"
