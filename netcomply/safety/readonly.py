"""The read-only guard: the only commands that may leave the process towards a device.

Every line netcomply writes to a device's CLI channel goes through :func:`check_command`, which either
returns the command unchanged or raises :class:`ReadOnlyViolation` *before* anything is sent. The rule is an
allow-list, not a deny-list: a command is sent only when its platform's read verbs (``show``, ``display``,
``get``) start it, or it is one of the few session commands netmiko needs to prepare a session (paging off,
terminal width), which change nothing on the device but the current session.

SNMP has the same rule: :func:`check_snmp_operation` admits GET, GETNEXT and GETBULK only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from netcomply.errors import ReadOnlyViolation

#: Words that start a read-only command, per platform family.
_READ_VERBS: dict[str, tuple[str, ...]] = {
    "cisco": ("show",),
    "cisco_wlc": ("show",),
    "huawei": ("display",),
    "comware": ("display",),
    "fortinet": ("get", "show"),
    "paloalto": ("show",),
    "juniper": ("show",),
    "ruijie": ("show",),
    "linux": (),  # only the exact commands in _LINUX_COMMANDS
    "generic": ("show", "display", "get"),
}

#: Session-only commands a platform's netmiko driver sends while preparing a session. Each changes the
#: current CLI session (paging, width, output mode) and nothing in the device configuration.
_SESSION_COMMANDS: dict[str, tuple[str, ...]] = {
    "cisco": (
        r"terminal length 0",
        r"terminal width \d+",
        r"terminal pager 0",  # ASA
        r"terminal no monitor",
        r"enable",
        r"exit",
        r"show privilege",
    ),
    # AireOS scopes "config paging disable" to the current CLI session; "logout" ends it.
    "cisco_wlc": (r"config paging (disable|enable)", r"logout", r"exit"),
    "huawei": (r"screen-length 0 temporary", r"screen-width \d+( temporary)?", r"quit"),
    "comware": (r"screen-length disable", r"quit"),
    "fortinet": (r"exit",),
    "paloalto": (r"set cli pager off", r"set cli scripting-mode on", r"set cli terminal width \d+", r"exit"),
    "juniper": (r"set cli screen-length 0", r"set cli screen-width \d+", r"set cli complete-on-space off",
                r"exit", r"cli"),
    # Ruijie RGOS (netmiko ruijie_os): enable, then width and paging for this session; "n" declines the
    # "Do you want to change the password" prompt some releases show at login (it changes nothing).
    "ruijie": (r"enable", r"terminal width \d+", r"terminal length 0", r"n", r"exit"),
    "linux": (r"exit",),
    "generic": (r"exit",),
}

#: The complete list of commands allowed on a Linux target (the real-tier firewalls and servers).
_LINUX_COMMANDS: tuple[str, ...] = (
    r"nft (-j |--json )?list ruleset",
    r"nft (-j |--json )?list (table|chain) (ip|ip6|inet|arp|bridge|netdev) \S+( \S+)?",
    r"iptables-save( -c)?",
    r"ip6tables-save( -c)?",
    r"ip (-[46] )?(-j |-json )?(-[46] )?(addr|address|route|link|neigh)( show)?( dev \S+)?",
    r"uname -a",
    r"hostname",
    r"cat /etc/os-release",
    r"cat /proc/net/if_inet6",
    r"sysctl net\.ipv6\.conf\.all\.forwarding",
)

#: Characters that would let one allowed command smuggle another past the guard on a shell-like target.
_SHELL_META = re.compile(r"[;&`$<>\\\n\r]|\|\|")

#: Filters a network OS applies to ``show`` output; they read, they never write.
_PIPE_FILTERS = re.compile(
    r"^(include|exclude|begin|section|count|i|e|b|s|inc|exc|match|except|no-more|display (set|xml|json)|"
    r"last( \d+)?|trim \d+|find|grep|json)\b",
    re.IGNORECASE,
)

#: Verbs that must never follow an allowed word anywhere in the line (``show | tee``, ``display | save``).
_NEVER = re.compile(r"\b(redirect|tee|append|save|write|copy|delete|request|clear|reload|reboot)\b", re.I)

_PLATFORM_FAMILY: tuple[tuple[str, str], ...] = (
    ("cisco_wlc", "cisco_wlc"),
    ("cisco", "cisco"),
    ("huawei", "huawei"),
    ("hp_comware", "comware"),
    ("h3c", "comware"),
    ("comware", "comware"),
    ("fortinet", "fortinet"),
    ("paloalto", "paloalto"),
    ("juniper", "juniper"),
    ("ruijie", "ruijie"),
    ("linux", "linux"),
)


def platform_family(platform: str | None) -> str:
    """Map a netmiko ``device_type`` (``cisco_ios``, ``huawei_vrpv8``, ``hp_comware`` ...) to a family."""
    name = (platform or "").lower()
    for prefix, family in _PLATFORM_FAMILY:
        if name.startswith(prefix):
            return family
    return "generic"


def _normalise(command: str) -> str:
    return " ".join(command.strip().split())


def is_allowed(command: str, platform: str | None) -> bool:
    """True when ``command`` may be sent to a device of ``platform``. Empty lines (a bare Enter) are allowed."""
    try:
        check_command(command, platform)
    except ReadOnlyViolation:
        return False
    return True


def check_command(command: str, platform: str | None) -> str:
    """Return ``command`` if it is read-only for ``platform``; raise :class:`ReadOnlyViolation` otherwise."""
    text = _normalise(command)
    if not text:
        return command
    family = platform_family(platform)
    if "\n" in command.strip() or "\r" in command.strip():
        raise ReadOnlyViolation(f"refused: several lines in one command ({text!r})")
    lowered = text.lower()

    for pattern in _SESSION_COMMANDS[family]:
        if re.fullmatch(pattern, lowered):
            return command

    if family == "linux":
        if _SHELL_META.search(text) or "|" in text:
            raise ReadOnlyViolation(f"refused on {platform}: shell syntax in {text!r}")
        if any(re.fullmatch(p, text) for p in _LINUX_COMMANDS):
            return command
        raise ReadOnlyViolation(f"refused on {platform}: {text!r} is not an allow-listed read command")

    head, *pipes = [part.strip() for part in text.split("|")]
    verb = head.split(" ", 1)[0].lower()
    if verb not in _READ_VERBS[family]:
        raise ReadOnlyViolation(
            f"refused on {platform or 'unknown platform'}: {text!r} does not start with "
            f"{' / '.join(_READ_VERBS[family]) or 'an allow-listed command'}"
        )
    if _SHELL_META.search(text):
        raise ReadOnlyViolation(f"refused: control characters in {text!r}")
    for pipe in pipes:
        if not _PIPE_FILTERS.match(pipe) or _NEVER.search(pipe):
            raise ReadOnlyViolation(f"refused: output filter {pipe!r} is not a read-only filter")
    return command


def check_commands(commands: Iterable[str], platform: str | None) -> list[str]:
    """Check a batch; nothing is sent unless every command passes."""
    return [check_command(c, platform) for c in commands]


#: SNMP operations that only read. Anything else (SET, and INFORM/TRAP which we never originate) is refused.
SNMP_READ_OPERATIONS = frozenset({"get", "getnext", "getbulk", "walk", "bulkwalk"})


def check_snmp_operation(operation: str) -> str:
    op = operation.strip().lower().replace("-", "").replace("_", "")
    if op not in SNMP_READ_OPERATIONS:
        raise ReadOnlyViolation(f"refused: SNMP {operation.upper()} is not a read operation")
    return op
