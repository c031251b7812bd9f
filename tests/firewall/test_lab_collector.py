"""The firewall collector against the simulated lab firewalls over SSH (read-only commands only)."""

from __future__ import annotations

from pathlib import Path

import pytest

import collectors.firewall.collector  # noqa: F401  (registers the collector)
from netcomply.app.audit import AuditOptions, run_audit
from netcomply.app.lab.manager import LabInfo
from netcomply.inventory import load_inventory
from netcomply.models import DeviceStatus
from netcomply.store import Store

pytestmark = pytest.mark.lab

DEVICES = "cg-fw1,cg-rtr1,cg-edge1,ed-fw1,dt-fw1"


def test_collects_and_analyses_the_lab_firewalls(city_lab: LabInfo, tmp_path: Path) -> None:
    inv = load_inventory(city_lab.inventory)
    with Store.open(tmp_path / "fw.db") as store:
        run, _ = run_audit(inv, store, AuditOptions(collectors=["firewall_rules"], limit=DEVICES,
                                                    operator="pytest", judge=False))
        results = store.device_results(run.id)
        obs = list(store.observations(run.id))
    failed = {(r.device, r.collector): (r.error_class, r.cause) for r in results if r.status != DeviceStatus.OK}
    assert not failed, failed
    rules = [o for o in obs if o.kind == "firewall.rule"]
    assert {o.device for o in rules} == set(DEVICES.split(","))
    assert all(o.artifacts for o in rules)
    hidden = {(o.device, o.data["kind"]) for o in obs if o.kind == "firewall.anomaly"}
    assert ("cg-fw1", "redundant") in hidden and ("cg-fw1", "shadowed") in hidden
    asa = [o.data for o in rules if o.device == "cg-fw1"]
    assert any(r["hits"] == 41872 for r in asa) and all(r["status"] == "exact" for r in asa)
    # The planted irrelevant rules (the templates' comments): found from the devices' own interfaces and routes.
    irrelevant = {(o.device, o.data["ruleset"], o.data["rule"]) for o in obs
                  if o.kind == "firewall.anomaly" and o.data["kind"] == "irrelevant"}
    names = {(d, next(o.data["name"] for o in rules if o.device == d and o.data["ruleset"] == rs
                      and o.data["index"] == k)) for d, rs, k in irrelevant}
    assert names == {("cg-fw1", "INSIDE_OUT line 3"), ("ed-fw1", "STALE-WAN-SRC"), ("cg-edge1", "STALE-DMZ-OUT"),
                     ("dt-fw1", "STALE-DMZ-SRC")}
    # Counter age: every platform but Linux states its uptime, so every rule set knows when its counters started.
    since = {o.device: o.data["counters_since"] for o in obs if o.kind == "firewall.ruleset"}
    assert all(since[d] for d in ("cg-fw1", "cg-rtr1", "cg-edge1", "ed-fw1", "dt-fw1") if d in since), since
    assert {o.data["counters_basis"] for o in obs if o.kind == "firewall.ruleset"} == {"uptime"}
