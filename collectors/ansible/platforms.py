"""Which netmiko platforms Ansible can talk to here, where the collections and playbooks are, and what to send.

Only platforms whose cliconf/terminal plugins ship in the collections ``tools/ansible-collections.sh``
installs are routed through Ansible; the rest stay on the native transport.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from netcomply.errors import DeviceError, ErrorClass, ReadOnlyViolation
from netcomply.safety.readonly import check_command

#: netmiko device_type -> ansible_network_os (collection cisco.ios).
NETWORK_OS: dict[str, str] = {
    "cisco_ios": "cisco.ios.ios",
    "cisco_xe": "cisco.ios.ios",
}

#: The collections the transport needs (installed by tools/ansible-collections.sh).
REQUIRED_COLLECTIONS = ("ansible/netcommon", "ansible/utils", "cisco/ios")

COLLECTIONS_ENV = "NETCOMPLY_ANSIBLE_COLLECTIONS"
PLAYBOOKS_ENV = "NETCOMPLY_PLAYBOOKS"
COLLECT_PLAYBOOK = "collect.yml"


def collections_path() -> Path:
    """``$NETCOMPLY_ANSIBLE_COLLECTIONS``, else ``<sys.prefix>/share/netcomply/ansible-collections``."""
    configured = os.environ.get(COLLECTIONS_ENV)
    return Path(configured) if configured else Path(sys.prefix) / "share" / "netcomply" / "ansible-collections"


def missing_collections(path: Path | None = None) -> list[str]:
    root = (path or collections_path()) / "ansible_collections"
    return [c.replace("/", ".") for c in REQUIRED_COLLECTIONS if not (root / c / "MANIFEST.json").is_file()]


def playbooks_dir() -> Path:
    """``$NETCOMPLY_PLAYBOOKS``, else the repository's ``playbooks/`` (beside the packages)."""
    configured = os.environ.get(PLAYBOOKS_ENV)
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "playbooks"


def ansible_bin_dir() -> Path:
    """The folder holding ``ansible-playbook`` of this interpreter's environment (ansible-runner needs it on PATH)."""
    return Path(sys.executable).parent


def commands_of(spec: Any) -> list[str]:
    """Flatten a collector's per-platform command spec (a string, a sequence, or nested ones) into commands."""
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, Mapping):
        spec = spec.values()
    found: list[str] = []
    if isinstance(spec, Iterable):
        for part in spec:
            found += commands_of(part)
    return found


#: Jinja2 delimiters: Ansible templates host variables when a task reads them, so a command holding one would
#: be evaluated on the control node (``{{ lookup('pipe', ...) }}``) and sent as something the guard never saw.
_JINJA = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")


def check_ansible_command(command: str, platform: str) -> str:
    """The read-only guard, plus what Ansible adds: no Jinja2 markup, so the command sent is the one checked."""
    check_command(command, platform)
    if _JINJA.search(command):
        raise ReadOnlyViolation(f"refused: Jinja2 markup in {command!r} (Ansible would evaluate it)")
    return command


def read_only_commands(commands: Iterable[str], platform: str, device: str) -> list[str]:
    """Every command checked against the read-only allow-list before it is written into the run's inventory
    (duplicates dropped, order kept): one command that could change the device and nothing is sent to it."""
    try:
        return list(dict.fromkeys(check_ansible_command(c, platform) for c in commands))
    except ReadOnlyViolation as exc:
        raise DeviceError(ErrorClass.CONFIG, f"refused before sending: {exc}", device) from None
