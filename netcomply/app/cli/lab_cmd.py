"""``netcomply lab up|status|down`` and ``netcomply demo``."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Annotated, Any

import typer

from netcomply.app.cli import exitcodes
from netcomply.app.cli.options import Format, FormatOpt, QuietOpt
from netcomply.app.cli.output import Out

DEMO_SSH_PORT = 2422
DEMO_SNMP_PORT = 1461

app = typer.Typer(help="The simulated agency network on loopback (for trying netcomply, tests and benchmarks).",
                  no_args_is_help=True)

StateDirOpt = Annotated[
    Path | None,
    typer.Option("--state-dir", help="Where the lab keeps its processes' state, inventory and secrets "
                 "(default: ~/.local/state/netcomply/lab).", file_okay=False),
]


@app.command()
def up(
    scale: Annotated[int | None, typer.Option(help="Start N generated devices instead of the city (benchmarks).",
                                              min=1, max=20000)] = None,
    state_dir: StateDirOpt = None,
    no_services: Annotated[bool, typer.Option("--no-services", help="Skip DNS/web/mail services.")] = False,
    ssh_port: Annotated[int | None, typer.Option("--ssh-port", min=1, max=65535,
                                                 help="TCP port of every SSH device (default: 2222, or the first "
                                                 "free port above it when 2222 is taken).")] = None,
    snmp_port: Annotated[int | None, typer.Option("--snmp-port", min=1, max=65535,
                                                  help="UDP port of every SNMP agent (default: 1161, or the "
                                                  "first free port above it when 1161 is taken).")] = None,
    free_service_ports: Annotated[bool, typer.Option("--free-service-ports", help="Put the DNS/web/mail services "
                                                     "on free ports (default: their usual ports, free ones when "
                                                     "a usual one is taken).")] = False,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
) -> None:
    """Start the lab in the background and write its inventory, env file and known_hosts."""
    from netcomply.app.cli.errors import exit_on_bad_input
    from netcomply.app.lab.manager import lab_up

    out = Out(quiet=quiet, fmt=fmt.value)
    with exit_on_bad_input():
        info = lab_up(state_dir, scale=scale, with_services=not no_services, ssh_port=ssh_port,
                      snmp_port=snmp_port, services_auto_ports=True if free_service_ports else None, say=out.info)
    if out.machine:
        out.data(info.to_dict())
        return
    out.say(f"lab up in {info.seconds:.1f} s: {info.devices} devices ({info.ssh_devices} SSH, "
            f"{info.snmp_devices} SNMP), {info.services} services")
    out.say(f"  ports       SSH tcp/{info.ssh_port}, SNMP udp/{info.snmp_port}")
    out.say(f"  inventory   {info.inventory}")
    out.say(f"  secrets     {info.env_file}")
    out.say(f"  known_hosts {info.known_hosts}")
    out.say("try:")
    out.say(f"  netcomply inventory show {info.inventory}")
    out.say(f"  netcomply audit -i {info.inventory} --out out/lab-audit")
    out.say("  netcomply lab down" + (f" --state-dir {state_dir}" if state_dir else ""))


@app.command()
def status(state_dir: StateDirOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Show whether the lab runs, and its processes. Exit 0 when up, 3 when partly up, 1 when down."""
    from netcomply.app.lab.manager import lab_status

    out = Out(fmt=fmt.value)
    st = lab_status(state_dir)
    if out.machine:
        out.data(st)
    else:
        state = "running" if st["running"] else "degraded" if st.get("degraded") else "not running"
        out.say(f"lab {state} ({st['state_dir']})")
        ports = st.get("info") or {}
        if ports.get("ssh_port") or ports.get("snmp_port"):
            out.say(f"ports: SSH tcp/{ports.get('ssh_port')}, SNMP udp/{ports.get('snmp_port')}")
        if st["processes"]:
            out.table(None, ["process", "pid", "alive", "log"],
                      [[p["name"], p["pid"], "yes" if p["alive"] else "NO", p["log"]] for p in st["processes"]])
        if st["strays"]:
            out.warn(f"stray lab processes {st['strays']}: `netcomply lab down` stops them")
    raise typer.Exit(exitcodes.OK if st["running"] else exitcodes.PARTIAL if st.get("degraded") else 1)


@app.command()
def down(state_dir: StateDirOpt = None, quiet: QuietOpt = False) -> None:
    """Stop exactly what `lab up` started (also after a crash of `up`)."""
    from netcomply.app.lab.manager import lab_down

    out = Out(quiet=quiet)
    stopped = lab_down(state_dir)
    out.say(f"lab stopped ({', '.join(stopped)})" if stopped else "no lab processes were running")


def demo(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Where the report and the demo's store go.",
                                          file_okay=False)] = Path("out/demo"),
    keep_lab: Annotated[bool, typer.Option("--keep-lab", help="Leave the lab running afterwards.")] = False,
    formats: Annotated[str, typer.Option("--formats", help="Report formats: html,pdf,xlsx,json (the PDF, in "
                                         "zh-TW, takes the longest).")] = "html,pdf,xlsx,json",
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
) -> None:
    """Start the lab, run a full audit with every collector, write the report, SoA and evidence pack, stop the
    lab."""
    from netcomply.app.audit import AuditOptions
    from netcomply.app.cli.audit_cmd import run_with_progress, write_summary
    from netcomply.app.cli.errors import exit_on_bad_input
    from netcomply.app.lab.manager import lab_down, lab_up
    from netcomply.app.pipelines.report import demo_evidence_pack, write_audit_outputs
    from netcomply.inventory import load_inventory
    from netcomply.store import Store
    from reports.audit.write import parse_formats

    out = Out(quiet=quiet, fmt=fmt.value)
    with exit_on_bad_input():
        chosen_formats = parse_formats(formats)
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    state_dir = out_dir / "lab"
    try:
        # Its own ports: the demo must not collide with a lab the user already runs with `netcomply lab up`.
        info = lab_up(state_dir, ssh_port=DEMO_SSH_PORT, snmp_port=DEMO_SNMP_PORT, services_auto_ports=True,
                      say=out.info)
        out.info(f"lab up in {info.seconds:.1f} s: {info.devices} devices; auditing")
        inv = load_inventory(info.inventory)
        with Store.open(str(out_dir / "netcomply.db")) as store:
            run, outcome = run_with_progress(out, inv, store, AuditOptions(operator="netcomply demo"))
            summary_path = write_summary(out_dir, run, outcome, store, inv)
            results = store.device_results(run.id)
            observations = list(store.observations(run.id))
            findings = store.findings(run.id)
            out.info("writing the report, the Statement of Applicability and the evidence pack")
            written = write_audit_outputs(out, store, [run.id], out_dir, langs=["zh-TW", "en"],
                                          formats=chosen_formats, inventory=inv, soa=True, pdf_langs=["zh-TW"])
            pack, verified = demo_evidence_pack(store, run.id, out_dir)
    finally:
        if not keep_lab:
            lab_down(state_dir)
    controls = written.summary["controls"]  # the report's own evaluation: the demo prints what it wrote
    digest = _digest(inv, results, observations)
    from netcomply.app.cli.runs_cmd import subjects_line
    from reports.audit.subjects import count_subjects

    subjects = count_subjects(inv, results, {f.subject for f in findings})  # devices apart from services, hotspots
    if out.machine:
        out.data({"run": run.id, "status": run.status.value, "outcome": outcome.summary, "summary": str(summary_path),
                  "subjects": subjects, "duties_by_agency": written.summary.get("duties_by_agency"),
                  "devices": digest, "findings": dict(Counter(f.status.value for f in findings)),
                  "controls": controls, "evidence_pack": str(pack.path), "evidence_verified": verified,
                  "report_files": [str(p) for p in written.files]})
    else:
        _print_digest(out, run, outcome, digest)
        out.say(subjects_line(subjects))
        _print_judgement(out, findings, controls)
        _print_duties(out, written.summary.get("duties_by_agency") or [])
        public_key = out_dir / "evidence.key.pub"
        out.say(f"evidence pack: [bold]{pack.path}[/] — {pack.artifacts} artifacts, Ed25519-signed, "
                + ("verified intact" if verified else "[red]DID NOT VERIFY[/]")
                + f"; check it with `netcomply evidence verify {pack.path} --public-key {public_key}`")
        out.say("\n[bold]report[/] (summary first, then every agency, device, control and finding):")
        for path in written.files:
            out.say(f"  {path}")
        for key, error in written.section_errors.items():
            out.warn(f"report section {key} could not be built: {error}")
        out.say(f"\nresults written to [bold]{summary_path}[/] (store: {out_dir / 'netcomply.db'})")
    # The lab fails some devices on purpose: a partial run is the expected outcome of the demo.
    raise typer.Exit(exitcodes.OK if run.status.value in ("complete", "partial") else exitcodes.INTERNAL)


def _digest(inv: Any, results: list[Any], observations: list[Any]) -> list[dict[str, Any]]:
    """Per device: what it said about itself, and what failed (the report renderer supersedes this)."""
    facts: dict[str, dict[str, Any]] = defaultdict(dict)
    for obs in observations:
        d = obs.data
        if obs.kind == "device.cli_facts":
            facts[obs.device].update({k: d.get(k) for k in ("hostname", "model", "serial", "os_version")})
        elif obs.kind == "device.snmp_system":
            facts[obs.device].setdefault("sys_descr", (d.get("sys_descr") or "").splitlines()[0][:60] or None)
            facts[obs.device]["enterprise"] = d.get("enterprise")
            ent = (d.get("entity") or [{}])[0]
            facts[obs.device].setdefault("model", ent.get("model_name"))
            facts[obs.device].setdefault("serial", ent.get("serial"))
    errors: dict[str, list[str]] = defaultdict(list)
    for r in results:
        if r.status.value == "error":
            errors[r.device].append(f"{r.collector}: {r.error_class.value if r.error_class else '?'}")
    rows = []
    for dev in inv.devices:
        lab = (dev.vars or {}).get("lab", {})
        rows.append({"device": dev.name, "agency": dev.agency, "role": dev.role, "platform": dev.platform,
                     "brand (lab truth)": lab.get("brand"), **facts.get(dev.name, {}),
                     "errors": errors.get(dev.name, [])})
    return rows


def _print_judgement(out: Out, findings: list[Any], controls: dict[str, dict[str, int]]) -> None:
    """What the audit concluded: findings by status and severity, and every framework's control statuses."""
    failed = Counter(f.severity.value for f in findings if f.status.value == "fail")
    out.say(f"\n[bold]findings[/]: {len(findings)} — " + ", ".join(
        f"{n} {s}" for s, n in sorted(Counter(f.status.value for f in findings).items())))
    if failed:
        order = ["critical", "high", "medium", "low", "info"]
        out.say("failed, by severity: " + ", ".join(f"{failed[s]} {s}" for s in order if failed[s]))
    out.table(
        "controls (a control without automated evidence is manual or not assessed, never passed)",
        ["framework", *next(iter(controls.values())).keys()] if controls else ["framework"],
        [[fw, *counts.values()] for fw, counts in controls.items()],
    )


def _print_duties(out: Out, rows: list[dict[str, Any]]) -> None:
    """The national duties of each agency (the report's table): the tw-cyber row above is judged without a
    level, so it says "not assessed"; each agency's own verdicts are these, as `compliance controls --agency`."""
    if not rows:
        return
    statuses = list(rows[0]["counts"])
    out.table("national duties per agency (tw-cyber, each with its own level)", ["agency", "level", *statuses],
              [[r["agency"], r["level"], *(r["counts"][s] for s in statuses)] for r in rows])


def _print_digest(out: Out, run: Any, outcome: Any, rows: list[dict[str, Any]]) -> None:
    skipped = f", {outcome.skipped} skipped after an earlier failure" if outcome.skipped else ""
    out.say(f"[bold]netcomply demo[/]: run {run.id} — {run.status.value}: {outcome.ok} collections ok, "
            f"{outcome.failed} failed{skipped} (the lab fails some devices on purpose) in {outcome.elapsed:.1f} s")
    per_agency = Counter(r["agency"] for r in rows)
    out.say("devices per agency: " + ", ".join(f"{a} {n}" for a, n in sorted(per_agency.items())))
    out.table(
        "what each device says about itself",
        ["device", "agency", "role", "model", "serial", "os / sysDescr", "failed"],
        [[r["device"], r["agency"], r["role"], r.get("model"), r.get("serial"),
          r.get("os_version") or r.get("sys_descr"), "; ".join(r["errors"])] for r in rows],
    )
