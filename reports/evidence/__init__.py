"""The evidence pack: a ZIP an auditor can check offline, without netcomply's store or network.

It holds the raw artifacts behind a run's findings, the findings and run metadata as JSON, and a
``manifest.json`` that lists every member with its SHA-256, signed with Ed25519 (``manifest.sig``,
``signer.pub``). Packs of one agency chain: each manifest names the SHA-256 of the previous pack's
manifest, so a pack quietly dropped or replaced later breaks the chain.

Build with :func:`build_pack`, check with :func:`verify_pack`, make keys with :func:`generate_key`.
A pack is only called authentic against a signer trusted from outside it (:mod:`reports.evidence.trust`):
its own ``signer.pub`` proves integrity, never authorship.
"""

from reports.evidence.build import PackInfo, build_pack
from reports.evidence.keys import KEY_ENV, fingerprint, generate_key, load_any_public_key
from reports.evidence.trust import TRUST_ENV, Trust, default_store, explicit_trust, store_trust
from reports.evidence.verify import Limits, Problem, VerifyResult, verify_pack

__all__ = [
    "KEY_ENV",
    "TRUST_ENV",
    "Limits",
    "PackInfo",
    "Problem",
    "Trust",
    "VerifyResult",
    "build_pack",
    "default_store",
    "explicit_trust",
    "fingerprint",
    "generate_key",
    "load_any_public_key",
    "store_trust",
    "verify_pack",
]
