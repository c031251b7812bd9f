"""ansible-runner events -> host outcomes and error classes (events as ansible-runner 2.4 delivered them from
the lab; see test_transport for the same against the running lab)."""

from __future__ import annotations

from collectors.ansible.events import classify, outcome_of
from netcomply.errors import ErrorClass


def _event(name: str, res: dict[str, object], host: str = "sw1", task: str = "netcomply collect") -> dict[str, object]:
    return {"event": name, "event_data": {"host": host, "task": task, "res": res}}


def test_ok_event_gives_every_commands_output() -> None:
    outcome = outcome_of(_event("runner_on_ok", {"results": [
        {"item": "show version", "stdout": "Cisco IOS XE Software, Version 16.12.10a", "changed": False},
        {"item": "show inventory", "stdout": 'NAME: "1", DESCR: "C9300-48P Stack"', "changed": False},
    ]}))
    assert outcome is not None and outcome.error is None
    assert outcome.outputs == {"show version": "Cisco IOS XE Software, Version 16.12.10a",
                               "show inventory": 'NAME: "1", DESCR: "C9300-48P Stack"'}


def test_a_rejected_command_is_the_devices_answer_not_a_host_failure() -> None:
    outcome = outcome_of(_event("runner_on_failed", {"results": [
        {"item": "show version", "stdout": "Cisco IOS XE Software"},
        {"item": "show foo", "failed": True, "msg": "show foo\r\n% Invalid input detected at '^' marker."},
    ]}))
    assert outcome is not None and outcome.error is None
    assert "% Invalid input" in outcome.outputs["show foo"]


def test_connection_failures_are_classified() -> None:
    cases = {
        "[Errno None] Unable to connect to port 16322 on 127.0.10.200": ErrorClass.UNREACHABLE,
        "Failed to authenticate: Authentication failed.": ErrorClass.AUTH_FAILED,
        "host key mismatch for 127.0.10.66": ErrorClass.AUTH_FAILED,
        "failed to elevate privilege to enable mode, at prompt [b'sw1>'] with error: % Bad secrets": ErrorClass.AUTH_FAILED,
        "command timeout triggered, timeout value is 30 secs.": ErrorClass.TIMEOUT,
        "Socket is closed": ErrorClass.PROTOCOL,
        "something nobody expected": ErrorClass.PROTOCOL,
    }
    for message, expected in cases.items():
        outcome = outcome_of(_event("runner_on_failed", {"results": [
            {"item": "show version", "failed": True, "msg": message}], "msg": "One or more items failed"}))
        assert outcome is not None and outcome.error is not None
        assert outcome.error.error_class is expected, message


def test_unreachable_event_is_never_a_protocol_error() -> None:
    outcome = outcome_of(_event("runner_on_unreachable", {"msg": "weird transport trouble", "unreachable": True}))
    assert outcome is not None and outcome.error is not None
    assert outcome.error.error_class is ErrorClass.UNREACHABLE


def test_other_events_and_tasks_are_ignored() -> None:
    assert outcome_of({"event": "runner_on_start", "event_data": {"host": "sw1", "task": "netcomply collect"}}) is None
    assert outcome_of(_event("runner_on_ok", {"results": []}, task="something else")) is None


def test_undecodable_device_bytes_become_storable_text() -> None:
    error = classify("unable to check privilege level [\udc8b\x16garbage]", "sw1")
    error.cause.encode("utf-8")  # no surrogates left: the store can write it
    assert error.error_class is ErrorClass.PROTOCOL


def test_one_call_for_all_commands_maps_outputs_in_order() -> None:
    outcome = outcome_of(_event("runner_on_ok", {
        "stdout": ["Cisco IOS XE Software", 'NAME: "1"'],
        "invocation": {"module_args": {"commands": [{"command": "show version", "prompt": None},
                                                    "show inventory"]}}}))
    assert outcome is not None and outcome.error is None
    assert outcome.outputs == {"show version": "Cisco IOS XE Software", "show inventory": 'NAME: "1"'}


def test_one_call_rejected_command_fails_the_host_as_parse() -> None:
    outcome = outcome_of(_event("runner_on_failed", {
        "msg": "show foo\r\n% Invalid input detected at '^' marker.",
        "invocation": {"module_args": {"commands": ["show foo"]}}}))
    assert outcome is not None and outcome.error is not None
    assert outcome.error.error_class is ErrorClass.PARSE
    outcome = outcome_of(_event("runner_on_failed", {"msg": "Failed to authenticate: Authentication failed."}))
    assert outcome is not None and outcome.error is not None
    assert outcome.error.error_class is ErrorClass.AUTH_FAILED
