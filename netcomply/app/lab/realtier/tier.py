"""The real tier: two network namespaces joined by a veth pair, a real sshd and real nftables in one of them.

::

    client namespace (ncl-<id>-cl)                firewall namespace (ncl-<id>-fw)
    nc<id>c0  198.51.100.2/26               <->   nc<id>f0  198.51.100.1/26
              2001:db8:100:1::2/64                          2001:db8:100:1::1/64   sshd :22, nftables

Every client runs inside the client namespace (:meth:`RealTier.run_in_client`), which has no route anywhere
but the firewall namespace, so lab traffic cannot leave the machine. :meth:`RealTier.up` writes the lab id to
the state dir before it creates anything; :meth:`RealTier.down_from_state` removes whatever a (crashed) tier
of that id left, and is safe to run any number of times.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from netcomply.app.lab.realtier import netns, nft, sshd
from netcomply.app.lab.realtier.names import CLIENT4, CLIENT6, LINK4, LINK6, TierNames, new_lab_id
from netcomply.app.lab.realtier.sshd import SshdFiles

STATE_SUBDIR = "realtier"
STATE_FILE = "state.json"
SSH_PORT = 22
REQUIRED_TOOLS = ("ip", "nft", "ssh-keygen")


@dataclass(frozen=True)
class SshTarget:
    """How a client in the client namespace logs into the firewall namespace's sshd."""

    address: str
    port: int
    user: str
    key_file: Path
    known_hosts: Path


def _state_path(state_dir: Path) -> Path:
    return Path(state_dir) / STATE_SUBDIR / STATE_FILE


class RealTier:
    """A running tier. Build it with :meth:`up`; always :meth:`down` it (``with RealTier.up(d) as tier:``)."""

    def __init__(self, state_dir: Path, names: TierNames) -> None:
        self.state_dir = Path(state_dir)
        self.names = names
        self.files = SshdFiles(self.state_dir / STATE_SUBDIR)
        self.rulesets: list[Path] = []

    # ------------------------------------------------------------------------------------ availability

    @staticmethod
    def available() -> tuple[bool, str]:
        """(True, "") when this machine can run the tier; else (False, why) for a clear test skip."""
        if os.geteuid() != 0:
            return False, "the real tier needs root (network namespaces, nftables, sshd)"
        missing = [t for t in REQUIRED_TOOLS if shutil.which(t) is None]
        if not os.access(sshd.SSHD, os.X_OK):
            missing.append(sshd.SSHD + " (Debian package openssh-server)")
        if missing:
            return False, "missing tools: " + ", ".join(missing)
        return True, ""

    # ------------------------------------------------------------------------------------ lifecycle

    @classmethod
    def up(cls, state_dir: Path | str, rulesets: Sequence[Path] | None = None) -> RealTier:
        """Create namespaces, link, addresses, load the rule sets, start sshd. Leftovers of an earlier tier in
        the same state dir are removed first; on any failure everything created so far is removed again."""
        ok, reason = cls.available()
        if not ok:
            raise RuntimeError(reason)
        state_dir = Path(state_dir)
        cls.down_from_state(state_dir)
        tier = cls(state_dir, TierNames(new_lab_id()))
        tier._write_state()
        try:
            tier._build(list(rulesets) if rulesets is not None else nft.ruleset_files())
        except BaseException:
            tier.down()
            raise
        return tier

    def _write_state(self) -> None:
        path = _state_path(self.state_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        state = {"lab_id": self.names.lab_id, "namespaces": list(self.names.namespaces),
                 "interfaces": list(self.names.interfaces), "sshd_config": str(self.files.config)}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
        os.replace(tmp, path)

    def _build(self, rulesets: list[Path]) -> None:
        n = self.names
        for ns in n.namespaces:
            netns.add_namespace(ns)
        netns.add_veth(n.firewall_ns, n.firewall_if, n.client_ns, n.client_if)
        for ns, ifname, addresses in ((n.firewall_ns, n.firewall_if, (LINK4, LINK6)),
                                      (n.client_ns, n.client_if, (CLIENT4, CLIENT6))):
            for address in addresses:
                netns.add_address(ns, ifname, str(address))
        self.rulesets = rulesets
        nft.load(n.firewall_ns, rulesets)
        sshd.prepare(self.files, [str(LINK6.ip), str(LINK4.ip)], SSH_PORT)
        sshd.start(self.files, n.firewall_ns)

    def down(self) -> None:
        """Stop sshd, delete both namespaces (their veth ends go with them), forget the state. Idempotent."""
        sshd.stop(self.files)
        for ns in self.names.namespaces:
            netns.delete_namespace(ns)
        for ifname in self.names.interfaces:  # never expected on the host; removed if a crash left one there
            if netns.host_link_exists(ifname):
                netns.run([netns.IP, "link", "delete", "dev", ifname])
        _state_path(self.state_dir).unlink(missing_ok=True)

    @classmethod
    def down_from_state(cls, state_dir: Path | str) -> bool:
        """Tear down the tier recorded in ``state_dir`` (after a crash, too). False when none was recorded."""
        path = _state_path(Path(state_dir))
        try:
            lab_id = json.loads(path.read_text(encoding="utf-8"))["lab_id"]
        except FileNotFoundError:
            return False
        except (ValueError, KeyError) as exc:
            raise RuntimeError(f"{path}: unreadable real-tier state ({exc}); remove namespaces named "
                               "ncl-<id>-fw / ncl-<id>-cl by hand") from None
        cls(Path(state_dir), TierNames(lab_id)).down()
        return True

    def __enter__(self) -> RealTier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.down()

    # ------------------------------------------------------------------------------------ use

    @property
    def ssh_target(self) -> SshTarget:
        return SshTarget(str(LINK6.ip), SSH_PORT, "root", self.files.client_key, self.files.known_hosts)

    @property
    def sshd_pid(self) -> int | None:
        return sshd.running_pid(self.files)

    def run_in_client(self, argv: Sequence[str], *, timeout: float = 60.0,
                      input_text: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` inside the client namespace (never raises on a non-zero exit; check ``returncode``)."""
        return netns.run(netns.ns_exec(self.names.client_ns, argv), check=False, timeout=timeout,
                         input_text=input_text)

    def run_in_firewall(self, argv: Sequence[str], *, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` inside the firewall namespace (for the lab's own checks, not for collectors)."""
        return netns.run(netns.ns_exec(self.names.firewall_ns, argv), check=False, timeout=timeout)
