"""Banned-vendor runs end to end, without CLI concerns: collect (audit or scan) -> store -> judge -> check.

Both entry points store a run: the observations (``vendor.identity`` and friends) and the findings, so that
``netcomply runs show`` and the reports see them like any audit's. Findings of other areas already stored for
the run are kept (the store replaces a run's findings as a whole).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from collectors.vendor.identify import Verdict
from collectors.vendor.judge import Judgement, judge_run
from collectors.vendor.kb import KnowledgeBase, load_kb
from compliance.checks.base import JudgeContext
from compliance.checks.vendor import run_vendor_checks
from compliance.judge import register_reading
from netcomply import __version__
from netcomply.inventory.registers import (
    REGISTER_COLLECTOR,
    REGISTER_KIND,
    AssetRecord,
    match_asset,
    register_observation_data,
    registers_from_observation,
)
from netcomply.models import (
    DeviceResult,
    DeviceStatus,
    Finding,
    Inventory,
    Observation,
    Run,
    RunStatus,
    utcnow,
)
from netcomply.vendor.sampling import spot_check

VENDOR_COLLECTORS = ("snmp_system", "cli_facts", "vendor_cli", "vendor_signals")
KB_ENV = "NETCOMPLY_VENDOR_KB"


@dataclass
class VendorOptions:
    vendor_kb: str | None = None
    register: Path | None = None
    exceptions: Path | None = None
    spot_check: int = 0
    seed: str = "0"
    today: date | None = None
    operator: str | None = None
    policy: dict[str, Any] = field(default_factory=dict)


@dataclass
class VendorResult:
    run: Run
    judgement: Judgement
    findings: list[Finding]
    sample: list[dict[str, Any]]
    kb: KnowledgeBase
    asset_register: list[AssetRecord] = field(default_factory=list)
    register_brands: dict[str, Any] = field(default_factory=dict)  # asset id -> its brand column read (the KB's)

    def device_rows(self) -> list[dict[str, Any]]:
        return [v.to_dict() for v in self.judgement.devices]

    def asset_rows(self) -> list[dict[str, Any]]:
        """The device rows for the VANS asset list, a brand or model the device's own answers left out taken from
        its asset-register row (the knowledge base's name of the register's brand), with ``brand_from`` /
        ``model_from`` saying so: the agency's own record is the one source left for an OEM product's brand."""
        rows = []
        for row in self.device_rows():
            asset = match_asset(self.asset_register, name=row.get("name"), address=row.get("address"),
                                serial=row.get("serial"))
            if asset is not None:
                where = f"asset register {asset.asset_id}"
                reading = self.register_brands.get(asset.asset_id) or {}
                if not row.get("brand") and asset.brand:
                    row = {**row, "brand": reading.get("brand") or asset.brand, "brand_from": where}
                if not row.get("model") and asset.model:
                    row = {**row, "model": asset.model, "model_from": where}
            rows.append(row)
        return rows

    def neighbour_rows(self) -> list[dict[str, Any]]:
        return [{**v.to_dict(), **extra} for v, extra in self.judgement.neighbours]


def kb_path(option: str | None, inventory: Inventory | None = None) -> str | None:
    """Where the user's knowledge-base additions are: the option, ``$NETCOMPLY_VENDOR_KB``, or the inventory's
    ``defaults: {vars: {vendor_kb: FILE}}`` (relative to the inventory file)."""
    if option:
        return option
    if os.environ.get(KB_ENV):
        return os.environ[KB_ENV]
    if inventory is not None:
        for d in inventory.devices:
            value = d.vars.get("vendor_kb")
            if value:
                return str((Path(inventory.source).parent / str(value)).resolve())
    return None


def _registers(options: VendorOptions) -> dict[str, Any] | None:
    """The registers' data as stored with the run (loaded now, so a bad CSV stops before anything runs)."""
    if not options.register and not options.exceptions:
        return None
    return register_observation_data(options.register, options.exceptions)


def judge_and_check(store: Any, run: Run, kb: KnowledgeBase, addresses: dict[str, str], options: VendorOptions,
                    registers: dict[str, Any] | None) -> VendorResult:
    if registers is not None:  # kept with the run: a later re-judge reads the same registers
        store.add_observations(run.id, [Observation(
            device="*", collector=REGISTER_COLLECTOR, kind=REGISTER_KIND, source="registers", data=registers)])
    judgement = judge_run(store, run.id, kb, addresses=addresses)  # also reads the register's brands (stored)
    records = registers_from_observation(registers or {})
    ctx = JudgeContext(run_id=run.id, data={
        "asset_register": records.get("asset_register"), "exceptions": records.get("exceptions", []),
        "today": options.today or utcnow().date(), "vendor_policy": options.policy,
        **register_reading(store, run.id),
    })
    findings = run_vendor_checks(judgement.observations, ctx)
    kept = [f for f in store.findings(run.id) if not f.check_id.startswith("vendor.")]
    store.replace_findings(run.id, kept + findings)
    sample = spot_check(
        [{"name": v.name, "address": v.address, "brand": v.brand, "model": v.model, "serial": v.serial,
          "prc_brand": v.prc_brand} for v in judgement.devices],
        options.spot_check, options.seed,
    ) if options.spot_check else []
    if options.spot_check:  # stored with the run, so the report shows the sample the auditor drew
        store.add_observations(run.id, [Observation(
            device="*", collector="vendor_spot_check", kind="vendor.spot_check", source="spot-check",
            data={"seed": str(options.seed), "size": options.spot_check, "devices": sample})])
    return VendorResult(run, judgement, findings, sample, kb, list(records.get("asset_register") or []),
                        dict(ctx.data.get("register_brands") or {}))


def identify_inventory(inventory: Inventory, store: Any, options: VendorOptions, *, concurrency: int | None = None,
                       device_timeout: float | None = None, insecure_host_keys: bool = False) -> VendorResult:
    """Collect what identifies each inventory device (SNMP system + vendor signals, SSH CLI facts), then judge."""
    from netcomply.app.audit import AuditOptions, run_audit

    kb = load_kb(kb_path(options.vendor_kb, inventory))
    registers = _registers(options)  # bad CSV -> InputError before anything runs
    run, _outcome = run_audit(inventory, store, AuditOptions(
        collectors=list(VENDOR_COLLECTORS), concurrency=concurrency, device_timeout=device_timeout,
        insecure_host_keys=insecure_host_keys, operator=options.operator,
        extra_parameters={"command": "vendors", "vendor_kb": list(kb.sources)},
    ))
    return judge_and_check(store, run, kb, {d.name: d.address for d in inventory.devices}, options,
                           registers)


def scan_network(scan_options: Any, store: Any, options: VendorOptions) -> VendorResult:
    """Discover hosts in the named targets, probe them, store the results as a run, judge."""
    from collectors.vendor.scan import scan, validate_targets
    from netcomply.app.audit import default_operator
    from netcomply.store import new_run_id

    validate_targets(scan_options.targets)  # bad input: no run is created
    kb = load_kb(kb_path(options.vendor_kb))
    registers = _registers(options)
    started = utcnow()
    run = Run(id=new_run_id(), started_at=started, operator=options.operator or default_operator(),
              tool_version=__version__, parameters={
                  "command": "scan", "targets": list(scan_options.targets), "tcp_ports": scan_options.tcp_ports,
                  "snmp_port": scan_options.snmp_port, "communities": len(scan_options.communities),
                  "snmp_v3": bool(scan_options.v3), "vendor_kb": list(kb.sources)})
    store.create_run(run)
    try:
        hosts = scan(scan_options)
    except BaseException:
        store.finish_run(run.id, RunStatus.FAILED)
        raise
    for h in hosts:
        store.record_device_result(run.id, DeviceResult(
            device=h.name, collector="vendor_scan", status=DeviceStatus.OK, started_at=started,
            finished_at=utcnow(), cause="; ".join(h.errors) or None, observations=h.observations,
            artifacts=h.artifacts))
    store.finish_run(run.id, RunStatus.COMPLETE)
    run.status = RunStatus.COMPLETE
    return judge_and_check(store, run, kb, {h.name: h.address for h in hosts}, options, registers)


def summary(findings: Sequence[Finding]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for f in findings:
        out.setdefault(f.check_id, {}).setdefault(f.status.value, 0)
        out[f.check_id][f.status.value] += 1
    return out


__all__ = ["VendorOptions", "VendorResult", "Verdict", "identify_inventory", "scan_network", "summary"]
