"""Read what one report needs from the store: the runs and everything stored for them, nothing from the network.

Kept apart from the builder so the builder works on plain records (and a combined report is just the union).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netcomply.errors import InputError, NetcomplyError
from netcomply.models import DeviceResult, Finding, Inventory, Observation, Run
from netcomply.store import ArtifactRecord

log = logging.getLogger(__name__)


@dataclass
class RunData:
    """One stored run and everything recorded for it."""

    run: Run
    results: list[DeviceResult]
    observations: list[Observation]
    findings: list[Finding]
    artifacts: list[ArtifactRecord]
    inventory: Inventory | None = None
    inventory_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def resolve_runs(store: Any, run_ids: list[str] | tuple[str, ...]) -> list[Run]:
    """The runs named by id or unique prefix, each once, oldest first. No id at all is bad input."""
    if not run_ids:
        raise InputError("no run to report on: give --run ID (one or more) or --batch NAME", file="--run")
    runs: dict[str, Run] = {}
    for wanted in run_ids:
        run = store.get_run(wanted)
        runs[run.id] = run
    return sorted(runs.values(), key=lambda r: (r.started_at, r.id))


def runs_of_batch(store: Any, batch: str) -> list[Run]:
    """Every run of the store whose parameters name this batch (``netcomply audit --batch NAME``)."""
    found = [r for r in store.list_runs(limit=100_000) if (r.parameters or {}).get("batch") == batch]
    if not found:
        raise InputError(f"no run of batch {batch!r} in this store (runs are tagged with `netcomply audit --batch`)",
                         file=getattr(store, "url", "--batch"))
    return sorted(found, key=lambda r: (r.started_at, r.id))


def stored_inventory(run: Run) -> tuple[Inventory | None, str]:
    """The run's inventory, re-read from where it was, but only if it is byte-for-byte the file the run used
    (same SHA-256): a report must never describe a run with an inventory edited since."""
    if not run.inventory_source:
        return None, "the run names no inventory file"
    path = Path(run.inventory_source)
    if not path.is_file():
        return None, f"{path} is no longer there"
    from netcomply.inventory import load_inventory

    # The report needs names, agencies and sites, not credentials: warnings about unset secret variables
    # (expected on a reporting machine) would only be noise here.
    inventory_log = logging.getLogger("netcomply.inventory")
    level = inventory_log.level
    inventory_log.setLevel(logging.ERROR)
    try:
        inv = load_inventory(path)
    except (NetcomplyError, OSError) as exc:
        return None, f"{path} cannot be read: {exc}"
    finally:
        inventory_log.setLevel(level)
    if run.inventory_sha256 and inv.sha256 != run.inventory_sha256:
        return None, f"{path} changed since the run (SHA-256 differs); agency and site left out"
    return inv, ""


def gather(store: Any, runs: list[Run], inventory: Inventory | None = None) -> list[RunData]:
    """Load every run's records. ``inventory`` (given by ``audit --out``) is used for the run it was hashed for;
    otherwise each run's own inventory file is used when it is unchanged."""
    out = []
    for run in runs:
        inv: Inventory | None
        if inventory is not None and (not run.inventory_sha256 or inventory.sha256 == run.inventory_sha256):
            inv, note = inventory, ""
        else:
            inv, note = stored_inventory(run)
            if inventory is not None:
                note = (f"the inventory given ({inventory.source}) is not the one this run used (SHA-256 differs); "
                        + (note or f"used {run.inventory_source}, unchanged since the run"))
        out.append(RunData(
            run=run,
            results=store.device_results(run.id),
            observations=list(store.observations(run.id)),
            findings=store.findings(run.id),
            artifacts=store.artifact_records(run.id),
            inventory=inv,
            inventory_note=note,
        ))
    return out
