"""``netcomply evidence keygen|fingerprint|build|verify``: seal a run's evidence in a signed pack and check it
offline, against a signer the auditor trusts from outside the pack.

Exit codes: 0 authentic / done, 2 bad input (no key, unknown run, a secret would leak, a file exists, a bad
trust store), 4 (:data:`TAMPERED`) the pack does not verify or is not by the trusted signer, every changed,
missing or extra member named on stderr; 5 (:data:`UNVERIFIED`) intact, but no trusted key vouches for the
signer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from netcomply.app.cli import exitcodes
from netcomply.app.cli.options import DbOpt, Format, FormatOpt, QuietOpt
from netcomply.app.cli.output import Out
from netcomply.store import Store
from reports.evidence import (
    KEY_ENV,
    TRUST_ENV,
    Trust,
    build_pack,
    default_store,
    explicit_trust,
    generate_key,
    load_any_public_key,
    store_trust,
    verify_pack,
)
from reports.evidence import fingerprint as key_fingerprint

#: `evidence verify` found the pack changed, incomplete, padded, badly signed, off its chain, or not signed by
#: the signer the caller trusts.
TAMPERED = exitcodes.TAMPERED
#: `evidence verify`: every hash matches, but no trusted key vouches for the signer (authorship unverified).
UNVERIFIED = exitcodes.UNVERIFIED

app = typer.Typer(help="Signed evidence packs for ISO/IEC 27001 auditors, verifiable offline.", no_args_is_help=True)

KeyOpt = Annotated[
    Path | None,
    typer.Option("--key", envvar=KEY_ENV, help=f"Ed25519 private key (PEM) that signs the pack; or ${KEY_ENV}.",
                 show_default=False, dir_okay=False),
]
SampleOpt = Annotated[int | None, typer.Option("--sample", min=0, help="Draw N artifacts for the auditor to check.")]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="Seed of --sample: the same seed draws the same sample.")]


@app.command()
def keygen(
    out: Annotated[Path, typer.Option("--out", help="Private key file to create (mode 0600); KEYFILE.pub beside it.",
                                      dir_okay=False)],
    quiet: QuietOpt = False,
) -> None:
    """Make a signing key pair. Never overwrites: a replaced key would orphan every pack it signed.
    Give KEYFILE.pub (or its fingerprint) to the auditor, who verifies with --public-key, --fingerprint or a
    trust store."""
    pub = generate_key(out)
    Out(quiet=quiet).say(f"wrote {out} (private: keep it safe) and {pub} (public: give it to the auditor); "
                         f"fingerprint {key_fingerprint(load_any_public_key(pub))} (publish it, auditors pin it)")


@app.command()
def build(
    run: Annotated[str, typer.Option("--run", help="Run id or a unique prefix of it.")],
    out: Annotated[Path, typer.Option("--out", help="Pack to write (ZIP); an existing file is never replaced.",
                                      dir_okay=False)],
    key: KeyOpt = None,
    previous: Annotated[Path | None, typer.Option("--previous", help="The agency's previous pack, to chain to.",
                                                  exists=False, dir_okay=False)] = None,
    sample: SampleOpt = None,
    seed: SeedOpt = None,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
) -> None:
    """Write the signed evidence pack of a run: artifacts behind its findings, findings, run, manifest."""
    output = Out(quiet=quiet, fmt=fmt.value)
    with Store.open(db, create=False) as store:
        info = build_pack(store, run, out, key_path=key, previous_pack=previous, sample=sample, seed=seed)
    payload = {
        "path": str(info.path), "run": info.run_id, "artifacts": info.artifacts, "members": info.members,
        "manifest_sha256": info.manifest_sha256, "previous": info.previous, "sample": info.sample,
        "signer_fingerprint": info.signer,
    }
    if output.machine:
        output.data(payload)
        return
    output.say(f"wrote {info.path}: run {info.run_id}, {info.artifacts} artifacts, manifest {info.manifest_sha256}, "
               f"signed by {info.signer}")
    if info.sample:
        output.say("spot-check: " + ", ".join(info.sample))


PublicKeyOpt = Annotated[
    list[Path] | None,
    typer.Option("--public-key", help="A trusted signer's public key (PEM or ssh-ed25519 line); repeatable. "
                 "Replaces the trust store.", dir_okay=False, show_default=False),
]
FingerprintOpt = Annotated[
    list[str] | None,
    typer.Option("--fingerprint", help="A trusted signer's pinned fingerprint SHA256:...; repeatable. "
                 "Replaces the trust store.", show_default=False),
]
TrustStoreOpt = Annotated[
    Path | None,
    typer.Option("--trust-store", envvar=TRUST_ENV, show_default=False,
                 help=f"Keys file or folder of trusted signers; or ${TRUST_ENV}; default {default_store()}."),
]


@app.command()
def fingerprint(
    keys: Annotated[list[Path], typer.Argument(help="Key files: public (PEM, ssh-ed25519) or the private PEM.",
                                               dir_okay=False)],
    fmt: FormatOpt = Format.table,
) -> None:
    """Print each key's SHA256 fingerprint (OpenSSH's form): what an agency publishes and an auditor pins
    with --fingerprint or in the trust store."""
    output = Out(fmt=fmt.value)
    rows = [{"key": str(path), "fingerprint": key_fingerprint(load_any_public_key(path))} for path in keys]
    if output.machine:
        output.data(rows)
        return
    for row in rows:
        output.say(f"{row['fingerprint']}  {row['key']}")


def _trust(public_key: list[Path] | None, fingerprints: list[str] | None, trust_store: Path | None) -> Trust:
    """What the caller named, else the trust store (named, from the environment, or the per-user default)."""
    if public_key or fingerprints:
        return explicit_trust(public_key or [], fingerprints or [])
    return store_trust(trust_store)


@app.command()
def verify(
    pack: Annotated[Path, typer.Argument(help="The pack (ZIP) to check.", dir_okay=False)],
    public_key: PublicKeyOpt = None,
    fingerprints: FingerprintOpt = None,
    trust_store: TrustStoreOpt = None,
    previous: Annotated[Path | None, typer.Option("--previous", help="The pack this one must chain to.",
                                                  dir_okay=False)] = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
) -> None:
    """Check a pack offline against a signer you trust (never the key the pack brings itself).
    Exit 0 when intact and signed by a trusted key; exit 4 (tampered) naming every changed, missing or extra
    file, or a signer other than the trusted one; exit 5 (unverified) when every hash matches but no trusted
    key vouches for the signer."""
    output = Out(quiet=quiet, fmt=fmt.value)
    result = verify_pack(pack, previous=previous, trust=_trust(public_key, fingerprints, trust_store))
    if output.machine:
        output.data(result.to_dict())
    signer = f"signed by {result.signer or 'no readable key'}"
    if result.ok:
        chained = ", chained to the previous pack" if result.chain_ok else ""
        output.say(f"{pack}: authentic and intact: {result.members} members, {signer}, "
                   f"trusted by {result.trusted_by}{chained}")
        return
    if result.intact:
        for note in result.notes:
            output.error(note)
        output.error(f"{pack}: intact but authorship UNVERIFIED: every hash matches, {signer}, which nothing you "
                     f"trust vouches for (checked against {result.trust}). Anyone who changes a pack can re-sign "
                     "it with their own keys: check it with --public-key or --fingerprint as published by the "
                     "agency, or add the agency to your trust store.")
        raise typer.Exit(UNVERIFIED)
    for problem in result.problems:
        output.error(str(problem))
    output.error(f"{pack}: TAMPERED ({len(result.named)} files: {', '.join(result.named)}); {signer}; "
                 f"checked against {result.trust}")
    raise typer.Exit(TAMPERED)
