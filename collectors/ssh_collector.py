"""The shape every SSH CLI collector shares: netmiko is blocking, so the work runs in a worker thread with one
read-only session opened from the run's context (known_hosts, host-key policy, target policy). The thread is one
the collector's time budget can stop (:func:`collectors.transports.ssh_worker.run_abortable`): when the runner
cancels the collector, its session is closed and the thread ends, instead of reading on from a slow device."""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any, ClassVar

from collectors.base import CollectContext, Collector, CollectorOutput
from collectors.transports.ssh import SshSession
from collectors.transports.ssh_worker import run_abortable
from netcomply.models import Device


class SshCollector(Collector):
    """Subclasses set ``commands`` (netmiko platform -> what they send) and implement :meth:`collect_cli`."""

    transport: ClassVar[str] = "ssh"
    commands: ClassVar[Mapping[str, Any]]

    def applies_to(self, device: Device) -> bool:
        return device.ssh is not None and device.platform in self.commands

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        return await run_abortable(lambda: self._collect_blocking(device, ctx),
                                   name=f"nc-ssh-{self.name}-{device.name}")

    def _collect_blocking(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        out = CollectorOutput()
        with SshSession(device, ctx.secrets, known_hosts=ctx.known_hosts, insecure_host_keys=ctx.insecure_host_keys,
                        policy=ctx.targets) as cli:
            self.collect_cli(device, cli, out)
        self.judge_output(device, out)
        return out

    @abc.abstractmethod
    def collect_cli(self, device: Device, cli: SshSession, out: CollectorOutput) -> None:
        """Send this collector's commands on ``cli``; keep every output as an artifact in ``out``."""

    def judge_output(self, device: Device, out: CollectorOutput) -> None:
        """After the session is closed: turn the artifacts into observations (raise DeviceError(PARSE, ...,
        artifacts=out.artifacts) when the output cannot be read)."""
