"""A small lab certificate authority (``cryptography``): one CA, leaf certificates for the lab names.

Clients verify the lab's HTTPS and STARTTLS against the CA file written to the state dir, exactly as they would
verify a real agency's service against the system store, so a broken certificate is *found* by verification,
not by comparing bytes. The deliberately broken IPv6 certificate is self-signed and names another host.
Keys are ECDSA P-256: generating one takes about a millisecond, so a lab start stays fast.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE = "lab-ca.pem"
VALIDITY = dt.timedelta(days=30)
WRONG_NAME = "wrong-host.invalid"


@dataclass(frozen=True)
class CertFiles:
    """A certificate chain file and its key file, ready for ``SSLContext.load_cert_chain``."""

    cert: Path
    key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TW"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "netcomply lab"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


class LabCA:
    """Issues leaf certificates into ``directory``; the CA certificate is ``directory / CA_FILE``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(_name("netcomply lab CA"))
            .issuer_name(_name("netcomply lab CA"))
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                                         key_cert_sign=True, crl_sign=True, encipher_only=False,
                                         decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self._key.public_key()), critical=False)
            .sign(self._key, hashes.SHA256())
        )
        self.ca_file = directory / CA_FILE
        self.ca_file.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))

    def issue(self, stem: str, names: list[str], addresses: tuple[str, ...] = ()) -> CertFiles:
        """A server certificate for ``names`` (SANs; the first is the CN), signed by the lab CA."""
        key = ec.generate_private_key(ec.SECP256R1())
        sans: list[x509.GeneralName] = [x509.DNSName(n) for n in names]
        sans += [x509.IPAddress(ipaddress.ip_address(a)) for a in addresses]
        cert = self._leaf(_name(names[0]), self.certificate.subject, key, sans, self._key)
        return self._write(stem, cert, key)

    def self_signed(self, stem: str, name: str = WRONG_NAME) -> CertFiles:
        """A certificate nobody vouches for, for a name nobody asked for: what a forgotten IPv6 VIP serves."""
        key = ec.generate_private_key(ec.SECP256R1())
        cert = self._leaf(_name(name), _name(name), key, [x509.DNSName(name)], key)
        return self._write(stem, cert, key)

    def _leaf(self, subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePrivateKey,
              sans: list[x509.GeneralName], signer: ec.EllipticCurvePrivateKey) -> x509.Certificate:
        now = dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + VALIDITY)
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        )
        if signer is self._key:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()), critical=False)
        return builder.sign(signer, hashes.SHA256())

    def _write(self, stem: str, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> CertFiles:
        files = CertFiles(self.directory / f"{stem}.pem", self.directory / f"{stem}.key")
        chain = cert.public_bytes(serialization.Encoding.PEM)
        if cert.issuer == self.certificate.subject:
            chain += self.certificate.public_bytes(serialization.Encoding.PEM)
        files.cert.write_bytes(chain)
        _write_key(key, files.key)
        return files
