"""CLI facts: what a device says about itself over SSH (``show version`` and friends).

Observation kinds
-----------------
``device.cli_facts`` — one per device::

    {"platform": "cisco_ios", "hostname": "cg-core1", "model": "C9300-48P", "serial": "FOC2231X0AB",
     "os_version": "17.9.4a", "uptime": "5 weeks, 2 days, 3 hours", "vendor_text": "Cisco IOS XE Software",
     "commands": ["show version", "show inventory"], "parsed": {"show version": [...rows...], ...},
     "parse_errors": {"show inventory": "why it did not parse"}}

Values the device does not report are ``None``. ``parsed`` keeps every ntc-templates row (lower-case keys), so
later checks can use fields this summary does not lift. Each command's raw output is an artifact.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from collectors.base import CollectorOutput, register
from collectors.ssh_collector import SshCollector
from collectors.transports.ssh import SshSession, parse_with_ntc
from netcomply.contracts.device import DeviceCliFacts
from netcomply.errors import DeviceError, ErrorClass
from netcomply.models import Device, Observation

#: Read-only commands per netmiko platform; the first one must parse or the output is judged unreadable.
COMMANDS: dict[str, tuple[str, ...]] = {
    "cisco_ios": ("show version", "show inventory"),
    "cisco_xe": ("show version", "show inventory"),
    "cisco_asa": ("show version", "show inventory"),
    "cisco_wlc_ssh": ("show sysinfo", "show inventory"),
    "huawei": ("display version", "display device"),
    "hp_comware": ("display device manuinfo", "display version"),
    "fortinet": ("get system status",),
    "paloalto_panos": ("show system info",),
    "juniper_junos": ("show version", "show chassis hardware"),
    "linux": ("uname -a", "hostname"),
}

#: netmiko device_type -> ntc-templates platform name, where they differ.
NTC_PLATFORM: dict[str, str] = {"huawei": "huawei_vrp", "cisco_xe": "cisco_ios"}

_FIELDS: dict[str, tuple[str, ...]] = {
    "hostname": ("hostname", "system_name", "host_name", "name"),
    "model": ("hardware", "model", "pid", "product_name", "platform", "device_name", "model_number"),
    "serial": ("serial", "serial_number", "sn", "serialnum", "device_serial_number", "system_serial_number"),
    "os_version": ("version", "software_version", "os_version", "sw_version", "junos_version", "vrp_version"),
    "uptime": ("uptime", "system_up_time", "up_time"),
    "vendor_text": ("software_image", "running_image", "manufacturer", "vendor"),
}


def _first(value: Any) -> Any:
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    return value or None


def summarise(parsed: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Lift the common facts out of whichever commands parsed; the first command that has a field wins."""
    facts: dict[str, Any] = dict.fromkeys(_FIELDS)
    for rows in parsed.values():
        if not rows:
            continue
        row = rows[0]
        for fact, keys in _FIELDS.items():
            if facts[fact] is None:
                facts[fact] = next((_first(row.get(k)) for k in keys if _first(row.get(k))), None)
    return facts


@register
class CliFacts(SshCollector):
    name: ClassVar[str] = "cli_facts"
    version: ClassVar[str] = "1"
    kinds: ClassVar[tuple[str, ...]] = ("device.cli_facts",)
    commands: ClassVar[Mapping[str, tuple[str, ...]]] = COMMANDS

    def collect_cli(self, device: Device, cli: SshSession, out: CollectorOutput) -> None:
        assert device.platform is not None
        commands = COMMANDS[device.platform]
        ntc_platform = NTC_PLATFORM.get(device.platform, device.platform)
        parsed: dict[str, list[dict[str, Any]]] = {}
        parse_errors: dict[str, str] = {}
        for command in commands:
            text = cli.send(command)
            out.artifact(device.name, self.name, f"ssh:{command}", text)
            try:
                rows = parse_with_ntc(ntc_platform, command, text)
            except DeviceError as exc:
                if command == commands[0]:
                    raise DeviceError(ErrorClass.PARSE, exc.cause, device.name, artifacts=out.artifacts) from None
                parse_errors[command] = exc.cause  # a secondary command: keep going, say so
                continue
            if rows is not None:
                parsed[command] = rows
        first = commands[0]
        if first in parsed and not parsed[first]:
            raise DeviceError(
                ErrorClass.PARSE,
                f"{first!r} output is not recognisable as {device.platform} output (artifact kept)",
                device=device.name,
                artifacts=out.artifacts,
            )
        facts = summarise(parsed)
        if not facts["hostname"] and cli.prompt:
            facts["hostname"] = cli.prompt  # the CLI prompt is the configured sysname (Comware, VRP)
        data: DeviceCliFacts = {
            "platform": device.platform, "hostname": facts["hostname"], "model": facts["model"],
            "serial": facts["serial"], "os_version": facts["os_version"], "uptime": facts["uptime"],
            "vendor_text": facts["vendor_text"], "commands": list(commands), "parsed": parsed,
            "parse_errors": parse_errors}
        out.observe(
            Observation(
                device=device.name,
                collector=self.name,
                kind="device.cli_facts",
                data=dict(data),
                source="ssh:" + ";".join(commands),
                artifacts=[a.sha256 for a in out.artifacts],
            )
        )
