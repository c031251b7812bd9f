"""The lab's devices as the SNMP agents see them: read from city.yaml, or made up in bulk for scale mode.

Kept separate from the generator so that the process manager, the fixtures and the ``lab up`` command can
list devices (and their addresses) without building recordings.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CITY_YAML = Path(__file__).resolve().parent.parent / "data" / "city.yaml"

#: Documentation prefixes the recordings use for each agency's management addresses (never routable).
AGENCY_PREFIXES: Mapping[str, tuple[str, str]] = {
    "city-gov": ("192.0.2.0/24", "2001:db8:10::/64"),
    "edu-bureau": ("198.51.100.0/24", "2001:db8:20::/64"),
    "district": ("203.0.113.0/24", "2001:db8:30::/64"),
}
DEFAULT_PREFIXES = ("192.0.2.0/24", "2001:db8:99::/64")


@dataclass(frozen=True)
class LabDevice:
    """One simulated device. ``address`` is where its agent listens (loopback); ``mgmt_ipv4`` / ``mgmt_ipv6``
    are the addresses the device *reports* about itself (documentation prefixes)."""

    name: str
    address: str
    brand: str
    model: str
    role: str
    agency: str = "lab"
    site: str = "lab"
    manufacturer: str | None = None
    fault: str | None = None
    snmp: bool = True
    host: int = 1  # host number inside the agency's prefix
    extra: Mapping[str, Any] = field(default_factory=dict)
    #: The v2c community the agent answers to (its recording's file stem). ``lab up`` sets a random one, so that
    #: a community, which netcomply treats as a secret and masks everywhere, is never the device's name.
    community: str | None = None

    @property
    def community_name(self) -> str:
        return self.community or self.name

    @property
    def silent(self) -> bool:
        return self.fault == "silent_snmp"

    @property
    def mgmt_ipv4(self) -> str:
        net = ipaddress.ip_network(AGENCY_PREFIXES.get(self.agency, DEFAULT_PREFIXES)[0])
        return str(net.network_address + (self.host % 254 + 1 if self.host > 253 else self.host))

    @property
    def mgmt_ipv6(self) -> str:
        net = ipaddress.ip_network(AGENCY_PREFIXES.get(self.agency, DEFAULT_PREFIXES)[1])
        return str(net.network_address + self.host)


def load_city(path: str | Path | None = None) -> tuple[list[LabDevice], dict[str, list[str]]]:
    """The SNMP-speaking devices of a lab topology file and the controllers' AP names."""
    data = yaml.safe_load(Path(path or CITY_YAML).read_text(encoding="utf-8"))
    devices: list[LabDevice] = []
    for raw in data.get("devices", []):
        if not raw.get("snmp"):
            continue
        devices.append(
            LabDevice(
                name=raw["name"],
                address=str(raw["address"]),
                brand=raw["brand"],
                model=str(raw["model"]),
                role=raw.get("role", "switch"),
                agency=raw.get("agency", "lab"),
                site=raw.get("site", "lab"),
                manufacturer=raw.get("manufacturer"),
                fault=raw.get("fault"),
                host=int(str(raw["address"]).rsplit(".", 1)[-1]),
            )
        )
    aps = {k: list(v) for k, v in (data.get("controller_aps") or {}).items()}
    return devices, aps


def scale_address(i: int) -> str:
    """Address of scale device ``i`` (0-based): 127.1.x.y with y in 1..250."""
    return f"127.1.{i // 250}.{i % 250 + 1}"


def scale_devices(n: int, templates: Sequence[LabDevice] | None = None) -> list[LabDevice]:
    """``n`` devices cloned round-robin from brand templates (default: the city lab's healthy devices)."""
    if templates is None:
        templates = [d for d in load_city()[0] if not d.fault and d.role not in ("wlc",)]
    out = []
    for i in range(n):
        t = templates[i % len(templates)]
        out.append(
            LabDevice(
                name=f"scale-{i:05d}",
                address=scale_address(i),
                brand=t.brand,
                model=t.model,
                role=t.role,
                agency="scale",
                site=f"site-{i // 50:03d}",
                manufacturer=t.manufacturer,
                host=i + 1,
            )
        )
    return out
