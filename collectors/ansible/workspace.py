"""The private data dir of one ansible-runner run: inventory, playbook, a private HOME, and its clean-up.

Secrets never go into these files: the inventory names environment variables (``lookup('env', ...)``) and
the values travel only in the ansible-runner process environment (``suppress_env_files``). Device output does
land in ansible-runner's own artifacts (job events, stdout) while the run lasts, so the directory is 0700 and
deleted afterwards; kept on request (``--ansible-keep``) its files are redacted in place first.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from collectors.ansible.platforms import COLLECT_PLAYBOOK, NETWORK_OS, playbooks_dir
from netcomply.errors import DeviceError, ErrorClass
from netcomply.models import Device
from netcomply.safety.redact import REDACTOR
from netcomply.secrets import SecretResolver

_ENV_NAME = re.compile(r"[^A-Z0-9_]")
#: The host variables netcomply writes as Jinja2 on purpose (environment lookups of secrets).
_TEMPLATED = frozenset({"ansible_password", "ansible_become_password"})


class _Unsafe(str):
    """Text Ansible must take literally: written with YAML's ``!unsafe`` tag, never templated."""


class _InventoryDumper(yaml.SafeDumper):
    """safe_dump plus ``!unsafe`` for :class:`_Unsafe` text."""


_InventoryDumper.add_representer(_Unsafe, lambda dumper, data: dumper.represent_scalar("!unsafe", str(data)))


def literal(name: str, value: Any) -> Any:
    """``value`` of host variable ``name`` as Ansible must read it: every text netcomply did not write as a
    template (addresses, user names, paths, the checked commands) is ``!unsafe``, so an inventory value or a
    command holding ``{{ ... }}`` is sent as typed, never evaluated on the control node."""
    if name in _TEMPLATED:
        return value
    if isinstance(value, str):
        return _Unsafe(value)
    if isinstance(value, list):
        return [_Unsafe(v) if isinstance(v, str) else v for v in value]
    return value


def secret_env_name(name: str) -> str:
    """The variable a secret reaches Ansible under (the inventory's own env name, prefixed, made safe)."""
    return "NETCOMPLY_ANSIBLE_" + _ENV_NAME.sub("_", name.upper())


def _env_lookup(var: str) -> str:
    return f"{{{{ lookup('ansible.builtin.env', '{var}') }}}}"


@dataclass
class HostEntry:
    """One device as an Ansible host: its variables and the secret values its lookups need."""

    name: str
    hostvars: dict[str, Any]
    secrets: dict[str, str] = field(default_factory=dict)


def host_entry(device: Device, commands: list[str], resolver: SecretResolver) -> HostEntry:
    """Ansible host variables for ``device``; secrets by environment lookup only. Raises DeviceError(CONFIG)."""
    ssh = device.ssh
    assert device.platform is not None
    if ssh is None or not ssh.username:
        raise DeviceError(ErrorClass.CONFIG, "no ssh.username in the inventory", device.name)
    hostvars: dict[str, Any] = {
        "ansible_host": device.address,
        "ansible_port": ssh.port,
        "ansible_user": ssh.username,
        "ansible_network_os": NETWORK_OS[device.platform],
        "ansible_command_timeout": int(max(ssh.read_timeout, 10)),
        "ansible_connect_timeout": int(max(ssh.timeout, 5)),
        "netcomply_platform": device.platform,
        "netcomply_commands": commands,
    }
    secrets: dict[str, str] = {}
    password = resolver.get(ssh.password_env, device=device.name, what="SSH password")
    if password is not None and ssh.password_env:
        var = secret_env_name(ssh.password_env)
        secrets[var] = password
        hostvars["ansible_password"] = _env_lookup(var)
    elif ssh.key_file:
        hostvars["ansible_ssh_private_key_file"] = str(ssh.key_file)
    else:
        raise DeviceError(ErrorClass.CONFIG, "neither ssh.password_env nor ssh.key_file is set", device.name)
    enable = resolver.get(ssh.secret_env, device=device.name, what="enable secret")
    if enable is not None and ssh.secret_env:
        var = secret_env_name(ssh.secret_env)
        secrets[var] = enable
        hostvars.update(ansible_become=True, ansible_become_method="enable",
                        ansible_become_password=_env_lookup(var))
    return HostEntry(device.name, hostvars, secrets)


class Workspace:
    """A private data dir laid out for ansible-runner (``project/``, ``inventory/``, a private ``home/``)."""

    def __init__(self, parent: Path | None, run_id: str, *, keep: bool = False) -> None:
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f"ansible-{run_id}-", dir=parent))
        os.chmod(self.root, 0o700)
        self.keep = keep
        # network_cli's persistent connections are AF_UNIX sockets, whose path is limited to 108 bytes: they
        # get a short private folder of their own instead of one inside a possibly deep data dir.
        self.control_dir = Path(tempfile.mkdtemp(prefix="nc-pc-"))
        self.home = self.root / "home"
        (self.root / "project").mkdir()
        (self.root / "inventory").mkdir()
        (self.home / ".ssh").mkdir(parents=True)
        shutil.copy2(playbooks_dir() / COLLECT_PLAYBOOK, self.root / "project" / COLLECT_PLAYBOOK)

    def write_inventory(self, hosts: list[HostEntry], name: str = "hosts.yml") -> Path:
        doc = {"all": {"hosts": {h.name: {k: literal(k, v) for k, v in h.hostvars.items()} for h in hosts},
                       "vars": {"ansible_python_interpreter": sys.executable}}}
        path = self.root / "inventory" / name
        path.write_text("# written by netcomply for one run; secrets are environment lookups\n"
                        + yaml.dump(doc, Dumper=_InventoryDumper, sort_keys=False),
                        encoding="utf-8")
        return path

    def install_known_hosts(self, known_hosts: str | os.PathLike[str] | None) -> None:
        """Ansible's paramiko verifies host keys against ``~/.ssh/known_hosts``: the run's HOME gets the
        inventory's known_hosts, and nothing of the operator's own ~/.ssh is used."""
        target = self.home / ".ssh" / "known_hosts"
        if known_hosts and Path(known_hosts).is_file():
            shutil.copy2(known_hosts, target)
        else:
            target.touch()

    def finish(self) -> Path | None:
        """Delete the directory, or (kept) redact every file in it in place; returns the kept path."""
        shutil.rmtree(self.control_dir, ignore_errors=True)
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)
            return None
        for path in self.root.rglob("*"):
            if path.is_file() and not path.is_symlink() and path.stat().st_size < 64 * 1024 * 1024:
                try:
                    data = path.read_bytes()
                except OSError:
                    continue
                redacted = REDACTOR.redact_bytes(data)
                if redacted != data:
                    path.write_bytes(redacted)
        return self.root
