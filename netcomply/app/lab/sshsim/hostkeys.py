"""Host keys: a small pool of ed25519 keys, generated once per key directory and reused.

A thousand simulated devices do not need a thousand keys; a pool of eight is enough for host key checks to
mean something (neighbouring devices present different keys) and keeps start-up fast. One extra key, the
``rogue`` key, is what a ``changed_host_key`` device presents instead of the key known_hosts expects.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import asyncssh

POOL_SIZE = 8


@dataclass(frozen=True)
class KeyPool:
    keys: tuple[asyncssh.SSHKey, ...]
    rogue: asyncssh.SSHKey

    def for_device(self, name: str) -> asyncssh.SSHKey:
        """The key a device is expected to present (stable for a given name)."""
        index = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") % len(self.keys)
        return self.keys[index]


def _load_or_create(path: Path) -> asyncssh.SSHKey:
    if path.exists():
        return asyncssh.read_private_key(str(path))
    key = asyncssh.generate_private_key("ssh-ed25519", comment=path.stem)
    tmp = path.with_suffix(".tmp")
    key.write_private_key(str(tmp))
    tmp.chmod(0o600)
    tmp.replace(path)  # atomic: two labs starting at once never read half a key
    return key


def load_pool(key_dir: Path, size: int = POOL_SIZE) -> KeyPool:
    """Read the pool from ``key_dir``, creating missing keys (and the directory)."""
    key_dir.mkdir(parents=True, exist_ok=True)
    keys = tuple(_load_or_create(key_dir / f"lab-host-{i:02d}.key") for i in range(size))
    return KeyPool(keys=keys, rogue=_load_or_create(key_dir / "lab-host-rogue.key"))


def known_hosts_line(address: str, port: int, key: asyncssh.SSHKey) -> str:
    """One OpenSSH known_hosts line; a non-22 port is written ``[addr]:port`` as ssh and paramiko expect."""
    host = address if port == 22 else f"[{address}]:{port}"
    algorithm, blob = key.export_public_key("openssh").decode().split()[:2]
    return f"{host} {algorithm} {blob}"
