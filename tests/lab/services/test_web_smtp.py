"""Web and mail services behave over IPv4 and IPv6 as the scenario's truth says.

Every verdict here is computed from what the lab's DNS answers and what the servers do (httpx with the lab CA,
smtplib with STARTTLS), then compared with ``truth()``; nothing is read back from the scenario's flags.
"""

from __future__ import annotations

import hashlib
import smtplib
import socket
import ssl
from pathlib import Path

import dns.message
import dns.query
import dns.rdatatype
import httpx
import pytest

from netcomply.app.lab.services import LabServices

pytestmark = pytest.mark.lab

ADDRESS = {"ipv4": "127.0.0.1", "ipv6": "::1"}


def resolve(lab: LabServices, name: str, rdtype: str) -> tuple[str, list[str]]:
    """(canonical name, addresses) from the lab DNS, following CNAMEs as a stub resolver does."""
    response = dns.query.udp(dns.message.make_query(name, rdtype), "::1", port=lab.dns_port, timeout=2)
    canonical, found = name, []
    for rrset in response.answer:
        if rrset.rdtype == dns.rdatatype.CNAME:
            canonical = rrset[0].target.to_text().rstrip(".")
        elif rrset.rdtype == dns.rdatatype.from_text(rdtype):
            found += [rd.to_text() for rd in rrset]
    return canonical, found


def fetch(lab: LabServices, name: str, family: str, scheme: str) -> httpx.Response | Exception:
    """GET the service by name over one family, verifying TLS for ``name`` against the lab CA."""
    host, _ = resolve(lab, name, "A")
    port = lab.endpoints[host].ports[scheme]
    literal = "[::1]" if family == "ipv6" else "127.0.0.1"
    context = ssl.create_default_context(cafile=str(lab.ca_file))
    try:
        with httpx.Client(verify=context, timeout=3) as client:
            return client.get(f"{scheme}://{literal}:{port}/", headers={"Host": name},
                              extensions={"sni_hostname": name})
    except (httpx.HTTPError, ssl.SSLError) as exc:
        return exc


def peer_cert_sha256(host: str, family: str, port: int) -> str:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection((ADDRESS[family], port), timeout=3) as raw, \
            context.wrap_socket(raw, server_hostname=host) as tls:
        der = tls.getpeercert(binary_form=True)
    assert der
    return hashlib.sha256(der).hexdigest()


def test_web_truth_matches_what_the_servers_do(lab: LabServices) -> None:
    truths = [t for t in lab.truth().values() if t.kind == "web"]
    assert len(truths) >= 4
    for truth in truths:
        _, aaaa = resolve(lab, truth.name, "AAAA")
        v4 = fetch(lab, truth.name, "ipv4", "https")
        assert isinstance(v4, httpx.Response) and v4.status_code == 200, (truth.name, v4)
        plain4 = fetch(lab, truth.name, "ipv4", "http")
        assert isinstance(plain4, httpx.Response) and plain4.content == v4.content
        ok6 = False
        if aaaa:
            v6 = fetch(lab, truth.name, "ipv6", "https")
            plain6 = fetch(lab, truth.name, "ipv6", "http")
            ok6 = isinstance(v6, httpx.Response) and v6.status_code == 200 and v6.content == v4.content \
                and isinstance(plain6, httpx.Response) and plain6.content == v4.content
        assert ok6 == truth.ipv6_ready, (truth.name, truth.reason)
        assert bool(aaaa) == truth.hosts[0].aaaa


def test_dual_stack_web_serves_same_certificate_and_content(lab: LabServices) -> None:
    good = [t for t in lab.truth().values() if t.kind == "web" and t.ipv6_ready]
    assert good
    for truth in good:
        host = truth.hosts[0].host
        port = lab.endpoints[host].ports["https"]
        assert peer_cert_sha256(host, "ipv4", port) == peer_cert_sha256(host, "ipv6", port)


def test_broken_ipv6_tls_is_a_different_self_signed_wrong_name_certificate(lab: LabServices) -> None:
    broken = [t for t in lab.truth().values() if t.kind == "web" and t.hosts[0].tls_ok_ipv6 is False
              and t.hosts[0].answers_ipv6]
    assert broken, "the scenario must hold a service whose TLS over IPv6 is broken"
    for truth in broken:
        host = truth.hosts[0].host
        port = lab.endpoints[host].ports["https"]
        assert peer_cert_sha256(host, "ipv4", port) != peer_cert_sha256(host, "ipv6", port)
        failure = fetch(lab, truth.name, "ipv6", "https")
        assert isinstance(failure, httpx.ConnectError)
        assert "CERTIFICATE_VERIFY_FAILED" in str(failure)
        plain = fetch(lab, truth.name, "ipv6", "http")
        assert isinstance(plain, httpx.Response) and plain.status_code == 200  # only TLS is broken


def test_aaaa_without_listener_is_refused_over_ipv6(lab: LabServices) -> None:
    dangling = [t for t in lab.truth().values() if t.kind == "web" and t.hosts[0].aaaa
                and not t.hosts[0].answers_ipv6]
    assert dangling
    for truth in dangling:
        assert resolve(lab, truth.name, "AAAA")[1] == [lab.host6]
        assert isinstance(fetch(lab, truth.name, "ipv6", "https"), httpx.ConnectError)
        assert isinstance(fetch(lab, truth.name, "ipv6", "http"), httpx.ConnectError)


def test_http_errors_like_a_real_server(lab: LabServices) -> None:
    port = lab.endpoints["www.city.lab.example"].ports["http"]
    with httpx.Client(timeout=3) as client:
        assert client.get(f"http://[::1]:{port}/missing").status_code == 404
        post = client.post(f"http://[::1]:{port}/", content=b"x")
        assert post.status_code == 405 and post.headers["allow"] == "GET, HEAD"
        head = client.head(f"http://[::1]:{port}/")
        assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 0


class NamedSMTP(smtplib.SMTP):
    """smtplib that connects to a literal address but speaks (and verifies TLS) for the MX name."""

    def __init__(self, address: str, name: str, port: int) -> None:
        self._address = address
        super().__init__(name, port, timeout=3)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return socket.create_connection((self._address, port), timeout)


def smtp_session(lab: LabServices, mx: str, family: str) -> tuple[int, bytes, bool] | OSError:
    """(banner code, banner, STARTTLS verified) for one MX over one family, or the connection error."""
    port = lab.endpoints[mx].ports["smtp"]
    context = ssl.create_default_context(cafile=str(lab.ca_file))
    try:
        with NamedSMTP(ADDRESS[family], mx, port) as smtp:
            code, banner = smtp.ehlo("auditor.lab.example")
            assert code == 250
            if not smtp.has_extn("starttls"):
                return code, banner, False
            smtp.starttls(context=context)
            code, _ = smtp.ehlo("auditor.lab.example")
            return code, banner, code == 250
    except OSError as exc:
        return exc


def test_mail_truth_matches_what_the_servers_do(lab: LabServices) -> None:
    truths = [t for t in lab.truth().values() if t.kind == "mail"]
    assert len(truths) >= 3
    for truth in truths:
        mx_response = dns.query.udp(dns.message.make_query(truth.name, "MX"), "::1", port=lab.dns_port,
                                    timeout=2)
        mx_hosts = [rd.exchange.to_text().rstrip(".") for rr in mx_response.answer for rd in rr]
        assert sorted(mx_hosts) == sorted(h.host for h in truth.hosts)
        ready = True
        for mx in mx_hosts:
            v4 = smtp_session(lab, mx, "ipv4")
            assert isinstance(v4, tuple) and v4[2], (mx, v4)
            has_aaaa = bool(resolve(lab, mx, "AAAA")[1])
            v6 = smtp_session(lab, mx, "ipv6") if has_aaaa else None
            ready = ready and isinstance(v6, tuple) and v6[2]
        assert ready == truth.ipv6_ready, (truth.name, truth.reason)


def test_mx_banner_and_relay_policy(lab: LabServices) -> None:
    mx = "mail.city.lab.example"
    port = lab.endpoints[mx].ports["smtp"]
    with socket.create_connection(("::1", port), timeout=3) as raw:
        banner = raw.makefile("rb").readline()
    assert banner.startswith(b"220 " + mx.encode()) and b"ESMTP" in banner
    with NamedSMTP("::1", mx, port) as smtp:
        smtp.starttls(context=ssl.create_default_context(cafile=str(lab.ca_file)))
        smtp.ehlo("auditor.lab.example")
        smtp.mail("auditor@lab.example")
        assert smtp.rcpt("someone@example.com")[0] == 550
        assert smtp.rcpt("it@city.lab.example")[0] == 250


def test_ca_file_is_a_ca(lab: LabServices) -> None:
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(Path(lab.ca_file).read_bytes())
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_stale_ipv6_mirror_serves_another_page_with_the_right_certificate(lab: LabServices) -> None:
    stale = [t for t in lab.truth().values() if t.kind == "web" and t.hosts[0].same_content_ipv6 is False]
    assert stale, "the scenario must hold a service whose page over IPv6 differs"
    for truth in stale:
        v4, v6 = fetch(lab, truth.name, "ipv4", "https"), fetch(lab, truth.name, "ipv6", "https")
        assert isinstance(v4, httpx.Response) and isinstance(v6, httpx.Response)  # TLS verified on both
        assert v4.status_code == v6.status_code == 200 and v4.content != v6.content
        host = truth.hosts[0].host
        port = lab.endpoints[host].ports["https"]
        assert peer_cert_sha256(host, "ipv4", port) == peer_cert_sha256(host, "ipv6", port)
        assert not truth.ipv6_ready and "different content" in truth.reason
