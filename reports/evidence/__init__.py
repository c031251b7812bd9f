"""The evidence pack: a ZIP an auditor can check offline, without netcomply's store or network.

It holds the raw artifacts behind a run's findings, the findings and run metadata as JSON, and a
``manifest.json`` that lists every member with its SHA-256, signed with Ed25519 (``manifest.sig``,
``signer.pub``). Packs of one agency chain: each manifest names the SHA-256 of the previous pack's
manifest, so a pack quietly dropped or replaced later breaks the chain.

Build with :func:`build_pack`, check with :func:`verify_pack`, make keys with :func:`generate_key`.
"""

from reports.evidence.build import PackInfo, build_pack
from reports.evidence.keys import KEY_ENV, generate_key
from reports.evidence.verify import Problem, VerifyResult, verify_pack

__all__ = [
    "KEY_ENV",
    "PackInfo",
    "Problem",
    "VerifyResult",
    "build_pack",
    "generate_key",
    "verify_pack",
]
