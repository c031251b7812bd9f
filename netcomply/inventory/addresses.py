"""Is this text an address a device or service can be reached at? IPv4, IPv6, or a DNS host name.

Why stricter than "looks like a name": ``999.1.1.1`` is four valid DNS labels, so a plain label pattern lets it
through, and the audit then fails per device at connect time with a resolver error instead of the inventory
saying ``inv.yaml:12: [hosts.r1.address] not a valid IPv4 address``. The rules:

* text made of digits and dots is an IPv4 literal and must be one (four numbers 0-255, no leading zeros);
* text with a colon is an IPv6 literal (optionally with a ``%zone``) and must be one;
* text that the C library's ``inet_aton`` would read as an IPv4 address in another spelling (``0x7f000001``,
  ``127.1``, ``0177.0.0.1``) is refused: the name would silently become an address;
* anything else must be a DNS host name (RFC 1123 as amended by RFC 3696 section 2): labels of letters, digits
  and inner hyphens, 1-63 characters each, 253 in all, a last label that is not all digits. An international
  name is refused with its IDNA (punycode) spelling as the suggestion: SSH, SNMP and DNS libraries disagree on
  whether they convert it themselves.

Each function returns the problem as a sentence, or None when the text is fine, so callers (pydantic
validators, the loader) decide how to report it.
"""

from __future__ import annotations

import ipaddress
import re

_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_DIGITS_AND_DOTS = re.compile(r"[0-9.]+")
_DOTTED_QUAD = re.compile(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}")
#: One part of an inet_aton address: decimal, octal (leading 0) or hex (0x...).
_ATON_PART = re.compile(r"(?:0[xX][0-9A-Fa-f]*|[0-9]+)")
MAX_NAME = 253


def ip_problem(text: str) -> str | None:
    """The problem with an IP literal (v4 or v6), or None."""
    if _DOTTED_QUAD.fullmatch(text) and all(int(o) <= 255 and (o == "0" or o[0] != "0") for o in text.split(".")):
        return None  # the common case, 20x cheaper than ipaddress (a 110,000-host inventory checks each twice)
    if ":" in text:
        try:
            ipaddress.IPv6Address(text)
        except ValueError:
            return f"{text!r} is not a valid IPv6 address"
        return None
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return f"{text!r} is not a valid IPv4 address (four numbers 0-255 without leading zeros, e.g. 192.0.2.1)"
    return None


def hostname_problem(text: str) -> str | None:
    """The problem with a DNS host name, or None (a trailing dot, as in a fully qualified name, is fine)."""
    name = text[:-1] if text.endswith(".") else text
    if not name:
        return "empty host name"
    if not name.isascii():
        try:
            ascii_form = name.encode("idna").decode("ascii")
        except UnicodeError:
            return f"{text!r} is not a valid host name (letters, digits, hyphens and dots)"
        return f"{text!r}: write an international name in its IDNA form, {ascii_form!r}"
    if len(name) > MAX_NAME:
        return f"host name longer than {MAX_NAME} characters"
    labels = name.split(".")
    for label in labels:
        if not _LABEL.fullmatch(label):
            return (f"{text!r} is not a valid host name: each dot-separated part is 1-63 letters, digits or "
                    "hyphens, not starting or ending with a hyphen")
    if labels[-1].isdigit():
        return f"{text!r} is not a valid host name: its last part is all digits"
    if len(labels) <= 4 and all(_ATON_PART.fullmatch(label) for label in labels):
        return f"{text!r} reads as an IPv4 address in a non-standard form; write it as a.b.c.d"
    return None


def address_problem(text: str) -> str | None:
    """The problem with a device address (an IP literal or a host name), or None."""
    value = text.strip()
    if not value:
        return "expected an IP address or a DNS host name; got empty text"
    if ":" in value or _DIGITS_AND_DOTS.fullmatch(value):
        return ip_problem(value)
    return hostname_problem(value)


def resolver_problem(text: str) -> str | None:
    """The problem with a resolver written as ``ADDRESS``, ``IPv4:PORT`` or ``[IPv6]:PORT``, or None."""
    value = text.strip()
    port = "53"
    if value.startswith("["):
        address, _, rest = value[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                return f"resolver {text!r}: expected [IPv6]:PORT"
            port = rest[1:]
    elif value.count(":") == 1:
        address, port = value.split(":")
    else:
        address = value
    if not address:
        return f"resolver {text!r}: expected an IP address, e.g. 192.0.2.53 or [2001:db8::53]:5353"
    problem = ip_problem(address)
    if problem:
        return f"resolver: {problem}"
    if not (port.isascii() and port.isdigit() and len(port) <= 5 and 0 < int(port) < 65536):
        return f"resolver {text!r}: port must be a number 1-65535"
    return None


__all__ = ["MAX_NAME", "address_problem", "hostname_problem", "ip_problem", "resolver_problem"]
