"""Pseudonyms: a keyed HMAC of the address, so the same person has the same pseudonym in every drill (trends
and repeat clickers need that) while no one without the key can turn a pseudonym back into a name.

The key comes from ``NETCOMPLY_DRILL_KEY`` (the key itself), ``NETCOMPLY_DRILL_KEY_FILE``, ``--key-file``, or
``~/.config/netcomply/drill.key``, which is created (mode 0600) on first use so pseudonyms stay stable
without anyone having to think about it. Losing the key only means new pseudonyms, never exposed names.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from netcomply.errors import InputError, InputProblem

KEY_ENV = "NETCOMPLY_DRILL_KEY"
KEY_FILE_ENV = "NETCOMPLY_DRILL_KEY_FILE"
DEFAULT_KEY_FILE = Path("~/.config/netcomply/drill.key")
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


class Pseudonymiser:
    """``P-`` plus 10 base32 characters (50 bits: no collision in any agency's lifetime of staff)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise InputError(InputProblem(KEY_ENV, None, "the pseudonym key must be at least 16 bytes"))
        self._key = key
        self._cache: dict[str, str] = {}

    def __call__(self, email: str) -> str:
        got = self._cache.get(email)
        if got is None:
            digest = hmac.new(self._key, email.strip().lower().encode(), hashlib.sha256).digest()
            n = int.from_bytes(digest[:7], "big") >> 6  # 50 bits -> 10 base32 characters
            got = "P-" + "".join(_B32[(n >> shift) & 31] for shift in range(45, -1, -5))
            self._cache[email] = got
        return got

    @property
    def fingerprint(self) -> str:
        """Identifies the key (not the key): reports carry it, so mixing keys across drills is detected."""
        return hmac.new(self._key, b"netcomply drill key fingerprint", hashlib.sha256).hexdigest()[:12]


def load_key(key_file: Path | None = None, *, create: bool = True) -> bytes:
    """The pseudonym key: environment, then the given or configured file, then the default file."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode()
    path = key_file or (Path(os.environ[KEY_FILE_ENV]) if os.environ.get(KEY_FILE_ENV) else None)
    explicit = path is not None
    path = (path or DEFAULT_KEY_FILE).expanduser()
    if path.exists():
        try:
            return path.read_bytes().strip()
        except OSError as exc:
            raise InputError(InputProblem(str(path), None, f"cannot read the pseudonym key: {exc}")) from None
    if explicit or not create:
        raise InputError(InputProblem(str(path), None, "pseudonym key file not found"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return path.read_bytes().strip()
