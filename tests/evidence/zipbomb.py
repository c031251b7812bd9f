"""Zip bombs shaped like evidence packs: a real pack plus one member of gigabytes of zeros in a few MB.

Writing 2 GiB through zlib would take seconds, so the compressed stream is built the way a bomb maker
would: DEFLATE of one MiB of zeros, ended by a full flush, is the same ~1 KB block wherever it stands in the
stream, so the member's data is that block repeated and then an empty final block. zipfile still computes the
CRC over the real zeros, so the member is a valid ZIP member that inflates to exactly ``size`` bytes. Used by
tests/evidence/test_bounded.py and benchmarks/bench_evidence.py.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from pathlib import Path
from typing import Any

from reports.evidence import layout
from reports.evidence.keys import load_private_key, public_pem

MIB = 1 << 20
GIB = 1 << 30
_FINAL_EMPTY_BLOCK = b"\x03\x00"  # what zlib emits for Z_FINISH right after a full flush


class _RepeatedZeroBlocks:
    """Stands in for zipfile's compressor: every MiB of zeros becomes the same precomputed DEFLATE block."""

    def __init__(self) -> None:
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        self.block = deflate.compress(bytes(MIB)) + deflate.flush(zlib.Z_FULL_FLUSH)

    def compress(self, data: bytes) -> bytes:
        assert len(data) == MIB
        return self.block

    def flush(self) -> bytes:
        return _FINAL_EMPTY_BLOCK


def zeros_sha256(size: int) -> str:
    digest = hashlib.sha256()
    zeros = bytes(MIB)
    for _ in range(size // MIB):
        digest.update(zeros)
    return digest.hexdigest()


def write_zero_member(zf: zipfile.ZipFile, name: str, size: int) -> None:
    """Append ``name``: ``size`` zero bytes (a multiple of 1 MiB), about ``size / 1000`` bytes compressed."""
    assert size % MIB == 0
    info = layout.zip_info(name)
    info.file_size = size
    zeros = bytes(MIB)
    with zf.open(info, "w", force_zip64=True) as fh:
        fh._compressor = _RepeatedZeroBlocks()  # type: ignore[attr-defined]  # see the module docstring
        for _ in range(size // MIB):
            fh.write(zeros)


def bomb_pack(src: Path, dst: Path, signing_key: Path, *, size: int = 2 * GIB, listed: bool = True,
              sha256: str | None = None) -> str:
    """``src`` plus ``artifacts/<sha>`` of ``size`` zeros, re-signed with ``signing_key``. ``listed`` puts the
    bomb in the manifest under its size (and ``sha256``, computed when not given: about 1 s per 2 GiB), as a
    signer would; otherwise it is an extra member. Returns the bomb's member name."""
    key = load_private_key(signing_key)
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    digest = sha256 or zeros_sha256(size)
    bomb = layout.artifact_member(digest)
    members[layout.SIGNER] = public_pem(key.public_key())
    manifest: dict[str, Any] = json.loads(members[layout.MANIFEST])
    manifest["files"][layout.SIGNER] = {"sha256": hashlib.sha256(members[layout.SIGNER]).hexdigest(),
                                        "size": len(members[layout.SIGNER])}
    if listed:
        manifest["files"][bomb] = {"sha256": digest, "size": size}
    members[layout.MANIFEST] = layout.canonical_json(manifest)
    members[layout.SIGNATURE] = key.sign(members[layout.MANIFEST])
    with zipfile.ZipFile(dst, "w") as zf:
        for name in sorted(members):
            zf.writestr(layout.zip_info(name), members[name])
        write_zero_member(zf, bomb, size)
    return bomb
