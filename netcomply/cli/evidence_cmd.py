"""``netcomply evidence keygen|build|verify``: seal a run's evidence in a signed pack and check it offline.

Exit codes: 0 intact / done, 2 bad input (no key, unknown run, a secret would leak, a file exists),
4 (:data:`TAMPERED`) the pack does not verify; every changed, missing or extra member is named on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from netcomply.cli import exitcodes
from netcomply.cli.options import DbOpt, Format, FormatOpt, QuietOpt
from netcomply.cli.output import Out
from netcomply.store import Store
from reports.evidence import KEY_ENV, build_pack, generate_key, verify_pack

#: `evidence verify` found the pack changed, incomplete, padded, badly signed or off its chain.
TAMPERED = exitcodes.TAMPERED

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
    Give KEYFILE.pub to the auditor, who verifies with --public-key."""
    pub = generate_key(out)
    Out(quiet=quiet).say(f"private key {out} (keep it safe), public key {pub} (give it to the auditor)")


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
    }
    if output.machine:
        output.data(payload)
        return
    output.say(f"wrote {info.path}: run {info.run_id}, {info.artifacts} artifacts, manifest {info.manifest_sha256}")
    if info.sample:
        output.say("spot-check: " + ", ".join(info.sample))


@app.command()
def verify(
    pack: Annotated[Path, typer.Argument(help="The pack (ZIP) to check.", dir_okay=False)],
    public_key: Annotated[Path | None, typer.Option("--public-key", help="Trusted signer key (PEM or raw); "
                                                    "without it the pack's own signer.pub is used.",
                                                    dir_okay=False)] = None,
    previous: Annotated[Path | None, typer.Option("--previous", help="The pack this one must chain to.",
                                                  dir_okay=False)] = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
) -> None:
    """Check a pack offline. Exit 0 when intact; exit 4 (tampered) naming every changed, missing or extra file."""
    output = Out(quiet=quiet, fmt=fmt.value)
    result = verify_pack(pack, public_key=public_key, previous=previous)
    if output.machine:
        output.data(result.to_dict())
    key_word = "the trusted key" if result.key == "trusted" else "the pack's own signer.pub (integrity only)"
    if result.ok:
        chained = ", chained to the previous pack" if result.chain_ok else ""
        output.say(f"{pack}: intact: {result.members} members, signed, checked with {key_word}{chained}")
        return
    for problem in result.problems:
        output.error(str(problem))
    output.error(f"{pack}: TAMPERED ({len(result.named)} files: {', '.join(result.named)}); key: {key_word}")
    raise typer.Exit(TAMPERED)
