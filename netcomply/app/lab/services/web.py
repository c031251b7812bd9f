"""A small HTTP/1.1 server (stdlib asyncio streams, optional TLS) for the lab's web services.

Why not aiohttp or uvicorn: neither is installed, and the checks only need what any web server does
(status line, headers, a body, TLS with a chosen certificate per socket). Each request is answered and the
connection closed, which every client handles. The page is the same for IPv4 and IPv6 (a check compares them)
unless the scenario says otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ssl
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from netcomply.app.lab.services.ca import CertFiles
from netcomply.app.lab.services.sockets import BoundPort

MAX_HEADER_BYTES = 16 * 1024
READ_TIMEOUT = 10.0
SERVER_HEADER = "netcomply-lab/1"


@dataclass(frozen=True)
class Page:
    """What one web host serves at ``/``."""

    host: str
    body: bytes

    @classmethod
    def for_host(cls, host: str) -> Page:
        html = (f"<!doctype html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"><title>{host}</title>"
                f"</head><body><h1>{host}</h1><p>netcomply lab web service</p></body></html>\n")
        return cls(host, html.encode())

    @classmethod
    def stale_for(cls, host: str) -> Page:
        """A different page for the same host: what a forgotten IPv6 mirror still serves."""
        html = (f"<!doctype html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"><title>{host}</title>"
                f"</head><body><h1>{host}</h1><p>site under maintenance (old IPv6 mirror, 2019)</p></body></html>\n")
        return cls(host, html.encode())

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


def _response(status: str, headers: dict[str, str], body: bytes, head_only: bool) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Server: {SERVER_HEADER}", "Connection: close",
             f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (b"" if head_only else body)


def render(page: Page, request_head: bytes) -> bytes:
    """The response to one request head (request line + headers); pure, so it is easy to reason about."""
    try:
        request_line = request_head.split(b"\r\n", 1)[0].decode("ascii")
        method, target, version = request_line.split(" ")
    except (UnicodeDecodeError, ValueError):
        return _response("400 Bad Request", {"Content-Type": "text/plain"}, b"bad request\n", False)
    if not version.startswith("HTTP/1."):
        return _response("505 HTTP Version Not Supported", {"Content-Type": "text/plain"}, b"", False)
    head_only = method == "HEAD"
    if method not in ("GET", "HEAD"):
        return _response("405 Method Not Allowed", {"Allow": "GET, HEAD", "Content-Type": "text/plain"},
                         b"method not allowed\n", False)
    if target.split("?", 1)[0] not in ("/", "/index.html"):
        return _response("404 Not Found", {"Content-Type": "text/plain"}, b"not found\n", head_only)
    return _response("200 OK", {"Content-Type": "text/html; charset=utf-8", "ETag": page.etag},
                     page.body, head_only)


async def _serve(page: Page, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
        writer.write(render(page, head))
        await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ConnectionError,
            ssl.SSLError):
        pass  # a client that hung up, sent garbage or failed the handshake: nothing to answer
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            await writer.wait_closed()


class WebServer:
    """One web host: HTTP on one port, HTTPS on another, each on the families the scenario gives it.

    ``tls`` maps a family name to the server context used on that family, so IPv6 can present a different
    certificate from IPv4; ``page6`` (when given) is what IPv6 clients get instead of ``page``.
    """

    def __init__(self, page: Page, http: BoundPort, https: BoundPort, tls: dict[str, ssl.SSLContext],
                 page6: Page | None = None) -> None:
        self.page = page
        self.pages = {"ipv4": page, "ipv6": page6 or page}
        self.http = http
        self.https = https
        self.tls = tls
        self._servers: list[asyncio.base_events.Server] = []

    async def start(self) -> None:
        def handler_for(page: Page) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter],
                                                 Coroutine[Any, Any, None]]:
            def handler(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> Coroutine[Any, Any, None]:
                return _serve(page, r, w)
            return handler

        for family, sock in self.http.tcp.items():
            self._servers.append(await asyncio.start_server(handler_for(self.pages[family]), sock=sock,
                                                            limit=MAX_HEADER_BYTES))
        for family, sock in self.https.tcp.items():
            self._servers.append(await asyncio.start_server(
                handler_for(self.pages[family]), sock=sock, ssl=self.tls[family], limit=MAX_HEADER_BYTES,
                ssl_handshake_timeout=10))

    async def close(self) -> None:
        for server in self._servers:
            server.close()
            await server.wait_closed()
        self.http.close()
        self.https.close()


def server_context(files: CertFiles) -> ssl.SSLContext:
    """A TLS 1.2+ server context presenting ``files`` (used for HTTPS and for SMTP STARTTLS)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(files.cert, files.key)
    return context
