"""SNMPv3 engine discovery (RFC 3414 section 4): ask an agent for its snmpEngineID without credentials.

Why: the engine id carries the enterprise number of whoever built the agent (and, in format 3, a MAC), and
every SNMPv3 agent gives it to anyone who asks, before authentication -- it is how a manager learns what to
localise its keys with. The recorded MIB of a device may not hold ``snmpEngineID.0`` (a v3 GET of it is then
answered from the device's data, not by its engine), so the engine id is read here from the discovery Report
itself, as nmap's ``snmp-info`` does. One unauthenticated GET with no variable bindings: read-only by design.
"""

from __future__ import annotations

import asyncio
import random

from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api
from pysnmp.proto.mpmod.rfc3412 import HeaderData, ScopedPDU, SNMPv3Message
from pysnmp.proto.secmod.rfc3414.service import UsmSecurityParameters

_V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]


def discovery_request(msg_id: int | None = None) -> bytes:
    """An SNMPv3 GET with an empty engine id and user, flagged reportable: the agent answers with a Report."""
    mid = msg_id if msg_id is not None else random.randrange(1, 2**31 - 1)
    pdu = _V2C.GetRequestPDU()
    _V2C.apiPDU.set_defaults(pdu)
    _V2C.apiPDU.set_request_id(pdu, mid)
    _V2C.apiPDU.set_varbinds(pdu, [])
    header = HeaderData()
    header.setComponentByPosition(0, mid)
    header.setComponentByPosition(1, 65507)
    header.setComponentByPosition(2, b"\x04")  # reportable, noAuthNoPriv
    header.setComponentByPosition(3, 3)  # USM
    usm = UsmSecurityParameters()
    for i, value in enumerate((b"", 0, 0, b"", b"", b"")):
        usm.setComponentByPosition(i, value)
    scoped = ScopedPDU()
    scoped.setComponentByPosition(0, b"")
    scoped.setComponentByPosition(1, b"")
    scoped.setComponentByPosition(2)
    scoped.getComponentByPosition(2).setComponentByType(pdu.tagSet, pdu)
    msg = SNMPv3Message()
    msg.setComponentByPosition(0, 3)
    msg.setComponentByPosition(1, header)
    msg.setComponentByPosition(2, encoder.encode(usm))
    msg.setComponentByPosition(3)
    msg.getComponentByPosition(3).setComponentByPosition(0, scoped)
    return bytes(encoder.encode(msg))


def engine_id_of(report: bytes) -> str | None:
    """The authoritative engine id (hex) of a v3 response, or None when the bytes are not one."""
    try:
        msg, _ = decoder.decode(report, asn1Spec=SNMPv3Message())
        if int(msg.getComponentByPosition(0)) != 3:
            return None
        usm, _ = decoder.decode(bytes(msg.getComponentByPosition(2)), asn1Spec=UsmSecurityParameters())
        engine = bytes(usm.getComponentByPosition(0))
    except Exception:  # anything that is not a well-formed v3 message says nothing
        return None
    return engine.hex() or None


class _Once(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.answer: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()

    def datagram_received(self, data: bytes, addr: object) -> None:
        if not self.answer.done():
            self.answer.set_result(data)

    def error_received(self, exc: Exception) -> None:
        if not self.answer.done():
            self.answer.set_exception(exc)


async def discover_engine_id(address: str, port: int = 161, *, timeout: float = 1.0, retries: int = 1) -> str | None:
    """The agent's snmpEngineID (hex), or None when it does not answer SNMPv3. The caller checks the target
    against its policy first (this sends one UDP datagram per try to ``address``)."""
    loop = asyncio.get_running_loop()
    family_host = address.strip("[]")
    for _ in range(retries + 1):
        transport, proto = await loop.create_datagram_endpoint(_Once, remote_addr=(family_host, port))
        try:
            transport.sendto(discovery_request())
            try:
                return engine_id_of(await asyncio.wait_for(proto.answer, timeout))
            except (TimeoutError, OSError):
                continue
        finally:
            transport.close()
    return None
