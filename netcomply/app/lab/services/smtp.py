"""The lab's mail exchangers: aiosmtpd sessions (banner, EHLO, STARTTLS) on the lab's sockets.

aiosmtpd's ``Controller`` runs its own thread and binds by itself; we need our pre-bound dual-stack sockets and
one event loop for every lab service, so we hand aiosmtpd's ``SMTP`` protocol to ``loop.create_server``.
The handler behaves as an MX for its own domain: mail to the domain is accepted (and discarded), relaying to
other domains is refused with 550, as an auditor's probe expects of a correctly configured MX.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from netcomply.app.lab.services.sockets import BoundPort

IDENT = "netcomply-lab ESMTP"


class MxHandler:
    """Accept mail for ``domain`` only; keep a count so a test can see mail arrived."""

    def __init__(self, domain: str) -> None:
        self.domain = domain.lower()
        self.accepted = 0

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if address.lower().rsplit("@", 1)[-1] != self.domain:
            return "550 5.7.1 Relaying denied"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.accepted += 1
        return "250 2.0.0 Message accepted for delivery"


class SmtpServer:
    """One MX host on one port, on the families the scenario gives it."""

    def __init__(self, host: str, domain: str, bound: BoundPort, tls: ssl.SSLContext) -> None:
        self.host = host
        self.handler = MxHandler(domain)
        self.bound = bound
        self.tls = tls
        self._servers: list[asyncio.base_events.Server] = []

    def _protocol(self) -> Any:
        return SMTP(self.handler, hostname=self.host, ident=IDENT, tls_context=self.tls,
                    require_starttls=False, loop=asyncio.get_running_loop())

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        for sock in self.bound.tcp.values():
            self._servers.append(await loop.create_server(self._protocol, sock=sock))

    async def close(self) -> None:
        for server in self._servers:
            server.close()
            await server.wait_closed()
        self.bound.close()
