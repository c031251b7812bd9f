"""Observation contract of the discovery scan: ``nmap.host`` (written by ``collectors.vendor.scan`` for
``netcomply vendor scan``, read by the vendor judge).

``nmap.mac`` and ``nmap.banner`` are names of evidence *signals* the vendor judge derives from this observation
(``collectors.vendor.evidence``), not observation kinds. Base layer: standard library only.
"""

from __future__ import annotations

from typing import TypedDict


class NmapPort(TypedDict):
    """One scanned port as nmap reported it (service detection fields empty when not run)."""

    protocol: str  # tcp | udp
    port: int
    state: str  # open | closed | filtered | open|filtered ...
    service: str
    product: str
    version: str
    extrainfo: str
    cpe: str
    scripts: dict[str, str]  # NSE script id -> its output (snmp-info, banner, http-headers, http-title, ssl-cert...);
    # "ssl-cert.subject": the certificate subject (CN=...,OU=...,O=...) from ssl-cert's XML table (its text drops OU, L)


class NmapHost(TypedDict):
    """``nmap.host``, version 1: one host nmap found up."""

    address: str  # the scanned address (IPv4 or IPv6 text)
    state: str  # up | down
    mac: str | None  # only on a directly attached segment
    mac_vendor: str | None  # nmap's OUI name for the MAC
    ports: list[NmapPort]


CONTRACTS: dict[str, tuple[type, int]] = {
    "nmap.host": (NmapHost, 1),
}
