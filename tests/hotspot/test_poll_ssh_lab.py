"""`--via ssh` on the city lab: the controllers' AP listings over real SSH agree with the lab's schedule."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from collectors.hotspot.ssh_probe import ssh_reader_for
from netcomply.app.lab.manager import LabInfo
from netcomply.app.lab.snmp.schedule import SCHEDULE_FILE, Schedule
from netcomply.app.pipelines.hotspot.poller import PollOptions
from netcomply.app.pipelines.hotspot.session import run_poll_session
from netcomply.hotspot_samples import SampleStatus
from netcomply.inventory import load_inventory
from netcomply.store import Store
from netcomply.store.samples import SampleStore

pytestmark = pytest.mark.lab


def test_ssh_listings_follow_the_schedule(city_lab: LabInfo, tmp_path: Path) -> None:
    inv = load_inventory(city_lab.inventory)
    schedule = Schedule.load(city_lab.state_dir / "snmp" / "data" / SCHEDULE_FILE)
    with Store.open(tmp_path / "ssh.db") as store:
        summary = run_poll_session(inv, store, PollOptions(interval=2.0, count=2, via="ssh", reach="tcp"),
                                   ssh_reader=ssh_reader_for(inv))
        samples = list(SampleStore(store).samples(datetime.fromtimestamp(0, UTC), datetime.now(UTC)))
    assert summary.rounds == 2
    behind = [s for s in samples if s.source.startswith("ssh:")]
    controllers = {h.name for h in inv.hotspots if h.device in ("cg-wlc1", "dt-ac1")}
    assert {s.hotspot for s in behind} == controllers
    compared = 0
    for s in behind:
        t = s.measured_at.timestamp()
        truth = {schedule.state(s.hotspot, t - d).up for d in (0.0, 1.5, 3.0)}
        if len(truth) == 1:  # not at a change
            assert (s.status is SampleStatus.UP) == truth.pop(), s
            compared += 1
        if s.status is SampleStatus.UP and s.source == "ssh:huawei":
            assert s.uptime_s is not None and s.clients is not None
    assert compared >= len(behind) - 2
