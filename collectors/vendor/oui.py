"""MAC addresses and their OUI, the weakest vendor signal.

Why the care: a MAC whose first octet has the locally-administered bit set (second hex digit 2, 6, A or E) was
made up by its owner (randomised phones and laptops, VMs): its "OUI" belongs to nobody. Radio modules carry the
chip maker's OUI (Espressif, Realtek), not the brand's. Offline data only: netaddr's bundled IEEE registry.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_HEX = re.compile(r"[0-9a-fA-F]")


def normalise_mac(value: str | None) -> str | None:
    """``0019.c6aa.bbcc``, ``00-19-C6-AA-BB-CC``, ``0x0019c6aabbcc`` or 12 hex digits -> ``00:19:c6:aa:bb:cc``."""
    if not value:
        return None
    text = value.strip().lower()
    if text.startswith("0x"):
        text = text[2:]
    digits = "".join(_HEX.findall(text))
    if len(digits) != 12 or len(digits) < len(re.sub(r"[\s:.\-]", "", text)):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def locally_administered(mac: str) -> bool:
    """Bit 1 of the first octet: set on randomised and self-assigned addresses."""
    return bool(int(mac[:2], 16) & 0x02)


def multicast(mac: str) -> bool:
    return bool(int(mac[:2], 16) & 0x01)


@dataclass(frozen=True)
class OuiInfo:
    mac: str
    oui: str
    org: str | None
    local: bool
    database: str


@functools.cache
def database_label() -> str:
    """Which registry answered, and how old it is (netaddr bundles an IEEE snapshot per release)."""
    try:
        import netaddr

        return f"IEEE registry bundled with netaddr {netaddr.__version__}"
    except ImportError:  # pragma: no cover - netaddr is a dependency
        return "no OUI database"


@functools.lru_cache(maxsize=4096)
def _org(oui: str) -> str | None:
    try:
        from netaddr import EUI, NotRegisteredError
    except ImportError:  # pragma: no cover
        return None
    try:
        reg = EUI(oui + ":00:00:00").oui.registration()
    except (NotRegisteredError, IndexError, ValueError):
        return None
    org = str(reg.org).strip()
    return org or None


def lookup(mac: str) -> OuiInfo | None:
    """OUI facts of ``mac`` (None if it is not a MAC address). Locally administered MACs get no organisation."""
    norm = normalise_mac(mac)
    if norm is None:
        return None
    oui = norm[:8]
    local = locally_administered(norm)
    org = None if local or multicast(norm) else _org(oui)
    return OuiInfo(norm, oui, org, local, database_label())
