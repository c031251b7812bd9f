"""Interval helpers shared by several firewall parsers, kept once so that the copies cannot drift (issue 15).

Why here: the iptables and nftables parsers both negate an address or port set (``! -s``, ``!=``), and the
PAN-OS text and XML parsers both read PAN-OS port lists; each had its own copy, and the PAN-OS copies already
disagreed on whitespace (``<port> 80, 443</port>`` and an empty ``<source-port/>`` read in XML only).
"""

from __future__ import annotations

from collectors.firewall.model import ANY_PORT, Interval, merge_intervals


def complement(ivs: list[Interval], within: Interval) -> list[Interval]:
    """The parts of ``within`` that none of ``ivs`` covers (a negated match), in order."""
    out, start = [], within[0]
    for lo, hi in merge_intervals(ivs):
        if lo > start:
            out.append((start, lo - 1))
        start = max(start, hi + 1)
    if start <= within[1]:
        out.append((start, within[1]))
    return out


def minus(ivs: list[Interval], cut: Interval) -> list[Interval]:
    """The intervals less ``cut`` (FortiOS ``exclude-member``, Junos ``except`` prefixes)."""
    out = []
    for a, b in ivs:
        if b < cut[0] or a > cut[1]:
            out.append((a, b))
            continue
        if a < cut[0]:
            out.append((a, cut[0] - 1))
        if b > cut[1]:
            out.append((cut[1] + 1, b))
    return out


def panos_ports(text: str) -> list[Interval]:
    """A PAN-OS port list (``80``, ``8080-8090``, ``80,443, 8443``; ``any`` or empty for every port), as
    ``show running security-policy`` and the XML configuration write it; spaces around items are ignored."""
    if text.strip() in ("", "any"):
        return [ANY_PORT]
    out = []
    for part in text.split(","):
        a, _, b = part.strip().partition("-")
        out.append((int(a), int(b or a)))
    return out
