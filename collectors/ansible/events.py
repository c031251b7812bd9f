"""ansible-runner events -> what happened on each host (outputs per command, or a classified failure).

The collection playbook's ``netcomply collect`` task either sends all of a host's commands in one module call
(``cisco.ios.ios_command``: ``stdout`` is the list of outputs in command order) or loops over them
(``cli_command``: ``results`` holds one item per command). Its ``runner_on_ok`` / ``runner_on_failed`` /
``runner_on_unreachable`` event carries them all; a failure is classified into netcomply's error classes from
the message the connection plugin gave, the way :func:`collectors.transports.ssh.classify_ssh_error` classifies
netmiko's exceptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from netcomply.errors import DeviceError, ErrorClass
from netcomply.safety.redact import REDACTOR

COLLECT_TASK = "netcomply collect"
FINAL_EVENTS = frozenset({"runner_on_ok", "runner_on_failed", "runner_on_unreachable"})

#: A device's own answer to a command it rejects: that text is the command's output (as netmiko returns it),
#: and the collector decides what it means, exactly as on the native transport.
_CLI_ERROR = re.compile(r"% ?(Invalid input|Incomplete command|Ambiguous command|Unknown command)|"
                        r"Error: Unrecognized command|syntax error", re.IGNORECASE)

_RULES: tuple[tuple[re.Pattern[str], ErrorClass, str], ...] = (
    (re.compile(r"host key|known_hosts|BadHostKey", re.I), ErrorClass.AUTH_FAILED,
     "SSH host key verification failed: the key the device presented is not the one in known_hosts "
     "(device replaced, or someone in the middle)"),
    (re.compile(r"authenticat|permission denied|bad password|login incorrect", re.I), ErrorClass.AUTH_FAILED,
     "SSH login refused (wrong username, password or key)"),
    (re.compile(r"unable to check privilege level", re.I), ErrorClass.PROTOCOL,
     "unexpected CLI behaviour: the device's answer to `show privilege` is not readable"),
    (re.compile(r"failed to elevate privilege|bad secrets|become password", re.I), ErrorClass.AUTH_FAILED,
     "privileged mode refused (wrong enable secret)"),
    (re.compile(r"timed? ?out|timeout", re.I), ErrorClass.TIMEOUT, "the device did not answer in time"),
    (re.compile(r"unable to connect|connection refused|no route|unreachable|name or service not known|"
                r"network is unreachable", re.I), ErrorClass.UNREACHABLE, "TCP connection to the SSH port failed"),
    (re.compile(r"closed|reset by peer|EOF|broken pipe|socket", re.I), ErrorClass.PROTOCOL, "SSH session dropped"),
)


@dataclass
class HostOutcome:
    """What the collection playbook brought back for one host."""

    host: str
    outputs: dict[str, str] = field(default_factory=dict)
    error: DeviceError | None = None
    event: str = ""


def readable(text: str) -> str:
    """Text that can be stored and printed: undecodable bytes (surrogates) and control characters replaced."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(ch if ch.isprintable() or ch in "\t\n" else "\ufffd" for ch in text)


def classify(message: str, host: str) -> DeviceError:
    """A failure message from Ansible (connection plugin, module) as a DeviceError with the right class."""
    text = REDACTOR.redact(" ".join(readable(str(message)).split()))[:300]
    for pattern, error_class, summary in _RULES:
        if pattern.search(text):
            return DeviceError(error_class, f"{summary} (ansible: {text})", host)
    return DeviceError(ErrorClass.PROTOCOL, f"ansible: {text or 'failed without a message'}", host)


def outcome_of(event: dict[str, Any]) -> HostOutcome | None:
    """The host outcome carried by a final ``netcomply collect`` event; None for every other event."""
    name = event.get("event")
    data = event.get("event_data") or {}
    if name not in FINAL_EVENTS or data.get("task") != COLLECT_TASK or not data.get("host"):
        return None
    host = str(data["host"])
    res = data.get("res") or {}
    outcome = HostOutcome(host=host, event=str(name))
    if name == "runner_on_unreachable":
        outcome.error = classify(res.get("msg", "host unreachable"), host)
        if outcome.error.error_class is ErrorClass.PROTOCOL:
            outcome.error = DeviceError(ErrorClass.UNREACHABLE, outcome.error.cause, host)
        return outcome
    if "results" not in res:  # one module call for all commands (cisco.ios.ios_command)
        return _single_call(outcome, res, str(name))
    for item in res.get("results") or []:
        command = str(item.get("item", ""))
        if not item.get("failed") and not item.get("unreachable"):
            outcome.outputs[command] = str(item.get("stdout", ""))
            continue
        message = str(item.get("msg", ""))
        if _CLI_ERROR.search(message) and not item.get("unreachable"):
            outcome.outputs[command] = message  # the device answered: its complaint is the output
            continue
        if outcome.error is None:
            outcome.error = classify(message, host)
    if name == "runner_on_failed" and outcome.error is None and not outcome.outputs:
        outcome.error = classify(res.get("msg", ""), host)
    return outcome


def _sent_commands(res: dict[str, Any]) -> list[str]:
    args = (res.get("invocation") or {}).get("module_args") or {}
    commands = args.get("commands") or []
    return [str(c.get("command", "")) if isinstance(c, dict) else str(c) for c in commands]


def _single_call(outcome: HostOutcome, res: dict[str, Any], name: str) -> HostOutcome:
    host = outcome.host
    if name == "runner_on_ok":
        commands, stdout = _sent_commands(res), res.get("stdout") or []
        if len(commands) != len(stdout):
            outcome.error = DeviceError(ErrorClass.PROTOCOL, f"ansible returned {len(stdout)} outputs for "
                                        f"{len(commands)} commands", host)
        else:
            outcome.outputs = {c: str(o) for c, o in zip(commands, stdout, strict=True)}
        return outcome
    message = readable(str(res.get("msg", "")))
    if _CLI_ERROR.search(message):  # one command was rejected: with one call per host, the host's collection fails
        outcome.error = DeviceError(ErrorClass.PARSE, "the device rejected a command: "
                                    + REDACTOR.redact(" ".join(message.split()))[:300], host)
    else:
        outcome.error = classify(message, host)
    return outcome
