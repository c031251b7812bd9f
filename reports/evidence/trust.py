"""Which signers an auditor trusts: the only thing that can turn "intact" into "authentic".

A pack carries its own ``signer.pub``, but anyone who changes a pack can re-sign it with a fresh key and
put that key in. So verify trusts a signer only when the trust comes from *outside* the pack:

* ``--public-key FILE`` (repeatable) or ``--fingerprint SHA256:...`` (repeatable): the caller says who must
  have signed; a pack signed by anyone else is not authentic.
* otherwise a trust store: a keys file, or a folder of keys files, named by ``--trust-store`` or
  :data:`TRUST_ENV`, else the per-user default :func:`default_store` (``~/.config/netcomply/trusted-keys``).
  Each file holds public keys (PEM blocks, ``ssh-ed25519 AAAA... comment`` lines) and/or pinned fingerprints
  (``SHA256:... comment`` lines), ``#`` comments and blank lines.

Without any of them, nothing is trusted and verify can only say that a pack is intact, never who made it.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from netcomply.errors import InputError, InputProblem
from reports.evidence.keys import fingerprint, load_public_key, parse_public_key

#: Environment variable naming the trust store (a keys file or a folder of them).
TRUST_ENV = "NETCOMPLY_TRUSTED_KEYS"

_FINGERPRINT = re.compile(r"SHA256:[A-Za-z0-9+/]{43}")
_PEM_END = "-----END PUBLIC KEY-----"

Origin = Literal["explicit", "store", "none"]


@dataclass(frozen=True)
class TrustedSigner:
    """One trusted signer: its fingerprint, the key when the source gave one (a pin gives only the
    fingerprint), and where the trust came from, shown to the user (``--public-key a.pub``, ``FILE:LINE``)."""

    fingerprint: str
    source: str
    key: Ed25519PublicKey | None = None


@dataclass(frozen=True)
class Trust:
    """The signers verify may accept, and whether the caller named them (``explicit``), a trust store did
    (``store``, with its path), or nothing did (``none``)."""

    signers: tuple[TrustedSigner, ...] = ()
    origin: Origin = "none"
    store: str | None = None

    def find(self, fp: str | None) -> TrustedSigner | None:
        return next((s for s in self.signers if s.fingerprint == fp), None) if fp else None

    def with_keys(self) -> Iterator[TrustedSigner]:
        """The signers that came with a key (those a signature can be checked against directly)."""
        return (s for s in self.signers if s.key is not None)

    def describe(self) -> str:
        if self.origin == "explicit":
            return "the signers given on the command line"
        if self.origin == "store":
            return f"the trust store {self.store}"
        return "nothing trusted (no --public-key, --fingerprint or trust store)"

    def plus(self, other: Trust) -> Trust:
        """Both sets of signers; explicit wins the origin (its mismatches are errors, a store's are not)."""
        origin: Origin = "explicit" if "explicit" in (self.origin, other.origin) else (
            "store" if "store" in (self.origin, other.origin) else "none")
        return Trust(self.signers + other.signers, origin, self.store or other.store)


def signer_of(key: Ed25519PublicKey, source: str) -> TrustedSigner:
    return TrustedSigner(fingerprint(key), source, key)


def parse_fingerprint(text: str, *, where: str = "--fingerprint") -> str:
    """A pinned ``SHA256:<43 base64 characters>`` (a trailing ``=`` is tolerated); bad input otherwise."""
    value = text.strip().rstrip("=")
    if not _FINGERPRINT.fullmatch(value):
        raise InputError(f"expected a fingerprint SHA256:<43 base64 characters> as printed by "
                         f"`netcomply evidence fingerprint`, got {text.strip()[:60]!r}", file=where)
    try:
        base64.b64decode(value[7:] + "=", validate=True)
    except binascii.Error:
        raise InputError(f"not base64 after SHA256: in {value!r}", file=where) from None
    return value


def explicit_trust(public_keys: Iterable[str | os.PathLike[str] | Ed25519PublicKey] = (),
                   fingerprints: Iterable[str] = ()) -> Trust:
    """Trust exactly the keys and pins the caller named (bad input if a file is unreadable or a pin malformed)."""
    signers: list[TrustedSigner] = []
    for item in public_keys:
        if isinstance(item, Ed25519PublicKey):
            signers.append(signer_of(item, "the given public key"))
        else:
            signers.append(signer_of(load_public_key(Path(item)), f"--public-key {os.fspath(item)}"))
    signers += [TrustedSigner(parse_fingerprint(fp), f"--fingerprint {fp.strip()}") for fp in fingerprints]
    return Trust(tuple(signers), "explicit" if signers else "none")


def default_store() -> Path:
    """The per-user trust store: ``$XDG_CONFIG_HOME/netcomply/trusted-keys`` (``~/.config/...`` by default)."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "netcomply" / "trusted-keys"


def store_trust(path: str | os.PathLike[str] | None = None) -> Trust:
    """The trust store at ``path``, else at :data:`TRUST_ENV`, else at :func:`default_store`. A store that was
    named but does not exist is bad input; a missing default store just means nothing is trusted."""
    named = os.fspath(path) if path else os.environ.get(TRUST_ENV, "")
    chosen = Path(named) if named else default_store()
    if not chosen.exists():
        if named:
            raise InputError("the trust store does not exist (a keys file or a folder of them)", file=str(chosen))
        return Trust()
    _refuse_writable_by_others(chosen)
    files = sorted(p for p in chosen.iterdir() if p.is_file() and not p.name.startswith(".")) \
        if chosen.is_dir() else [chosen]
    signers: list[TrustedSigner] = []
    problems: list[InputProblem] = []
    for file in files:
        _refuse_writable_by_others(file)
        signers += _read_keys_file(file, problems)
    if problems:
        raise InputError(problems)
    return Trust(tuple(signers), "store", str(chosen))


def _refuse_writable_by_others(path: Path) -> None:
    """A store anyone can write to would let anyone add a key (as sshd's StrictModes refuses such files)."""
    if stat.S_IMODE(path.stat().st_mode) & stat.S_IWOTH:
        raise InputError("the trust store is writable by every user; refusing to trust it (chmod o-w)",
                         file=str(path))


def _read_keys_file(file: Path, problems: list[InputProblem]) -> list[TrustedSigner]:
    """Every key and pin in one keys file; each unreadable line becomes a FILE:LINE problem."""
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(InputProblem(str(file), None, f"cannot read the keys file: {exc}"))
        return []
    signers: list[TrustedSigner] = []
    pem: list[str] = []
    pem_line = 0
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if pem or line.startswith("-----BEGIN"):
            pem_line = pem_line if pem else number
            pem.append(line)
            if line == _PEM_END:
                signers += _entry(file, pem_line, "\n".join(pem) + "\n", problems)
                pem = []
            continue
        if line and not line.startswith("#"):
            signers += _entry(file, number, line, problems)
    if pem:
        problems.append(InputProblem(str(file), pem_line, f"PEM block without its {_PEM_END} line"))
    return signers


def _entry(file: Path, line: int, text: str, problems: list[InputProblem]) -> list[TrustedSigner]:
    source = f"{file}:{line}"
    try:
        if text.startswith("SHA256:"):
            return [TrustedSigner(parse_fingerprint(text.split()[0], where=source), source)]
        return [signer_of(parse_public_key(text.encode()), source)]
    except InputError as exc:
        problems.append(InputProblem(str(file), line, exc.problems[0].message))
    except ValueError as exc:
        problems.append(InputProblem(str(file), line, "expected a PEM public-key block, an ssh-ed25519 line or a "
                                     f"SHA256:... fingerprint ({exc})"))
    return []
