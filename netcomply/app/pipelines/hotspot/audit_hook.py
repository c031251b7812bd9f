"""What an audit run records about hotspots before it is judged.

1. The run's AP snapshot (``hotspot.ap_state`` observations) becomes samples of a poll session named after the
   run (kind ``audit``), so every audit leaves a sample even where no poller runs.
2. The availability of every inventory hotspot over the **30 days before the run started** is computed from the
   samples table and stored as ``hotspot.availability`` observations of the run. The window is anchored on the
   run, and the figures are stored with it: re-judging the run months later reads the same figures.

Idempotent: a run that already has ``hotspot.availability`` observations (a resumed or re-judged run) is left
as it is.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from compliance.availability import analyse
from netcomply.hotspot_samples import HotspotSample, SampleStatus, slot_of
from netcomply.models import Inventory, Observation
from netcomply.store import Store
from netcomply.store.exceptions import StoreError
from netcomply.store.samples import SampleStore

log = logging.getLogger("netcomply.app.pipelines.hotspot")

WINDOW_DAYS = 30
#: How long an audit's single snapshot stands for (sample and hold): five minutes.
SNAPSHOT_INTERVAL_S = 300.0
COLLECTOR = "hotspot_availability"


def snapshot_samples(inventory: Inventory, ap_states: list[Observation]) -> list[HotspotSample]:
    """One sample per inventory hotspot the run's AP snapshot saw (hotspots it did not see get none)."""
    seen: dict[tuple[str, str], Observation] = {}
    for o in ap_states:
        seen[(o.device, str(o.data.get("ap")))] = o
    out = []
    for h in inventory.hotspots:
        device = h.device or h.name
        found = seen.get((device, h.ap_name or h.name)) or seen.get((device, device))
        if found is None:
            continue
        o = found
        at = datetime.fromisoformat(o.data["measured_at"]) if o.data.get("measured_at") else o.collected_at
        out.append(HotspotSample(
            hotspot=h.name, slot=slot_of(at.timestamp(), SNAPSHOT_INTERVAL_S), measured_at=at,
            status=SampleStatus.UP if o.data.get("up") else SampleStatus.DOWN, interval_s=SNAPSHOT_INTERVAL_S,
            uptime_s=o.data.get("uptime_s"), clients=o.data.get("clients"), site=h.site, zone=h.zone,
            agency=h.agency, source=f"audit:{o.data.get('source') or o.source}",
            detail={"controller": o.data.get("controller"), "observation": o.id},
        ))
    return out


def record_hotspot_evidence(store: Store, run_id: str, inventory: Inventory) -> int:
    """Store the snapshot samples and the month's availability observations; returns how many hotspots."""
    if not inventory.hotspots:
        return 0
    if next(store.observations(run_id, kind="hotspot.availability"), None) is not None:
        return 0
    run = store.get_run(run_id)
    samples = SampleStore(store)
    snapshot = snapshot_samples(inventory, list(store.observations(run_id, kind="hotspot.ap_state")))
    if snapshot:
        try:
            samples.start_session(run.id, kind="audit", interval_s=SNAPSHOT_INTERVAL_S,
                                  inventory_sha256=inventory.sha256, parameters={"run": run.id},
                                  started_at=run.started_at)
        except StoreError:
            log.debug("poll session %s exists already (resumed run)", run.id)
        samples.append(run.id, snapshot)
        samples.finish_session(run.id, "complete")
    until = run.started_at
    since = until - timedelta(days=WINDOW_DAYS)
    meta = {h.name: {"site": h.site, "zone": h.zone, "agency": h.agency} for h in inventory.hotspots}
    results = analyse(samples.samples(since, until, hotspots=list(meta)), since.timestamp(), until.timestamp(), meta)
    observations = []
    for r in results:
        data: dict[str, Any] = r.to_json()
        data["window_days"] = WINDOW_DAYS
        observations.append(Observation(device=r.hotspot, collector=COLLECTOR, kind="hotspot.availability",
                                        data=data, source="store:hotspot_samples"))
    store.add_observations(run.id, observations)
    return len(observations)
