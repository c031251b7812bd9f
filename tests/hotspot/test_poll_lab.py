"""Polling the lab through a known schedule: availability within one interval of the truth, outages, reboots,
client counts, gaps, and a poller killed with SIGTERM and started again losing nothing.

The truth is the lab's own :class:`Schedule` (the agents answer from it), never numbers written here."""

from __future__ import annotations

import itertools
import math
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from compliance.availability import analyse, segments
from netcomply.app.lab.hotspot_lab import short_schedule
from netcomply.app.pipelines.hotspot.poller import PollOptions
from netcomply.app.pipelines.hotspot.session import run_poll_session
from netcomply.hotspot_samples import SampleStatus
from netcomply.inventory import load_inventory
from netcomply.store import Store
from netcomply.store.samples import SampleStore

pytestmark = pytest.mark.lab
INTERVAL = 1.0
SILENT = "dt-mute1"


def _fresh_schedule(lab: Any, seed: int, lead: float = 1.0) -> Any:
    epoch = math.ceil(time.time()) + lead
    sched = short_schedule([n for n in lab.ap_names if n != SILENT], epoch, seed=seed)
    lab.install(sched)
    return sched


def test_availability_outages_reboots_and_clients_match_the_schedule(hotspot_lab: Any, tmp_path: Path) -> None:
    sched = _fresh_schedule(hotspot_lab, seed=7)
    inv = load_inventory(hotspot_lab.inventory)
    with Store.open(tmp_path / "s.db") as store:
        summary = run_poll_session(inv, store, PollOptions(interval=INTERVAL, count=18, reach="tcp"))
        assert summary.rounds == 18 and summary.written == 18 * len(inv.hotspots)
        samples = list(SampleStore(store).samples(datetime.fromtimestamp(0, UTC), datetime.now(UTC)))
    slots = sorted({s.slot.timestamp() for s in samples})
    # rounds sit on the grid; a round that overran (a loaded machine) skipped slots and said so
    assert len(slots) == 18 and slots[-1] - slots[0] == (17 + summary.missed_slots) * INTERVAL
    since, until = slots[1], slots[-1]  # the first sample holds until the second: known from here on
    results = {r.hotspot: r for r in analyse(samples, since, until)}
    assert set(results) == {h.name for h in inv.hotspots}

    silent = results[SILENT]
    assert silent.availability is None and silent.unknown_s == pytest.approx(until - since)

    outages_seen = reboots_seen = clean = 0
    for name, ap in sched.aps.items():
        r = results[name]
        windows = [(sched.epoch + a, sched.epoch + b) for a, b in ap.down]
        mine = sorted((s for s in samples if s.hotspot == name), key=lambda s: s.measured_at)
        # the truth over the time the samples cover (a timeout under load is a gap, never counted)
        true_down = sum(max(0.0, min(seg.end, b) - max(seg.start, a))
                        for seg in segments(mine, since, until) if seg.state != "unknown" for a, b in windows)
        assert abs(r.down_s - true_down) <= INTERVAL * max(1, len(r.outages)), (name, r.down_s, true_down)
        if r.unknown_s:
            continue
        clean += 1
        ended = [(a, b) for a, b in windows if b < until - INTERVAL]
        assert len(r.outages) == len(ended), (name, r.outages, ended)
        for o, (a, b) in zip(r.outages, ended, strict=True):
            assert a <= o.start < a + INTERVAL and b <= o.end < b + INTERVAL  # late by less than one interval
        outages_seen += len(ended)
        boots = sorted([(b, "after_outage") for _, b in ended]
                       + [(sched.epoch + t, "unexplained") for t in ap.reboots if since < sched.epoch + t < until - 1])
        assert [k for _, k in boots] == [x.kind for x in r.reboots], (name, r.reboots, boots)
        for (t, _), x in zip(boots, r.reboots, strict=True):
            assert abs(x.booted_at - t) <= 1.0
        reboots_seen += len(boots)
    assert clean >= 0.7 * len(sched.aps), "too many SNMP timeouts to judge the poller"
    assert outages_seen >= 4 and reboots_seen >= 4, "the schedule must exercise outages and reboots"

    checked = 0
    for s in samples:
        if s.hotspot == SILENT or s.status is not SampleStatus.UP or s.clients is None:
            continue
        assert s.clients == sched.state(s.hotspot, s.measured_at.timestamp()).clients, s
        checked += 1
    assert checked > 100  # the controllers report clients for their APs
    assert any(s.status is SampleStatus.DOWN and s.source.startswith("snmp:cisco") for s in samples)
    assert any(s.status is SampleStatus.DOWN and s.source.startswith("snmp:huawei") for s in samples)


def _poll_cli(inventory: Path, db: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "netcomply.app.cli.main", "hotspot", "poll", "-i", str(inventory), "--interval", "1",
         "--db", str(db), "--format", "json", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "NETCOMPLY_DEBUG": "0"},
    )


def test_poller_stopped_by_sigterm_and_restarted_loses_and_duplicates_nothing(hotspot_lab: Any, tmp_path: Path) -> None:
    _fresh_schedule(hotspot_lab, seed=11)
    db = tmp_path / "restart.db"
    n = len(load_inventory(hotspot_lab.inventory).hotspots)
    first = _poll_cli(hotspot_lab.inventory, db)
    deadline = time.time() + 60
    while time.time() < deadline:  # three rounds committed, whatever the machine's load
        time.sleep(0.3)
        if db.exists():
            with Store.open(db) as store:
                if SampleStore(store).count() >= 3 * n:
                    break
    first.send_signal(signal.SIGTERM)
    out1, err1 = first.communicate(timeout=30)
    assert first.returncode == 130, err1
    time.sleep(2.2)  # the poller is down for two slots: they must show as a gap
    second = _poll_cli(hotspot_lab.inventory, db, "--count", "4")
    out2, err2 = second.communicate(timeout=60)
    assert second.returncode == 0, err2
    import json

    s1, s2 = json.loads(out1), json.loads(out2)
    assert s1["status"] == "interrupted" and s1["rounds"] >= 3 and s2["rounds"] == 4
    with Store.open(db) as store:
        ss = SampleStore(store)
        assert ss.count(s1["session"]) == s1["rounds"] * n == s1["written"]
        assert ss.count(s2["session"]) == 4 * n
        assert {x["id"]: x["status"] for x in ss.sessions()} == {s1["session"]: "interrupted",
                                                                 s2["session"]: "complete"}
        samples = list(ss.samples(datetime.fromtimestamp(0, UTC), datetime.now(UTC)))
    keys = [(s.hotspot, s.slot) for s in samples]
    assert len(keys) == len(set(keys)) == (s1["rounds"] + 4) * n
    slots = sorted({s.slot.timestamp() for s in samples})
    results = analyse(samples, slots[0], slots[-1] + 1)
    for r in results:
        assert len(r.gaps) >= 1 if r.hotspot != SILENT else True
        if r.hotspot != SILENT:
            gap = max(r.gaps, key=lambda g: g.length)
            assert gap.length >= 1.0  # the restart shows as unknown, not as up or down
            assert r.up_s + r.down_s + r.unknown_s == pytest.approx(slots[-1] + 1 - slots[0])


def test_overrun_is_logged_and_its_slots_left_as_a_gap(hotspot_lab: Any, tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    """A round slower than the interval (a silent AP with a 1.3 s timeout, polled every second) skips the slots
    it ran over; the rounds that did run stay on the grid."""
    import asyncio

    from netcomply.app.pipelines.hotspot.poller import Poller, plan_targets
    from netcomply.safety.targets import target_policy_for
    from netcomply.secrets import SecretResolver

    inv = load_inventory(hotspot_lab.inventory)
    targets = [t for t in plan_targets(inv) if t.device.name == SILENT]
    written: list[Any] = []

    def keep(batch: list[Any]) -> int:
        written.extend(batch)
        return len(batch)

    poller = Poller(targets, secrets=SecretResolver.from_env_file(inv.env_file), policy=target_policy_for(inv),
                    options=PollOptions(interval=1.0, count=3, reach="none", snmp_timeout=1.3),
                    write=keep, session="overrun")
    with caplog.at_level("WARNING", logger="netcomply.app.pipelines.hotspot"):
        summary = asyncio.run(poller.run())
    assert summary.rounds == 3 and summary.overruns >= 2 and summary.missed_slots >= 2
    slots = [s.slot.timestamp() for s in written]
    assert all(s == int(s) for s in slots) and all(b - a >= 2.0 for a, b in itertools.pairwise(slots))
    assert {s.status for s in written} == {SampleStatus.UNKNOWN}
    assert any("longer than the 1.00s interval" in r.getMessage() for r in caplog.records)
