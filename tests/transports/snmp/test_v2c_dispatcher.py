"""The v2c fast path accepts an answer only from the agent asked, with the request-id it sent; anything
else (spoofed source, garbage, late answers) is ignored and the request times out or retries."""

from __future__ import annotations

import asyncio
import socket

import pytest
from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api

from collectors.transports.snmp_v2c import V2cDispatcher, V2cError, V2cTimeout

V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]


def _answer(request: bytes, *, status: int = 0, rid_offset: int = 0) -> bytes:
    message, _ = decoder.decode(request, asn1Spec=V2C.Message())
    pdu = V2C.apiMessage.get_pdu(message)
    response = V2C.apiPDU.get_response(pdu)
    V2C.apiPDU.set_request_id(response, int(V2C.apiPDU.get_request_id(pdu)) + rid_offset)
    V2C.apiPDU.set_error_status(response, status)
    V2C.apiPDU.set_varbinds(response, [(oid, V2C.OctetString("lab-agent")) for oid, _ in
                                       V2C.apiPDU.get_varbinds(pdu)])
    V2C.apiMessage.set_pdu(message, response)
    return bytes(encoder.encode(message))


async def _agent(behaviour: str) -> tuple[int, asyncio.DatagramTransport, list[bytes]]:
    """A real UDP agent on loopback that answers as ``behaviour`` says."""
    seen: list[bytes] = []
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind(("127.0.0.1", 0))

    class Agent(asyncio.DatagramProtocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport = transport  # type: ignore[assignment]

        def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
            seen.append(data)
            if behaviour == "ok" or (behaviour == "second" and len(seen) == 2):
                self.transport.sendto(_answer(data), addr)
            elif behaviour == "error":
                self.transport.sendto(_answer(data, status=5), addr)
            elif behaviour == "wrong-rid":
                self.transport.sendto(_answer(data, rid_offset=7), addr)
            elif behaviour == "garbage":
                self.transport.sendto(b"\x00\xffnot snmp", addr)
            elif behaviour == "spoofed":
                other.sendto(_answer(data), addr)  # right request-id, wrong source port

    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(Agent, local_addr=("127.0.0.1", 0))
    return transport.get_extra_info("sockname")[1], transport, seen


@pytest.mark.parametrize("behaviour", ["ok", "second"])
def test_answers_are_matched(behaviour: str) -> None:
    async def main() -> tuple[list[tuple[str, object]], int]:
        port, agent, seen = await _agent(behaviour)
        d = V2cDispatcher()
        try:
            rows = await d.request("get", "127.0.0.1", port, "c0mm", ["1.3.6.1.2.1.1.5.0"], timeout=0.3, retries=2)
        finally:
            d.close()
            agent.close()
        return rows, len(seen)

    rows, sent = asyncio.run(main())
    assert [(oid, str(v)) for oid, v in rows] == [("1.3.6.1.2.1.1.5.0", "lab-agent")]
    assert sent == (1 if behaviour == "ok" else 2)  # the second try succeeded after a lost answer


@pytest.mark.parametrize("behaviour", ["silent", "wrong-rid", "garbage", "spoofed"])
def test_anything_but_the_right_answer_times_out(behaviour: str) -> None:
    async def main() -> int:
        port, agent, seen = await _agent(behaviour)
        d = V2cDispatcher()
        try:
            with pytest.raises(V2cTimeout):
                await d.request("get", "127.0.0.1", port, "c0mm", ["1.3.6.1.2.1.1.5.0"], timeout=0.2, retries=1)
        finally:
            d.close()
            agent.close()
        return len(seen)

    assert asyncio.run(main()) == 2  # one try and one retry


def test_error_status_is_reported() -> None:
    async def main() -> None:
        port, agent, _ = await _agent("error")
        d = V2cDispatcher()
        try:
            with pytest.raises(V2cError, match="error-status 5"):
                await d.request("get", "127.0.0.1", port, "c", ["1.3.6.1.2.1.1.5.0"], timeout=0.3, retries=0)
        finally:
            d.close()
            agent.close()

    asyncio.run(main())


def test_only_read_pdus_can_be_built() -> None:
    async def main() -> None:
        d = V2cDispatcher()
        with pytest.raises(KeyError):
            await d.request("set", "127.0.0.1", 9, "c", ["1.3.6.1.2.1.1.5.0"], timeout=0.1, retries=0)
        d.close()

    asyncio.run(main())
