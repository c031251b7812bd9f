"""SNMP v2c over one asyncio UDP socket per address family: the fast path for polling thousands of agents.

Why not pysnmp's engine for v2c: its high-level API registers every (community, agent) pair in MIB-backed
configuration tables (SNMP-COMMUNITY-MIB, SNMP-TARGET-MIB), costing about 8 ms per new agent, and its v1/v2c
security module rebuilds its lookup maps from those tables whenever they change. Adding agents while
polling therefore costs O(n) per packet; at 1,000 agents our own CPU starved and healthy devices timed out.
v2c needs none of that machinery: a message is a community string and a PDU. This module builds and parses
them with pysnmp's protocol API (same BER codec, same value types), sends them on one shared socket, and
matches answers to requests by request-id and source address. SNMPv3 keeps using pysnmp's engine, where
the USM machinery is worth its cost.

Read-only by construction: only GET, GETNEXT and GETBULK PDUs can be built here.
"""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import Sequence
from typing import Any

from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api

_V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
_PDU_CLASSES = {"get": _V2C.GetRequestPDU, "getnext": _V2C.GetNextRequestPDU, "getbulk": _V2C.GetBulkRequestPDU}


class V2cTimeout(Exception):
    """No answer after every retry."""


class V2cError(Exception):
    """The agent answered with an error status, or with something that is not an SNMP response."""


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, dispatcher: V2cDispatcher) -> None:
        self.dispatcher = dispatcher

    def datagram_received(self, data: bytes, addr: tuple[Any, ...]) -> None:
        self.dispatcher.received(data, addr)

    def error_received(self, exc: Exception) -> None:  # ICMP port unreachable etc.: the retry timer handles it
        pass


class V2cDispatcher:
    """One per event loop. ``request()`` is safe to call from many tasks at once."""

    def __init__(self) -> None:
        self._transports: dict[int, asyncio.DatagramTransport] = {}
        self._pending: dict[int, tuple[tuple[str, int], asyncio.Future[Any]]] = {}
        self._next_id = random.randrange(1, 2**30)

    async def _transport(self, family: int) -> asyncio.DatagramTransport:
        transport = self._transports.get(family)
        if transport is None:
            loop = asyncio.get_running_loop()
            local = ("::", 0) if family == socket.AF_INET6 else ("0.0.0.0", 0)
            transport, _ = await loop.create_datagram_endpoint(lambda: _Protocol(self), local_addr=local,
                                                               family=family)
            self._transports[family] = transport
        return transport

    def _request_id(self) -> int:
        self._next_id = self._next_id + 1 if self._next_id < 2**31 - 1 else 1
        return self._next_id

    async def request(
        self,
        operation: str,
        address: str,
        port: int,
        community: str,
        oids: Sequence[str],
        *,
        timeout: float,
        retries: int,
        max_repetitions: int = 25,
    ) -> list[tuple[str, Any]]:
        """Send one GET/GETNEXT/GETBULK and return its varbinds as (dotted OID, pysnmp value)."""
        pdu_class = _PDU_CLASSES[operation]  # KeyError for anything that is not a read
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        transport = await self._transport(family)
        loop = asyncio.get_running_loop()
        for _attempt in range(retries + 1):
            rid = self._request_id()
            payload = _encode(pdu_class, rid, community, oids, max_repetitions)
            future: asyncio.Future[Any] = loop.create_future()
            self._pending[rid] = ((address, port), future)
            try:
                transport.sendto(payload, (address, port))
                response_pdu = await asyncio.wait_for(future, timeout)
            except TimeoutError:
                continue
            finally:
                self._pending.pop(rid, None)
            status = int(_V2C.apiPDU.get_error_status(response_pdu))
            if status:
                index = int(_V2C.apiPDU.get_error_index(response_pdu))
                raise V2cError(f"agent returned error-status {status} at index {index}")
            return [(str(oid), value) for oid, value in _V2C.apiPDU.get_varbinds(response_pdu)]
        raise V2cTimeout()

    def received(self, data: bytes, addr: tuple[Any, ...]) -> None:
        try:
            message, _ = decoder.decode(data, asn1Spec=_V2C.Message())
            pdu = _V2C.apiMessage.get_pdu(message)
            rid = int(_V2C.apiPDU.get_request_id(pdu))
        except Exception:
            return  # not SNMP, or not for us: a real agent never sends that, so ignore it like net-snmp does
        pending = self._pending.get(rid)
        if pending is None:
            return  # a late answer to a retried request
        (address, port), future = pending
        # Only the agent we asked may answer (addr[0] of an IPv6 socket carries no zone for loopback).
        if (addr[0], addr[1]) != (address, port) or future.done():
            return
        future.set_result(pdu)

    def close(self) -> None:
        for transport in self._transports.values():
            transport.close()
        self._transports.clear()
        for _, future in self._pending.values():
            if not future.done():
                future.cancel()
        self._pending.clear()


def _encode(pdu_class: Any, rid: int, community: str, oids: Sequence[str], max_repetitions: int) -> bytes:
    pdu = pdu_class()
    if pdu_class is _V2C.GetBulkRequestPDU:
        _V2C.apiBulkPDU.set_defaults(pdu)
        _V2C.apiBulkPDU.set_non_repeaters(pdu, 0)
        _V2C.apiBulkPDU.set_max_repetitions(pdu, max_repetitions)
    else:
        _V2C.apiPDU.set_defaults(pdu)
    _V2C.apiPDU.set_request_id(pdu, rid)
    _V2C.apiPDU.set_varbinds(pdu, [(_V2C.ObjectIdentifier(oid), _V2C.Null("")) for oid in oids])
    message = _V2C.Message()
    _V2C.apiMessage.set_defaults(message)
    _V2C.apiMessage.set_community(message, community)
    _V2C.apiMessage.set_pdu(message, pdu)
    return bytes(encoder.encode(message))
