"""The lab's root-only real tier: network namespaces, veth pairs, real sshd and nftables, IPv6 addresses.

::

    ok, why = RealTier.available()
    tier = RealTier.up(state_dir)          # or: with RealTier.up(state_dir) as tier:
    tier.run_in_client([sys.executable, "-m", "netcomply.app.lab.realtier.client", "ssh", ...])
    tier.ssh_target                        # address, port, user, key_file, known_hosts
    tier.down()                            # or RealTier.down_from_state(state_dir) after a crash
"""

from netcomply.app.lab.realtier.tier import RealTier, SshTarget

__all__ = ["RealTier", "SshTarget"]
