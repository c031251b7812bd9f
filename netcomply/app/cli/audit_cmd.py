"""``netcomply audit``: collect from every inventory device, store it, and write the results.

A run is collected by one process at a time: a second ``--resume`` of a run that a live process still collects
is refused (exit :data:`exitcodes.LOCKED`, naming host, pid and since when); a stale lock is taken over with a
warning; a resume with a changed inventory is bad input unless ``--allow-changed-inventory``. What it writes
into ``--out`` is private (0700 folder, 0600 files) unless ``--group-readable`` (see netcomply.safety.files).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from netcomply.app.cli import exitcodes, report_cmd, vendor_cmd
from netcomply.app.cli.options import DbOpt, Format, FormatOpt, InventoryOpt, Lang, QuietOpt
from netcomply.app.cli.output import Out, to_json
from netcomply.app.pipelines.report import write_audit_outputs
from netcomply.app.runner import RunOutcome
from netcomply.models import DeviceResult, Run, RunStatus

STATUS_EXIT = {
    RunStatus.COMPLETE: exitcodes.OK,
    RunStatus.PARTIAL: exitcodes.PARTIAL,
    RunStatus.INTERRUPTED: exitcodes.INTERRUPTED,
    RunStatus.FAILED: exitcodes.INTERNAL,
}


def audit(
    inventory: InventoryOpt,
    out_dir: Annotated[Path | None, typer.Option("--out", "-o", help="Write the results into this folder.")] = None,
    collectors: Annotated[
        str | None, typer.Option("--collectors", "-c", help="Comma-separated collector names (default: all).")
    ] = None,
    limit: Annotated[str | None, typer.Option("--limit", "-l", help="Only hosts with this name, group or tag.")] = None,
    concurrency: Annotated[int | None, typer.Option(help="Devices worked on at once.", min=1, max=2000)] = None,
    timeout: Annotated[float | None, typer.Option(help="Seconds allowed per device and collector.", min=1)] = None,
    retries: Annotated[int | None, typer.Option(help="Retries for transient faults.", min=0, max=5)] = None,
    insecure_host_keys: Annotated[
        bool, typer.Option("--insecure-host-keys", help="Do NOT verify SSH host keys (explicit opt-out).")
    ] = False,
    resume: Annotated[str | None, typer.Option(help="Resume this run id: skip devices already collected. Refused "
                                                   "(exit 75) while another live process collects it.")] = None,
    allow_changed_inventory: Annotated[
        bool, typer.Option("--allow-changed-inventory",
                           help="With --resume: resume even if the inventory file changed since the run started.")
    ] = False,
    operator: Annotated[str | None, typer.Option(help="Who runs the audit (default: user@host).")] = None,
    transport: Annotated[
        str, typer.Option(help="native (netmiko) or ansible (SSH CLI through ansible-runner and playbooks/).")
    ] = "native",
    batch: Annotated[
        str | None, typer.Option(help="Name shared by several collector runs that make up one audit "
                                      "(`netcomply report --batch NAME` combines them).")
    ] = None,
    ansible_keep: Annotated[
        bool, typer.Option("--ansible-keep", help="Keep ansible-runner's private data dirs (redacted).")
    ] = False,
    register: vendor_cmd.RegisterOpt = None,
    exceptions: vendor_cmd.ExceptionsOpt = None,
    report_lang: report_cmd.LangOpt = Lang.zh,
    report_formats: report_cmd.FormatsOpt = report_cmd.DEFAULT_FORMATS,
    decisions: report_cmd.DecisionsOpt = None,
    evidence_key: Annotated[
        Path | None, typer.Option("--evidence-key", help="Sign an evidence pack into --out with this key "
                                  "(default: $NETCOMPLY_EVIDENCE_KEY; none: no pack).", dir_okay=False)
    ] = None,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
) -> None:
    """Audit the devices of an inventory. Exit 0 complete, 3 partial, 130 interrupted, 2 bad input, 75 run locked."""
    from netcomply.app.audit import AuditOptions
    from netcomply.inventory import load_inventory
    from netcomply.store import Store

    out = Out(quiet=quiet, fmt=fmt.value)
    inv = load_inventory(inventory)
    options = AuditOptions(
        collectors=[c.strip() for c in collectors.split(",") if c.strip()] if collectors else None,
        limit=limit,
        concurrency=concurrency,
        device_timeout=timeout,
        retries=retries,
        insecure_host_keys=insecure_host_keys,
        operator=operator,
        resume=resume,
        allow_changed_inventory=allow_changed_inventory,
        transport=transport,
        batch=batch,
        ansible_keep=ansible_keep,
        # kept (redacted) ansible-runner data dirs go beside the results; otherwise a 0700 temp dir, deleted
        ansible_dir=str(out_dir / "ansible-runner") if ansible_keep and out_dir else None,
        register=str(register) if register else None,
        exceptions=str(exceptions) if exceptions else None,
    )
    if insecure_host_keys:
        out.warn("SSH host keys are NOT verified in this run (--insecure-host-keys)")
    report_args = _report_args(out_dir, inv, inventory, report_lang, report_formats, decisions, evidence_key)
    written = None
    with Store.open(db) as store:
        out.info(f"store: {store.url}")
        run, outcome = _collect(out, inv, store, options)
        summary_path = write_summary(out_dir, run, outcome, store, inv) if out_dir else None
        if out_dir is not None:
            written = write_audit_outputs(out, store, [run.id], out_dir, inventory=inv, soa=True,
                                                     **report_args)
        done = _Done(run, outcome, summary_path, written, store.device_results(run.id), store.findings(run.id),
                     _ipv6_readiness(store, run))
        done.subjects = subject_counts(inv, done)
    if out.machine:
        out.data(_machine_result(done))
    else:
        _print_result(out, done)
    raise typer.Exit(STATUS_EXIT.get(run.status, exitcodes.INTERNAL))


@dataclass
class _Done:
    """What one audit produced, for printing."""

    run: Run
    outcome: RunOutcome
    summary_path: Path | None
    written: Any
    results: list[DeviceResult]
    findings: list[Any]
    ipv6: dict[str, Any] | None
    subjects: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def failures(self) -> list[DeviceResult]:
        return [r for r in self.results if r.status.value == "error"]


def _collect(out: Out, inv: Any, store: Any, options: Any) -> tuple[Run, RunOutcome]:
    """Run the audit; a run that another live process collects is refused with its own exit code."""
    from netcomply.store.runlock import RunLocked

    try:
        return run_with_progress(out, inv, store, options)
    except RunLocked as exc:
        out.error(str(exc))
        raise typer.Exit(exitcodes.LOCKED) from None


def _machine_result(done: _Done) -> dict[str, Any]:
    written = done.written
    return {
        "run": done.run.id,
        "status": done.run.status.value,
        "outcome": done.outcome.summary,
        "subjects": done.subjects,
        "summary_file": str(done.summary_path) if done.summary_path else None,
        "report_files": [str(p) for p in written.files] if written else [],
        "evidence_pack": str(written.evidence_pack) if written and written.evidence_pack else None,
        "findings": {s: n for s, n in sorted(Counter(f.status.value for f in done.findings).items())},
        "ipv6": done.ipv6,
        "failures": [
            {"device": r.device, "collector": r.collector, "error_class": r.error_class, "cause": r.cause}
            for r in done.failures
        ],
    }


def subject_counts(inv: Any, done: _Done) -> dict[str, dict[str, int]]:
    """Devices, services and hotspots of the audit, each counted once (the outcome counts collector tasks)."""
    from reports.audit.subjects import count_subjects

    return count_subjects(inv, done.results, {f.subject for f in done.findings})


def _print_result(out: Out, done: _Done) -> None:
    outcome, failures = done.outcome, done.failures
    out.say(
        f"run [bold]{done.run.id}[/]: [bold]{done.run.status.value}[/] — {outcome.ok} ok, {outcome.failed} failed"
        + (f", {outcome.skipped} skipped after an earlier failure" if outcome.skipped else "")
        + f" in {outcome.elapsed:.1f} s"
    )
    if done.subjects:  # tasks above; subjects here, devices apart from services and hotspots
        from netcomply.app.cli.runs_cmd import subjects_line

        out.say(subjects_line(done.subjects))
    if failures:
        out.table(
            "failed devices",
            ["device", "collector", "error", "cause"],
            [[r.device, r.collector, r.error_class.value if r.error_class else "", r.cause] for r in failures],
        )
    if done.findings:
        by_status = Counter(f.status.value for f in done.findings)
        out.say("findings: " + ", ".join(f"{n} {s}" for s, n in sorted(by_status.items())))
    if done.ipv6:
        from netcomply.app.cli.ipv6_cmd import print_readiness

        print_readiness(out, done.ipv6["readiness"], done.ipv6["trend"])
    if done.summary_path:
        out.say(f"results: {done.summary_path}")
    if done.written:
        report_cmd.print_written(out, done.written)


def _report_args(out_dir: Path | None, inv: Any, inventory: Path, lang: Any, formats: str,
                 decisions: Path | None, evidence_key: Path | None) -> dict[str, Any]:
    """Check the report options (and that --out is writable) before collecting: bad input must stop the audit
    before it starts, not after an hour of collection."""
    if out_dir is None:
        return {}
    from netcomply.app.cli.errors import exit_on_bad_input
    from netcomply.safety.files import make_private_dir
    from reports.audit.write import ensure_out_dir, parse_formats

    with exit_on_bad_input():
        with contextlib.suppress(OSError):  # cannot create it: ensure_out_dir says so as bad input
            make_private_dir(out_dir)  # a folder we create is 0700 (0750 with --group-readable), whatever the umask
        ensure_out_dir(out_dir)
        return {"langs": report_cmd.langs_of(lang), "formats": parse_formats(formats),
                "inputs": report_cmd.report_inputs(inv, inventory, None, None, decisions),
                "evidence_key": report_cmd.evidence_key_from(evidence_key)}


def _ipv6_readiness(store: Any, run: Run) -> dict[str, Any] | None:
    """IPv6 readiness per phase and agency of the run, with the trend (netcomply.app.pipelines.ipv6)."""
    from netcomply.app.pipelines.ipv6 import audit_readiness

    return audit_readiness(store, run)


def write_summary(out_dir: Path, run: Run, outcome: RunOutcome, store: Any, inventory: Any = None) -> Path:
    """Write ``summary.json`` for the run (the full report renderer replaces this when it lands). ``subjects``
    counts devices, services and hotspots apart (``outcome`` counts collector tasks)."""
    from netcomply.safety.files import make_private_dir, write_private_text
    from reports.audit.subjects import count_subjects

    make_private_dir(out_dir)
    summary = {
        "run": {"id": run.id, "status": run.status.value, "operator": run.operator, "started_at": run.started_at},
        "outcome": outcome.summary,
        "subjects": count_subjects(inventory, store.device_results(run.id),
                                   {f.subject for f in store.findings(run.id)}),
        "store": store.run_summary(run.id),
    }
    path = out_dir / "summary.json"
    return write_private_text(path, to_json(summary) + "\n")


def run_with_progress(out: Out, inv: Any, store: Any, options: Any) -> tuple[Any, Any]:
    """:func:`netcomply.app.audit.run_audit` with a progress bar on a terminal (none with --quiet or JSON)."""
    from netcomply.app.audit import run_audit

    with ExitStack() as stack:
        bars: list[Any] = []

        def on_plan(total: int) -> None:
            bars.append(stack.enter_context(out.progress("collecting", total)))

        def on_result(result: DeviceResult) -> None:
            if bars:
                failed = result.status.value != "ok"
                bars[0].advance(f"{result.device}: {result.error_class}" if failed else result.device)

        return run_audit(inv, store, options, on_result=on_result, on_plan=on_plan, on_notice=out.warn)


def collectors_list(fmt: FormatOpt = Format.table) -> None:
    """List the collectors this installation has (built-in and plug-ins)."""
    import collectors.builtin  # noqa: F401
    from collectors.base import available

    out = Out(fmt=fmt.value)
    registry = available()
    if out.machine:
        out.data([{"name": n, "version": c.version, "kinds": list(c.kinds)} for n, c in sorted(registry.items())])
        return
    out.table("collectors", ["name", "version", "observation kinds", "about"],
              [[n, c.version, ", ".join(c.kinds), (c.__doc__ or "").strip().splitlines()[0] if c.__doc__ else ""]
               for n, c in sorted(registry.items())])
