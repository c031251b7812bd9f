"""Where netcomply may send traffic.

A :class:`TargetPolicy` is built from what the user named (inventory addresses, explicit scan targets, the
inventory's ``settings.allowed_ranges``) and every transport asks it before it opens a socket. The lab builds
a stricter one: loopback, plus the prefixes of the network namespaces the lab itself created.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from netcomply.errors import TargetNotAllowed

if TYPE_CHECKING:
    from netcomply.models import Inventory

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

LOOPBACK: tuple[IPNetwork, ...] = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))

#: The largest prefix an ad-hoc scan may name without ``--allow-large`` (a /16 is 65,536 addresses).
MAX_SCAN_ADDRESSES = 65_536


def parse_network(text: str) -> IPNetwork:
    """``192.0.2.7`` -> 192.0.2.7/32, ``2001:db8::/64`` -> itself; a clear error for anything else."""
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError as exc:
        raise TargetNotAllowed(f"{text!r} is not an IP address or prefix ({exc})") from None


@dataclass
class TargetPolicy:
    """The set of networks this process may reach. Empty means nothing is allowed."""

    networks: list[IPNetwork] = field(default_factory=list)
    reason: str = "not in the inventory or the targets you named"

    @classmethod
    def of(cls, targets: Iterable[str], reason: str | None = None) -> TargetPolicy:
        policy = cls([parse_network(t) for t in targets])
        if reason:
            policy.reason = reason
        return policy

    @classmethod
    def loopback_only(cls) -> TargetPolicy:
        return cls(list(LOOPBACK), reason="the lab only uses loopback")

    def extend(self, targets: Iterable[str]) -> TargetPolicy:
        self.networks.extend(parse_network(t) for t in targets)
        return self

    def allows(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return False
        return any(ip.version == net.version and ip in net for net in self.networks)

    def allows_network(self, network: IPNetwork) -> bool:
        return any(
            network.version == net.version and network.subnet_of(net)  # type: ignore[arg-type]
            for net in self.networks
        )

    def check(self, address: str) -> str:
        """Return ``address`` when allowed, else raise :class:`TargetNotAllowed` naming it."""
        if not self.allows(address):
            raise TargetNotAllowed(f"refused to contact {address}: {self.reason}")
        return address

    def check_scan_target(self, target: str, *, allow_large: bool = False) -> IPNetwork:
        net = parse_network(target)
        if not self.allows_network(net):
            raise TargetNotAllowed(f"refused to scan {target}: {self.reason}")
        if net.num_addresses > MAX_SCAN_ADDRESSES and not allow_large:
            raise TargetNotAllowed(
                f"refused to scan {target}: {net.num_addresses} addresses is more than {MAX_SCAN_ADDRESSES}; "
                "name smaller prefixes or pass --allow-large"
            )
        return net


def target_policy_for(inventory: Inventory) -> TargetPolicy:
    """The inventory's own addresses plus its ``settings.allowed_ranges``: nothing else is reachable.

    Why here: every layer that opens sockets (collectors, the hotspot poller, the audit) builds the same policy
    from the same inventory, and the base is the one place all of them may import.
    """
    policy = TargetPolicy.of([], reason="not an address of the inventory or its settings.allowed_ranges")
    for device in inventory.devices:
        try:
            policy.extend([device.address])
        except TargetNotAllowed:
            continue  # a host name: resolved and checked by the transport at connect time
    policy.extend(inventory.settings.allowed_ranges)
    return policy
