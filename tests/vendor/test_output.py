"""What the commands print (JSON, CSV, table) and where the user's knowledge base is found."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from collectors.vendor import evidence as E
from collectors.vendor.identify import identify
from collectors.vendor.judge import Judgement
from collectors.vendor.kb import load_kb
from netcomply.app.cli.options import DataFormat
from netcomply.app.cli.output import Out
from netcomply.app.cli.vendor_cmd import emit
from netcomply.app.pipelines.vendor import KB_ENV, VendorResult, kb_path
from netcomply.inventory import load_inventory
from netcomply.models import Run, utcnow


def result() -> VendorResult:
    kb = load_kb()
    hik = identify(kb, E.from_vendor_oids(kb, {"1.3.6.1.4.1.39165.1.6.0": "Hikvision",
                                               "1.3.6.1.4.1.39165.1.1.0": "DS-2CD2143G2-I"}, "t"),
                   name="cam1", address="192.0.2.6")
    conflict = identify(kb, E.from_snmp_system(kb, {
        "sys_descr": "HPE Comware Platform Software", "sys_object_id": "1.3.6.1.4.1.25506.1.1920",
        "entity": [{"index": "1", "class": 3, "mfg_name": "H3C", "model_name": "S5130S-52S-EI"}]}, "t"),
        name="sw3", address="192.0.2.48")
    unknown = identify(kb, [], name="mute", address="192.0.2.65")
    run = Run(id="20261122T000000Z-abcdef", started_at=utcnow(), operator="t", tool_version="t")
    return VendorResult(run, Judgement(devices=[hik, conflict, unknown]), [], [], kb)


def test_json_has_the_documented_device_shape(capsys: pytest.CaptureFixture[str]) -> None:
    emit(Out(fmt="json"), result(), DataFormat.json, seed="3")
    data = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in data["devices"]] == ["cam1", "sw3", "mute"]
    assert set(data["devices"][0]) == {"name", "address", "brand", "manufacturer", "model", "serial", "version",
                                       "prc_brand", "prc_state", "prc_rule", "prc_detail", "confidence", "evidence",
                                       "conflicts", "status"}
    assert data["devices"][1]["conflicts"][0]["brand"] == "HPE" and data["devices"][2]["prc_brand"] is None
    assert data["spot_check"] == {"seed": "3", "devices": []}


def test_csv_is_one_row_per_device_with_yes_no_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    emit(Out(fmt="table"), result(), DataFormat.csv)
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["name"], r["brand"], r["prc_brand"]) for r in rows] == [
        ("cam1", "Hikvision", "yes"), ("sw3", "H3C", "yes"), ("mute", "", "unknown")]
    assert rows[1]["conflicts"] == "snmp.sysDescr=HPE" and "snmp.vendorOID" in rows[0]["signals"]


def test_table_names_the_prc_devices(capsys: pytest.CaptureFixture[str]) -> None:
    emit(Out(fmt="table"), result(), DataFormat.table)
    out = capsys.readouterr().out
    assert "Hikvision" in out and "YES" in out and "unknown" in out


def test_user_knowledge_base_from_option_env_or_inventory_vars(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    inv_file = tmp_path / "inv.yaml"
    inv_file.write_text("defaults:\n  vars: {vendor_kb: local-kb.yaml}\nhosts:\n  sw1: {address: 192.0.2.1}\n",
                        encoding="utf-8")
    inv = load_inventory(inv_file)
    monkeypatch.delenv(KB_ENV, raising=False)
    assert kb_path(None, inv) == str((tmp_path / "local-kb.yaml").resolve())
    monkeypatch.setenv(KB_ENV, "/etc/netcomply/kb.yaml")
    assert kb_path(None, inv) == "/etc/netcomply/kb.yaml"
    assert kb_path("mine.yaml", inv) == "mine.yaml"
