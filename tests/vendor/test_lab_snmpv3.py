"""`netcomply scan` over the lab with SNMPv3 (authPriv) only: no community is given, so every agent is v3-only
for this scan. Each SNMP device must be identified as in the lab's truth, from answers read over v3 (sysDescr,
ENTITY), with the engine id its agent reported in the v3 discovery kept as evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from netcomply.app.cli.vendor_cmd import app
from netcomply.app.lab.manager import LabInfo
from netcomply.app.lab.snmp.process import V3_ENV_FILE
from netcomply.inventory import load_inventory
from netcomply.secrets import read_env_file

pytestmark = pytest.mark.lab


def v3_spec(env: dict[str, str]) -> str:
    return (f"user={env['NC_LAB_SNMP_V3_USER']},auth={env['NC_LAB_SNMP_V3_AUTH_PROTO']},"
            f"auth_key_env=NC_LAB_SNMP_V3_AUTH_KEY,priv={env['NC_LAB_SNMP_V3_PRIV_PROTO']},"
            "priv_key_env=NC_LAB_SNMP_V3_PRIV_KEY")


@pytest.fixture(scope="module")
def v3_scan(city_lab: LabInfo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    env = read_env_file(city_lab.state_dir / "snmp" / "cache" / V3_ENV_FILE)
    inv = load_inventory(city_lab.inventory)
    ssh_port = next(d.ssh.port for d in inv.devices if d.ssh)
    snmp_port = next(d.snmp.port for d in inv.devices if d.snmp)
    db = tmp_path_factory.mktemp("v3scan") / "scan.db"
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        result = CliRunner().invoke(app, ["scan", "127.0.10.0/24", "--tcp-ports", str(ssh_port), "--snmp-port",
                                          str(snmp_port), "--snmp-v3", v3_spec(env), "--db", str(db),
                                          "--format", "json"])
    assert result.exit_code == 0, result.output
    return {"data": json.loads(result.stdout), "inv": inv, "env": env, "db": db}


def test_v3_only_devices_are_identified_right(v3_scan: dict[str, Any]) -> None:
    found = {d["address"]: d for d in v3_scan["data"]["devices"]}
    inv = v3_scan["inv"]
    truth = {d.address: {**d.vars.get("lab", {}), "snmp": d.snmp is not None} for d in inv.devices}
    assert set(found) == set(truth)  # every lab device, and nothing else on the /24
    v3_devices = [a for a, t in truth.items() if t["snmp"] and t.get("fault") != "silent_snmp"]
    assert len(v3_devices) >= 20
    for address in v3_devices:
        v, t = found[address], truth[address]
        assert (v["brand"], v["prc_brand"]) == (t["brand"], t["prc_brand"]), (address, v["brand"], t)
        signals = {e["signal"] for e in v["evidence"]}
        # what only an authenticated v3 session reads: the system group (and ENTITY where the device has it)
        assert "snmp.sysDescr" in signals or "snmp.sysObjectID" in signals, (address, signals)


def test_the_engine_id_of_the_v3_discovery_is_evidence(v3_scan: dict[str, Any]) -> None:
    from netcomply.app.lab.snmp.generate import device_mac, engine_id
    from netcomply.app.lab.snmp.recipes import model_for

    by_name = {d.address: d for d in v3_scan["inv"].devices}
    checked = 0
    for v in v3_scan["data"]["devices"]:
        device = by_name[v["address"]]
        lab = device.vars.get("lab", {})
        if device.snmp is None or lab.get("fault") == "silent_snmp":
            continue
        model = model_for(lab["brand"], lab["model"])
        expected = engine_id(model.enterprise, device_mac(device.name, model.ouis[0])).hex()
        engine = [e for e in v["evidence"] if e["signal"] == "snmp.engineID" and "vendor.snmp_signals" in e["source"]]
        assert engine and engine[0]["value"] == expected, (device.name, expected, [(e["source"], e["value"]) for e in v["evidence"] if e["signal"] == "snmp.engineID"])
        checked += 1
    assert checked >= 20


def test_nothing_secret_reaches_the_store_or_the_output(v3_scan: dict[str, Any]) -> None:
    secrets = [v3_scan["env"]["NC_LAB_SNMP_V3_AUTH_KEY"], v3_scan["env"]["NC_LAB_SNMP_V3_PRIV_KEY"]]
    out = json.dumps(v3_scan["data"])
    raw = Path(v3_scan["db"]).read_bytes()
    for s in secrets:
        assert s not in out and s.encode() not in raw


def test_engine_discovery_without_credentials(city_lab: LabInfo) -> None:
    """The RFC 3414 discovery the collector falls back on (when a device's MIB lacks snmpEngineID.0) reads the
    same engine id, with no credentials; an address where nothing listens gives None."""
    import asyncio

    from collectors.vendor.engine_id import discover_engine_id
    from netcomply.app.lab.snmp.generate import device_mac, engine_id
    from netcomply.app.lab.snmp.recipes import model_for

    inv = load_inventory(city_lab.inventory)
    devices = {d.name: d for d in inv.devices}

    async def both() -> tuple[str | None, str | None]:
        core = devices["ed-core1"]
        assert core.snmp is not None
        return (await discover_engine_id(core.address, core.snmp.port, timeout=1.0),
                await discover_engine_id("127.0.10.250", core.snmp.port, timeout=0.3, retries=0))

    got, silent = asyncio.run(both())
    lab = devices["ed-core1"].vars["lab"]
    model = model_for(lab["brand"], lab["model"])
    assert got == engine_id(model.enterprise, device_mac("ed-core1", model.ouis[0])).hex()
    assert got is not None and got.startswith("800007db")  # Huawei's enterprise number 2011
    assert silent is None
