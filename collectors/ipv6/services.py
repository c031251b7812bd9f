"""What a service really does over IPv6 today: the facts of one web site, DNS zone or mail domain.

Observation kind ``ipv6.service`` (subject: the service key ``kind:name``, e.g. ``web:www.city.lab.example``)::

    {"service": "www.city.lab.example", "kind": "web", "agency": "city-gov", "phase": 1,
     "resolver": "[::1]:5353", "checked_at": "2026-11-22T07:30:00+00:00", "errors": [],
     "hosts": [                          # web: the name itself; dns: each NS; mail: each MX (preference order)
       {"host": "www.city.lab.example", "role": "web", "preference": null,
        "cname": null, "a": ["127.0.0.1"], "aaaa": ["::1"],
        "ipv4": {"address": "127.0.0.1",     # per family: what was probed and what came back
                 "http":  {"ok": true, "status": 200, "error": null, "body_sha256": "..."},
                 "https": {"ok": true, "status": 200, "error": null, "tls_verified": true, "tls_error": null,
                           "cert_sha256": "...", "body_sha256": "..."}},
        "ipv6": {...same keys...} | null,   # null: no AAAA record, nothing to probe
        "same_certificate": true,           # web: v4 and v6 certificates are the same (null: not comparable)
        "content_similarity": 1.0}]}        # web: 0..1 similarity of the pages over v4 and v6

Per family, DNS hosts carry ``{"address", "udp": {"ok", "rcode", "aa", "error"}, "tcp": {...}}`` (the zone's SOA
asked of the name server itself) and mail hosts ``{"address", "smtp": {"ok", "banner_code", "banner",
"ehlo_code", "extensions", "starttls_offered", "tls_verified", "tls_error", "error"}}``.

This module gathers facts only; whether the service is *ready* is decided by :mod:`compliance.ipv6_readiness`.
The probe transcript (every question, answer and time) is returned with the facts and stored as an artifact.
"""

from __future__ import annotations

import difflib
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlsplit

import dns.flags
import dns.message
import dns.rdatatype
import dns.resolver

from collectors.ipv6.probes import Transcript, dns_query, http_get, smtp_probe
from netcomply.contracts.ipv6 import Ipv6Service, ServiceHost, ServiceKind
from netcomply.models import Service, ServiceHostPorts, utcnow
from netcomply.safety.targets import TargetPolicy

DEFAULT_PORTS = {"dns": 53, "http": 80, "https": 443, "smtp": 25}
LOOPBACK_RANGES = ("127.0.0.0/8", "::1/128")
#: Pages longer than this are compared on their first characters only (similarity is quadratic at worst).
COMPARE_CHARS = 20_000


@dataclass(frozen=True)
class ProbeSettings:
    """Timeouts and the identity the probes present; one per run."""

    dns_timeout: float = 3.0
    tcp_timeout: float = 5.0
    helo: str = "netcomply.invalid"


@dataclass
class ServicePlan:
    """Where to ask: the resolver, the ports of each host, the trust anchors; and what may be reached."""

    resolver: tuple[str, int]
    ports: dict[str, ServiceHostPorts] = field(default_factory=dict)
    default_ports: ServiceHostPorts | None = None
    ca_file: str | None = None
    url_port: int | None = None
    url_path: str = "/"
    system_resolver: bool = False  # the resolver came from this machine's own configuration

    def port(self, host: str, proto: str) -> int:
        for source in (self.ports.get(host), self.default_ports):
            value = getattr(source, proto, None) if source is not None else None
            if value:
                return int(value)
        if proto == "https" and self.url_port:
            return self.url_port
        return DEFAULT_PORTS[proto]

    @property
    def resolver_text(self) -> str:
        address, port = self.resolver
        return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def parse_resolver(text: str) -> tuple[str, int]:
    """``[::1]:5353`` / ``127.0.0.1:53`` / ``::1`` / ``192.0.2.53`` -> (address, port); ValueError otherwise."""
    text = text.strip()
    if text.startswith("["):
        address, _, rest = text[1:].partition("]")
        port = int(rest[1:]) if rest.startswith(":") else 53
    elif text.count(":") == 1:
        address, port_text = text.split(":")
        port = int(port_text)
    else:
        address, port = text, 53
    ipaddress.ip_address(address)
    if not 0 < port < 65536:
        raise ValueError(f"port {port} out of range")
    return address, port


def system_resolver() -> tuple[str, int]:
    """The first name server of this machine's resolver configuration (``/etc/resolv.conf``)."""
    resolver = dns.resolver.Resolver()
    return str(resolver.nameservers[0]), int(resolver.port)


def plan_for(service: Service, resolver: str | None = None) -> ServicePlan:
    """The probe plan of ``service``: its endpoints (lab, tests) over ``resolver`` over the system's."""
    ep = service.endpoints
    chosen = resolver or (ep.resolver if ep else None)
    plan = ServicePlan(resolver=parse_resolver(chosen) if chosen else system_resolver(), system_resolver=not chosen)
    if ep is not None:
        plan.ports = dict(ep.hosts)
        plan.default_ports = ep.ports
        plan.ca_file = ep.ca_file
    if service.url:
        parts = urlsplit(service.url)
        plan.url_port = parts.port if parts.scheme == "https" else None
        plan.url_path = parts.path or "/"
    return plan


def service_policy(service: Service, plan: ServicePlan, allowed_ranges: Sequence[str]) -> TargetPolicy:
    """Where this service's probes may go: the inventory's ``settings.allowed_ranges`` (plus this machine's own
    configured resolver, which every lookup on it uses anyway).

    A resolver named in the inventory or on the command line is only asked when it is inside those ranges. A
    service whose resolver is on loopback is a lab (or test) service: its servers may only be on loopback too,
    whatever the records say, so a lab zone can never send a probe off the machine.
    """
    resolver_ip = ipaddress.ip_address(plan.resolver[0])
    if resolver_ip.is_loopback:
        return TargetPolicy.of(LOOPBACK_RANGES, reason="a lab service (loopback resolver) is probed on loopback only")
    policy = TargetPolicy.of(allowed_ranges, reason=f"service {service.kind}:{service.name}: not inside the "
                             "inventory's settings.allowed_ranges")
    return policy.extend([plan.resolver[0]]) if plan.system_resolver else policy


def service_key(service: Service) -> str:
    return f"{service.kind}:{service.name}"


# ------------------------------------------------------------------------------------------ resolution


class _Resolver:
    """Stub resolution through one resolver, every question recorded in the transcript."""

    def __init__(self, plan: ServicePlan, policy: TargetPolicy, transcript: Transcript, settings: ProbeSettings):
        self.plan, self.policy, self.transcript, self.settings = plan, policy, transcript, settings
        self.errors: list[str] = []

    async def ask(self, name: str, rdtype: str) -> dns.message.Message | None:
        address, port = self.plan.resolver
        reply = await dns_query(self.transcript, self.policy, address, port, name, rdtype,
                                timeout=self.settings.dns_timeout)
        if reply is not None and reply.flags & dns.flags.TC:
            reply = await dns_query(self.transcript, self.policy, address, port, name, rdtype, tcp=True,
                                    timeout=self.settings.dns_timeout)
        if reply is None:
            self.errors.append(f"{rdtype} {name}: the resolver {self.plan.resolver_text} did not answer")
        return reply

    async def records(self, name: str, rdtype: str) -> tuple[str | None, list[Any]]:
        """(CNAME target or None, rdatas of ``rdtype``) for ``name``, following the answer's CNAME chain."""
        reply = await self.ask(name, rdtype)
        if reply is None:
            return None, []
        wanted = dns.rdatatype.from_text(rdtype)
        cname, found = None, []
        for rrset in reply.answer:
            if rrset.rdtype == dns.rdatatype.CNAME:
                cname = rrset[0].target.to_text().rstrip(".")
            elif rrset.rdtype == wanted:
                found += list(rrset)
        return cname, found

    async def addresses(self, name: str) -> dict[str, Any]:
        cname, a = await self.records(name, "A")
        _, aaaa = await self.records(name, "AAAA")
        return {"cname": cname, "a": sorted(r.address for r in a), "aaaa": sorted(r.address for r in aaaa)}


def _target(addresses: dict[str, Any], family: str) -> str | None:
    found = addresses["a" if family == "ipv4" else "aaaa"]
    return found[0] if found else None


# ------------------------------------------------------------------------------------------------ web


def _http_fact(result: dict[str, Any] | None, transcript: Transcript) -> dict[str, Any]:
    if result is None:
        return {"ok": False, "status": None, "error": transcript.records[-1].error, "body_sha256": None}
    return {"ok": result["status"] < 500, "status": result["status"], "error": None,
            "body_sha256": result["body_sha256"]}


async def _web_family(service: Service, plan: ServicePlan, policy: TargetPolicy, transcript: Transcript,
                      settings: ProbeSettings, address: str) -> tuple[dict[str, Any], str | None]:
    """Probe HTTP and HTTPS on one address; returns the facts and the page text (for the comparison)."""
    name = service.name
    http = await http_get(transcript, policy, address, plan.port(name, "http"), name, scheme="http",
                          path=plan.url_path, timeout=settings.tcp_timeout)
    https_port = plan.port(name, "https")
    https = await http_get(transcript, policy, address, https_port, name, scheme="https", path=plan.url_path,
                           ca_file=plan.ca_file, timeout=settings.tcp_timeout)
    tls_verified: bool | None = True if https is not None else None
    tls_error: str | None = None
    if https is None and "SSL" in (transcript.records[-1].error or "").upper():
        tls_verified, tls_error = False, transcript.records[-1].error
        https = await http_get(transcript, policy, address, https_port, name, scheme="https",
                               path=plan.url_path, verify=False, timeout=settings.tcp_timeout)
    https_fact = _http_fact(https, transcript)
    https_fact.update({"tls_verified": tls_verified, "tls_error": tls_error,
                       "cert_sha256": https["cert_sha256"] if https else None})
    page = (https or http or {}).get("body_text")
    return {"address": address, "http": _http_fact(http, transcript), "https": https_fact}, page


def similarity(a: str | None, b: str | None) -> float | None:
    """0..1: how alike two pages are (1.0 identical); None when either page is missing."""
    if a is None or b is None:
        return None
    if a == b:
        return 1.0
    return round(difflib.SequenceMatcher(None, a[:COMPARE_CHARS], b[:COMPARE_CHARS], autojunk=False).ratio(), 4)


async def _check_web(service: Service, plan: ServicePlan, policy: TargetPolicy, transcript: Transcript,
                     settings: ProbeSettings, resolver: _Resolver) -> list[dict[str, Any]]:
    addresses = await resolver.addresses(service.name)
    host: dict[str, Any] = {"host": service.name, "role": "web", "preference": None, **addresses,
                            "ipv4": None, "ipv6": None, "same_certificate": None, "content_similarity": None}
    pages: dict[str, str | None] = {}
    for family in ("ipv4", "ipv6"):
        address = _target(addresses, family)
        if address is not None:
            host[family], pages[family] = await _web_family(service, plan, policy, transcript, settings, address)
    if host["ipv4"] and host["ipv6"]:
        c4, c6 = host["ipv4"]["https"]["cert_sha256"], host["ipv6"]["https"]["cert_sha256"]
        host["same_certificate"] = (c4 == c6) if c4 and c6 else None
        host["content_similarity"] = similarity(pages.get("ipv4"), pages.get("ipv6"))
    return [host]


# ------------------------------------------------------------------------------------------------ DNS


def _dns_fact(reply: dns.message.Message | None, transcript: Transcript) -> dict[str, Any]:
    rec = transcript.records[-1]
    if reply is None:
        return {"ok": False, "rcode": None, "aa": None, "error": rec.error}
    aa = bool(reply.flags & dns.flags.AA)
    return {"ok": rec.ok and aa, "rcode": rec.answer["rcode"], "aa": aa, "error": None}


async def _check_dns(service: Service, plan: ServicePlan, policy: TargetPolicy, transcript: Transcript,
                     settings: ProbeSettings, resolver: _Resolver) -> list[dict[str, Any]]:
    _, ns_records = await resolver.records(service.name, "NS")
    hosts: list[dict[str, Any]] = []
    for ns in sorted(r.target.to_text().rstrip(".") for r in ns_records):
        addresses = await resolver.addresses(ns)
        host: dict[str, Any] = {"host": ns, "role": "name_server", "preference": None, **addresses,
                                "ipv4": None, "ipv6": None}
        port = plan.port(ns, "dns")
        for family in ("ipv4", "ipv6"):
            address = _target(addresses, family)
            if address is None:
                continue
            facts: dict[str, Any] = {"address": address}
            for proto in ("udp", "tcp"):
                reply = await dns_query(transcript, policy, address, port, service.name, "SOA", tcp=proto == "tcp",
                                        timeout=settings.dns_timeout)
                facts[proto] = _dns_fact(reply, transcript)
            host[family] = facts
        hosts.append(host)
    return hosts


# ----------------------------------------------------------------------------------------------- mail


async def _check_mail(service: Service, plan: ServicePlan, policy: TargetPolicy, transcript: Transcript,
                      settings: ProbeSettings, resolver: _Resolver) -> list[dict[str, Any]]:
    _, mx_records = await resolver.records(service.name, "MX")
    hosts: list[dict[str, Any]] = []
    for mx in sorted(mx_records, key=lambda r: (r.preference, r.exchange.to_text())):
        name = mx.exchange.to_text().rstrip(".")
        addresses = await resolver.addresses(name)
        host: dict[str, Any] = {"host": name, "role": "mx", "preference": int(mx.preference), **addresses,
                                "ipv4": None, "ipv6": None}
        for family in ("ipv4", "ipv6"):
            address = _target(addresses, family)
            if address is None:
                continue
            result = await smtp_probe(transcript, policy, address, plan.port(name, "smtp"), name,
                                      helo=settings.helo, ca_file=plan.ca_file, timeout=settings.tcp_timeout)
            smtp: dict[str, Any] = dict(result) if result else {
                "banner_code": None, "ehlo_code": None, "starttls_offered": False, "tls_verified": None}
            smtp["ok"] = transcript.records[-1].ok
            smtp["error"] = transcript.records[-1].error
            host[family] = {"address": address, "smtp": smtp}
        hosts.append(host)
    return hosts


_CHECKS = {"web": _check_web, "dns": _check_dns, "mail": _check_mail}


async def check_service(service: Service, *, allowed_ranges: Sequence[str] = (), resolver: str | None = None,
                        settings: ProbeSettings | None = None) -> tuple[dict[str, Any], Transcript]:
    """Probe one service; returns the ``ipv6.service`` data and the transcript of every probe.

    Raises ``ValueError`` only for a bad plan (an unparsable resolver); every network outcome is a fact.
    """
    settings = settings or ProbeSettings()
    plan = plan_for(service, resolver)
    policy = service_policy(service, plan, allowed_ranges)
    transcript = Transcript()
    res = _Resolver(plan, policy, transcript, settings)
    started = utcnow()
    hosts = await _CHECKS[service.kind](service, plan, policy, transcript, settings, res)
    data: Ipv6Service = {
        "service": service.name, "kind": cast(ServiceKind, service.kind), "agency": service.agency,
        "phase": service.phase, "resolver": plan.resolver_text, "checked_at": started.isoformat(),
        "errors": sorted(set(res.errors)), "hosts": cast(list[ServiceHost], hosts),
    }
    return dict(data), transcript
