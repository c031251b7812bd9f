"""The shipped files: the sample inventory validates clean, the env example and the schema are current."""

from __future__ import annotations

import ipaddress
import json
import re
import subprocess
import sys
from pathlib import Path

from netcomply.inventory import inventory_json_schema, validate_inventory
from netcomply.inventory.spec import InventoryFile

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "inventory" / "sample-city.yaml"
ENV_EXAMPLE = ROOT / "inventory" / "sample-city.env.example"
SCHEMA = ROOT / "inventory" / "schema.json"
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def env_example_names() -> list[str]:
    return re.findall(r"^([A-Z_][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(encoding="utf-8"), flags=re.M)


def test_sample_validates_clean():
    report = validate_inventory(SAMPLE, environ={name: "x" for name in env_example_names()})
    assert report.problems == [] and report.warnings == []
    inv = report.inventory
    assert inv is not None
    assert 28 <= len(inv.devices) <= 36
    assert {d.level for d in inv.devices} == {"A", "B", "C"}
    assert {d.agency for d in inv.devices} == set(inv.agencies) == {"city-gov", "edu-bureau", "district"}
    assert {"cisco_ios", "hp_comware", "huawei", "cisco_asa", "fortinet", "paloalto_panos", "juniper_junos",
            "cisco_wlc_ssh"} <= {d.platform for d in inv.devices}
    assert {"switch", "firewall", "wlc", "camera", "nvr"} <= {d.role for d in inv.devices}
    for device in inv.devices:
        assert any(ipaddress.ip_address(device.address) in net for net in DOC_NETS), device.address
    huawei = [d for d in inv.devices if d.platform == "huawei"]
    assert huawei and all("prc-brand" in d.tags and d.vars.get("listed") for d in huawei)
    assert {s.kind for s in inv.services} == {"web", "dns", "mail"}
    assert all(h.device in {d.name for d in inv.devices} for h in inv.hotspots)


def test_env_example_lists_exactly_the_variables_the_sample_uses():
    report = validate_inventory(SAMPLE, environ={})
    warned = {re.search(r"variable (\w+)", w.message).group(1) for w in report.warnings if "variable" in w.message}
    assert warned == set(env_example_names())


def test_shipped_schema_is_current():
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == inventory_json_schema()


def test_schema_module_prints_the_schema():
    out = subprocess.run([sys.executable, "-m", "netcomply.inventory.schema"], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout == SCHEMA.read_text(encoding="utf-8")
    assert out.stderr == ""


def test_schema_covers_every_key_of_the_format():
    schema = inventory_json_schema()
    assert set(schema["properties"]) == set(InventoryFile.model_fields)
    host = schema["$defs"]["HostSpec"]["properties"]
    assert {"address", "platform", "groups", "tags", "vars", "ssh", "snmp", "level"} <= set(host)
    assert schema["$defs"]["HostSpec"]["additionalProperties"] is False


def test_ssh_and_snmp_layers_match_the_core_models():
    from netcomply.inventory.spec import SnmpLayer, SshLayer
    from netcomply.models import SnmpSettings, SshSettings

    assert set(SshLayer.model_fields) == set(SshSettings.model_fields)
    assert set(SnmpLayer.model_fields) == set(SnmpSettings.model_fields)
