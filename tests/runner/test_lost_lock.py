"""An audit whose run is taken over while it collects (its heartbeats stopped reaching the database long
enough for another host to declare it stale) stops collecting, keeps what it finished, leaves the run's
status to the new owner and says who took it (RunLocked, exit 75 at the CLI)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy import text

from collectors.base import CollectContext, Collector, CollectorOutput
from netcomply.app.audit import AuditOptions, run_audit
from netcomply.inventory import load_inventory
from netcomply.models import Device, RunStatus, utcnow
from netcomply.store import Store
from netcomply.store.engine import make_engine
from netcomply.store.location import resolve_url
from netcomply.store.runlock import RunLocked


class Steady(Collector):
    """Answers every device after a short pause, touching no network."""

    name: ClassVar[str] = "steady"

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        await asyncio.sleep(0.2)
        return CollectorOutput()


def test_an_audit_whose_lock_is_taken_over_stops_and_says_by_whom(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    hosts = "\n".join(f"  sw{i}: {{address: 192.0.2.{i + 1}, platform: cisco_ios}}" for i in range(30))
    (tmp_path / "inv.yaml").write_text(f"settings:\n  allowed_ranges: [192.0.2.0/24]\nhosts:\n{hosts}\n")
    inventory = load_inventory(tmp_path / "inv.yaml")
    monkeypatch.setattr("netcomply.app.audit.select_collectors", lambda _names: [Steady()])
    monkeypatch.setattr("netcomply.store.runlock.HEARTBEAT_EVERY_S", 0.05)
    db = tmp_path / "s.db"
    stolen = threading.Event()

    def thief(result: Any) -> None:  # after the 3rd result, another host takes the run over
        if stolen.is_set():
            return
        with Store.open(db) as store:
            run = store.list_runs(1)[0]
            if len(store.device_results(run.id)) < 3:
                return
        engine = make_engine(resolve_url(str(db)))
        with engine.begin() as conn:
            conn.execute(text("UPDATE runs SET hostname = 'collector-b.example', pid = 4242, process_token = 't', "
                              "locked_at = :t, heartbeat_at = :t"), {"t": utcnow()})
        engine.dispose()
        stolen.set()

    with Store.open(db) as store:
        with pytest.raises(RunLocked) as lost:
            run_audit(inventory, store, AuditOptions(concurrency=1, judge=False), on_result=thief)
        assert lost.value.lost
        assert "was taken over by pid 4242 on host collector-b.example" in str(lost.value)
        run = store.list_runs(1)[0]
        assert run.status is RunStatus.RUNNING  # the new owner's to finish
        holder = store.run_holder(run.id)
        assert holder is not None and holder.hostname == "collector-b.example"
        done = store.device_results(run.id)
        assert 3 <= len(done) < 30  # stopped early, everything finished kept


