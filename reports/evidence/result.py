"""What `evidence verify` concludes about a pack, in two separate answers a script cannot mix up.

* **integrity**: every member matches the manifest and the manifest's signature is valid (under the key that
  was used);
* **authorship**: that key is one the auditor trusts from outside the pack (``verified``), or no trusted key
  vouches for it (``unverified``), or the pack is not signed by the trusted signer (``failed``).

:attr:`VerifyResult.ok` is true only when both hold; that is the one flag programs should read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

ProblemKind = Literal["changed", "missing", "extra", "signature", "unreadable", "chain", "untrusted", "oversize"]
Authorship = Literal["verified", "unverified", "failed"]
Verdict = Literal["authentic", "unverified", "tampered"]

#: Problem kinds that say "not by the trusted signer" rather than "a file changed".
AUTHORSHIP_KINDS = frozenset({"signature", "untrusted"})


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
    ``signer.pub``: proves integrity since signing, not authorship) or ``"trusted"`` (one trusted from outside
    the pack). ``signer`` is that key's fingerprint; ``trusted_by`` where its trust came from."""

    path: Path
    key: Literal["pack", "trusted"] = "pack"
    signature_ok: bool = False
    problems: list[Problem] = field(default_factory=list)
    manifest_sha256: str | None = None
    previous: str | None = None
    chain_ok: bool | None = None
    run_id: str | None = None
    members: int = 0
    signer: str | None = None
    trusted_by: str | None = None
    trust: str = "no trusted key"
    notes: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """Every hash matches and the signature is valid: nothing changed since *someone* signed it."""
        return self.signature_ok and not self.problems

    @property
    def authorship(self) -> Authorship:
        if any(p.kind in AUTHORSHIP_KINDS for p in self.problems):
            return "failed"
        return "verified" if self.key == "trusted" and self.signature_ok else "unverified"

    @property
    def ok(self) -> bool:
        """Intact *and* signed by a trusted signer. Nothing else may be called a verified pack."""
        return self.intact and self.authorship == "verified"

    @property
    def verdict(self) -> Verdict:
        if self.ok:
            return "authentic"
        return "unverified" if self.intact else "tampered"

    @property
    def named(self) -> list[str]:
        """Every member some problem names, sorted."""
        return sorted({p.member for p in self.problems})

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems] + self.notes

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path), "ok": self.ok, "verdict": self.verdict, "authorship": self.authorship,
            "intact": self.intact, "key": self.key, "signature_ok": self.signature_ok,
            "signer_fingerprint": self.signer, "trusted_by": self.trusted_by, "trust": self.trust,
            "manifest_sha256": self.manifest_sha256, "previous": self.previous, "chain_ok": self.chain_ok,
            "run_id": self.run_id, "members": self.members,
            "problems": [{"member": p.member, "kind": p.kind, "message": p.message} for p in self.problems],
            "notes": self.notes,
        }
