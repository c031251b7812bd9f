"""JSON-ready view of resolved hosts, for ``netcomply inventory show --format json``.

It answers "what will netcomply use for this device?" including *which* secrets it will look up and
whether each is available, without ever reading a secret's value into the output: ``*_env`` fields show the
variable name and whether it is set (to a non-empty value); an inline SNMP community is shown masked.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from netcomply.models import Device, Inventory
from netcomply.safety.redact import MASK
from netcomply.secrets import read_env_file


def resolved_hosts(inv: Inventory, *, environ: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """One dict per device, in inventory order. ``secrets`` lists each referenced variable as
    ``{"field": "ssh.password_env", "variable": "NC_SSH_PASSWORD", "set": true}``."""
    env = os.environ if environ is None else environ
    file_values = read_env_file(inv.env_file) if inv.env_file and os.path.isfile(inv.env_file) else {}
    return [_host(device, env, file_values) for device in inv.devices]


def _host(device: Device, env: Mapping[str, str], file_values: Mapping[str, str]) -> dict[str, Any]:
    out = device.model_dump(mode="json", exclude={"ssh", "snmp"})
    secrets: list[dict[str, Any]] = []
    for block in ("ssh", "snmp"):
        settings = getattr(device, block)
        if settings is None:
            out[block] = None
            continue
        data = settings.model_dump(mode="json")
        if data.get("community"):
            data["community"] = MASK
        for key, value in data.items():
            if key.endswith("_env") and value:
                secrets.append({"field": f"{block}.{key}", "variable": value,
                                "set": bool(env.get(value) or file_values.get(value))})
        out[block] = data
    out["secrets"] = secrets
    return out
