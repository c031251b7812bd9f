"""Ed25519 signing keys for evidence packs.

The private key stays with the agency (a PEM file readable only by its owner); the public key travels
inside every pack (``signer.pub``) and, separately, to the auditor, who verifies against that trusted copy:
a pack's own key only proves the pack was not changed *after* signing, not *who* signed it.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from netcomply.errors import InputError

#: Environment variable naming the private key file when ``--key`` is not given.
KEY_ENV = "NETCOMPLY_EVIDENCE_KEY"


def public_path(key_path: Path) -> Path:
    return key_path.with_name(key_path.name + ".pub")


def generate_key(out: Path) -> Path:
    """Write a new private key to ``out`` (mode 0600) and its public key to ``out.pub``; return the latter.

    Refuses to overwrite either file: replacing a signing key by accident would orphan every pack signed
    with the old one.
    """
    pub_path = public_path(out)
    for path in (out, pub_path):
        if path.exists():
            raise InputError(f"{path} exists; refusing to overwrite an existing key file (choose another --out)",
                             file=str(path))
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_pem)
    os.chmod(out, 0o600)  # the umask may have taken bits away, never added: make the mode exact anyway
    pub_path.write_bytes(public_pem(key.public_key()))
    return pub_path


def resolve_key_path(key_path: str | os.PathLike[str] | None) -> Path:
    """``key_path`` or, when absent, the file named by :data:`KEY_ENV`."""
    chosen = os.fspath(key_path) if key_path else os.environ.get(KEY_ENV, "")
    if not chosen:
        raise InputError(f"no signing key: give --key or set {KEY_ENV} (make one with `netcomply evidence keygen`)")
    return Path(chosen)


def load_private_key(key_path: Path) -> Ed25519PrivateKey:
    try:
        data = key_path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read signing key: {exc.strerror}", file=str(key_path)) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise InputError("not an unencrypted PEM private key", file=str(key_path)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError("not an Ed25519 private key (the only kind that signs packs)", file=str(key_path))
    return key


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint(key: Ed25519PublicKey) -> str:
    """``SHA256:<base64>`` of the key, computed exactly as OpenSSH does (SHA-256 of the ``ssh-ed25519`` wire
    blob, unpadded base64), so an agency can read it aloud or cross-check it with ``ssh-keygen -lf``."""
    blob = base64.b64decode(openssh_line(key).split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def openssh_line(key: Ed25519PublicKey) -> str:
    """The key as one ``ssh-ed25519 AAAA...`` line: the form a trust-store file may hold."""
    return key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


def parse_public_key(data: bytes) -> Ed25519PublicKey:
    """A public key from PEM, an ``ssh-ed25519`` line or the raw 32 bytes; ``ValueError`` if it is none."""
    if len(data) == 32:
        return Ed25519PublicKey.from_public_bytes(data)
    key: object
    try:
        if data.lstrip().startswith(b"ssh-"):
            key = serialization.load_ssh_public_key(data.strip())
        else:
            key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise ValueError("not a PEM, ssh-ed25519 or raw Ed25519 public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        return parse_public_key(path.read_bytes())
    except OSError as exc:
        raise InputError(f"cannot read public key: {exc.strerror}", file=str(path)) from None
    except ValueError as exc:
        raise InputError(str(exc), file=str(path)) from None


def load_any_public_key(path: Path) -> Ed25519PublicKey:
    """The public half of whatever key file ``path`` is (public PEM, ``ssh-ed25519`` line, raw, or the private
    PEM itself), so ``evidence fingerprint`` works on the file an agency actually has at hand."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read key: {exc.strerror}", file=str(path)) from None
    if b"PRIVATE KEY" in data:
        return load_private_key(path).public_key()
    try:
        return parse_public_key(data)
    except ValueError as exc:
        raise InputError(str(exc), file=str(path)) from None
