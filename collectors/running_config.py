"""Running configuration: the device's current configuration, redacted, as evidence.

Configuration backups are what ISO/IEC 27001:2022 A.8.9 (configuration management) asks to see, and the
firewall and hardening checks read them. Secrets in the configuration are masked before the text is
hashed and stored (the keyword stays, so an auditor sees *that* a password is set).

Observation kinds
-----------------
``device.config`` — one per device::

    {"platform": "cisco_ios", "command": "show running-config", "lines": 412, "bytes": 10931,
     "sha256": "<artifact hash>", "redactions": 7}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from collectors import shared_output
from collectors.base import CollectContext, CollectorOutput, register
from collectors.ssh_collector import SshCollector
from collectors.transports.ssh import SshSession
from netcomply.contracts.device import DeviceConfig
from netcomply.errors import DeviceError, ErrorClass
from netcomply.models import Device, Observation
from netcomply.safety.redact import count_masks

COMMANDS: dict[str, str] = {
    "cisco_ios": "show running-config",
    "cisco_xe": "show running-config",
    "cisco_asa": "show running-config",
    "cisco_wlc_ssh": "show run-config commands",
    "huawei": "display current-configuration",
    "hp_comware": "display current-configuration",
    "fortinet": "show full-configuration",
    "paloalto_panos": "show config running",
    "juniper_junos": "show configuration | display set",
}

#: What platforms answer to a command they do not know: such output is not a configuration.
_ERROR_MARKERS = ("% Invalid input", "Error: Unrecognized command", "Unrecognized command", "Invalid command",
                  "unknown command", "syntax error")


def _binary_share(text: str) -> float:
    """Share of characters no configuration contains (control characters other than tab/CR/LF, U+FFFD)."""
    if not text:
        return 0.0
    odd = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n") or ch == "\ufffd" or 127 <= ord(ch) < 160)
    return odd / len(text)


@register
class RunningConfig(SshCollector):
    name: ClassVar[str] = "running_config"
    version: ClassVar[str] = "1"
    kinds: ClassVar[tuple[str, ...]] = ("device.config",)
    commands: ClassVar[Mapping[str, str]] = COMMANDS

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        out = await super().collect(device, ctx)
        for art in out.artifacts:  # a readable configuration: other collectors of this run read it, not refetch
            shared_output.offer(ctx, device, art)
        return out

    def collect_cli(self, device: Device, cli: SshSession, out: CollectorOutput) -> None:
        assert device.platform is not None
        command = COMMANDS[device.platform]
        text = cli.send(command, read_timeout=max(60.0, device.ssh.read_timeout if device.ssh else 60.0))
        out.artifact(device.name, self.name, f"ssh:{command}", text)

    def judge_output(self, device: Device, out: CollectorOutput) -> None:
        assert device.platform is not None
        command = COMMANDS[device.platform]
        (art,) = out.artifacts
        stored = art.text
        head = "\n".join(stored.strip().splitlines()[:3])
        if not stored.strip() or any(marker.lower() in head.lower() for marker in _ERROR_MARKERS):
            raise DeviceError(ErrorClass.PARSE, f"{command!r} returned no configuration (artifact kept)", device.name,
                              artifacts=out.artifacts)
        if _binary_share(stored) > 0.02:
            raise DeviceError(ErrorClass.PARSE, f"{command!r} returned binary noise, not a configuration "
                              "(artifact kept)", device.name, artifacts=out.artifacts)
        out.observe(
            Observation(
                device=device.name,
                collector=self.name,
                kind="device.config",
                data=dict(DeviceConfig(platform=device.platform, command=command, lines=stored.count("\n") + 1,
                                       bytes=len(art.content), sha256=art.sha256, redactions=count_masks(stored))),
                source=f"ssh:{command}",
                artifacts=[art.sha256],
            )
        )
