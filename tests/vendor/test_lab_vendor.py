"""End to end on the lab: `vendors` over the lab inventory and `scan` over 127.0.10.0/24, compared with the
ground truth in city.yaml (brand, manufacturer, model, prc_brand per device)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from collectors.vendor.judge import judge_run
from collectors.vendor.kb import load_kb
from netcomply.app.cli.vendor_cmd import app
from netcomply.app.lab.manager import LabInfo
from netcomply.app.lab.snmp.topology import CITY_YAML
from netcomply.inventory import load_inventory
from netcomply.secrets import read_env_file
from netcomply.store import Store

pytestmark = pytest.mark.lab


def truth_of(inv: Any) -> dict[str, dict[str, Any]]:
    return {d.name: {**d.vars.get("lab", {}), "address": d.address} for d in inv.devices}


def same_model(verdict: str | None, truth: str) -> bool:
    if verdict is None:
        return True
    v, t = verdict.lower(), truth.lower()
    return v in t or t in v


@pytest.fixture(scope="module")
def vendors_run(lab_vendors_run: dict[str, Any]) -> dict[str, Any]:
    """The session's `netcomply vendors` run of the lab with its registers (tests/conftest.py)."""
    return lab_vendors_run


#: NVD's CPE vendor strings for the lab's brands, written out (not asked of the code under test).
NVD_VENDOR = {"Aruba": "arubanetworks", "Cisco": "cisco", "Dahua": "dahuasecurity", "Fortinet": "fortinet",
              "H3C": "h3c", "HPE": "hpe", "Hikvision": "hikvision", "Huawei": "huawei", "Juniper": "juniper",
              "Palo Alto Networks": "paloaltonetworks", "Ruijie": "ruijie", "TP-Link": "tp-link", "ZTE": "zte"}


def test_vans_asset_list_from_the_lab(vendors_run: dict[str, Any]) -> None:
    """`vendors --cpe`: every device (and neighbour) is in the asset list; those with brand and model carry a CPE
    whose vendor part is NVD's string for their brand (an OS rule's own vendor for an OS CPE); the others say what
    is missing, unless their texts named an OS and its version."""
    from cpe import CPE

    stem = vendors_run["cpe"]
    doc = json.loads(stem.with_name(stem.name + ".json").read_text(encoding="utf-8"))
    rows = {d["name"]: d for d in doc["devices"]}
    devices = {d["name"]: d for d in vendors_run["data"]["devices"]}
    assert set(devices) <= set(rows)
    for name, d in devices.items():
        a = rows[name]
        if a["cpe_basis"] == "os":
            assert CPE(a["cpe"]).get_part() == [a["part"]] and a["cpe_vendor"].startswith("nvd"), a
        elif d["brand"] and d["model"]:
            assert a["cpe"].startswith(f"cpe:2.3:{a['part']}:{NVD_VENDOR[d['brand']]}:"), a
        else:
            assert a["cpe"] is None and a["missing"], a
    assert doc["without_cpe"] == sum(1 for a in doc["devices"] if not a["cpe"])
    assert stem.with_name(stem.name + ".csv").read_text(encoding="utf-8").startswith("name,address,brand,")


def test_every_inventory_device_gets_the_right_verdict(vendors_run: dict[str, Any]) -> None:
    inv, devices = vendors_run["inv"], {d["name"]: d for d in vendors_run["data"]["devices"]}
    truth = truth_of(inv)
    assert set(devices) == set(truth)
    for name, t in truth.items():
        v = devices[name]
        assert set(v) == {"name", "address", "brand", "manufacturer", "model", "serial", "version", "prc_brand",
                          "prc_state", "prc_rule", "prc_detail", "confidence", "evidence", "conflicts", "status"}
        if v["brand"] is None:  # allowed only where no signal names a brand (the device never answered)
            assert t.get("fault") and not any(e.get("brand") for e in v["evidence"]), (name, v)
            assert v["prc_brand"] is None
            continue
        assert v["brand"] == t["brand"], (name, v["brand"], t)
        assert v["prc_brand"] is t["prc_brand"], name
        assert v["manufacturer"] == t.get("manufacturer", t["brand"]), name
        assert same_model(v["model"], t["model"]), (name, v["model"], t["model"])
        assert all({"signal", "value", "source"} <= set(e) for e in v["evidence"])
    # the silent AP never answers SNMP, but its switch's LLDP table names it
    assert devices["dt-mute1"]["brand"] == "TP-Link"
    assert any(e["signal"].startswith("lldp.") for e in devices["dt-mute1"]["evidence"])
    # only the device the lab made disagree is a conflict (cg-dist1's H3C OUI agrees with its H3C-built agent)
    city = yaml.safe_load(Path(CITY_YAML).read_text(encoding="utf-8"))
    assert {n for n, d in devices.items() if d["status"] == "conflict"} == {d["name"] for d in city["devices"]
                                                                            if d.get("conflict")}
    sw3 = devices["dt-sw3"]
    assert sw3["status"] == "conflict" and {c["brand"] for c in sw3["conflicts"]} == {"HPE"}
    assert sw3["confidence"] < min(d["confidence"] for d in devices.values() if d["status"] == "identified")


def test_strangers_one_hop_away_are_identified(vendors_run: dict[str, Any]) -> None:
    neighbours = {n["name"]: n for n in vendors_run["data"]["neighbours"]}
    lldp = {k: v for k, v in neighbours.items() if v["via"] == "lldp"}
    assert {k: (v["brand"], v["prc_brand"]) for k, v in lldp.items()} == {
        "IPCAM-LOBBY-02": ("Hikvision", True), "HIKVISION": ("Hikvision", True),
        "TL-SG2210P": ("TP-Link", True), "TL-SG3428": ("TP-Link", True)}
    arp = [v for v in neighbours.values() if v["via"] == "arp"]
    # laptops with randomised MACs and the Espressif module are not reported; the Apple laptop is, as Apple
    assert [(v["brand"], v["prc_brand"]) for v in arp] == [("Apple", False)]


def test_findings_follow_policy_and_registers(vendors_run: dict[str, Any]) -> None:
    with Store.open(vendors_run["db"]) as store:
        run_id = vendors_run["data"]["run"]
        findings = store.findings(run_id)
    got = {(f.check_id, f.subject): f.status.value for f in findings}
    assert got[("vendor.prc_brand_on_network", "cg-cam1")] == "fail"
    assert got[("vendor.prc_brand_on_network", "dt-cam1")] == "pass"  # approved, isolated, in service life
    assert got[("vendor.prc_brand_on_network", "dt-nvr1")] == "fail"
    assert got[("vendor.prc_exception_invalid", "exception:dt-nvr1")] == "fail"
    assert got[("vendor.prc_brand_on_network", "neighbour:IPCAM-LOBBY-02 (via cg-dist1)")] == "fail"
    assert got[("vendor.not_in_register", "ed-core1")] == "fail"
    assert got[("vendor.not_in_register", "cg-core1")] == "pass"
    assert got[("vendor.register_not_seen", "asset:DT-099")] == "fail"
    assert got[("vendor.register_brand_mismatch", "dt-sw1")] == "fail"
    assert got[("vendor.register_brand_mismatch", "cg-dist1")] == "pass"
    assert got[("vendor.signal_conflict", "dt-sw3")] == "manual"
    assert got[("vendor.prc_manufacturer_review", "cg-dist1")] == "manual"
    assert got[("vendor.unknown_vendor", "dt-badpw1")] == "manual"
    sample = vendors_run["data"]["spot_check"]
    assert sample["seed"] == "7" and len(sample["devices"]) == 4 and all(d["prc_brand"] for d in sample["devices"])


def test_judging_again_offline_gives_the_same_verdicts_and_stores_nothing_new(vendors_run: dict[str, Any]) -> None:
    inv = vendors_run["inv"]
    with Store.open(vendors_run["db"]) as store:
        run_id = vendors_run["data"]["run"]
        before = len(list(store.observations(run_id, kind="vendor.identity")))
        again = judge_run(store, run_id, load_kb(), addresses={d.name: d.address for d in inv.devices})
        after = len(list(store.observations(run_id, kind="vendor.identity")))
    assert before == after == len(inv.devices)
    first = {d["name"]: (d["brand"], d["prc_brand"], d["confidence"]) for d in vendors_run["data"]["devices"]}
    assert {v.name: (v.brand, v.prc_brand, v.confidence) for v in again.devices} == first


def test_registers_are_kept_with_the_run_and_a_generic_rejudge_reproduces_their_findings(
        vendors_run: dict[str, Any]) -> None:
    """`compliance judge` months later has no CSV at hand: it must read the registers the run was judged with."""
    from compliance.judge import judge_run as rejudge

    with Store.open(vendors_run["db"]) as store:
        run_id = vendors_run["data"]["run"]
        recorded = list(store.observations(run_id, kind="vendor.register"))
        first = {(f.check_id, f.subject, f.status.value) for f in store.findings(run_id)
                 if f.check_id.startswith("vendor.")}
        again = {(f.check_id, f.subject, f.status.value) for f in rejudge(store, run_id)
                 if f.check_id.startswith("vendor.")}
    assert len(recorded) == 1 and recorded[0].data["asset_register"]["sha256"]
    assert [r["asset_id"] for r in recorded[0].data["asset_register"]["records"]][-1] == "DT-099"
    assert ("vendor.register_not_seen", "asset:DT-099", "fail") in again
    assert again == first


def test_audit_takes_the_registers_too(city_lab: LabInfo, tmp_path: Path) -> None:
    """A scheduled `netcomply audit` judges the registers like `netcomply vendors` does; a bad CSV stops it
    before any run is stored."""
    import subprocess
    import sys

    (tmp_path / "assets.csv").write_text("asset_id,name,address,brand,model,serial,owner\n"
                                         "CG-001,cg-core1,,Cisco,C9300-48P,,city IT\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_text("asset_id,name\n,nameless\n", encoding="utf-8")
    db = tmp_path / "audit.db"
    base = [sys.executable, "-m", "netcomply.app.cli.main", "audit", "-i", str(city_lab.inventory), "--db", str(db),
            "--collectors", "snmp_system", "--limit", "city-gov", "--format", "json", "--quiet"]
    bad = subprocess.run([*base, "--register", str(tmp_path / "bad.csv")], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "bad.csv" in bad.stderr
    assert not db.exists() or not Store.open(db).list_runs()
    done = subprocess.run([*base, "--register", str(tmp_path / "assets.csv")], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode in (0, 3), done.stderr
    with Store.open(db) as store:
        got = {(f.check_id, f.subject): f.status.value for f in store.findings(json.loads(done.stdout)["run"])}
    assert got[("vendor.not_in_register", "cg-core1")] == "pass"
    assert got[("vendor.not_in_register", "cg-cam1")] == "fail"


def test_scan_finds_every_lab_device_and_identifies_it(city_lab: LabInfo, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    inv = load_inventory(city_lab.inventory)
    env = read_env_file(city_lab.env_file)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    communities = sorted({d.snmp.community_env for d in inv.devices if d.snmp and d.snmp.community_env})
    ssh_port = next(d.ssh.port for d in inv.devices if d.ssh)
    snmp_port = next(d.snmp.port for d in inv.devices if d.snmp)
    args = ["scan", "127.0.10.0/24", "--tcp-ports", str(ssh_port), "--snmp-port", str(snmp_port),
            "--db", str(tmp_path / "scan.db"), "--format", "json"]
    for c in communities:
        args += ["--snmp-community", f"env:{c}"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    found = {d["address"]: d for d in json.loads(result.stdout)["devices"]}
    truth = {t["address"]: t for t in truth_of(inv).values()}
    assert set(found) == set(truth)  # every lab device, and nothing else on the /24
    for address, t in truth.items():
        v = found[address]
        if v["brand"] is None:  # only the silent agent: nothing it sends names a brand
            assert t.get("fault") == "silent_snmp" and not any(e.get("brand") for e in v["evidence"])
            continue
        assert (v["brand"], v["prc_brand"]) == (t["brand"], t["prc_brand"]), (address, v["brand"], t)
        assert v["manufacturer"] == t.get("manufacturer", t["brand"]), address
        assert same_model(v["model"], t["model"]), (address, v["model"], t["model"])
    assert not os.environ.get("NETCOMPLY_SCAN_LEAK")
