"""Loopback services that answer as real devices do over SSH, Telnet, FTP, HTTP and TLS, for a real nmap run.

Why: the lab's cameras, NVRs and APs speak SNMP only, and its SSH devices only SSH; an agency's scan often reaches a
camera only through its web server. Each face here sends a string that a real device sends, taken verbatim from
Rapid7 Recog's fingerprint examples (collected by Recog's authors from real devices; the test checks each is an
example of the database that reads it) or from the lab's own SSH platform profiles; nothing else is invented.
A face listens on a standard port (nmap names the service from the port, so its scripts run without slow probing)
on an address of its own inside 127.0.0.0/8. Binding ports below 1024 needs root: :func:`can_bind` says whether.
"""

from __future__ import annotations

import datetime as dt
import socket
import socketserver
import ssl
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def lab_ssh_version(platform: str) -> str:
    """The SSH identification software part the lab's simulated ``platform`` sends (its platform.yaml)."""
    path = ROOT / "netcomply" / "app" / "lab" / "data" / "ssh" / platform / "platform.yaml"
    return str(yaml.safe_load(path.read_text(encoding="utf-8"))["server_version"])


@dataclass(frozen=True)
class Face:
    """One device: its address and what each port says. ``http`` is (Server header, WWW-Authenticate or None)."""

    name: str
    address: str
    ssh: str | None = None  # the identification's software part: "SSH-2.0-<ssh>"
    telnet: str | None = None
    ftp: str | None = None  # the greeting after "220 "
    http: tuple[str, str | None] | None = None
    tls_subject: tuple[tuple[str, str], ...] = ()  # (OID name, value), most general first (C ... CN)
    ports: list[int] = field(default_factory=list)


class _Greeting(socketserver.BaseRequestHandler):
    greeting = b""

    def handle(self) -> None:
        try:
            self.request.sendall(self.greeting)
            self.request.settimeout(2.0)
            self.request.recv(1024)
        except OSError:
            pass


class _Http(socketserver.StreamRequestHandler):
    server_header = ""
    realm: str | None = None

    def handle(self) -> None:
        try:
            self.connection.settimeout(3.0)
            request = self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            status = "401 Unauthorized" if self.realm else "200 OK"
            body = b"" if request.startswith(b"HEAD") else b"<html><body></body></html>"
            head = [f"HTTP/1.1 {status}", f"Server: {self.server_header}", "Content-Type: text/html",
                    f"Content-Length: {len(body)}", "Connection: close"]
            if self.realm:
                head.append(f"WWW-Authenticate: {self.realm}")
            self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        except OSError:
            pass


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def _certificate(subject: tuple[tuple[str, str], ...], directory: Path) -> ssl.SSLContext:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(getattr(NameOID, oid), value) for oid, value in subject])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2)).sign(key, hashes.SHA256()))
    (directory / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "k.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                        serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(directory / "c.pem", directory / "k.pem")
    return ctx


PORTS = (21, 22, 23, 80, 443)


def can_bind(address: str) -> bool:
    """Can the faces' ports be bound on ``address`` (root, and no service on the machine holds them for every
    address)?"""
    try:
        for port in PORTS:
            with socket.socket() as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((address, port))
        return True
    except OSError:
        return False


@contextmanager
def serving(faces: list[Face]) -> Iterator[list[Face]]:
    """Start every face's services; stop them on exit."""
    servers: list[_Server] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for face in faces:
                for port, server in _servers(face, Path(tmp)):
                    servers.append(server)
                    face.ports.append(port)
                    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
            yield faces
        finally:
            for server in servers:
                server.shutdown()
                server.server_close()


def _servers(face: Face, tmp: Path) -> Iterator[tuple[int, _Server]]:
    greetings = {22: f"SSH-2.0-{face.ssh}\r\n" if face.ssh else None, 23: face.telnet,
                 21: f"220 {face.ftp}\r\n" if face.ftp else None}
    for port, text in greetings.items():
        if text is not None:
            handler = type("Greeting", (_Greeting,), {"greeting": text.encode("latin-1")})
            yield port, _Server((face.address, port), handler)
    if face.http:
        handler = type("Http", (_Http,), {"server_header": face.http[0], "realm": face.http[1]})
        yield 80, _Server((face.address, 80), handler)
    if face.tls_subject:
        directory = tmp / face.name
        directory.mkdir()
        ctx = _certificate(face.tls_subject, directory)
        server = _Server((face.address, 443), _Http)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
        yield 443, server


def faces(net: str) -> list[Face]:
    """Five devices on ``<net>.1`` .. ``<net>.5``: a Hikvision camera (HTTP, TLS), a Huawei switch (SSH from the lab's
    profile, Telnet), a TP-Link router (FTP, HTTP with a realm), a ZTE ONT (Telnet) and a general-purpose server
    (OpenSSH, Apache: no brand)."""
    return [
        Face("camera", f"{net}.1", http=("Hikvision-Webs", None),
             tls_subject=(("COUNTRY_NAME", "CN"), ("STATE_OR_PROVINCE_NAME", "ZheJiang"),
                          ("LOCALITY_NAME", "HangZhou"), ("ORGANIZATION_NAME", "HIKVISION"),
                          ("ORGANIZATIONAL_UNIT_NAME", "DVRNVR"), ("COMMON_NAME", "www.hikvision.com"))),
        Face("switch", f"{net}.2", ssh=lab_ssh_version("huawei"),
             telnet="Warning: Telnet is not a secure protocol, and it is recommended to use Stelnet.\r\n\r\n"
                    "Login authentication\r\n\r\n\r\nUsername:"),
        Face("router", f"{net}.3", ftp="Welcome to TP-LINK FTP server",
             http=("Router Webserver", 'Basic realm="TP-LINK Wireless N Router WR841N"')),
        Face("ont", f"{net}.4", telnet="ZXHN H108N\r\nLogin:\n"),
        Face("server", f"{net}.5", ssh="OpenSSH_6.6.1p1 Ubuntu-2ubuntu2.13", http=("Apache/2", None)),
    ]
