"""Device IPv6 facts against the running lab, for every lab platform, over SSH and SNMP.

Expected values come from the lab's own device facts (the SSH profiles' interfaces, the SNMP recordings'
management address), never from what the collectors returned.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml

from collectors.base import CollectorOutput
from collectors.ipv6.devices import Ipv6Cli, Ipv6Snmp
from netcomply.app.audit import AuditOptions, build_context
from netcomply.app.lab.snmp.recipes import model_for
from netcomply.app.lab.snmp.topology import load_city
from netcomply.app.lab.sshsim.profile import profiles_from_topology
from netcomply.inventory import load_inventory

pytestmark = pytest.mark.lab

CITY = Path(__file__).resolve().parents[2] / "netcomply" / "app" / "lab" / "data" / "city.yaml"


def _collect(city_lab: Any, collector: Any, names: list[str]) -> dict[str, CollectorOutput | Exception]:
    inv = load_inventory(city_lab.inventory)
    ctx = build_context(inv, "test-ipv6", AuditOptions())

    async def one(name: str) -> CollectorOutput | Exception:
        try:
            return await collector.collect(inv.device(name), ctx)
        except Exception as exc:
            return exc

    async def every() -> list[CollectorOutput | Exception]:
        return await asyncio.gather(*(one(n) for n in names))

    return dict(zip(names, asyncio.run(every()), strict=True))


def test_ssh_facts_for_every_platform(city_lab: Any) -> None:
    topology = yaml.safe_load(CITY.read_text(encoding="utf-8"))
    profiles = {p.name: p for p in profiles_from_topology(topology, port=0, password="x", enable_secret="y")}
    chosen = [p.name for p in profiles.values() if p.fault is None and p.platform in Ipv6Cli.commands]
    platforms = {profiles[n].platform for n in chosen}
    assert platforms >= {"cisco_ios", "cisco_asa", "huawei", "hp_comware", "juniper_junos", "fortinet",
                         "paloalto_panos"}
    results = _collect(city_lab, Ipv6Cli(), chosen)
    for name, out in results.items():
        assert isinstance(out, CollectorOutput), (name, out)
        (obs,) = out.observations
        expected = {i["ipv6"] for i in profiles[name].vars["interfaces"] if "ipv6" in i}
        found = {g["address"] for g in obs.data["global_addresses"]}
        assert found == expected, (name, profiles[name].platform)
        platform = profiles[name].platform
        if platform == "cisco_ios":
            assert obs.data["routing_enabled"] is True  # `ipv6 unicast-routing` in the lab's running-config
        elif platform == "huawei":
            assert obs.data["routing_enabled"] is True  # the global `ipv6` line of VRP
        else:
            assert obs.data["routing_enabled"] is bool(expected)
        assert obs.data["acls_present"] == bool(obs.data["acls"])
        assert len(out.artifacts) == 2 and obs.artifacts == [a.sha256 for a in out.artifacts]


def test_snmp_facts_from_ip_mib(city_lab: Any) -> None:
    devices, _ = load_city(CITY)
    chosen = [d for d in devices if d.snmp and not d.silent]
    results = _collect(city_lab, Ipv6Snmp(), [d.name for d in chosen])
    with_v6 = 0
    seen_routing: set[bool | None] = set()
    for dev in chosen:
        out = results[dev.name]
        assert isinstance(out, CollectorOutput), (dev.name, out)
        (obs,) = out.observations
        found = [g["address"] for g in obs.data["global_addresses"]]
        if model_for(dev.brand, dev.model).ipv6:
            with_v6 += 1
            assert found == [dev.mgmt_ipv6.lower()], dev.name
            assert obs.data["global_addresses"][0]["prefixlen"] == 64
            assert obs.data["interfaces"][0]["name"] and not obs.data["interfaces"][0]["name"].startswith("ifIndex")
        else:
            assert found == [], dev.name
        assert obs.data["acls_present"] is None and obs.data["source"] == "snmp"
        forwarding = {o: v for o, _, v in model_for(dev.brand, dev.model).extra}.get("1.3.6.1.2.1.4.25.0")
        assert obs.data["routing_enabled"] is {"1": True, "2": False}.get(forwarding or ""), dev.name
        seen_routing.add(obs.data["routing_enabled"])
    assert with_v6 and with_v6 < len(chosen)  # both kinds are in the lab
    assert seen_routing == {True, False, None}  # forwarding, not forwarding, and agents that do not say
