"""An audit of the city lab with the hotspot collectors: AP snapshot as a sample, SSID policy findings from the
controllers' real configuration text, and the month's availability (from seeded samples) judged on the run."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from compliance.judge import judge_run
from netcomply.app.audit import AuditOptions, run_audit
from netcomply.app.lab.manager import LabInfo
from netcomply.hotspot_samples import HotspotSample, SampleStatus, slot_of
from netcomply.inventory import load_inventory
from netcomply.models import FindingStatus, utcnow
from netcomply.store import Store
from netcomply.store.samples import SampleStore

pytestmark = pytest.mark.lab
STEP = 600.0  # seeded history: one sample every ten minutes for the month before the audit
BAD = "PARK-N-01"  # down for a day in the seeded month
UNPOLLED = "MKT-02"  # no history at all


def _seed(store: Store, inv: Any) -> None:
    ss = SampleStore(store)
    now = utcnow().timestamp()
    start = now - 30 * 86400
    ss.start_session("seeded-history", kind="poll", interval_s=STEP, inventory_sha256=None, parameters={},
                     started_at=utcnow() - timedelta(days=30))
    batch = []
    from datetime import UTC, datetime

    for h in inv.hotspots:
        if h.name == UNPOLLED:
            continue
        t = start + STEP
        while t < now - STEP:
            down = h.name == BAD and start + 10 * 86400 <= t < start + 11 * 86400
            batch.append(HotspotSample(h.name, slot_of(t, STEP), datetime.fromtimestamp(t, UTC),
                                       SampleStatus.DOWN if down else SampleStatus.UP, STEP, uptime_s=t - start + 1e5,
                                       clients=5, site=h.site, zone=h.zone, agency=h.agency))
            t += STEP
    ss.append("seeded-history", batch)


@pytest.fixture(scope="module")
def audited(city_lab: LabInfo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("hotspot-audit") / "audit.db"
    inv = load_inventory(city_lab.inventory)
    with Store.open(db) as store:
        _seed(store, inv)
        run, _ = run_audit(inv, store, AuditOptions(operator="pytest", collectors=["hotspot_ap", "hotspot_wlan"]))
        findings = store.findings(run.id)
        obs = list(store.observations(run.id))
        snapshot = SampleStore(store).count(run.id)
        rejudged = judge_run(store, run.id, data={"hotspot_ssids": []})
    return {"inv": inv, "run": run, "findings": findings, "obs": obs, "snapshot": snapshot, "rejudged": rejudged,
            "db": db}


def _by(findings: list[Any], check: str) -> dict[str, Any]:
    return {f.subject: f for f in findings if f.check_id == check}


def test_ssid_policy_findings(audited: dict[str, Any]) -> None:
    wlans = {(o.device, o.data["ssid"]): o.data for o in audited["obs"] if o.kind == "hotspot.wlan"}
    assert wlans[("cg-wlc1", "CityStaff")]["security"] == "wpa-psk"
    assert wlans[("dt-ac1", "iTaiwan")]["user_auth"] == ["web"]
    enc = _by(audited["findings"], "hotspot.admin_ssid_encrypted")
    assert enc["cg-wlc1/CityAdmin-Legacy"].status is FindingStatus.FAIL
    assert enc["cg-wlc1/CityStaff"].status is FindingStatus.PASS
    assert enc["dt-ac1/DO-Office"].status is FindingStatus.PASS
    auth = _by(audited["findings"], "hotspot.public_ssid_authenticates")
    assert {s for s, f in auth.items() if f.status is FindingStatus.FAIL} == {"cg-wlc1/CH-Meeting",
                                                                              "dt-ac1/District-Free"}
    bw = _by(audited["findings"], "hotspot.per_user_bandwidth")
    assert {s for s, f in bw.items() if f.status is FindingStatus.PASS} == {"cg-wlc1/CityFreeWiFi", "dt-ac1/iTaiwan"}
    assert bw["cg-wlc1/iTaiwan"].status is FindingStatus.FAIL and "1000" in bw["cg-wlc1/iTaiwan"].message
    assert all(f.controls for f in [*enc.values(), *auth.values(), *bw.values()])


def test_month_of_availability_is_judged_on_the_run(audited: dict[str, Any]) -> None:
    avail = _by(audited["findings"], "hotspot.availability_min")
    assert set(avail) == {h.name for h in audited["inv"].hotspots}
    assert avail[BAD].status is FindingStatus.FAIL and avail[BAD].details["outages"]
    outage = avail[BAD].details["outages"][0]
    assert abs(outage["seconds"] - 86400) <= STEP
    assert avail[UNPOLLED].status is FindingStatus.MANUAL
    assert avail["CH-1F-LOBBY"].status is FindingStatus.PASS
    cov = _by(audited["findings"], "hotspot.sampling_coverage")
    assert cov[UNPOLLED].status is FindingStatus.FAIL and cov["CH-1F-LOBBY"].status is FindingStatus.PASS
    # the AP snapshot of the run became samples (the silent AP gave none)
    assert audited["snapshot"] == len(audited["inv"].hotspots) - 1
    # re-judging the stored run gives the same availability verdicts
    again = _by(audited["rejudged"], "hotspot.availability_min")
    assert {k: v.status for k, v in again.items()} == {k: v.status for k, v in avail.items()}


def test_second_judge_adds_no_second_month(audited: dict[str, Any]) -> None:
    from netcomply.app.audit import judge

    with Store.open(audited["db"]) as store:
        judge(store, audited["run"].id, audited["inv"])
        n = sum(1 for _ in store.observations(audited["run"].id, kind="hotspot.availability"))
    assert n == len(audited["inv"].hotspots)


def test_report_cli_reads_the_store(audited: dict[str, Any], tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "netcomply.app.cli.main", "hotspot", "report", "--db", str(audited["db"]),
                           "--since", "31d", "--format", "json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    worst = data["worst"][0]
    assert worst["hotspot"] == BAD and worst["outages"]
    zones = {g["zone"]: g for g in data["groups"]["zone"]}
    assert zones["park"]["outages"] == 1
    csv_out = subprocess.run([sys.executable, "-m", "netcomply.app.cli.main", "hotspot", "report", "--db",
                              str(audited["db"]), "--since", "31d", "--by", "zone", "--format", "csv"],
                             capture_output=True, text=True, timeout=120)
    assert csv_out.returncode == 0 and csv_out.stdout.splitlines()[0].startswith("zone,hotspots,availability")
    bad = subprocess.run([sys.executable, "-m", "netcomply.app.cli.main", "hotspot", "report", "--db",
                          str(audited["db"]), "--since", "yesterday"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--since" in bad.stderr
