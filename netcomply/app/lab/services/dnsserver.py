"""DNS over UDP and TCP (RFC 1035, RFC 7766) for an :class:`Authority`, on asyncio.

UDP answers that do not fit the client's size (512 bytes, or its EDNS buffer) are sent truncated with TC set,
so a client falls back to TCP as it must against a real server. TCP connections carry several queries and
close after an idle timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct

import dns.exception
import dns.flags
import dns.message
import dns.rcode

from netcomply.app.lab.services.authority import Authority
from netcomply.app.lab.services.sockets import BoundPort

log = logging.getLogger(__name__)
TCP_IDLE_TIMEOUT = 10.0


def handle_wire(authority: Authority, wire: bytes, max_size: int | None) -> bytes | None:
    """Answer one query in wire form; None when it is too broken to answer (a real server drops it)."""
    try:
        query = dns.message.from_wire(wire)
    except dns.message.ShortHeader:
        return None
    except dns.exception.DNSException:
        if len(wire) < 12:
            return None
        # Header readable, body not: FORMERR with the client's id, as BIND does.
        return wire[:2] + struct.pack("!HHHHH", 0x8000 | dns.rcode.FORMERR, 0, 0, 0, 0)
    if query.flags & dns.flags.QR:
        return None  # a response sent to us: ignore, never answer answers
    response = authority.respond(query)
    if max_size is None:
        return response.to_wire()
    limit = max(512, query.payload if query.edns >= 0 else 512)
    try:
        return response.to_wire(max_size=min(limit, max_size))
    except dns.exception.TooBig:
        response.answer.clear()
        response.authority.clear()
        response.additional.clear()
        response.flags |= dns.flags.TC
        return response.to_wire()


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, authority: Authority) -> None:
        self.authority = authority
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        reply = handle_wire(self.authority, data, max_size=65535)
        if reply is not None and self.transport is not None:
            self.transport.sendto(reply, addr)


async def _serve_tcp(authority: Authority, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            header = await asyncio.wait_for(reader.readexactly(2), TCP_IDLE_TIMEOUT)
            (length,) = struct.unpack("!H", header)
            wire = await asyncio.wait_for(reader.readexactly(length), TCP_IDLE_TIMEOUT)
            reply = handle_wire(authority, wire, max_size=None)
            if reply is None:
                break
            writer.write(struct.pack("!H", len(reply)) + reply)
            await writer.drain()
    except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
        pass
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


class DnsServer:
    """One authoritative server on one port: UDP and TCP on each family it listens on."""

    def __init__(self, name: str, authority: Authority, bound: BoundPort) -> None:
        self.name = name
        self.authority = authority
        self.bound = bound
        self._servers: list[asyncio.base_events.Server] = []
        self._transports: list[asyncio.BaseTransport] = []

    @property
    def port(self) -> int:
        return self.bound.port

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        for sock in self.bound.udp.values():
            transport, _ = await loop.create_datagram_endpoint(lambda: _Udp(self.authority), sock=sock)
            self._transports.append(transport)
        for sock in self.bound.tcp.values():
            server = await asyncio.start_server(
                lambda r, w: _serve_tcp(self.authority, r, w), sock=sock)
            self._servers.append(server)

    async def close(self) -> None:
        for transport in self._transports:
            transport.close()
        for server in self._servers:
            server.close()
            await server.wait_closed()
        self.bound.close()
