"""Names and byte-level conventions shared by the builder and the verifier.

Kept in one place because a pack is only verifiable if both sides agree on them exactly: member names,
the canonical JSON form whose bytes are signed, and the fixed ZIP metadata that makes a build repeatable.
"""

from __future__ import annotations

import json
import zipfile
from typing import Any

FORMAT = "netcomply-evidence-pack/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SIGNER = "signer.pub"
FINDINGS = "findings.json"
RUN = "run.json"
ARTIFACT_DIR = "artifacts/"

#: Members the manifest cannot list with a hash: the manifest itself and the signature over it.
UNLISTED = frozenset({MANIFEST, SIGNATURE})

#: ZIP's earliest representable time: every member gets it, so two builds differ only if their content does.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def artifact_member(sha256: str) -> str:
    return f"{ARTIFACT_DIR}{sha256}"


def canonical_json(data: Any) -> bytes:
    """Sorted keys, fixed separators, UTF-8, final newline: the same data always gives the same bytes
    (those bytes are what is hashed and signed)."""
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1, separators=(",", ": ")) + "\n").encode()


def zip_info(name: str) -> zipfile.ZipInfo:
    """A member header with fixed time, permissions and system, so identical content makes identical ZIPs."""
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info
