"""Ad-hoc inventory scans: "what is on this subnet, and is any of it a banned brand?" -- no inventory needed.

1. nmap discovers hosts inside exactly the named targets (the :class:`TargetPolicy` is the targets, nothing
   else): TCP ports with service banners (-sV) and the raw strings services volunteer (:data:`BANNER_SCRIPTS`:
   the greeting, the HTTP headers and page title, the TLS certificate; Recog's banner databases read them), the
   SNMP port over UDP with nmap's ``snmp-info`` script (the enterprise inside the SNMPv3 engine id, no credentials
   needed; forced with ``+`` because its port rule only knows port 161).
2. Every host that answered is asked over SNMP with each given community (or the v3 user), concurrently; the
   first that answers is used to run the same collectors an audit runs (``snmp_system``, ``vendor_signals``).
3. The observations are judged exactly as an audit's are (:mod:`collectors.vendor.judge`).

A host counts as found when a TCP port is open, the SNMP port is open (or open|filtered: something listens but
ignored nmap's probe), or SNMP answered.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from collectors.base import CollectContext
from collectors.snmp_system import SnmpSystem
from collectors.transports.nmap import HostResult, NmapScanner
from collectors.vendor.collector import VendorSignals
from netcomply.errors import DeviceError, InputError, InputProblem
from netcomply.models import Device, Observation, SnmpSettings
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver

DEFAULT_TCP_PORTS = "22,23,80,443,554,8000,8080,8443"
#: nmap scripts that read only what a service tells anyone who connects, each of nmap's "safe" category (and none of
#: intrusive, brute, auth, exploit, dos, vuln: a test reads nmap's script.db): ``banner`` (the first line(s) a
#: service sends: SSH identification, Telnet and FTP greetings), ``http-headers`` (one HEAD / request: the Server
#: and WWW-Authenticate headers), ``http-title`` (GET /, redirects followed only to the same address and port),
#: ``ssl-cert`` (the certificate a TLS handshake shows). nmap runs them only on the ports it scans, inside the targets.
#: Left out: ``rtsp-methods`` (its output is the method list, not the Server header); an unrecognised HTTP or RTSP
#: service's raw answers come with -sV itself (its ``fingerprint-strings`` output).
BANNER_SCRIPTS = ("banner", "http-headers", "http-title", "ssl-cert")
#: The banner script waits 5 s by default on a port that says nothing first (HTTP); a greeting comes at once.
BANNER_SCRIPT_ARGS = {"banner.timeout": "2s"}
IDENTITY_OIDS = ["1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0"]  # sysObjectID, sysName
_V3_KEYS = {"user", "auth", "auth_key_env", "priv", "priv_key_env", "context"}


@dataclass
class ScanOptions:
    targets: Sequence[str]
    communities: Sequence[str] = ()
    v3: dict[str, str] | None = None
    tcp_ports: str = DEFAULT_TCP_PORTS
    snmp_port: int = 161
    snmp_timeout: float = 1.5
    snmp_retries: int = 0
    service_detection: bool = True
    nmap_timeout: float = 600.0
    netns: str | None = None


@dataclass
class ScanHost:
    address: str
    nmap: HostResult
    snmp_auth: str | None = None  # "v2c #2" / "v3" (never the secret itself)
    observations: list[Observation] = field(default_factory=list)
    artifacts: list[Any] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return "scan-" + self.address.replace(":", "-").replace(".", "-")


def parse_v3(spec: str) -> dict[str, str]:
    """``user=audit,auth=sha,auth_key_env=NC_SNMP_AUTH,priv=aes,priv_key_env=NC_SNMP_PRIV`` -> dict. Keys
    come from environment variables, never from the command line (it shows in ``ps``)."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, sep, value = part.partition("=")
        if not sep or key not in _V3_KEYS:
            raise InputError(InputProblem("--snmp-v3", None, f"{part!r}: expected key=value with key in "
                                          f"{', '.join(sorted(_V3_KEYS))}"))
        out[key] = value
    if "user" not in out:
        raise InputError(InputProblem("--snmp-v3", None, "user=NAME is required"))
    return out


def resolve_community(value: str) -> str:
    """``env:VAR`` reads the community from the environment (keeps it out of ``ps``); anything else is literal."""
    if value.startswith("env:"):
        name = value[4:]
        if name not in os.environ:
            raise InputError(InputProblem("--snmp-community", None, f"environment variable {name} is not set"))
        return os.environ[name]
    return value


def validate_targets(targets: Sequence[str]) -> None:
    """Addresses or prefixes only (a host name could resolve anywhere): checked before anything is stored or sent."""
    problems = []
    for t in targets:
        try:
            ipaddress.ip_network(t, strict=False)
        except ValueError:
            problems.append(InputProblem("TARGETS", None, f"{t!r} is not an IP address or prefix"))
    if problems:
        raise InputError(problems)


def can_scan_udp() -> bool:
    """nmap -sU needs raw sockets: root (or CAP_NET_RAW, which we do not try to detect)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def found(host: HostResult, snmp_port: int) -> bool:
    for p in host.ports:
        if p.protocol == "tcp" and p.state == "open":
            return True
        if p.protocol == "udp" and p.port == snmp_port and p.state in ("open", "open|filtered"):
            return True
    return False


def _device(host: ScanHost, settings: SnmpSettings) -> Device:
    return Device(name=host.name, address=host.address, snmp=settings)


def _settings(opts: ScanOptions, community: str | None) -> SnmpSettings:
    if community is not None:
        return SnmpSettings(version="2c", port=opts.snmp_port, community=community, timeout=opts.snmp_timeout,
                            retries=opts.snmp_retries)
    v3 = opts.v3 or {}
    return SnmpSettings(version="3", port=opts.snmp_port, user=v3["user"], auth_protocol=v3.get("auth"),
                        auth_key_env=v3.get("auth_key_env"), priv_protocol=v3.get("priv"),
                        priv_key_env=v3.get("priv_key_env"), context=v3.get("context"),
                        timeout=opts.snmp_timeout, retries=opts.snmp_retries)


async def _find_credential(host: ScanHost, opts: ScanOptions, ctx: CollectContext) -> SnmpSettings | None:
    """The credential this host answers to, all candidates at once (a wrong community gets no reply at all, so
    trying them in turn would cost a timeout each). A host that answers several communities *with different
    identities* is a proxy or a simulator's shared endpoint: its answers are not the host's, so none is used."""
    from collectors.transports.snmp import snmp_client, target_for

    client = snmp_client(ctx)
    candidates: list[tuple[str, SnmpSettings]] = [(f"v2c #{i + 1}", _settings(opts, c))
                                                  for i, c in enumerate(opts.communities)]
    if opts.v3:
        candidates.append(("v3", _settings(opts, None)))

    async def attempt(label: str, s: SnmpSettings) -> tuple[str, SnmpSettings, tuple[Any, ...]] | None:
        try:
            values = await client.get(target_for(_device(host, s), ctx.secrets), IDENTITY_OIDS)
        except DeviceError:
            return None
        ident = tuple(getattr(values.get(o), "value", None) for o in IDENTITY_OIDS)
        return (label, s, ident) if any(ident) else None

    answers = [a for a in await asyncio.gather(*(attempt(lbl, s) for lbl, s in candidates)) if a]
    if not answers:
        return None
    if len({a[2] for a in answers}) > 1:
        host.errors.append(f"answers {len(answers)} credentials with {len({a[2] for a in answers})} different "
                           "identities (a proxy or a shared endpoint): SNMP answers not used")
        return None
    host.snmp_auth = answers[0][0]
    return answers[0][1]


async def _collect(host: ScanHost, settings: SnmpSettings, ctx: CollectContext) -> None:
    device = _device(host, settings)
    for collector in (SnmpSystem(), VendorSignals()):
        try:
            out = await collector.collect(device, ctx)
        except DeviceError as exc:
            host.errors.append(f"{collector.name}: {exc.error_class.value}: {exc.cause}")
            continue
        host.observations += out.observations
        host.artifacts += out.artifacts


def scan(opts: ScanOptions) -> list[ScanHost]:
    """Discover and probe. Raises :class:`InputError` for a bad target, :class:`DeviceError` if nmap fails."""
    validate_targets(opts.targets)
    policy = TargetPolicy.of(opts.targets, reason="not one of the scan's named targets")
    scanner = NmapScanner(policy, netns=opts.netns)
    # nmap's UDP scan needs raw sockets (root). Without them only TCP banners find hosts, and SNMP-only devices
    # (cameras, APs) are missed: the CLI warns (see :func:`can_scan_udp`).
    udp = str(opts.snmp_port) if can_scan_udp() else None
    scripts = (BANNER_SCRIPTS if opts.service_detection else ()) + (("+snmp-info",) if udp else ())
    result = scanner.scan(list(opts.targets), tcp_ports=opts.tcp_ports, udp_ports=udp,
                          service_detection=opts.service_detection, scripts=scripts,
                          script_args=BANNER_SCRIPT_ARGS if opts.service_detection else None,
                          ping=False, timeout=opts.nmap_timeout)
    hosts = [ScanHost(h.address, h) for h in result.hosts if found(h, opts.snmp_port)]
    environ = dict(os.environ)
    ctx = CollectContext(run_id="scan", secrets=SecretResolver(environ, {}), targets=policy)

    async def probe_all() -> None:
        try:
            # Two phases: wrong-community timeouts of the first must not eat into the collectors' time budget.
            found_auth = await asyncio.gather(*(_find_credential(h, opts, ctx) for h in hosts))
            await asyncio.gather(*(_collect(h, s, ctx) for h, s in zip(hosts, found_auth, strict=True) if s))
        finally:
            for client in ctx.shared.values():
                close = getattr(client, "close", None)
                if callable(close):
                    res = close()
                    if asyncio.iscoroutine(res):
                        await res

    asyncio.run(probe_all())
    for h in hosts:
        h.observations.insert(0, Observation(device=h.name, collector="nmap", kind="nmap.host",
                                             data=h.nmap.to_dict(), source="nmap:" + " ".join(result.command[:8])))
    return sorted(hosts, key=lambda h: _sort_key(h.address))


def _sort_key(address: str) -> tuple[int, int]:
    ip = ipaddress.ip_address(address)
    return (ip.version, int(ip))


def engine_enterprise(snmp_info: str) -> int | None:
    """nmap's ``snmp-info`` output names the enterprise ("enterprise: Huawei Technologies" or a number)."""
    m = re.search(r"enterprise:\s*(\d+)", snmp_info)
    return int(m.group(1)) if m else None
