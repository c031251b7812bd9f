"""Fixtures of the vendor tests: one `netcomply vendors` run of the city lab for the whole session.

A run of the whole lab takes ~35 s (mostly waiting for the lab's slow device); test_lab_vendor.py and
test_recordings.py each ran their own. Both only read it (test_lab_vendor's re-judges store nothing new)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from netcomply.app.cli.vendor_cmd import app
from netcomply.app.lab.manager import LabInfo
from netcomply.inventory import load_inventory


@pytest.fixture(scope="session")
def lab_vendors_run(city_lab: LabInfo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`vendors` over the lab inventory with an asset register, an exception register, a spot check and the VANS
    asset list (--cpe)."""
    tmp = tmp_path_factory.mktemp("vendors")
    (tmp / "assets.csv").write_text(
        "asset_id,name,address,brand,model,serial,owner\n"
        "CG-001,cg-core1,,Cisco,C9300-48P,,city IT\n"
        "CG-002,cg-dist1,,HPE,5130,,city IT\n"
        "CG-006,cg-cam1,,Hikvision,DS-2CD2143G2-I,,security\n"
        "DT-042,dt-sw1,,HPE,5130,,district IT\n"  # the register says HPE; the switch is an H3C
        "DT-099,old-printer,,Brother,HL-L2350,,district\n", encoding="utf-8")
    (tmp / "exceptions.csv").write_text(
        "device,ciso_approval,authority_approval,isolation,isolated,end_of_life\n"
        "dt-cam1,2024-03-01,2024-04-15,camera VLAN 990 without official network,yes,2027-12-31\n"
        "dt-nvr1,2024-03-01,,,no,2025-06-30\n", encoding="utf-8")
    db = tmp / "vendors.db"
    result = CliRunner().invoke(app, [
        "vendors", "-i", str(city_lab.inventory), "--db", str(db), "--format", "json",
        "--register", str(tmp / "assets.csv"), "--exceptions", str(tmp / "exceptions.csv"), "--today", "2026-11-22",
        "--spot-check", "4", "--seed", "7", "--timeout", "20", "--cpe", str(tmp / "vans" / "assets")])
    assert result.exit_code == 0, result.output
    return {"data": json.loads(result.stdout), "db": db, "inv": load_inventory(city_lab.inventory),
            "cpe": tmp / "vans" / "assets"}
