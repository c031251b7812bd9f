"""Whose signature is on the manifest, and whether the auditor trusts that signer.

The pack's own ``signer.pub`` is only a claim. It decides nothing by itself: the signature is accepted as
the pack's author's only when the key that made it is trusted from outside the pack (:mod:`trust`). Without
such a key the signature is still checked with ``signer.pub``, which proves the pack is unchanged since
*someone* signed it, and the result says that authorship is unverified.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from reports.evidence import layout
from reports.evidence.keys import fingerprint, parse_public_key
from reports.evidence.result import Problem, VerifyResult
from reports.evidence.trust import Trust, TrustedSigner


def _valid(key: Ed25519PublicKey, signature: bytes, manifest: bytes) -> bool:
    try:
        key.verify(signature, manifest)
    except InvalidSignature:
        return False
    return True


def _own_key(result: VerifyResult, signer_pem: bytes | None) -> Ed25519PublicKey | None:
    if signer_pem is None:
        return None  # a listed member: its absence is reported with the others
    try:
        return parse_public_key(signer_pem)
    except ValueError as exc:
        result.problems.append(Problem(layout.SIGNER, "unreadable", str(exc)))
        return None


def _bad_signature(result: VerifyResult, by: str) -> None:
    """A signature failure cannot tell which of manifest.json and manifest.sig changed, so it names both."""
    for member in (layout.MANIFEST, layout.SIGNATURE):
        result.problems.append(Problem(member, "signature",
                                       f"manifest.sig is not a valid signature of manifest.json by {by}"))


def _trusted(result: VerifyResult, signer: TrustedSigner) -> None:
    result.key, result.signature_ok = "trusted", True
    result.signer, result.trusted_by = signer.fingerprint, signer.source


def check_signature(result: VerifyResult, manifest: bytes, signature: bytes | None, signer_pem: bytes | None,
                    trust: Trust) -> None:
    """Fill ``result``'s key, signer, trust and signature problems (file problems are checked elsewhere)."""
    if signature is None:
        result.problems.append(Problem(layout.SIGNATURE, "missing", "the manifest is not signed"))
        return
    own = _own_key(result, signer_pem)
    own_fp = fingerprint(own) if own is not None else None
    result.signer = own_fp
    named = trust.find(own_fp)
    if own is not None and named is not None:
        if _valid(own, signature, manifest):
            _trusted(result, TrustedSigner(named.fingerprint, named.source, own))
        else:
            _bad_signature(result, f"the trusted signer {own_fp}")
        return
    for signer in trust.with_keys():  # signer.pub swapped, but the signature may still be a trusted key's
        if signer.key is not None and _valid(signer.key, signature, manifest):
            _trusted(result, signer)
            result.problems.append(Problem(layout.SIGNER, "untrusted", f"names signer {own_fp}, but the manifest "
                                           f"is signed by trusted signer {signer.fingerprint}"))
            return
    if trust.origin == "explicit":
        _not_the_named_signer(result, manifest, signature, own, trust)
        return
    if own is None:
        return
    if not _valid(own, signature, manifest):
        _bad_signature(result, f"the pack's own signer.pub ({own_fp})")
        return
    result.signature_ok = True  # by the pack's own key: integrity only
    where = f"in {trust.describe()}" if trust.origin == "store" else "vouched for: " + trust.describe()
    result.notes.append(f"authorship unverified: the signer {own_fp} is not {where}")


def _not_the_named_signer(result: VerifyResult, manifest: bytes, signature: bytes, own: Ed25519PublicKey | None,
                          trust: Trust) -> None:
    """The caller named who must have signed, and nobody they named did: not authentic, whatever else holds."""
    expected = ", ".join(s.fingerprint for s in trust.signers)
    result.key = "trusted" if any(True for _ in trust.with_keys()) else "pack"  # which key(s) the check used
    if own is not None and _valid(own, signature, manifest):
        result.problems.append(Problem(layout.SIGNATURE, "signature", f"signed by {fingerprint(own)}, the pack's "
                                       f"own signer.pub, not by the trusted signer {expected}"))
    else:
        _bad_signature(result, f"the trusted signer {expected}")
    result.problems.append(Problem(layout.SIGNER, "untrusted", f"names signer {result.signer or '(none)'}, "
                                   f"not the trusted signer {expected}"))
