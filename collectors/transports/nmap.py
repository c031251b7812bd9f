"""nmap transport: discovery and service banners, only inside the ranges this run may touch.

Every target is checked by :class:`netcomply.safety.targets.TargetPolicy` *before* nmap starts: a target
must be an IP address or prefix (no host names nmap would resolve elsewhere, no ``-iR`` random targets, no
option injection) that lies inside the policy, and not larger than a /16 unless the caller says so.

netcomply builds nmap's arguments itself and always passes ``-n`` (no reverse DNS: it leaks queries and costs
12 s per scan inside a namespace). nmap runs as a subprocess, optionally inside a network namespace
(``ip netns exec NS nmap ...``) so lab scans start where the lab's hosts are; its XML is parsed by python-nmap.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from netcomply.contracts.nmap import NmapHost, NmapPort
from netcomply.errors import DeviceError, ErrorClass
from netcomply.safety.targets import TargetPolicy


@dataclass
class PortResult:
    protocol: str
    port: int
    state: str
    service: str = ""
    product: str = ""
    version: str = ""
    extrainfo: str = ""
    cpe: str = ""
    scripts: dict[str, str] = field(default_factory=dict)


@dataclass
class HostResult:
    """One host as nmap saw it (the ``nmap.host`` observation shape)."""

    address: str
    state: str
    mac: str | None = None
    mac_vendor: str | None = None
    ports: list[PortResult] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The ``nmap.host`` observation's data, as a plain dict (what Observation.data holds)."""
        return dict(self.contract())

    def contract(self) -> NmapHost:
        """The ``nmap.host`` observation's data, typed by its contract (netcomply.contracts.nmap)."""
        return {
            "address": self.address,
            "state": self.state,
            "mac": self.mac,
            "mac_vendor": self.mac_vendor,
            "ports": [NmapPort(protocol=p.protocol, port=p.port, state=p.state, service=p.service, product=p.product,
                               version=p.version, extrainfo=p.extrainfo, cpe=p.cpe, scripts=dict(p.scripts))
                      for p in self.ports],
        }


@dataclass
class ScanResult:
    hosts: list[HostResult]
    command: list[str]
    xml: str


class NmapScanner:
    def __init__(self, policy: TargetPolicy, *, nmap: str | None = None, netns: str | None = None) -> None:
        self.policy = policy
        self.nmap = nmap or shutil.which("nmap") or "/usr/bin/nmap"
        self.netns = netns

    def build_command(
        self,
        targets: Sequence[str],
        *,
        tcp_ports: str | None = None,
        udp_ports: str | None = None,
        service_detection: bool = False,
        scripts: Sequence[str] = (),
        script_args: Mapping[str, str] | None = None,
        ping: bool = True,
        timing: int = 4,
        allow_large: bool = False,
    ) -> list[str]:
        """The exact argv nmap will get. Raises TargetNotAllowed for any target outside the policy."""
        if not targets:
            raise ValueError("no targets")
        networks = [str(self.policy.check_scan_target(t, allow_large=allow_large)) for t in targets]
        argv = [self.nmap, "-n", "-oX", "-", f"-T{max(0, min(timing, 5))}", "--max-retries", "2"]
        if any(":" in n for n in networks):
            if not all(":" in n for n in networks):
                raise ValueError("scan IPv4 and IPv6 targets separately")
            argv.append("-6")
        if not ping:
            argv.append("-Pn")
        ports = []
        if tcp_ports:
            argv.append("-sT")
            ports.append(f"T:{tcp_ports}")
        if udp_ports:
            argv.append("-sU")
            ports.append(f"U:{udp_ports}")
        if ports:
            argv += ["-p", ",".join(ports)]
        elif not service_detection:
            argv.append("-sn")  # discovery only
        if service_detection:
            argv += ["-sV", "--version-light"]
        if scripts:
            argv += ["--script", ",".join(scripts)]
        if scripts and script_args:
            argv += ["--script-args", ",".join(f"{k}={v}" for k, v in script_args.items())]
        argv += ["--"]  # nothing after this can be read as an option
        argv += networks
        if self.netns:
            argv = ["ip", "netns", "exec", self.netns, *argv]
        return argv

    def scan(self, targets: Sequence[str], *, timeout: float = 300.0, **options: Any) -> ScanResult:
        argv = self.build_command(targets, **options)
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
        except FileNotFoundError:
            raise DeviceError(ErrorClass.CONFIG, f"nmap not found at {self.nmap} (install Debian's nmap)") from None
        except subprocess.TimeoutExpired:
            raise DeviceError(ErrorClass.TIMEOUT, f"nmap did not finish within {timeout:g} s") from None
        if proc.returncode != 0 or "<nmaprun" not in proc.stdout:
            raise DeviceError(ErrorClass.PROTOCOL, f"nmap failed ({proc.returncode}): {proc.stderr.strip()[:300]}")
        return ScanResult(parse_nmap_xml(proc.stdout), argv, proc.stdout)


def parse_nmap_xml(xml: str) -> list[HostResult]:
    """nmap's XML -> :class:`HostResult` list, through python-nmap's parser."""
    import nmap

    scanner = nmap.PortScanner.__new__(nmap.PortScanner)  # parse only: no nmap binary lookup needed
    scanner._scan_result = {}
    data = scanner.analyse_nmap_xml_scan(nmap_xml_output=xml)
    subjects = _cert_subjects(xml)
    hosts = []
    for address, info in sorted(data.get("scan", {}).items()):
        addresses = info.get("addresses", {})
        mac = addresses.get("mac")
        vendor = info.get("vendor", {}).get(mac) if mac else None
        ports: list[PortResult] = []
        for proto in ("tcp", "udp"):
            for port, p in sorted(info.get(proto, {}).items()):
                ports.append(
                    PortResult(
                        protocol=proto,
                        port=int(port),
                        state=p.get("state", ""),
                        service=p.get("name", ""),
                        product=p.get("product", ""),
                        version=p.get("version", ""),
                        extrainfo=p.get("extrainfo", ""),
                        cpe=p.get("cpe", ""),
                        scripts={**dict(p.get("script", {}) or {}),
                                 **subjects.get((address, proto, int(port)), {})},
                    )
                )
        hosts.append(HostResult(address, info.get("status", {}).get("state", "unknown"), mac, vendor, ports))
    return hosts


#: ssl-cert's subject table keys in the order an RFC 4514 string lists them (most specific first), with their short
#: names: nmap's table is sorted by name and its text output leaves out the unit and the locality.
_DN_ORDER = (("emailAddress", "emailAddress"), ("serialNumber", "SERIALNUMBER"), ("commonName", "CN"),
             ("organizationalUnitName", "OU"), ("organizationName", "O"), ("localityName", "L"),
             ("stateOrProvinceName", "ST"), ("countryName", "C"))
SUBJECT_KEY = "ssl-cert.subject"


def _cert_subjects(xml: str) -> dict[tuple[str, str, int], dict[str, str]]:
    """The TLS certificate subject that nmap's ``ssl-cert`` script read on each port, as an RFC 4514 string
    (``CN=IPC,OU=Embedded Net,O=Hikvision,C=CN``) under :data:`SUBJECT_KEY`: python-nmap keeps only the script's
    text output, which lacks the organisational unit and locality that device makers' certificates put their
    product names in. A document that does not parse gives nothing here (python-nmap reports it)."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, DefusedXmlException):
        return {}
    out: dict[tuple[str, str, int], dict[str, str]] = {}
    for host in root.iter("host"):
        address = next((a.get("addr", "") for a in host.iter("address") if a.get("addrtype") in ("ipv4", "ipv6")), "")
        for port in host.iter("port"):
            table = port.find("script[@id='ssl-cert']/table[@key='subject']")
            if table is None or not port.get("portid", "").isdigit():
                continue
            fields = {e.get("key", ""): (e.text or "").strip() for e in table.iter("elem")}
            dn = ",".join(f"{short}={fields[key].replace(',', chr(92) + ',')}" for key, short in _DN_ORDER
                          if fields.get(key))
            if dn:
                out[(address, port.get("protocol", ""), int(port.get("portid", "0")))] = {SUBJECT_KEY: dn}
    return out
