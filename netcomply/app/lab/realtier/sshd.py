"""A real OpenSSH server in the firewall namespace: own config, own host key, one authorized client key.

Debian's sshd is used as shipped; only its config is ours (key auth only, ``UsePAM no`` because PAM would need
the host's login setup, ``StrictModes no`` because the key files live in a state dir with ordinary modes).
It runs as a daemon with a pid file in the state dir, so a teardown after a crash can stop it by pid and
check, through /proc, that the pid still is *our* sshd before signalling it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from netcomply.app.lab.realtier.netns import TierCommandError, ns_exec, run, stop_pid

SSHD = "/usr/sbin/sshd"
SSH_KEYGEN = "ssh-keygen"
PRIVSEP_DIR = Path("/run/sshd")  # Debian's sshd refuses to start without it


@dataclass(frozen=True)
class SshdFiles:
    """Where one tier keeps its sshd's files (all under the tier's state dir)."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "sshd_config"

    @property
    def host_key(self) -> Path:
        return self.root / "ssh_host_ed25519_key"

    @property
    def client_key(self) -> Path:
        return self.root / "client_ed25519"

    @property
    def authorized_keys(self) -> Path:
        return self.root / "authorized_keys"

    @property
    def known_hosts(self) -> Path:
        return self.root / "known_hosts"

    @property
    def pid_file(self) -> Path:
        return self.root / "sshd.pid"

    @property
    def log_file(self) -> Path:
        return self.root / "sshd.log"


def _keygen(path: Path, comment: str) -> str:
    """A new ed25519 key pair at ``path``; returns the public key line."""
    for old in (path, path.with_suffix(".pub")):
        old.unlink(missing_ok=True)
    run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)])
    return Path(f"{path}.pub").read_text(encoding="utf-8").strip()


def config_text(files: SshdFiles, listen: list[str], port: int) -> str:
    listen_lines = [f"ListenAddress [{a}]:{port}" if ":" in a else f"ListenAddress {a}:{port}" for a in listen]
    return "\n".join([
        *listen_lines,
        f"HostKey {files.host_key}",
        f"PidFile {files.pid_file}",
        f"AuthorizedKeysFile {files.authorized_keys}",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        "AllowUsers root",
        "UsePAM no",
        "StrictModes no",
        "PrintMotd no",
        "PrintLastLog no",
        "X11Forwarding no",
        "AllowTcpForwarding no",
        "AllowAgentForwarding no",
        "PermitTunnel no",
        "LogLevel VERBOSE",
        "",
    ])


def prepare(files: SshdFiles, listen: list[str], port: int = 22) -> None:
    """Keys, authorized_keys, known_hosts (one line per listen address) and the config; checked by ``sshd -t``."""
    files.root.mkdir(parents=True, exist_ok=True)
    host_pub = _keygen(files.host_key, "netcomply-realtier-host")
    client_pub = _keygen(files.client_key, "netcomply-realtier-client")
    files.authorized_keys.write_text(client_pub + "\n", encoding="utf-8")
    key_type, key_data = host_pub.split()[:2]
    hosts = [a if port == 22 else (f"[{a}]:{port}") for a in listen]
    files.known_hosts.write_text("".join(f"{h} {key_type} {key_data}\n" for h in hosts), encoding="utf-8")
    files.config.write_text(config_text(files, listen, port), encoding="utf-8")
    PRIVSEP_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
    run([SSHD, "-t", "-f", str(files.config)])


def start(files: SshdFiles, namespace: str, timeout: float = 10.0) -> int:
    """Start the daemon inside ``namespace``; return its pid once the pid file names a live process."""
    files.pid_file.unlink(missing_ok=True)
    run(ns_exec(namespace, [SSHD, "-f", str(files.config), "-E", str(files.log_file)]))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = running_pid(files)
        if pid is not None:
            return pid
        time.sleep(0.02)
    log = files.log_file.read_text(encoding="utf-8", errors="replace") if files.log_file.exists() else ""
    raise TierCommandError(f"sshd did not start within {timeout} s: {log.strip()[-500:]}")


def running_pid(files: SshdFiles) -> int | None:
    """The pid in our pid file, if that process is alive and is an sshd started with *our* config."""
    try:
        pid = int(files.pid_file.read_text(encoding="utf-8").strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except (OSError, ValueError):
        return None
    # sshd rewrites its title ("sshd: /usr/sbin/sshd -f CONFIG ... [listener]"); our config path stays in it.
    ours = cmdline.startswith((b"sshd", SSHD.encode())) and os.fsencode(str(files.config)) in cmdline
    return pid if ours else None


def stop(files: SshdFiles) -> None:
    pid = running_pid(files)
    if pid is not None:
        stop_pid(pid)
    files.pid_file.unlink(missing_ok=True)
