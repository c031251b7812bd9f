"""Observation contracts of the IPv6 area: ``ipv6.device`` (written by the ``ipv6_cli`` and ``ipv6_snmp``
collectors) and ``ipv6.service`` (the service pass, ``collectors.ipv6.service_pass``), read by
``compliance.checks.ipv6`` and the IPv6 readiness view (``compliance.ipv6_readiness``).

Why here: the readiness view counts phases and percentages from these facts; neither it nor the checks import the
collectors, so the shape is written down once, in the base. Addresses are text in their compressed form (lower
case); times are ISO 8601 UTC. Base layer: standard library only.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

#: The stored interface row: ``name``, ``up``, ``addresses`` and ``global`` (a keyword, hence this form).
Ipv6Interface = TypedDict("Ipv6Interface", {"name": str, "up": bool | None, "addresses": list[str],
                                            "global": list[str]})


class GlobalAddress(TypedDict):
    """One global IPv6 address and the interface it is on."""

    interface: str
    address: str  # compressed, lower case, without length
    prefixlen: int | None  # None when the device did not show a length


class Ipv6Device(TypedDict):
    """``ipv6.device``, version 1: a device's IPv6 addressing, routing and filtering."""

    platform: str | None  # netmiko device type; None for SNMP-only devices
    agency: str | None  # the inventory's agency (phase counts are per agency)
    role: str | None  # the inventory's role (switch, router, firewall, camera...)
    source: Literal["ssh", "snmp"]
    interfaces: list[Ipv6Interface]
    global_addresses: list[GlobalAddress]
    routing_enabled: bool | None  # IPv6 unicast routing / forwarding; None: not said
    acls: list[str]  # names of IPv6 ACLs / filters configured
    acls_present: bool | None  # None: the source cannot tell (SNMP)
    commands: list[str]  # commands sent or MIB objects read


class ServiceHost(TypedDict, total=False):
    """One host behind a service (the web name, a name server, a mail exchanger) and what each family answered.

    ``host`` and ``role`` are always there; the rest depends on the kind of service."""

    host: str
    role: str  # web | name_server | mx
    preference: int | None  # MX preference (mail); None otherwise
    cname: str | None
    a: list[str]  # IPv4 addresses the name resolves to
    aaaa: list[str]  # IPv6 addresses the name resolves to
    ipv4: dict[str, Any] | None  # the probe over IPv4: address and per-protocol result (http, https, dns, smtp)
    ipv6: dict[str, Any] | None  # the same over IPv6; None: no AAAA to probe
    same_certificate: bool | None  # web: both families present the same certificate
    content_similarity: float | None  # web: 0..1 similarity of the two families' pages


ServiceKind = Literal["web", "dns", "mail"]


class Ipv6Service(TypedDict):
    """``ipv6.service``, version 1: one inventory service (web, DNS or mail) checked over both families."""

    service: str  # the service's name (www.city.example, the zone, the mail domain)
    kind: ServiceKind
    agency: str | None
    phase: int | None  # the rollout phase the inventory gives it (1, 2, 3)
    resolver: str  # the resolver asked ("[::1]:53")
    checked_at: str  # ISO 8601 UTC, when the check started
    errors: list[str]  # resolver failures, sorted
    hosts: list[ServiceHost]


CONTRACTS: dict[str, tuple[type, int]] = {
    "ipv6.device": (Ipv6Device, 1),
    "ipv6.service": (Ipv6Service, 1),
}
