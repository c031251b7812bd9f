"""Start and stop every IPv6 service of a scenario in the current event loop.

:func:`start_services` binds every socket first (so a port conflict fails before anything serves), then starts
DNS, web and SMTP servers, and returns a :class:`LabServices` handle that says what listens where
(``endpoints``), the name-server port map the lab writes into the inventory (``name_servers``), and the
expected verdicts (``truth()``).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from netcomply.app.lab.services.authority import Authority
from netcomply.app.lab.services.ca import LabCA
from netcomply.app.lab.services.dnsserver import DnsServer
from netcomply.app.lab.services.scenario import Scenario, ServiceTruth, derive_truth, parse_scenario
from netcomply.app.lab.services.smtp import SmtpServer
from netcomply.app.lab.services.sockets import BoundPort, bind_port
from netcomply.app.lab.services.web import Page, WebServer, server_context
from netcomply.app.lab.services.zones import build_zones, parent_name_server

ENDPOINTS_FILE = "services.json"
TLS_DIR = "services-tls"


class _Server(Protocol):
    async def start(self) -> None: ...
    async def close(self) -> None: ...


@dataclass(frozen=True)
class Endpoint:
    """A lab host that listens: its kind, its port per protocol, the families it answers on."""

    name: str
    kind: str  # dns | web | smtp
    ports: dict[str, int]
    families: tuple[str, ...]
    aaaa: bool  # its zone publishes an AAAA record
    notes: str = ""


def _families(ipv4: bool, ipv6: bool) -> set[str]:
    return {f for f, on in (("ipv4", ipv4), ("ipv6", ipv6)) if on}


class LabServices:
    """A running set of lab services. ``await close()`` stops them and frees every port."""

    def __init__(self, scenario: Scenario, state_dir: Path, host4: str, host6: str) -> None:
        self.scenario = scenario
        self.state_dir = state_dir
        self.host4 = host4
        self.host6 = host6
        self.endpoints: dict[str, Endpoint] = {}
        self.ca_file: Path = state_dir / TLS_DIR / "lab-ca.pem"
        self._servers: list[_Server] = []
        self._pending: list[BoundPort] = []

    @property
    def dns_port(self) -> int:
        return self.endpoints[parent_name_server(self.scenario)].ports["dns"]

    @property
    def name_servers(self) -> dict[str, tuple[int, bool, bool]]:
        """name server -> (port, answers_ipv4, answers_ipv6): what the inventory needs to query each one."""
        return {
            name: (e.ports["dns"], "ipv4" in e.families, "ipv6" in e.families)
            for name, e in self.endpoints.items() if e.kind == "dns"
        }

    def truth(self) -> dict[str, ServiceTruth]:
        """Expected IPv6 verdict per service, keyed ``kind:name`` (``web:www.city.lab.example``)."""
        return derive_truth(self.scenario)

    def to_json(self) -> dict[str, Any]:
        return {
            "zone": self.scenario.zone,
            "dns_port": self.dns_port,
            "host4": self.host4,
            "host6": self.host6,
            "ca_file": str(self.ca_file),
            "name_servers": {k: {"port": p, "ipv4": v4, "ipv6": v6}
                             for k, (p, v4, v6) in self.name_servers.items()},
            "endpoints": {k: asdict(e) for k, e in self.endpoints.items()},
            "truth": {k: t.to_dict() for k, t in self.truth().items()},
        }

    def write_json(self) -> Path:
        """Write the endpoints (atomically: a reader never sees half a file) to ``state_dir/services.json``."""
        path = self.state_dir / ENDPOINTS_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
        return path

    async def close(self) -> None:
        for server in reversed(self._servers):
            await server.close()
        self._servers.clear()
        for bound in self._pending:
            bound.close()
        self._pending.clear()

    # ----------------------------------------------------------------------------------------- building

    def _bind(self, port: int, families: set[str], *, udp: bool = False) -> BoundPort:
        bound = bind_port(port, self.host4, self.host6, families, udp=udp)
        self._pending.append(bound)
        return bound

    def _build(self, auto_ports: bool) -> None:
        sc = self.scenario
        port = (lambda p: 0) if auto_ports else (lambda p: p)
        zones = build_zones(sc, self.host4, self.host6)

        main = parent_name_server(sc)
        bound = self._bind(port(sc.dns_port), {"ipv4", "ipv6"}, udp=True)
        self._servers.append(DnsServer(main, Authority(zones), bound))
        self.endpoints[main] = Endpoint(main, "dns", {"dns": bound.port}, ("ipv4", "ipv6"), True,
                                        "authoritative for every lab zone; the collectors' resolver")
        for name, ns in sc.name_servers.items():
            served = {z: zones[z] for z, spec in sc.zones.items() if name in spec.name_servers}
            fams = _families(ns.ipv4, ns.ipv6)
            bound = self._bind(port(ns.port), fams, udp=True)
            self._servers.append(DnsServer(name, Authority(served), bound))
            self.endpoints[name] = Endpoint(name, "dns", {"dns": bound.port}, tuple(sorted(fams)), ns.aaaa,
                                            "serves " + ", ".join(sorted(served)))

        ca = LabCA(self.state_dir / TLS_DIR)
        self.ca_file = ca.ca_file
        aliases = [(a, t) for z in sc.zones.values() for a, t in z.cname.items()]  # alias, target
        for host, web in sc.web.items():
            names = [host] + [a for a, t in aliases if t == host]
            good = server_context(ca.issue(f"web-{host}", names))
            tls = {"ipv4": good, "ipv6": good}
            if web.tls6 == "wrong_cert":
                tls["ipv6"] = server_context(ca.self_signed(f"web-{host}-ipv6"))
            fams = _families(True, web.ipv6)
            http, https = self._bind(port(web.http), fams), self._bind(port(web.https), fams)
            page6 = Page.stale_for(host) if web.content6 == "different" else None
            self._servers.append(WebServer(Page.for_host(host), http, https, tls, page6))
            notes = ["IPv6 HTTPS presents a self-signed certificate for another name"] \
                if web.tls6 == "wrong_cert" else []
            notes += ["IPv6 serves a different page than IPv4"] if page6 else []
            note = "; ".join(notes)
            self.endpoints[host] = Endpoint(host, "web", {"http": http.port, "https": https.port},
                                            tuple(sorted(fams)), web.aaaa, note)

        for host, smtp in sc.smtp.items():
            domain = next(z for z, spec in sc.zones.items() if any(m.host == host for m in spec.mx))
            names = [host] + [a for a, t in aliases if t == host]
            context = server_context(ca.issue(f"smtp-{host}", names))
            fams = _families(True, smtp.ipv6)
            bound = self._bind(port(smtp.port), fams)
            self._servers.append(SmtpServer(host, domain, bound, context))
            self.endpoints[host] = Endpoint(host, "smtp", {"smtp": bound.port}, tuple(sorted(fams)), smtp.aaaa,
                                            f"MX of {domain}")


async def start_services(scenario: dict[str, Any], state_dir: Path, *, host4: str = "127.0.0.1",
                         host6: str = "::1", auto_ports: bool = False) -> LabServices:
    """Start every DNS, web and SMTP server of ``scenario`` in the running event loop.

    ``auto_ports`` replaces every port of the scenario by one free on both loopbacks (tests, and a second lab
    beside a running one); the chosen ports are in ``endpoints`` and ``name_servers``. Raises ``OSError``
    when a port is taken, before anything serves, and ``InputError`` for a bad scenario.
    """
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    services = LabServices(parse_scenario(scenario), state_dir, host4, host6)
    try:
        services._build(auto_ports)
        for server in services._servers:
            await server.start()
    except BaseException:
        await services.close()
        raise
    services._pending.clear()  # every bound port now belongs to a running server
    return services


def inventory_services(services_dir: Path) -> list[dict[str, Any]]:
    """The inventory's ``services:`` entries for a running lab (see :mod:`netcomply.app.lab.services.inventory`)."""
    from netcomply.app.lab.services.inventory import inventory_services as build

    return build(services_dir)
