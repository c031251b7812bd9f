"""Offline verification of an evidence pack: signature and signer, every member's hash and size, completeness,
chain.

Every problem found is reported, not only the first, each naming the member it concerns, so an auditor
sees at once everything that changed. Authorship is a separate answer (:mod:`signature`): a pack is only
``ok`` when it is intact *and* signed by a key trusted from outside the pack. The ZIP is read in bounded
memory (:mod:`zipread`): sizes are checked before anything is inflated and content is hashed in chunks.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from netcomply.errors import InputError
from reports.evidence import layout, zipread
from reports.evidence.result import Problem, VerifyResult
from reports.evidence.signature import check_signature
from reports.evidence.trust import Trust, explicit_trust
from reports.evidence.zipread import Limits, PackIndex

__all__ = ["Limits", "Problem", "VerifyResult", "verify_pack"]

#: What opening a hostile ZIP can raise besides BadZipFile (bad offsets, truncated headers, odd sizes).
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError)


def verify_pack(
    path: str | os.PathLike[str],
    *,
    public_key: str | os.PathLike[str] | Ed25519PublicKey | None = None,
    previous: str | os.PathLike[str] | None = None,
    trust: Trust | None = None,
    limits: Limits | None = None,
) -> VerifyResult:
    """Check the pack at ``path`` against the signers in ``trust`` plus ``public_key`` (file or key). With no
    trusted signer at all, integrity is still checked in full but the result is never ``ok``. ``previous`` is
    the pack this one should chain to. Never raises for a damaged pack: damage is the answer, in
    :attr:`VerifyResult.problems`. An unreadable ``public_key``/``previous`` file is bad input (``InputError``)."""
    limits = limits or Limits()
    trust = trust or Trust()
    if public_key is not None:
        trust = trust.plus(explicit_trust([public_key]))
    result = VerifyResult(path=Path(path), trust=trust.describe())
    expected_previous = _manifest_sha256_of(Path(previous), limits) if previous is not None else None
    try:
        with zipfile.ZipFile(result.path) as zf:
            _verify_zip(zf, result, trust, limits)
    except _ZIP_ERRORS as exc:
        result.problems.append(Problem(result.path.name, "unreadable", f"not a readable ZIP file: {exc}"))
        return result
    if previous is not None:
        result.chain_ok = result.previous == expected_previous
        if not result.chain_ok:
            result.problems.append(Problem(
                layout.MANIFEST, "chain",
                f"names previous manifest {result.previous} but {previous} has manifest {expected_previous}",
            ))
    return result


def _small(zf: zipfile.ZipFile, pack: PackIndex, name: str, cap: int, result: VerifyResult,
           limits: Limits) -> bytes | None:
    """A small member verify must hold (manifest, signature, signer key); None if absent or refused."""
    info = pack.files.get(name)
    if info is None:
        return None
    got = zipread.read_small(zf, name, info, limits, cap)
    if isinstance(got, Problem):
        result.problems.append(got)
        return None
    return got


def _verify_zip(zf: zipfile.ZipFile, result: VerifyResult, trust: Trust, limits: Limits) -> None:
    pack = zipread.index(zf)
    result.problems += pack.problems
    result.members = len(pack.files)
    manifest_bytes = _small(zf, pack, layout.MANIFEST, limits.max_manifest, result, limits)
    if manifest_bytes is None:
        if layout.MANIFEST not in pack.files:
            result.problems.append(Problem(layout.MANIFEST, "missing",
                                           "the pack has no manifest; nothing can be trusted"))
        return
    result.manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
    signature = _small(zf, pack, layout.SIGNATURE, limits.max_small, result, limits)
    if signature is not None or layout.SIGNATURE not in pack.files:
        signer_pem = _small(zf, pack, layout.SIGNER, limits.max_small, result, limits)
        check_signature(result, manifest_bytes, signature, signer_pem, trust)
    manifest = _parse_manifest(result, manifest_bytes)
    if manifest is None:
        return
    _check_members(result, zf, pack, manifest, limits)
    result.previous = manifest.get("previous")
    run = manifest.get("run")
    result.run_id = run.get("id") if isinstance(run, dict) else None


def _parse_manifest(result: VerifyResult, manifest_bytes: bytes) -> dict[str, Any] | None:
    try:
        manifest = json.loads(manifest_bytes)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        result.problems.append(Problem(layout.MANIFEST, "unreadable", f"not JSON: {exc}"))
        return None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or manifest.get("format") != layout.FORMAT:
        result.problems.append(Problem(layout.MANIFEST, "unreadable", f"not a {layout.FORMAT} manifest"))
        return None
    return manifest


def _check_members(result: VerifyResult, zf: zipfile.ZipFile, pack: PackIndex, manifest: dict[str, Any],
                   limits: Limits) -> None:
    files: dict[str, Any] = manifest["files"]
    for name in sorted(set(files) - set(pack.files)):
        result.problems.append(Problem(name, "missing", "listed in the manifest but not in the pack"))
    for name in sorted(set(pack.files) - set(files) - layout.UNLISTED):  # never read: reporting them is enough
        result.problems.append(Problem(name, "extra", "in the pack but not listed in the manifest"))
    for name in zipread.unexpected_folders(pack, set(files)):
        result.problems.append(Problem(name, "extra", "a folder entry for no folder of the manifest's files"))
    for name in sorted(set(files) & set(pack.files)):
        problem = _check_member(zf, name, pack.files[name], files[name], limits)
        if problem is not None:
            result.problems.append(problem)
    for entry in manifest.get("artifacts", []):
        member = entry.get("member") if isinstance(entry, dict) else None
        listed = files.get(member) if isinstance(member, str) else None
        if not isinstance(listed, dict) or listed.get("sha256") != entry.get("sha256"):
            result.problems.append(Problem(
                str(member), "missing", "an artifact entry names a member the manifest does not list"
            ))


def _check_member(zf: zipfile.ZipFile, name: str, info: zipfile.ZipInfo, want: Any, limits: Limits) -> Problem | None:
    """One listed member: sizes first (header against manifest, then the caps), content only if they agree."""
    sha = want.get("sha256") if isinstance(want, dict) else None
    size = want.get("size") if isinstance(want, dict) else None
    if not isinstance(sha, str) or not isinstance(size, int) or isinstance(size, bool):
        return Problem(name, "changed", "the manifest's entry for it has no sha256 and size")
    if info.file_size != size:
        return Problem(name, "changed", f"the ZIP header says {info.file_size} bytes, the manifest {size}; not read")
    refused = zipread.size_problem(name, info, limits)
    if refused is not None:
        return refused
    got = zipread.sha256_of(zf, name, info)
    if isinstance(got, Problem):
        return got
    digest, length = got
    if digest != sha or length != size:
        return Problem(name, "changed", f"sha256 {digest} size {length}; manifest says sha256 {sha} size {size}")
    if name.startswith(layout.ARTIFACT_DIR) and name != layout.artifact_member(digest):
        return Problem(name, "changed", "an artifact's name must be its own SHA-256")
    return None


def _manifest_sha256_of(path: Path, limits: Limits) -> str:
    """The SHA-256 of another pack's manifest (the chain link), read under the same caps."""
    try:
        with zipfile.ZipFile(path) as zf:
            pack = zipread.index(zf)
            info = pack.files.get(layout.MANIFEST)
            got = zipread.read_small(zf, layout.MANIFEST, info, limits, limits.max_manifest) if info else None
    except _ZIP_ERRORS as exc:
        raise InputError(f"cannot read the previous pack's manifest: {exc}", file=str(path)) from None
    if not isinstance(got, bytes):
        raise InputError(f"cannot read the previous pack's manifest: {got or 'it has none'}", file=str(path))
    return hashlib.sha256(got).hexdigest()
