"""A poll session: open the store's session row, run the poller over an inventory's hotspots, close the row.

The CLI, the tests and the benchmark all call :func:`run_poll_session`; nothing here knows about terminals.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from netcomply.app.pipelines.hotspot.poller import (
    Poller,
    PollOptions,
    PollSummary,
    PollTarget,
    RoundResult,
    plan_targets,
)
from netcomply.models import Inventory
from netcomply.secrets import SecretResolver
from netcomply.store import Store, new_run_id
from netcomply.store.samples import SampleStore


def run_poll_session(
    inventory: Inventory,
    store: Store,
    options: PollOptions,
    *,
    on_start: Callable[[str, list[PollTarget]], None] | None = None,
    on_round: Callable[[RoundResult, PollSummary], None] | None = None,
    ssh_reader: Callable[[PollTarget], Any] | None = None,
) -> PollSummary:
    """Poll ``inventory``'s hotspots into ``store`` until ``options`` says stop or a signal arrives."""
    from netcomply.safety.targets import target_policy_for

    targets = plan_targets(inventory)
    samples = SampleStore(store)
    session = new_run_id()
    samples.start_session(
        session, kind="poll", interval_s=options.interval, inventory_sha256=inventory.sha256,
        parameters={"inventory": inventory.source, "via": options.via, "reach": options.reach,
                    "concurrency": options.concurrency, "count": options.count, "duration": options.duration,
                    "hotspots": sum(len(t.hotspots) for t in targets), "devices": len(targets)},
    )
    if on_start is not None:
        on_start(session, targets)
    poller = Poller(
        targets, secrets=SecretResolver.from_env_file(inventory.env_file), policy=target_policy_for(inventory),
        options=options, write=lambda batch: samples.append(session, batch), session=session,
        on_round=on_round, ssh_reader=ssh_reader,
    )
    status = "interrupted"
    try:
        summary = asyncio.run(poller.run())
        status = summary.status
    finally:
        samples.finish_session(session, status)
    return summary
