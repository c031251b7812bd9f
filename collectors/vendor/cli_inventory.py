"""SSH inventory commands that name the product where the generic ``cli_facts`` commands do not: Huawei's
factory electronic label (``display elabel``: board type, bar code, manufacture date, vendor); Ruijie RGOS's
``show version`` (no ntc-templates template); NX-OS and IOS XR ``show version`` and ``show inventory``.
Read-only; the raw outputs are the artifacts, parsed by :mod:`collectors.vendor.cli_parsers` both here (for the
observation) and in the judge step (from the artifacts).

Observation kind
----------------
``vendor.cli_inventory`` — one per device, contract :class:`netcomply.contracts.vendor.VendorCliInventory`
(version 1)::

    {"platform": "huawei", "commands": ["display elabel"],
     "parsed": {"display elabel": {"model": "S5730-48C-SI-AC", "serial": "2102351931DMK9000118", ...}},
     "model": "S5730-48C-SI-AC", "serial": "2102351931DMK9000118"}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, cast

from collectors.base import CollectorOutput, register
from collectors.ssh_collector import SshCollector
from collectors.transports.ssh import SshSession
from collectors.vendor.cli_parsers import inventory_facts
from netcomply.contracts.vendor import CliInventoryFacts, VendorCliInventory
from netcomply.models import Device, Observation

#: netmiko device_type -> the inventory commands this collector sends (Ruijie's ``show version`` is parsed by
#: :func:`collectors.vendor.cli_parsers.parse_ruijie_version`; netmiko's ruijie_os session commands are on the
#: read-only guard's list). NX-OS and IOS XR, which ``cli_facts`` does not visit: ``show version`` and the
#: ``show inventory`` chassis row (PID, serial), read against the part-number schemes of
#: :mod:`collectors.vendor.cli_models`; both drivers' session commands are the guard's Cisco ones.
COMMANDS: dict[str, tuple[str, ...]] = {
    "huawei": ("display elabel",),
    "ruijie_os": ("show version",),
    "cisco_nxos": ("show version", "show inventory"),
    "cisco_xr": ("show version", "show inventory"),
}


@register
class VendorCli(SshCollector):
    name: ClassVar[str] = "vendor_cli"
    version: ClassVar[str] = "1"
    kinds: ClassVar[tuple[str, ...]] = ("vendor.cli_inventory",)
    commands: ClassVar[Mapping[str, tuple[str, ...]]] = COMMANDS

    def collect_cli(self, device: Device, cli: SshSession, out: CollectorOutput) -> None:
        assert device.platform is not None
        commands = COMMANDS[device.platform]
        parsed: dict[str, CliInventoryFacts] = {}
        shas = []
        for command in commands:
            text = cli.send(command)
            shas.append(out.artifact(device.name, self.name, f"ssh:{command}", text).sha256)
            parsed[command] = cast(CliInventoryFacts, inventory_facts(command, text))
        first = next((p for p in parsed.values() if p), CliInventoryFacts())
        data = VendorCliInventory(platform=device.platform, commands=list(commands), parsed=parsed,
                                  model=first.get("model"), serial=first.get("serial"))
        out.observe(Observation(
            device=device.name, collector=self.name, kind="vendor.cli_inventory", data=dict(data),
            source="ssh:" + ";".join(commands), artifacts=shas))
