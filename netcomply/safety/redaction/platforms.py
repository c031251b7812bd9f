"""Which platform family a configuration comes from, for ``netcomply redact`` when ``-p`` is not given.

The family only narrows the few rules that would be too broad elsewhere (a Junos brace ``community X {``, a
PAN-OS/Junos ``set ... password X``); every other rule applies to every text. Undetected text (None) gets every
rule: unknown input is redacted as strictly as possible.
"""

from __future__ import annotations

import re

#: The families, and the netmiko device types (inventory ``platform``) that belong to each.
FAMILIES: dict[str, tuple[str, ...]] = {
    "ios": ("cisco_ios", "cisco_xe", "cisco_ios_telnet"),
    "nxos": ("cisco_nxos",),
    "asa": ("cisco_asa", "cisco_ftd"),
    "xr": ("cisco_xr",),
    "arista": ("arista_eos",),
    "rgos": ("ruijie_os",),
    "junos": ("juniper_junos", "juniper"),
    "fortios": ("fortinet",),
    "panos": ("paloalto_panos",),
    "vrp": ("huawei", "huawei_vrp", "huawei_vrpv8"),
    "comware": ("hp_comware", "h3c_comware"),
    "aireos": ("cisco_wlc", "cisco_wlc_ssh"),
    "linux": ("linux",),
}

# Ordered: the first family whose signature is found wins (more specific before more general).
_SIGNATURES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (family, re.compile(pattern, re.MULTILINE | re.IGNORECASE))
    for family, pattern in (
        ("panos", r"^\s*<config version=|^\s*<devices>|^set (?:deviceconfig|mgt-config|rulebase) "),
        ("fortios", r"^#config-version=|^config system (?:global|interface|admin)\s*$"),
        ("aireos", r"^config (?:sysname|wlan|radius|snmp community|mgmtuser) |^\(Cisco Controller\)"),
        ("junos", r"^set (?:system|interfaces|protocols|security|snmp|policy-options) |^## Last commit:"
                  r"|^system \{\s*$|^version \d+\.\S+;\s*$"),
        ("comware", r"^\s*version 7\.\d|^\s*version 5\.\d+, Release|H3C|Comware"),
        ("vrp", r"^!Software Version V\d|^\s*sysname \S+\s*$|Huawei Versatile Routing Platform"),
        ("asa", r"^: Saved|^ASA Version |^: Hardware:"),
        ("xr", r"^!! IOS XR|^RP/\d+/"),
        ("nxos", r"^!Command: show running-config|^feature \S+\s*$|NX-OS"),
        ("arista", r"^! device: .*EOS|^! Command: show running-config"),
        ("rgos", r"Ruijie|RGOS"),
        ("ios", r"^Building configuration|^Current configuration : \d+ bytes|^version 1[2-7]\.\d+\s*$"),
        ("linux", r"^[a-z_][a-z0-9_-]*:(?:\$|!|\*)[^:]*:\d*:|^#!/|^(?:ro|rw)community6? |^-----BEGIN "),
    )
)


def detect_platform(text: str) -> str | None:
    """The family of ``text`` (looking at its first 64 KiB), or None when no signature is found."""
    head = text[:65536]
    return next((family for family, sig in _SIGNATURES if sig.search(head)), None)


def family_of(name: str) -> str | None:
    """The family of a family name or of a netmiko device type (``-p cisco_ios`` and ``-p ios`` both work)."""
    low = name.lower()
    if low in FAMILIES:
        return low
    return next((family for family, types in FAMILIES.items() if low in types), None)
