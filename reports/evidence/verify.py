"""Offline verification of an evidence pack: signature, every member's hash and size, completeness, chain.

Every problem found is reported, not only the first, each naming the member it concerns, so an auditor
sees at once everything that changed. A signature failure cannot tell *which* of ``manifest.json`` and
``manifest.sig`` changed (or whether the key did), so it names both.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from reports.evidence import layout
from reports.evidence.keys import load_public_key, parse_public_key, public_pem

ProblemKind = Literal["changed", "missing", "extra", "signature", "unreadable", "chain", "untrusted"]


@dataclass(frozen=True)
class Problem:
    member: str
    kind: ProblemKind
    message: str

    def __str__(self) -> str:
        return f"{self.member}: {self.kind}: {self.message}"


@dataclass
class VerifyResult:
    """The verdict. ``key`` says which public key checked the signature: ``"pack"`` (the pack's own
    ``signer.pub``: proves integrity since signing, not authorship) or ``"trusted"`` (one the caller gave)."""

    path: Path
    key: Literal["pack", "trusted"]
    signature_ok: bool = False
    problems: list[Problem] = field(default_factory=list)
    manifest_sha256: str | None = None
    previous: str | None = None
    chain_ok: bool | None = None
    run_id: str | None = None
    members: int = 0

    @property
    def ok(self) -> bool:
        return self.signature_ok and not self.problems

    @property
    def named(self) -> list[str]:
        """Every member some problem names, sorted."""
        return sorted({p.member for p in self.problems})

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path), "ok": self.ok, "key": self.key, "signature_ok": self.signature_ok,
            "manifest_sha256": self.manifest_sha256, "previous": self.previous, "chain_ok": self.chain_ok,
            "run_id": self.run_id, "members": self.members,
            "problems": [{"member": p.member, "kind": p.kind, "message": p.message} for p in self.problems],
        }


def verify_pack(
    path: str | os.PathLike[str],
    *,
    public_key: str | os.PathLike[str] | Ed25519PublicKey | None = None,
    previous: str | os.PathLike[str] | None = None,
) -> VerifyResult:
    """Check the pack at ``path``. ``public_key`` (file or key) is the trusted signer; without it the pack's
    own ``signer.pub`` is used. ``previous`` is the pack this one should chain to. Never raises for a
    damaged pack: damage is the answer, in :attr:`VerifyResult.problems`. A missing or unreadable
    ``public_key``/``previous`` file is bad input (``InputError``)."""
    trusted = load_public_key(Path(public_key)) if isinstance(public_key, str | os.PathLike) else public_key
    result = VerifyResult(path=Path(path), key="trusted" if trusted is not None else "pack")
    expected_previous = _manifest_sha256_of(Path(previous)) if previous is not None else None
    members = _read_members(result)
    if members is None:
        return result
    result.members = len(members)
    manifest_bytes = members.get(layout.MANIFEST)
    if manifest_bytes is None:
        result.problems.append(Problem(layout.MANIFEST, "missing", "the pack has no manifest; nothing can be trusted"))
        return result
    result.manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
    _check_signature(result, members, manifest_bytes, trusted)
    manifest = _parse_manifest(result, manifest_bytes)
    if manifest is None:
        return result
    _check_members(result, members, manifest)
    result.previous = manifest.get("previous")
    run = manifest.get("run")
    result.run_id = run.get("id") if isinstance(run, dict) else None
    if previous is not None:
        result.chain_ok = result.previous == expected_previous
        if not result.chain_ok:
            result.problems.append(Problem(
                layout.MANIFEST, "chain",
                f"names previous manifest {result.previous} but {previous} has manifest {expected_previous}",
            ))
    return result


def _read_members(result: VerifyResult) -> dict[str, bytes] | None:
    try:
        with zipfile.ZipFile(result.path) as zf:
            names = zf.namelist()
            members: dict[str, bytes] = {}
            for name in names:
                if name in members:
                    result.problems.append(Problem(name, "extra", "appears more than once in the ZIP"))
                    continue
                try:
                    members[name] = zf.read(name)
                except (zipfile.BadZipFile, OSError, ValueError) as exc:  # CRC mismatch, bad compression
                    result.problems.append(Problem(name, "changed", f"unreadable ZIP member: {exc}"))
            return members
    except (zipfile.BadZipFile, OSError) as exc:
        result.problems.append(Problem(result.path.name, "unreadable", f"not a readable ZIP file: {exc}"))
        return None


def _check_signature(
    result: VerifyResult, members: dict[str, bytes], manifest_bytes: bytes, trusted: Ed25519PublicKey | None
) -> None:
    signature = members.get(layout.SIGNATURE)
    if signature is None:
        result.problems.append(Problem(layout.SIGNATURE, "missing", "the manifest is not signed"))
        return
    key = trusted
    if key is None:
        try:
            key = parse_public_key(members.get(layout.SIGNER, b""))
        except ValueError as exc:
            result.problems.append(Problem(layout.SIGNER, "unreadable", str(exc)))
            return
    elif members.get(layout.SIGNER) is not None and members[layout.SIGNER] != public_pem(key):
        result.problems.append(
            Problem(layout.SIGNER, "untrusted", "the pack names a signer other than the trusted key")
        )
    try:
        key.verify(signature, manifest_bytes)
    except InvalidSignature:
        which = "the trusted key" if trusted is not None else "the pack's signer.pub"
        for member in (layout.MANIFEST, layout.SIGNATURE):
            result.problems.append(Problem(
                member, "signature", f"manifest.sig is not a valid signature of manifest.json by {which}",
            ))
        return
    result.signature_ok = True


def _parse_manifest(result: VerifyResult, manifest_bytes: bytes) -> dict[str, Any] | None:
    try:
        manifest = json.loads(manifest_bytes)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        result.problems.append(Problem(layout.MANIFEST, "unreadable", f"not JSON: {exc}"))
        return None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or manifest.get("format") != layout.FORMAT:
        result.problems.append(Problem(layout.MANIFEST, "unreadable", f"not a {layout.FORMAT} manifest"))
        return None
    return manifest


def _check_members(result: VerifyResult, members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    files: dict[str, Any] = manifest["files"]
    for name in sorted(set(files) - set(members)):
        result.problems.append(Problem(name, "missing", "listed in the manifest but not in the pack"))
    for name in sorted(set(members) - set(files) - layout.UNLISTED):
        result.problems.append(Problem(name, "extra", "in the pack but not listed in the manifest"))
    for name in sorted(set(files) & set(members)):
        want = files[name] if isinstance(files[name], dict) else {}
        data = members[name]
        digest = hashlib.sha256(data).hexdigest()
        if digest != want.get("sha256") or len(data) != want.get("size"):
            result.problems.append(Problem(
                name, "changed",
                f"sha256 {digest} size {len(data)}; manifest says sha256 {want.get('sha256')} size {want.get('size')}",
            ))
        elif name.startswith(layout.ARTIFACT_DIR) and name != layout.artifact_member(digest):
            result.problems.append(Problem(name, "changed", "an artifact's name must be its own SHA-256"))
    for entry in manifest.get("artifacts", []):
        member = entry.get("member") if isinstance(entry, dict) else None
        if member not in files or files[member].get("sha256") != entry.get("sha256"):
            result.problems.append(Problem(
                str(member), "missing", "an artifact entry names a member the manifest does not list"
            ))


def _manifest_sha256_of(path: Path) -> str:
    from netcomply.errors import InputError

    try:
        with zipfile.ZipFile(path) as zf:
            return hashlib.sha256(zf.read(layout.MANIFEST)).hexdigest()
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise InputError(f"cannot read the previous pack's manifest: {exc}", file=str(path)) from None
