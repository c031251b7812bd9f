"""Write the inventory that matches a running lab: the same format users write, with the lab's endpoints.

The lab inventory is a normal inventory (it validates with ``netcomply inventory validate``): secrets live in
``lab.env`` beside it and are referenced by name, host keys in ``known_hosts``. Lab-only facts (brand, model,
the fault a device plays) go into each host's ``vars`` so tests and the demo can compare verdicts with truth.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

SSH_PASSWORD_ENV = "NC_LAB_SSH_PASSWORD"
ENABLE_SECRET_ENV = "NC_LAB_ENABLE_SECRET"
SNMP_V3_AUTH_ENV = "NC_LAB_SNMP_AUTH_KEY"
SNMP_V3_PRIV_ENV = "NC_LAB_SNMP_PRIV_KEY"


def community_env(device: str) -> str:
    return "NC_LAB_SNMP_" + re.sub(r"[^A-Z0-9]", "_", device.upper())


def build_inventory(
    topology: Mapping[str, Any],
    devices: Sequence[Mapping[str, Any]],
    *,
    ssh_port: int,
    snmp_port: int,
    services: Sequence[Mapping[str, Any]] = (),
    hotspots: Sequence[Mapping[str, Any]] = (),
    allowed_ranges: Sequence[str] = ("127.0.10.0/24",),
    ssh_read_timeout: float = 5.0,
) -> dict[str, Any]:
    """The inventory document for ``devices`` (city.yaml entries or scale-mode entries)."""
    platforms = sorted({d["ssh"] for d in devices if d.get("ssh")})
    groups: dict[str, Any] = {
        "ssh-cli": {
            "ssh": {
                "port": ssh_port,
                "username": "netcomply",
                "password_env": SSH_PASSWORD_ENV,
                "secret_env": ENABLE_SECRET_ENV,
                "timeout": 10,
                "read_timeout": ssh_read_timeout,
            }
        },
        "snmp-agents": {"snmp": {"version": "2c", "port": snmp_port, "timeout": 1.0, "retries": 1}},
    }
    for platform in platforms:
        groups[platform] = {"platform": platform, "groups": ["ssh-cli"]}
    agencies = topology.get("agencies") or {}
    for agency in agencies:
        groups[agency] = {"agency": agency}

    hosts: dict[str, Any] = {}
    for d in devices:
        member_of = []
        if d.get("ssh"):
            member_of.append(d["ssh"])
        if d.get("snmp"):
            member_of.append("snmp-agents")
        if d.get("agency") in agencies:
            member_of.append(d["agency"])
        host: dict[str, Any] = {"address": d["address"], "groups": member_of}
        for key in ("role", "site"):
            if d.get(key):
                host[key] = d[key]
        if d.get("snmp"):
            host["snmp"] = {"community_env": community_env(d["name"])}
        truth = {k: d[k] for k in ("brand", "manufacturer", "model", "prc_brand", "fault") if d.get(k) is not None}
        if truth:
            host["vars"] = {"lab": truth}
        if d.get("fault"):
            host["tags"] = ["lab-fault"]
        if d["name"] in hosts:
            raise ValueError(f"two lab devices are named {d['name']!r}")
        hosts[d["name"]] = host

    doc: dict[str, Any] = {
        "env_file": "lab.env",
        "settings": {
            "known_hosts": "known_hosts",
            "allowed_ranges": list(allowed_ranges),
            "concurrency": 50,
            "device_timeout": 30,
            "retries": 1,
        },
        "agencies": {k: {kk: str(vv) if kk == "level_approved" else vv for kk, vv in v.items()}
                     for k, v in agencies.items()},
        "groups": groups,
        "hosts": hosts,
    }
    if services:
        doc["services"] = list(services)
    if hotspots:
        doc["hotspots"] = list(hotspots)
    return doc


def hotspots_from_topology(topology: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every AP behind a controller, and every standalone SNMP AP, is a public hotspot of its agency."""
    by_name = {d["name"]: d for d in topology.get("devices") or []}
    out: list[dict[str, Any]] = []
    for controller, aps in (topology.get("controller_aps") or {}).items():
        ctl = by_name.get(controller, {})
        for ap in aps:
            zone = ap.split("-")[0].lower()
            out.append({"name": ap, "site": ctl.get("site"), "zone": zone, "agency": ctl.get("agency"),
                        "device": controller, "ap_name": ap})
    for d in topology.get("devices") or []:
        if d.get("role") == "ap" and d.get("snmp"):
            out.append({"name": d["name"], "site": d.get("site"), "zone": d.get("site"), "agency": d.get("agency"),
                        "device": d["name"]})
    return out


def write_inventory(path: Path, doc: Mapping[str, Any], header: str) -> Path:
    text = "".join(f"# {line}\n" for line in header.splitlines())
    text += yaml.safe_dump(dict(doc), sort_keys=False, allow_unicode=True, width=120)
    path.write_text(text, encoding="utf-8")
    return path


def write_env_file(path: Path, values: Mapping[str, str]) -> Path:
    """The lab's secrets, mode 0600: only the user who started the lab can read them."""
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text("".join(f"{k}={v}\n" for k, v in values.items()), encoding="utf-8")
    return path
