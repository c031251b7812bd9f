"""Names and addresses of one real tier, all derived from its lab id.

Everything the tier creates (namespaces, veth ends) is named from a short random lab id that is written to the
state dir *before* anything is created, so a teardown after a crash finds exactly what this lab made and
nothing else. Interface names stay within Linux's 15-character limit.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
from dataclasses import dataclass

#: The lab's own documentation prefixes. They exist only inside the tier's namespaces.
LAB_PREFIX4 = ipaddress.ip_network("198.51.100.0/24")
LAB_PREFIX6 = ipaddress.ip_network("2001:db8:100::/48")

#: The link between the client and the firewall namespace (the firewall's "management LAN").
LINK4 = ipaddress.ip_interface("198.51.100.1/26")
LINK6 = ipaddress.ip_interface("2001:db8:100:1::1/64")
CLIENT4 = ipaddress.ip_interface("198.51.100.2/26")
CLIENT6 = ipaddress.ip_interface("2001:db8:100:1::2/64")

_ID = re.compile(r"^[0-9a-f]{6}$")
NS_PREFIX = "ncl-"


def new_lab_id() -> str:
    return secrets.token_hex(3)


@dataclass(frozen=True)
class TierNames:
    """The names one tier uses. ``lab_id`` is validated: it ends up in commands run as root."""

    lab_id: str

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.lab_id):
            raise ValueError(f"bad lab id {self.lab_id!r}: expected 6 lowercase hex digits")

    @property
    def firewall_ns(self) -> str:
        return f"{NS_PREFIX}{self.lab_id}-fw"

    @property
    def client_ns(self) -> str:
        return f"{NS_PREFIX}{self.lab_id}-cl"

    @property
    def namespaces(self) -> tuple[str, str]:
        return (self.firewall_ns, self.client_ns)

    @property
    def firewall_if(self) -> str:
        return f"nc{self.lab_id}f0"

    @property
    def client_if(self) -> str:
        return f"nc{self.lab_id}c0"

    @property
    def interfaces(self) -> tuple[str, str]:
        return (self.firewall_if, self.client_if)
