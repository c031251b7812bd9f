"""One audit run, end to end, without any CLI concerns (the CLI, the demo and the tests all call this).

inventory -> collect (runner, store) -> [compliance and reports, wired in as they land] -> outcome

While it collects, the run is locked by this process (:mod:`netcomply.store.runlock`): a resume claims the run
(refused while another live process collects into it, taking over a stale lock with a notice) after checking
that the inventory is the one the run started with (:mod:`netcomply.app.resume`), and a heartbeat keeps the lock
fresh for other hosts; a process whose lock was taken over stops collecting.
"""

from __future__ import annotations

import contextlib
import getpass
import logging
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from collectors.base import CollectContext, Collector, available
from netcomply import __version__
from netcomply.app.resume import check_resume_inventory, inventory_digest
from netcomply.app.runner import Runner, RunnerOptions, RunOutcome, plan
from netcomply.errors import InputError, InputProblem
from netcomply.models import DeviceResult, Inventory, Observation, Run, RunStatus, utcnow
from netcomply.safety.targets import target_policy_for
from netcomply.secrets import SecretResolver
from netcomply.store.runlock import Heartbeat, Holder, RunLocked

log = logging.getLogger(__name__)


@dataclass
class AuditOptions:
    collectors: Sequence[str] | None = None  # None: every collector that applies
    limit: str | None = None
    concurrency: int | None = None
    device_timeout: float | None = None
    retries: int | None = None
    insecure_host_keys: bool = False
    operator: str | None = None
    resume: str | None = None  # run id to resume: devices already done are skipped
    allow_changed_inventory: bool = False  # resume even if the inventory's SHA-256 differs from the run's
    judge: bool = True  # run the compliance checks over what was collected
    transport: str = "native"  # "ansible": SSH CLI collection through ansible-runner (collectors/ansible)
    batch: str | None = None  # several collector runs that make up one audit (Run.parameters["batch"])
    ansible_keep: bool = False  # keep the (redacted) ansible-runner private data dirs
    ansible_dir: str | None = None  # where those dirs go (default: the system temp dir)
    register: str | None = None  # the agency's asset register (CSV), recorded with the run for the vendor checks
    exceptions: str | None = None  # its exception register (CSV) of approved PRC-brand devices
    extra_parameters: dict[str, Any] = field(default_factory=dict)


def default_operator() -> str:
    try:
        user = getpass.getuser()
    except Exception:
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def select_collectors(names: Sequence[str] | None) -> list[Collector]:
    """Instantiate collectors by name (all registered ones when ``names`` is None); unknown names are input errors."""
    import collectors.builtin  # noqa: F401  (registers the built-in collectors)

    registry = available()
    if not names:
        return [cls() for cls in registry.values()]
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise InputError(
            InputProblem("--collectors", None, f"unknown collector(s) {', '.join(unknown)}; "
                         f"available: {', '.join(sorted(registry))}")
        )
    return [registry[n]() for n in names]


def build_context(inventory: Inventory, run_id: str, options: AuditOptions) -> CollectContext:
    return CollectContext(
        run_id=run_id,
        secrets=SecretResolver.from_env_file(inventory.env_file),
        targets=target_policy_for(inventory),
        settings=inventory.settings,
        known_hosts=inventory.settings.known_hosts,
        insecure_host_keys=options.insecure_host_keys,
    )


def run_audit(
    inventory: Inventory,
    store: Any,
    options: AuditOptions,
    *,
    on_result: Callable[[DeviceResult], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> tuple[Run, RunOutcome]:
    """Collect from every device of ``inventory`` into ``store``; returns the run and its outcome.

    ``on_notice`` receives what the user should be told but is no error (a stale lock taken over, a resume
    with a changed inventory); default: a log warning. A run locked by another live process raises
    :class:`netcomply.store.runlock.RunLocked` before anything is collected; a changed inventory on resume
    raises :class:`InputError` unless ``options.allow_changed_inventory``."""
    inv = inventory.filter(options.limit)
    chosen = select_collectors(options.collectors)
    if options.transport == "ansible":
        from collectors.ansible import route_collectors

        chosen = route_collectors(chosen)
    elif options.transport != "native":
        raise InputError(InputProblem("--transport", None, f"unknown transport {options.transport!r}; "
                                      "expected native or ansible"))
    settings = inv.settings
    runner_options = RunnerOptions(
        concurrency=options.concurrency or settings.concurrency,
        device_timeout=options.device_timeout or settings.device_timeout,
        retries=settings.retries if options.retries is None else options.retries,
    )
    registers = _load_registers(options)  # a bad CSV stops here, before a run exists
    notice = on_notice or log.warning
    if options.resume:
        run, skip = _resume(store, inventory, options, notice)
    else:
        run, skip = _new_run(store, inventory, chosen, options, runner_options), set()
    _record_registers(store, run.id, registers)
    tasks = plan(inv.devices, chosen, skip=skip)
    if on_plan is not None:
        on_plan(sum(len(t.collectors) for t in tasks) + _services_planned(inv, options, skip))
    ctx = build_context(inv, run.id, options)
    if options.transport == "ansible":
        _prepare_ansible(ctx, tasks, options, runner_options, run)
    runner = Runner(ctx, store, runner_options, progress=on_result)
    heartbeat = Heartbeat(lambda: store.heartbeat(run.id), runner.stop_threadsafe)
    try:
        with heartbeat:
            outcome = runner.run(tasks)
            _service_pass(inv, store, run.id, options, outcome, runner_options.concurrency, on_result)
    except BaseException:
        with contextlib.suppress(RunLocked):  # taken over meanwhile: the status is the new owner's to set
            store.finish_run(run.id, RunStatus.INTERRUPTED)
        raise
    finally:
        _close_shared(ctx)
    if heartbeat.lost:
        raise RunLocked(run.id, store.run_holder(run.id) or Holder(None, None, None, None, None), lost=True)
    if options.resume and outcome.status is not RunStatus.INTERRUPTED:
        # A resumed run is only complete if every device of the whole run is fine now.
        failed = [r for r in store.device_results(run.id) if r.status.value == "error"]
        outcome.status = RunStatus.PARTIAL if failed else RunStatus.COMPLETE
    store.finish_run(run.id, outcome.status)
    run.status = outcome.status
    if options.judge:
        judge(store, run.id, inv)
    return run, outcome


def _new_run(store: Any, inventory: Inventory, chosen: Sequence[Collector], options: AuditOptions,
             runner_options: RunnerOptions) -> Run:
    """Create (and so lock) a new run, with the digest of the inventory it is planned for."""
    from netcomply.store import new_run_id

    run = Run(
        id=new_run_id(),
        started_at=utcnow(),
        operator=options.operator or default_operator(),
        tool_version=__version__,
        inventory_sha256=inventory.sha256,
        inventory_source=inventory.source,
        parameters={
            "collectors": [c.name for c in chosen],
            "limit": options.limit,
            "concurrency": runner_options.concurrency,
            "device_timeout": runner_options.device_timeout,
            "retries": runner_options.retries,
            "insecure_host_keys": options.insecure_host_keys,
            "transport": options.transport,
            "batch": options.batch,
            **options.extra_parameters,
        },
    )
    store.create_run(run, inventory_digest=inventory_digest(inventory))
    return run


def _resume(store: Any, inventory: Inventory, options: AuditOptions,
            notice: Callable[[str], None]) -> tuple[Run, set[tuple[str, str]]]:
    """Claim the run to resume (inventory checked first, so a refusal leaves the run untouched) and return it
    with the (device, collector) pairs it already finished."""
    run: Run = store.get_run(options.resume)
    change = check_resume_inventory(run, inventory, store.inventory_digest(run.id),
                                    allow_changed=options.allow_changed_inventory)
    note: dict[str, Any] = {"at": utcnow().isoformat(), "operator": options.operator or default_operator(),
                            "inventory_sha256": inventory.sha256}
    if change is not None:
        note["inventory_changed"] = change
    claim = store.claim_run(run.id, resume_note=note)
    took_over = claim.message()
    if took_over is not None:
        notice(took_over)
    if change is not None:
        notice(f"run {run.id}: resuming with a changed inventory (--allow-changed-inventory): {change}")
    return run, store.completed(run.id)


def _load_registers(options: AuditOptions) -> dict[str, Any] | None:
    if not options.register and not options.exceptions:
        return None
    from netcomply.inventory.registers import register_observation_data

    return register_observation_data(options.register, options.exceptions)


def _record_registers(store: Any, run_id: str, registers: dict[str, Any] | None) -> None:
    """Keep the registers with the run (the judge reads them from there, today and at any re-judge); a resumed
    run given registers again records them only if it has none yet."""
    from netcomply.inventory.registers import REGISTER_COLLECTOR, REGISTER_KIND

    if registers is None or next(iter(store.observations(run_id, kind=REGISTER_KIND)), None) is not None:
        return
    store.add_observations(run_id, [Observation(device="*", collector=REGISTER_COLLECTOR, kind=REGISTER_KIND,
                                                source="registers", data=registers)])


def judge(store: Any, run_id: str, inventory: Inventory) -> list[Any]:
    """Judge the stored run (offline: the same functions re-judge an old run months later).

    First the derived facts (each device's vendor verdict from every signal collected), then the compliance
    checks over everything stored.
    """
    from collectors.vendor.judge import judge_run as identify_vendors
    from collectors.vendor.kb import load_kb
    from compliance.judge import judge_run
    from netcomply.app.pipelines.hotspot.audit_hook import record_hotspot_evidence
    from netcomply.app.pipelines.vendor import kb_path

    identify_vendors(store, run_id, load_kb(kb_path(None, inventory)),
                     addresses={d.name: d.address for d in inventory.devices})
    record_hotspot_evidence(store, run_id, inventory)  # the month's availability, anchored on the run
    return judge_run(store, run_id, data={"devices": {d.name: d for d in inventory.devices},
                                          "hotspot_ssids": sorted({s for h in inventory.hotspots for s in h.ssids})})


def _prepare_ansible(ctx: CollectContext, tasks: Any, options: AuditOptions, runner_options: RunnerOptions,
                     run: Run) -> None:
    """Attach the run's Ansible batch (collectors/ansible) and log which collections go through it."""
    from pathlib import Path

    from collectors.ansible.batch import AnsibleOptions
    from collectors.ansible.routing import prepare_ansible_transport

    routing = prepare_ansible_transport(ctx, tasks, AnsibleOptions(
        forks=runner_options.concurrency, keep_dir=options.ansible_keep,
        work_dir=Path(options.ansible_dir) if options.ansible_dir else None,
        command_timeout=runner_options.device_timeout))
    log.info("run %s: ansible transport for %s device(s): %s; native SSH: %s", run.id, routing["ansible_hosts"],
             routing["ansible_collections"], routing["native_ssh_collections"])


def _services_planned(inv: Inventory, options: AuditOptions, skip: set[tuple[str, str]]) -> int:
    """How many services the service pass will check (for the progress bar's total)."""
    from collectors.ipv6.service_pass import COLLECTOR, services_wanted

    if not services_wanted(options.collectors):
        return 0
    done = {device for device, collector in skip if collector == COLLECTOR}
    return sum(1 for s in inv.services if f"{s.kind}:{s.name}" not in done)


def _service_pass(inv: Inventory, store: Any, run_id: str, options: AuditOptions, outcome: RunOutcome,
                  concurrency: int, on_result: Callable[[DeviceResult], None] | None) -> None:
    """After the devices: the IPv6 checks of the inventory's services (collectors.ipv6.service_pass), each
    result stored as it arrives; a service that could not be checked makes the run partial, never stops it."""
    from collectors.ipv6.service_pass import services_wanted, store_service_pass

    if not inv.services or not services_wanted(options.collectors) or outcome.status is RunStatus.INTERRUPTED:
        return
    results = store_service_pass(inv, store, run_id, concurrency=concurrency, on_result=on_result)
    failed = [r for r in results if r.status.value == "error"]
    outcome.attempted += len(results)
    outcome.ok += len(results) - len(failed)
    outcome.failed += len(failed)
    for r in failed:
        outcome.errors[str(r.error_class)] += 1
    if failed and outcome.status is RunStatus.COMPLETE:
        outcome.status = RunStatus.PARTIAL


def _close_shared(ctx: CollectContext) -> None:
    for client in ctx.shared.values():
        close = getattr(client, "close", None)
        if callable(close):
            with contextlib.suppress(Exception):
                close()


__all__ = ["AuditOptions", "run_audit", "select_collectors", "target_policy_for"]
