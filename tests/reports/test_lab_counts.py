"""On a real lab audit: devices, services and hotspots are counted apart (issue 18: "共 54 台設備" for a 29-device
inventory), and the report's national duties for each agency are what ``compliance controls --agency`` says
(the report said 14 not assessed where ``compliance controls`` said 14 fail)."""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest
from typer.testing import CliRunner

from netcomply.app.cli.main import app
from netcomply.app.lab.manager import LabInfo
from netcomply.inventory import load_inventory

pytestmark = pytest.mark.lab


def _json(*args: str, codes: tuple[int, ...] = (0,)) -> Any:
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code in codes, result.output
    return json.loads(result.output[result.output.index("{"):])


@pytest.fixture(scope="module")
def lab_report(lab_cli_audit: dict[str, Any], city_lab: LabInfo, tmp_path_factory: pytest.TempPathFactory
               ) -> dict[str, Any]:
    """The session's CLI audit of the lab (tests/conftest.py), reported again with ``netcomply report``."""
    base = tmp_path_factory.mktemp("lab-counts")
    assert lab_cli_audit["returncode"] in (0, 3), lab_cli_audit["said"]  # 3: the lab fails devices on purpose
    audit = json.loads(lab_cli_audit["stdout"])
    db = base / "store.db"
    shutil.copy2(lab_cli_audit["db"], db)
    _json("report", "--run", audit["run"], "--db", str(db), "--formats", "json", "--out", str(base / "rep"),
          "--quiet")
    report = json.loads((base / "rep" / "report.json").read_text())
    return {"db": db, "run": audit["run"], "audit": audit, "report": report,
            "inventory": load_inventory(city_lab.inventory), "inventory_path": city_lab.inventory}


def test_devices_services_and_hotspots_are_counted_apart(lab_report: dict[str, Any]) -> None:
    inv, summary = lab_report["inventory"], lab_report["report"]["summary"]
    assert len(inv.devices) == 29 and inv.services and inv.hotspots
    assert summary["devices"]["total"] == 29
    assert summary["services"]["total"] == len(inv.services)
    assert summary["hotspots"]["total"] == len(inv.hotspots)
    rows = lab_report["report"]["devices"]
    assert {d["name"] for d in rows if d["kind"] == "device"} == {d.name for d in inv.devices}
    # One name can be two services (dns and mail of city.lab.example): the probe records them as KIND:NAME.
    assert {d["name"] for d in rows if d["kind"] == "service"} == {f"{s.kind}:{s.name}" for s in inv.services}
    # An AP that is an inventory device and a hotspot (ed-ap1) is a device row counted as a hotspot too.
    assert {d["name"] for d in rows if d["kind"] == "hotspot" or d["hotspot"]} == {h.name for h in inv.hotspots}
    # The CLI summaries (audit, demo, runs list/show) count the same subjects.
    subjects = lab_report["audit"]["subjects"]
    assert [subjects[k]["total"] for k in ("devices", "services", "hotspots")] == [
        29, len(inv.services), len(inv.hotspots)]
    # The per-agency table and the device chart count devices only.
    assert sum(a["devices"] for a in summary["agencies"]) == 29
    assert summary["devices"]["total"] == sum(summary["devices"][s] for s in ("ok", "partial", "failed",
                                                                             "not_tried"))


def test_report_duties_agree_with_compliance_controls(lab_report: dict[str, Any]) -> None:
    inv = lab_report["inventory"]
    duties = {a["agency"]: a for a in lab_report["report"]["duties_by_agency"]}
    assert len(inv.agencies) > 1 and set(duties) == set(inv.agencies)
    for agency in inv.agencies:
        cli = _json("compliance", "controls", "--run", lab_report["run"], "-i", str(lab_report["inventory_path"]),
                    "--agency", agency, "--framework", "tw-cyber", "--db", str(lab_report["db"]))
        assert {c["control"]: c["status"] for c in cli["controls"]} == {
            c["control"]: c["status"] for c in duties[agency]["controls"]}, agency
    # Judged with a level, not the "not assessed" of a report without one.
    assert any(c["status"] == "fail" for a in duties.values() for c in a["controls"])
