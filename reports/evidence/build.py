"""Build a signed, deterministic evidence pack from one stored run."""

from __future__ import annotations

import hashlib
import os
import random
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

import netcomply
from netcomply.errors import InputError
from netcomply.safety.redact import REDACTOR
from netcomply.store import Store
from reports.evidence import layout
from reports.evidence.content import capture_entry, finding_dicts, run_dict, selected_artifacts
from reports.evidence.keys import fingerprint, load_private_key, public_pem, resolve_key_path
from reports.evidence.trust import explicit_trust, store_trust
from reports.evidence.zipread import Limits


@dataclass(frozen=True)
class PackInfo:
    """What was written: where, for which run, how many artifacts, and the manifest's SHA-256 (the value
    the next pack of the chain will name as ``previous``)."""

    path: Path
    run_id: str
    artifacts: int
    members: int
    manifest_sha256: str
    previous: str | None
    sample: list[str]
    signer: str = ""  # the signing key's fingerprint (SHA256:...), for auditors to pin


def build_pack(
    store: Store,
    run_id: str,
    out_path: str | os.PathLike[str],
    *,
    key_path: str | os.PathLike[str] | None,
    previous_pack: str | os.PathLike[str] | None = None,
    sample: int | None = None,
    seed: int | None = None,
) -> PackInfo:
    """Write the evidence pack of ``run_id`` to ``out_path`` and return what it holds.

    Refuses (``InputError``) to overwrite an existing file, to chain onto a previous pack that does not
    verify, and to write any member in which the redactor still finds a secret. The file appears
    atomically: a failed build leaves nothing behind.
    """
    out = Path(out_path)
    if out.exists():
        raise InputError(f"{out} exists; refusing to overwrite evidence (choose another --out)", file=str(out))
    if sample is not None and sample < 0:
        raise InputError("--sample must be 0 or more")
    key = load_private_key(resolve_key_path(key_path))
    previous = _previous_manifest_sha256(Path(previous_pack), key.public_key()) if previous_pack is not None else None

    run = store.get_run(run_id)
    findings = store.findings(run.id)
    wanted = selected_artifacts(store, run.id, findings)
    records = [r for r in store.artifact_records(run.id) if r.sha256 in wanted]

    members: dict[str, bytes] = {}
    for sha in sorted(wanted):
        members[layout.artifact_member(sha)] = store.artifact_content(sha)
    # The documents the pack writes itself are redacted like every report; stored artifacts are not rewritten
    # (their SHA-256 is the evidence), so one that still shows a secret stops the pack below.
    members[layout.RUN] = layout.canonical_json(_redacted(run_dict(run)))
    members[layout.FINDINGS] = layout.canonical_json(_redacted(finding_dicts(findings)))
    members[layout.SIGNER] = public_pem(key.public_key())

    entries = [capture_entry(r, run, layout.artifact_member(r.sha256)) for r in records]
    recorded = {r.sha256 for r in records}
    # cited by a finding but captured in another run: still packed, with what the pack itself can vouch for
    entries += [
        {"member": layout.artifact_member(sha), "sha256": sha, "size": len(members[layout.artifact_member(sha)]),
         "run_id": None}
        for sha in sorted(wanted - recorded)
    ]
    entries.sort(key=lambda e: (e["member"], str(e.get("device")), str(e.get("collector")),
                                str(e.get("source")), str(e.get("collected_at"))))
    drawn = _sample(sorted(layout.artifact_member(s) for s in wanted), sample, seed)
    manifest: dict[str, Any] = {
        "format": layout.FORMAT,
        "generator": f"netcomply {netcomply.__version__}",
        "run": {"id": run.id, "operator": run.operator, "tool_version": run.tool_version},
        "previous": previous,
        "artifacts": entries,
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in sorted(members.items())
        },
        "sample": drawn,
    }
    manifest_bytes = layout.canonical_json(_redacted(manifest))
    members[layout.MANIFEST] = manifest_bytes
    _refuse_secrets(members)
    _refuse_oversize(members)
    members[layout.SIGNATURE] = key.sign(manifest_bytes)
    _write_zip(out, members)
    return PackInfo(
        path=out, run_id=run.id, artifacts=len(wanted), members=len(members),
        manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest(), previous=previous,
        sample=drawn["members"] if drawn else [], signer=fingerprint(key.public_key()),
    )


def _sample(names: list[str], size: int | None, seed: int | None) -> dict[str, Any] | None:
    """A spot-check list the auditor can redraw: the seed is recorded (one is chosen if none was given)."""
    if size is None:
        return None
    if seed is None:
        seed = int.from_bytes(os.urandom(4), "big")
    chosen = random.Random(seed).sample(names, min(size, len(names)))
    return {"seed": seed, "size": size, "members": sorted(chosen)}


def _previous_manifest_sha256(path: Path, signing: Ed25519PublicKey) -> str:
    """The chain link to ``path``, which must itself verify as authentic: chaining onto a tampered or forged
    pack would bless it. Trusted: the key signing this pack, and the trust store (a rotated key goes there)."""
    from reports.evidence.verify import verify_pack  # verify imports layout only; no cycle at module load

    result = verify_pack(path, trust=store_trust().plus(explicit_trust([signing])))
    if not result.ok:
        raise InputError(f"previous pack does not verify: {'; '.join(result.lines())}", file=str(path))
    assert result.manifest_sha256 is not None
    return result.manifest_sha256


def _redacted(data: Any) -> Any:
    """``data`` with every string passed through the redactor (a secret learned after the run was stored, e.g.
    a community that is also a word in a finding's message, is masked rather than packed)."""
    if isinstance(data, str):
        return REDACTOR.redact(data)
    if isinstance(data, dict):
        return {k: _redacted(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_redacted(v) for v in data]
    return data


def _refuse_secrets(members: dict[str, bytes]) -> None:
    """Rule: a pack never contains a secret. Check every member as the redactor would see it; write nothing
    if any would change. Only member names are reported, never the secret."""
    leaking = [
        name for name, data in sorted(members.items())
        if REDACTOR.redact(data.decode("utf-8", "surrogateescape")) != data.decode("utf-8", "surrogateescape")
    ]
    if leaking:
        raise InputError(
            f"refusing to write the evidence pack: secret found in {', '.join(leaking)} "
            "(redact the store's data, e.g. re-judge the run, before packing)",
            file=layout.MANIFEST if leaking == [layout.MANIFEST] else leaking[0],
        )


def _refuse_oversize(members: dict[str, bytes]) -> None:
    """A member over verify's cap would make a pack nobody can verify: refuse it now, by name."""
    cap = Limits().max_member
    big = [name for name, data in sorted(members.items()) if len(data) > cap]
    if big:
        raise InputError(f"refusing to write the evidence pack: {', '.join(big)} over the {cap}-byte member limit "
                         "that `evidence verify` enforces", file=big[0])


def _write_zip(out: Path, members: dict[str, bytes]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w") as zf:
            for name in sorted(members):
                zf.writestr(layout.zip_info(name), members[name])
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
