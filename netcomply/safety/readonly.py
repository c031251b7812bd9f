"""The read-only guard: the only commands that may leave the process towards a device.

Every line netcomply writes to a device's CLI channel goes through :func:`check_command`, which either
returns the command unchanged or raises :class:`ReadOnlyViolation` *before* anything is sent. The rule is an
allow-list, not a deny-list: a command is sent only when its platform's read verbs (``show``, ``display``,
``get``) start it, or it is one of the few session commands netmiko needs to prepare a session (paging off,
terminal width), which change nothing on the device but the current session.

Before any word is matched, every character is screened (:func:`printable_only`): only printable characters
and the plain space pass. A device's line editor acts on control characters (Ctrl-U erases the line, Ctrl-A
and Ctrl-K move and cut, backspace and DEL delete, Ctrl-Z leaves a mode, TAB completes a word) and some stacks
treat VT, FF, U+0085, U+2028 and U+2029 as line ends, so ``'show \\x15reload'`` would reach the device as
``reload``. Every Unicode character of category Cc, Cf, Cs, Co, Cn, Zl or Zp, and every space but U+0020
(TAB, NBSP, the ideographic space), is refused, whatever the platform.

Output filters after ``|`` are an allow-list per platform family (:data:`_FILTERS`): only filters that read
(``include``/``exclude``/``begin``/``section``/``count`` on IOS-like systems, ``include``/``exclude``/``begin``
on VRP and Comware, ``grep`` with its reading options on FortiOS, ``match``/``except`` on PAN-OS, Junos's
``match``/``except``/``count``/``display set|xml|json``/``no-more``/``last``/``trim``/``find``). An unambiguous
abbreviation (``| i``, ``| inc``, ``| sec``) is resolved against the options the platform's CLI offers,
writers included, so ``| a`` (append) or ``| t`` (tee) never pass as something else. Shell constructs (``;``, ``&``,
backticks, ``$``, redirects, ``\\``, ``-exec`` and its kin) are refused everywhere.

SNMP has the same rule: :func:`check_snmp_operation` admits GET, GETNEXT and GETBULK only.
"""

from __future__ import annotations

import re
import unicodedata
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

#: find(1)-style actions: never part of a read command on any platform (``| find . -exec rm {} +``).
_SHELL_ACTIONS = re.compile(r"(^|\s)-(exec|execdir|ok|okdir|delete|fprint\w*|fls)\b", re.IGNORECASE)

#: Unicode categories never sent: controls, format characters (bidi, zero-width), surrogates, private use,
#: unassigned, line and paragraph separators. Spaces other than U+0020 are refused separately.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

_TEXT = r"\S.*"  # a required pattern (the filter's regular expression or text)
_GREP = r"((-[ivcfn]+|-[ABC] ?\d+) )*\S.*"  # FortiOS grep: its reading options, then the pattern

#: Read-only output filters per family: word -> what must follow it (a regular expression, "" for nothing).
_FILTERS: dict[str, dict[str, str]] = {
    "cisco": {"include": _TEXT, "exclude": _TEXT, "begin": _TEXT, "section": _TEXT, "count": f"({_TEXT})?"},
    "ruijie": {"include": _TEXT, "exclude": _TEXT, "begin": _TEXT},
    "huawei": {"include": _TEXT, "exclude": _TEXT, "begin": _TEXT},
    "comware": {"include": _TEXT, "exclude": _TEXT, "begin": _TEXT},
    "fortinet": {"grep": _GREP},
    "paloalto": {"match": _TEXT, "except": _TEXT},
    "juniper": {"match": _TEXT, "except": _TEXT, "count": "", "display": "(set|xml|json)", "no-more": "",
                "last": r"(\d+)?", "trim": r"\d+", "find": _TEXT},
    "cisco_wlc": {},
    "linux": {},
    "generic": {"include": _TEXT, "exclude": _TEXT, "begin": _TEXT},
}

#: Every option each family's CLI offers after ``|`` (readers and writers), to resolve abbreviations: ``| t``
#: must not pass as a reader when the platform would read it as ``tee``.
_PIPE_OPTIONS: dict[str, tuple[str, ...]] = {
    "cisco": ("append", "begin", "count", "exclude", "format", "include", "redirect", "section", "tee"),
    "ruijie": ("append", "begin", "exclude", "include", "redirect", "tee"),
    "huawei": ("begin", "count", "exclude", "include", "no-more", "section", "refresh"),
    "comware": ("begin", "by-linenum", "exclude", "include"),
    "juniper": ("append", "count", "compare", "display", "except", "find", "hold", "last", "match", "no-more",
                "refresh", "request", "resolve", "save", "tee", "trim"),
}

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
    printable_only(command)
    text = _normalise(command)
    if not text:
        return command
    family = platform_family(platform)
    lowered = text.lower()

    for pattern in _SESSION_COMMANDS[family]:
        if re.fullmatch(pattern, lowered):
            return command

    if family == "linux":
        return _check_linux(command, text, platform)
    return _check_read(command, text, family, platform)


def _check_linux(command: str, text: str, platform: str | None) -> str:
    """Linux targets: one of the exact allow-listed commands, no shell syntax at all."""
    if _SHELL_META.search(text) or "|" in text:
        raise ReadOnlyViolation(f"refused on {platform}: shell syntax in {text!r}")
    if any(re.fullmatch(p, text) for p in _LINUX_COMMANDS):
        return command
    raise ReadOnlyViolation(f"refused on {platform}: {text!r} is not an allow-listed read command")


def _check_read(command: str, text: str, family: str, platform: str | None) -> str:
    """Network OS: a read verb, no shell syntax, and only the family's reading output filters."""
    where = platform or "unknown platform"
    head, *pipes = [part.strip() for part in text.split("|")]
    verb = head.split(" ", 1)[0].lower()
    if verb not in _READ_VERBS[family]:
        raise ReadOnlyViolation(
            f"refused on {where}: {text!r} does not start with "
            f"{' / '.join(_READ_VERBS[family]) or 'an allow-listed command'}"
        )
    if _SHELL_META.search(text) or _SHELL_ACTIONS.search(text):
        raise ReadOnlyViolation(f"refused: shell syntax in {text!r}")
    for pipe in pipes:
        if not _is_read_filter(pipe, family) or _NEVER.search(pipe):
            raise ReadOnlyViolation(
                f"refused on {where}: output filter {pipe!r} is not a read-only filter "
                f"(allowed: {' / '.join(_FILTERS[family]) or 'none'})")
    return command


def printable_only(command: str) -> str:
    """Return ``command`` if every character is printable or the plain space; raise ReadOnlyViolation naming
    the first character that is not (a line editor would act on it, or a stack would end the line there)."""
    for index, ch in enumerate(command):
        if ch == " ":
            continue
        if unicodedata.category(ch) in _REFUSED_CATEGORIES or not ch.isprintable():
            name = unicodedata.name(ch, "control character")
            raise ReadOnlyViolation(f"refused: U+{ord(ch):04X} ({name}) at position {index} of {command!r}; "
                                    f"only printable characters and the plain space are sent")
    return command


def _resolve(word: str, family: str) -> str | None:
    """The filter ``word`` names on ``family``: itself, or the one option it abbreviates; None if ambiguous."""
    allowed = _FILTERS[family]
    if word in allowed:
        return word
    options = _PIPE_OPTIONS.get(family)
    if not options:
        return None
    matches = [o for o in options if o.startswith(word)]
    return matches[0] if len(matches) == 1 else None


def _is_read_filter(pipe: str, family: str) -> bool:
    """Whether one ``| ...`` segment is an allow-listed reading filter of ``family`` with a proper argument."""
    word, _, rest = pipe.partition(" ")
    full = _resolve(word.lower(), family)
    if full is None or full not in _FILTERS[family]:
        return False
    return re.fullmatch(_FILTERS[family][full], rest.strip(), re.IGNORECASE | re.DOTALL) is not None


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
