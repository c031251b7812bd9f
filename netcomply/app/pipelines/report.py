"""The audit report pipeline: the report, and for ``audit --out`` and the demo the SoA and the signed evidence
pack, of stored runs into one folder.

Why here and not in the CLI module: ``netcomply report``, ``netcomply audit --out`` and ``netcomply demo`` write
the same files for the same run through this one function; the typer commands only read options and print.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from netcomply.errors import InputError


class Progress(Protocol):
    """What the pipeline needs of the CLI's output: a progress bar (nothing on a pipe or with ``--quiet``)."""

    def progress(self, description: str, total: int) -> AbstractContextManager[Any]: ...


@dataclass
class Written:
    """What :func:`write_audit_outputs` wrote, for the command's own output."""

    run_ids: list[str]
    files: list[Path] = field(default_factory=list)
    evidence_pack: Path | None = None
    evidence_verified: bool | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    section_errors: dict[str, str] = field(default_factory=dict)


def write_audit_outputs(
    out: Progress,
    store: Any,
    run_ids: Sequence[str],
    out_dir: Path,
    *,
    langs: Sequence[str] = ("zh-TW",),
    formats: Sequence[str] = ("json", "html", "xlsx", "pdf"),
    inventory: Any = None,
    inputs: Any = None,
    soa: bool = False,
    evidence_key: Path | None = None,
    pdf_langs: Sequence[str] | None = None,
    timezone: str | None = None,
    paper: dict[str, str | None] | None = None,
) -> Written:
    """The report (and, for ``audit --out``, the SoA and the evidence pack) of ``run_ids`` into ``out_dir``,
    with a progress bar on a terminal."""
    from reports.audit import build_report, write_report
    from reports.audit.write import ensure_out_dir

    ensure_out_dir(out_dir)
    pdfs = len([lang for lang in langs if pdf_langs is None or lang in pdf_langs]) if "pdf" in formats else 0
    steps = (1 + ("json" in formats) + ("xlsx" in formats) + len(langs) * ("html" in formats) + pdfs
             + (1 if soa else 0) + (1 if evidence_key else 0))
    with out.progress("report", steps) as bar:
        report = build_report(store, list(run_ids), inventory=inventory, inputs=inputs, lang=langs[0],
                              timezone=timezone, **(paper or {}))
        bar.advance("built")
        files = write_report(report, out_dir, langs=langs, formats=formats, on_file=bar.advance,
                             pdf_langs=pdf_langs)
        result = Written(run_ids=[r["id"] for r in report["run"].get("runs", [report["run"]])], files=files,
                         summary=report["summary"], section_errors=report["summary"]["section_errors"])
        if soa:
            result.files += _write_soa(store, report["run"]["id"], out_dir, langs, inputs,
                                       inventory=inventory, timezone=report.get("timezone"))
            bar.advance("soa")
        if evidence_key is not None:
            result.evidence_pack, result.evidence_verified = _write_evidence(store, report["run"]["id"], out_dir,
                                                                             evidence_key)
            bar.advance("evidence")
    return result


def _write_soa(store: Any, run_id: str, out_dir: Path, langs: Sequence[str], inputs: Any, *,
               inventory: Any = None, timezone: str | None = None) -> list[Path]:
    from compliance.engine import evaluate_run
    from compliance.soa import build_soa
    from compliance.soa.decisions import Decisions
    from compliance.soa.write import write_soa

    evaluation = evaluate_run(store, run_id, inputs=inputs, timezone=timezone)  # dated like the report
    decisions = (inputs.decisions if inputs is not None and inputs.decisions is not None else Decisions())
    agencies = list(inventory.agencies.values()) if inventory is not None else []
    return write_soa(build_soa(evaluation, decisions, run_id=run_id, agencies=agencies), out_dir, langs)


def _write_evidence(store: Any, run_id: str, out_dir: Path, key: Path) -> tuple[Path, bool]:
    """Build the signed evidence pack (a pack of the same name from an earlier render is replaced) and verify it."""
    from reports.evidence import build_pack, verify_pack

    if not key.is_file():
        raise InputError("the evidence signing key does not exist (make one with `netcomply evidence keygen`)",
                         file=str(key))
    pack_path = out_dir / f"evidence-{run_id}.zip"
    pack_path.unlink(missing_ok=True)
    pack = build_pack(store, run_id, pack_path, key_path=key)
    public = Path(str(key) + ".pub")
    verified = None
    if public.is_file():
        check = verify_pack(pack.path, public_key=public)
        verified = check.ok  # authentic against the key next to the signing key, explicitly trusted
    return pack.path, bool(verified)


def demo_evidence_pack(store: Any, run_id: str, out_dir: Path) -> tuple[Any, bool]:
    """Sign the run's evidence with the demo's own key (made once, kept in the output folder) and verify it.

    Why not :func:`_write_evidence`: the demo has no key of the user's and no trust store; it makes its own key
    and verifies against that public key explicitly, with a sample of 10 captures (seed 0) to stay fast."""
    from reports.evidence import build_pack, generate_key, verify_pack

    key = out_dir / "evidence.key"
    if not key.exists():
        generate_key(key)
    pack_path = out_dir / f"evidence-{run_id}.zip"
    pack_path.unlink(missing_ok=True)
    pack = build_pack(store, run_id, pack_path, key_path=key, sample=10, seed=0)
    # The demo's own key, passed explicitly: verify never trusts the key a pack brings with it.
    result = verify_pack(pack_path, public_key=out_dir / "evidence.key.pub")
    return pack, result.ok
