"""Bind a lab server's sockets: the same port number on 127.0.0.1 and ::1, listening only where it should.

A client reaches ``name:port`` over whichever family DNS gave it, so a dual-stack service needs one port free
on *both* loopbacks. With port 0 (tests, parallel labs) we pick a port that is free on both. A family a server
must *not* answer on is still reserved: TCP gets a bound socket that never listens (connections are refused,
as on a host whose daemon listens on IPv4 only), so no other process can take the port and falsify the truth.
UDP is not reserved: a bound socket nobody reads would turn "port unreachable" into a slow timeout.
"""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass, field

FAMILIES = {"ipv4": socket.AF_INET, "ipv6": socket.AF_INET6}
MAX_ATTEMPTS = 64


@dataclass
class BoundPort:
    """Sockets of one server port. ``tcp``/``udp`` hold the sockets to serve on, per family name."""

    port: int
    tcp: dict[str, socket.socket] = field(default_factory=dict)
    udp: dict[str, socket.socket] = field(default_factory=dict)
    reserved: list[socket.socket] = field(default_factory=list)

    def close(self) -> None:
        for sock in [*self.tcp.values(), *self.udp.values(), *self.reserved]:
            sock.close()


def _socket(family: str, host: str, port: int, kind: int) -> socket.socket:
    sock = socket.socket(FAMILIES[family], kind)
    try:
        if kind == socket.SOCK_STREAM:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == "ipv6":
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _try_bind(port: int, hosts: dict[str, str], families: set[str], udp: bool) -> BoundPort:
    bound = BoundPort(port)
    try:
        for family in ("ipv4", "ipv6"):  # every family, so the port is ours on both loopbacks
            tcp = _socket(family, hosts[family], bound.port, socket.SOCK_STREAM)
            bound.port = tcp.getsockname()[1]
            if family in families:
                tcp.listen(128)
                tcp.setblocking(False)
                bound.tcp[family] = tcp
            else:
                bound.reserved.append(tcp)
            if udp and family in families:
                u = _socket(family, hosts[family], bound.port, socket.SOCK_DGRAM)
                u.setblocking(False)
                bound.udp[family] = u
    except OSError:
        bound.close()
        raise
    return bound


def bind_port(port: int, host4: str, host6: str, families: set[str], *, udp: bool = False) -> BoundPort:
    """Bind ``port`` (0: any port free on both families) for TCP, and UDP when asked, on ``families``."""
    hosts = {"ipv4": host4, "ipv6": host6}
    attempts = MAX_ATTEMPTS if port == 0 else 1
    for attempt in range(attempts):
        try:
            return _try_bind(port, hosts, families, udp)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or attempt == attempts - 1:
                raise OSError(exc.errno, f"cannot bind port {port or 'auto'} on {host4}/{host6}: "
                              f"{exc.strerror}") from None
    raise AssertionError("unreachable")
