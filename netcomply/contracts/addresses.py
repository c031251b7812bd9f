"""The one address and port encoding shared by the firewall parsers (which write it) and the checks (which read it).

Why one number line: an auditor asks the same questions of IPv4 and IPv6 rules, and "any" covers both families.
Addresses are integers on one line that holds both: IPv6 ``[0, 2**128)`` first, then IPv4
``[2**128, 2**128 + 2**32)``. So "any" (both families) is one interval, ``any4`` and ``any6`` are sub-intervals,
and an IPv4 rule can never overlap an IPv6 one. An address set is a tuple of inclusive ``(lo, hi)`` intervals.

In a ``firewall.rule`` observation the intervals are stored as decimal strings (``src_ranges``: ``[["lo",
"hi"], ...]``: JSON numbers lose precision past 2**53) and read back with :func:`ranges_from_json`.

Ports and protocols are inclusive intervals too: protocol ``[0, 255]`` (any), port ``[0, 65535]`` (any); for
ICMP and ICMPv6 the destination-port dimension holds ``type * 256 + code``.

Base layer: standard library only.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

V6_SIZE = 1 << 128
V4_BASE = V6_SIZE
ADDR_MAX = V4_BASE + (1 << 32) - 1

Interval = tuple[int, int]  # inclusive bounds

ANY_ADDR: Interval = (0, ADDR_MAX)
ANY4: Interval = (V4_BASE, ADDR_MAX)
ANY6: Interval = (0, V6_SIZE - 1)
ANY_PROTO: Interval = (0, 255)
ANY_PORT: Interval = (0, 65535)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def encode_address(addr: IPAddress) -> int:
    """One address -> its point on the line (IPv4 shifted above the IPv6 space)."""
    return V4_BASE + int(addr) if addr.version == 4 else int(addr)


def decode_address(point: int) -> IPAddress:
    """A point on the line -> the address it encodes; ValueError outside ``[0, ADDR_MAX]``."""
    if not 0 <= point <= ADDR_MAX:
        raise ValueError(f"{point} is outside the address line [0, {ADDR_MAX}]")
    return ipaddress.IPv4Address(point - V4_BASE) if point >= V4_BASE else ipaddress.IPv6Address(point)


def encode_network(net: IPNetwork) -> Interval:
    """A network -> the interval of its addresses (network to broadcast address, both included)."""
    return encode_address(net.network_address), encode_address(net.broadcast_address)


def encode_cidr(text: str) -> Interval:
    """``"192.0.2.0/24"`` or ``"2001:db8::/32"`` (host bits allowed) -> an interval."""
    return encode_network(ipaddress.ip_network(text.strip(), strict=False))


def encode_range(first: str, last: str) -> Interval:
    """An address range ``first-last`` (FortiGate iprange, nftables ``a-b``); ValueError across families or when
    ``first`` comes after ``last``."""
    a, b = ipaddress.ip_address(first), ipaddress.ip_address(last)
    if a.version != b.version or int(a) > int(b):
        raise ValueError(f"bad address range {first}-{last}")
    return encode_address(a), encode_address(b)


def is_v4(iv: Interval) -> bool:
    """The interval lies in the IPv4 part of the line."""
    return iv[0] >= V4_BASE


def is_v6(iv: Interval) -> bool:
    """The interval lies in the IPv6 part of the line."""
    return iv[1] < V4_BASE


def covers_any(ivs: Iterable[Interval]) -> bool:
    """The set holds every IPv4 address, or every IPv6 address (what a rule's "any" means to an auditor)."""
    return any((lo <= ANY4[0] and hi >= ANY4[1]) or (lo, hi) == ANY6 for lo, hi in ivs)


def size(ivs: Iterable[Interval]) -> int:
    """How many points (addresses, ports) the intervals hold (overlaps counted twice: pass merged sets)."""
    return sum(hi - lo + 1 for lo, hi in ivs)


def ranges_to_json(ivs: Iterable[Interval]) -> list[list[str]]:
    """Intervals as stored in an observation: decimal strings, exact past 2**53."""
    return [[str(lo), str(hi)] for lo, hi in ivs]


def ranges_from_json(pairs: Sequence[Sequence[str | int]]) -> list[Interval]:
    """The stored form back to intervals (accepts ints too: older runs stored small numbers as numbers)."""
    return [(int(lo), int(hi)) for lo, hi in pairs]


def format_interval(iv: Interval) -> str:
    """The shortest readable form of an address interval: ``any``, ``any4``, ``any6``, a CIDR, an address or
    ``a-b``."""
    if iv == ANY_ADDR:
        return "any"
    if iv == ANY4:
        return "any4"
    if iv == ANY6:
        return "any6"
    lo, hi = iv
    if lo < V4_BASE <= hi:  # straddles the families: no CIDR can say it
        return f"{decode_address(lo)}-{decode_address(hi)}"
    a, b = decode_address(lo), decode_address(hi)
    nets: list[IPNetwork] = list(ipaddress.summarize_address_range(a, b))
    if len(nets) == 1:
        return str(nets[0]) if nets[0].num_addresses > 1 else str(a)
    return f"{a}-{b}"


def port_range(lo: int, hi: int | None = None) -> Interval:
    """A port interval; ValueError outside ``[0, 65535]`` or reversed."""
    top = lo if hi is None else hi
    if not 0 <= lo <= top <= ANY_PORT[1]:
        raise ValueError(f"bad port range {lo}-{top}")
    return lo, top


def parse_port_spec(text: str) -> tuple[int, int, int]:
    """``"tcp/80"`` or ``"udp/8000-8010"`` (the zone policy's ``services``) -> (protocol number, lo, hi);
    ValueError naming what was expected."""
    proto, _, ports = str(text).strip().partition("/")
    number = {"tcp": 6, "udp": 17}.get(proto.strip().lower())
    lo, _, hi = ports.strip().partition("-")
    if number is None or not lo.strip().isdigit() or (hi and not hi.strip().isdigit()):
        raise ValueError(f"bad service {text!r}: expected tcp/PORT, udp/PORT or tcp/LO-HI")
    first, last = port_range(int(lo), int(hi or lo))
    return number, first, last
