"""Artifact content on its way into and out of the ``blobs`` table.

The store is the last line of defence for two promises: evidence is what its hash says it is, and no
secret is ever written to disk. Collectors redact and hash through
:func:`netcomply.safety.redact.capture_artifact`; :func:`check_artifact` re-verifies both before a byte is
stored, and raises ``ValueError`` (never stores) when either fails.
"""

from __future__ import annotations

import hashlib
import zlib

from netcomply.models import Artifact
from netcomply.safety.redact import REDACTOR, Redactor

IDENTITY = "identity"
ZLIB = "zlib"
_LEVEL = 6  # zlib's default: most of the gain of 9 on command output, at a third of the CPU


def check_artifact(artifact: Artifact, redactor: Redactor = REDACTOR) -> None:
    """Refuse an artifact whose content does not match its SHA-256 or still holds something that
    redaction would mask (a known secret, or secret-bearing syntax such as ``enable secret 5 ...``)."""
    digest = hashlib.sha256(artifact.content).hexdigest()
    if digest != artifact.sha256:
        raise ValueError(
            f"artifact {artifact.device}/{artifact.collector} {artifact.source!r}: sha256 {artifact.sha256} "
            f"does not match its content ({digest}); refusing to store it"
        )
    if redactor.redact_bytes(artifact.content) != artifact.content:
        raise ValueError(
            f"artifact {artifact.device}/{artifact.collector} {redactor.redact(artifact.source)!r} "
            f"({artifact.sha256[:12]}) still contains secrets after redaction should have run; refusing to "
            "store it (build artifacts with netcomply.safety.redact.capture_artifact)"
        )
    if redactor.redact(artifact.source) != artifact.source:
        raise ValueError(
            f"artifact {artifact.device}/{artifact.collector}: its source names a secret; refusing to store it"
        )


def pack(content: bytes) -> tuple[str, bytes]:
    """Compress ``content`` when that saves space; return (encoding, stored bytes)."""
    packed = zlib.compress(content, _LEVEL)
    if len(packed) < len(content):
        return ZLIB, packed
    return IDENTITY, content


def unpack(encoding: str, stored: bytes, sha256: str) -> bytes:
    """The original bytes, verified against their SHA-256 (a damaged blob is an error, not evidence)."""
    if encoding == ZLIB:
        content = zlib.decompress(stored)
    elif encoding == IDENTITY:
        content = bytes(stored)
    else:
        raise ValueError(f"blob {sha256}: unknown encoding {encoding!r}")
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ValueError(f"blob {sha256}: stored content does not match its sha256 (damaged store?)")
    return content
