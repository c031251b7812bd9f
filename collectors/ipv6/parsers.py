"""Parsers for the IPv6 interface and configuration facts of each CLI platform (ntc-templates where its template
reads the same fields: FortiOS and PAN-OS interfaces here, Cisco IOS in the collector).

Each interface parser turns one command's text into :class:`Ipv6Interface` rows (name, up or not, every IPv6
address shown, with its prefix length when the platform prints one). ntc-templates parses Cisco IOS's
``show ipv6 interface brief``; the collector uses it there and these parsers everywhere else:

=================  ==================================  ============================================
platform           command                             shape
=================  ==================================  ============================================
cisco_ios/asa      ``show ipv6 interface brief``       ``NAME [up/up]`` then indented addresses
huawei             ``display ipv6 interface brief``    table row, then ``[IPv6 Address] ADDR``
hp_comware         ``display ipv6 interface brief``    table with the address in the last column
juniper_junos      ``show interfaces terse``           ``inet6`` rows under each logical unit
fortinet           ``get system interface physical``   ``==[port1]`` blocks with ``ipv6: ADDR/LEN``
paloalto_panos     ``show interface all``              logical table; extra addresses on their own line
=================  ==================================  ============================================

:func:`config_facts` reads the running configuration for whether IPv6 routing is on and which IPv6 ACLs
(filters, policies) exist. Why from the configuration: no platform has one show command for both, and the
configuration is what an auditor would read by hand.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from collectors.transports.ssh import parse_with_ntc
from netcomply.errors import DeviceError

#: A token that is an IPv6 address, optionally with /prefixlen (checked again with ipaddress).
_V6 = r"[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:/\d{1,3})?"
_V6_TOKEN = re.compile(rf"^{_V6}$")
#: The longest IPv6 address text with a zone and a prefix length is well under this; longer tokens are not
#: addresses (and the token pattern backtracks quadratically on long runs of colons).
_MAX_TOKEN = 96
#: Lines longer than this are no table row or configuration line these parsers look for (real ones are under
#: 200 characters; FortiOS replacement-message buffers are the longest config lines seen, and are not read).
#: Skipping them keeps every pattern linear in the size of the output, whatever a device prints.
MAX_LINE = 4096


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if len(line) <= MAX_LINE]


@dataclass
class Ipv6Interface:
    """One interface as a platform's IPv6 command shows it."""

    name: str
    up: bool | None = None  # protocol/link state when shown
    addresses: list[str] = field(default_factory=list)  # "2001:db8::1/64" or "2001:db8::1" (no length shown)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "up": self.up, "addresses": list(self.addresses)}


def split_address(text: str) -> tuple[str, int | None] | None:
    """``2001:DB8::1/64`` -> ("2001:db8::1", 64); None when it is no IPv6 address."""
    if len(text) > _MAX_TOKEN:
        return None
    addr, _, plen = text.partition("/")
    try:
        ip = ipaddress.IPv6Address(addr.split("%", 1)[0])
    except ValueError:
        return None
    if plen and not (plen.isascii() and plen.isdigit() and 0 <= int(plen) <= 128):
        return None
    return str(ip), int(plen) if plen else None


def is_global(address: str) -> bool:
    """A unicast address another network can reach: not link-local, loopback, unspecified or multicast."""
    parsed = split_address(address)
    if parsed is None:
        return False
    ip = ipaddress.IPv6Address(parsed[0])
    return not (ip.is_link_local or ip.is_loopback or ip.is_unspecified or ip.is_multicast)


def _add(iface: Ipv6Interface, token: str) -> None:
    if len(token) <= _MAX_TOKEN and _V6_TOKEN.match(token) and split_address(token) is not None:
        iface.addresses.append(token)


# --------------------------------------------------------------------------------------------- Cisco


_CISCO_HEAD = re.compile(r"^(?P<name>\S+)\s*\[(?P<admin>[^/\]]+)/(?P<proto>[^\]]+)\]\s*$")


def parse_cisco_brief(text: str) -> list[Ipv6Interface]:
    """Cisco IOS / ASA ``show ipv6 interface brief``: a header line per interface, addresses indented below."""
    out: list[Ipv6Interface] = []
    for line in _lines(text):
        head = _CISCO_HEAD.match(line)
        if head:
            out.append(Ipv6Interface(head["name"], head["proto"].strip().lower() == "up"))
        elif out and line[:1].isspace() and line.strip():
            _add(out[-1], line.split()[0])
    return out


# -------------------------------------------------------------------------------------------- Huawei


_HUAWEI_ADDRESS = re.compile(r"^\[IPv6 Address[^\]]*\]\s*(.*)$", re.I)
_STATE = re.compile(r"^(?:\*?down|up|\^down|!down)(?:\(\w\))*$", re.I)


def _up(token: str) -> bool:
    return token.lower().startswith("up")


def parse_huawei_brief(text: str) -> list[Ipv6Interface]:
    """Huawei VRP ``display ipv6 interface brief``: ``NAME PHYSICAL PROTOCOL [VPN]`` rows, each followed by
    ``[IPv6 Address] ADDR`` (older VRP) or ``[IPv6 Address/Prefix Length] ADDR/LEN`` lines (``Unassigned``)."""
    out: list[Ipv6Interface] = []
    for line in _lines(text):
        stripped = line.strip()
        address_line = _HUAWEI_ADDRESS.match(stripped)
        if address_line:
            if out:
                for token in address_line[1].split():
                    _add(out[-1], token)
            continue
        words = stripped.split()
        if len(words) >= 3 and _STATE.match(words[1]) and _STATE.match(words[2]):
            out.append(Ipv6Interface(words[0], _up(words[2])))
    return out


def parse_comware_brief(text: str) -> list[Ipv6Interface]:
    """HPE/H3C Comware ``display ipv6 interface brief``: ``NAME PHYSICAL PROTOCOL ADDRESS`` (``Unassigned``);
    a second global address is printed on its own line under the address column."""
    out: list[Ipv6Interface] = []
    for line in _lines(text):
        words = line.split()
        if len(words) >= 4 and _STATE.match(words[1]) and _STATE.match(words[2]):
            iface = Ipv6Interface(words[0], _up(words[2]))
            _add(iface, words[3])
            out.append(iface)
        elif out and len(words) == 1 and line[:1].isspace():
            _add(out[-1], words[0])
    return out


# -------------------------------------------------------------------------------------------- Junos


_JUNOS_ROW = re.compile(r"^(?P<name>\S+)\s+(?P<admin>up|down)\s+(?P<link>up|down)(?:\s+(?P<rest>.*))?$")


def parse_junos_terse(text: str) -> list[Ipv6Interface]:
    """Junos ``show interfaces terse``: logical units (``ge-0/0/0.0``) carry families; the ``inet6`` family's
    addresses are in the Local column, further addresses on continuation lines."""
    out: list[Ipv6Interface] = []
    family: str | None = None
    for line in _lines(text):
        if not line.strip() or line.lstrip().startswith("Interface "):
            continue
        row = _JUNOS_ROW.match(line.strip()) if not line[:1].isspace() else None
        if row:
            out.append(Ipv6Interface(row["name"], row["link"] == "up"))
            family = None
            rest = (row["rest"] or "").split()
        else:
            rest = line.split()
        if not out or not rest:
            continue
        if not (len(rest[0]) <= _MAX_TOKEN and _V6_TOKEN.match(rest[0])) and not re.match(r"^\d", rest[0]):
            family = rest[0]
            rest = rest[1:]
        if family == "inet6" and rest:
            _add(out[-1], rest[0])
    return out


# ------------------------------------------------------------------------------------------ FortiGate




def _ntc(platform: str, command: str, text: str) -> list[dict[str, Any]]:
    """ntc-templates' rows for the output; ``[]`` when the template cannot follow it (the collector then records
    the output as not recognised, artifact kept)."""
    try:
        return parse_with_ntc(platform, command, "\n".join(_lines(text))) or []
    except DeviceError:
        return []


def parse_fortigate_physical(text: str) -> list[Ipv6Interface]:
    """FortiOS ``get system interface physical`` through ntc-templates (``fortinet_get_system_interface_physical``):
    per port its status and ``ipv6: ADDR/LEN`` (``::/0`` when none). The template reads the same fields as the
    former hand parser on its FortiOS 5.6 to 7.4 captures (tests/ipv6/test_ntc_interfaces.py)."""
    out: list[Ipv6Interface] = []
    for r in _ntc("fortinet", "get system interface physical", text):
        iface = Ipv6Interface(r["name"], r["status"].lower() == "up" if r["status"] else None)
        token = f"{r['ipv6_address']}/{r['ipv6netmask']}" if r["ipv6_address"] else ""
        parsed = split_address(token)
        if parsed and not ipaddress.IPv6Address(parsed[0]).is_unspecified:
            _add(iface, token)
        out.append(iface)
    return out


# ---------------------------------------------------------------------------------------- Palo Alto


def _link_up(state: str) -> bool | None:
    """The hardware table's state: ``up``, ``down``, ``down((autoneg))``; ``[n/a]`` (no link of its own) unknown."""
    return None if not state or state.startswith("[") else state.startswith("up")


def parse_panos_interface_all(text: str) -> list[Ipv6Interface]:
    """PAN-OS ``show interface all`` through ntc-templates (``paloalto_panos_show_interface_all``): the logical
    interfaces with every address (IPv4 and IPv6), link state from the hardware table (a subinterface takes its
    port's). The template reads ``[n/a]/[n/a]/up`` (aggregates, vlan, loopback) right, which the former hand
    parser read as down."""
    rows = _ntc("paloalto_panos", "show interface all", text)
    state = {r["interface"]: _link_up(r["state"]) for r in rows if r["mac_address"]}
    out: list[Ipv6Interface] = []
    for r in rows:
        if not r["vsys"]:
            continue
        iface = Ipv6Interface(r["interface"], state.get(r["interface"].split(".")[0]))
        for address in r["ip_address"]:
            _add(iface, address)
        out.append(iface)
    return out


PARSERS: dict[str, tuple[str, Callable[[str], list[Ipv6Interface]]]] = {
    "cisco_ios": ("show ipv6 interface brief", parse_cisco_brief),
    "cisco_xe": ("show ipv6 interface brief", parse_cisco_brief),
    "cisco_asa": ("show ipv6 interface brief", parse_cisco_brief),
    "huawei": ("display ipv6 interface brief", parse_huawei_brief),
    "hp_comware": ("display ipv6 interface brief", parse_comware_brief),
    "juniper_junos": ("show interfaces terse", parse_junos_terse),
    "fortinet": ("get system interface physical", parse_fortigate_physical),
    "paloalto_panos": ("show interface all", parse_panos_interface_all),
}


# ------------------------------------------------------------------------------------- configuration


#: Configuration command per platform (read-only), for routing and ACL facts.
CONFIG_COMMANDS: dict[str, str] = {
    "cisco_ios": "show running-config",
    "cisco_xe": "show running-config",
    "cisco_asa": "show running-config",
    "huawei": "display current-configuration",
    "hp_comware": "display current-configuration",
    "juniper_junos": "show configuration | display set",
    "fortinet": "show",
    "paloalto_panos": "show config running",
}


def _names(pattern: str, text: str) -> list[str]:
    return sorted(set(re.findall(pattern, text, re.M)))


def _in_order(text: str, *words: str) -> bool:
    """Each word (whole) appears after the previous one: one linear scan (a ``a[\\s\\S]*b[\\s\\S]*c`` pattern
    backtracks cubically on a text with many a's and b's but no c)."""
    position = 0
    for word in words:
        found = re.compile(rf"\b{word}\b").search(text, position)
        if found is None:
            return False
        position = found.end()
    return True


def config_facts(platform: str, config: str, *, has_global: bool) -> dict[str, Any]:
    """``{"routing_enabled": bool | None, "acls": [names]}`` from a running configuration.

    ``routing_enabled`` is None where the platform has no switch for it and the configuration cannot tell;
    where IPv6 forwarding follows from configured addresses (ASA, Comware 7, Junos, FortiOS, PAN-OS) it is
    ``has_global``.
    """
    config = "\n".join(_lines(config))
    if platform in ("cisco_ios", "cisco_xe"):
        routing: bool | None = bool(re.search(r"^ipv6 unicast-routing\b", config, re.M))
        acls = _names(r"^ipv6 access-list (\S+)", config)
    elif platform == "cisco_asa":
        routing = True if re.search(r"^ipv6 unicast-routing\b", config, re.M) else has_global
        acls = _names(r"^ipv6 access-list (\S+)", config)
        acls += _names(r"^access-list (\S+) extended .*(?:\bany6\b|[0-9a-fA-F]*:[0-9a-fA-F]*:[0-9a-fA-F:]*/\d+)",
                       config)
    elif platform == "huawei":
        routing = bool(re.search(r"^ipv6\s*$", config, re.M))
        acls = _names(r"^acl ipv6 (?:number |name )?(\S+)", config)
    elif platform == "hp_comware":
        routing = has_global
        acls = _names(r"^acl ipv6 (?:(?:basic|advanced) )?(?:number |name )?(\S+)", config)
    elif platform == "juniper_junos":
        routing = has_global
        acls = _names(r"^set firewall family inet6 filter (\S+)", config)
    elif platform == "fortinet":
        routing = has_global
        acls = ["policy6"] if re.search(r"^config firewall policy6\b", config, re.M) else []
        acls += _names(r"^\s*edit (\d+)\n(?:\s+set (?!srcaddr6|dstaddr6).*\n)*\s+set (?:srcaddr6|dstaddr6) ", config)
    elif platform == "paloalto_panos":
        routing = has_global
        acls = ["security-rules"] if _in_order(config, "rulebase", "security", "rules") else []
    else:
        return {"routing_enabled": None, "acls": []}
    return {"routing_enabled": routing, "acls": sorted(set(acls))}
