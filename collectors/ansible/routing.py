"""Which collections go through Ansible, and the collector that replays Ansible's outputs into the native one.

:class:`AnsibleRouted` wraps a native :class:`~collectors.ssh_collector.SshCollector`: it awaits the device's
outputs from the run's :class:`~collectors.ansible.batch.AnsibleBatch`, then hands them to the native
collector's own ``collect_cli`` and ``judge_output`` through :class:`ReplaySession`. Parsing, observation
kinds and shapes, artifacts and error classes are therefore the native collector's, byte for byte.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from collectors.ansible.batch import AnsibleBatch, AnsibleOptions
from collectors.ansible.platforms import NETWORK_OS, commands_of
from collectors.base import CollectContext, Collector, CollectorOutput
from collectors.ssh_collector import SshCollector
from netcomply.errors import DeviceError, ErrorClass
from netcomply.models import Device

SHARED_KEY = "ansible"


class ReplaySession:
    """Stands in for :class:`collectors.transports.ssh.SshSession`: ``send`` answers from Ansible's outputs.

    network_cli trims trailing whitespace from every response, so an artifact may lack the final newline the
    native transport keeps (the parsed facts are the same; the artifact hash is not)."""

    prompt: str | None = None  # network_cli does not report the prompt

    def __init__(self, device: str, outputs: dict[str, str]) -> None:
        self.device = device
        self.outputs = outputs

    def send(self, command: str, *, read_timeout: float | None = None) -> str:
        try:
            return self.outputs[command]
        except KeyError:
            raise DeviceError(ErrorClass.PROTOCOL, f"the Ansible run brought no output for {command!r}",
                              self.device) from None


class AnsibleRouted(Collector):
    """A native SSH CLI collector whose commands are sent by Ansible (network_cli) instead of netmiko.

    Made per native collector by :func:`route_collectors` (a subclass carrying the native ``name``, ``version``
    and ``kinds``: stored results do not depend on the transport; only the run's parameters say which it was).
    """

    transport: ClassVar[str] = "ssh"  # same transport family: a refused login skips the device's other SSH work

    def __init__(self, native: SshCollector) -> None:
        self.native = native
        #: How long the runner lets this collector wait for its host's result (set from the batch's size): a
        #: host waits behind the others in the playbook run, so the per-device budget alone would not do.
        self.wall_timeout: float | None = None

    def applies_to(self, device: Device) -> bool:
        return self.native.applies_to(device) and device.platform in NETWORK_OS

    def commands_for(self, device: Device) -> list[str]:
        assert device.platform is not None
        return commands_of(self.native.commands[device.platform])

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        batch: AnsibleBatch = ctx.shared[SHARED_KEY]
        outcome = await batch.outcome(device.name)  # a retry by the runner gets the same outcome again
        if outcome.error is not None:
            raise outcome.error
        out = CollectorOutput()
        self.native.collect_cli(device, ReplaySession(device.name, outcome.outputs), out)  # type: ignore[arg-type]
        self.native.judge_output(device, out)
        return out


class NativeRemainder(Collector):
    """The native collector, for the devices Ansible does not serve (platforms without a network_os)."""

    def __init__(self, native: Collector) -> None:
        self.native = native

    def applies_to(self, device: Device) -> bool:
        return self.native.applies_to(device) and device.platform not in NETWORK_OS

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        return await self.native.collect(device, ctx)


def _twin(base: type[Collector], native: Collector) -> type[Collector]:
    identity = {"name": native.name, "version": native.version, "kinds": native.kinds,
                "transport": native.transport, "__doc__": type(native).__doc__ or base.__doc__}
    return type(f"{base.__name__}_{native.name}", (base,), identity)


def route_collectors(chosen: Sequence[Collector]) -> list[Collector]:
    """Collectors for ``--transport ansible``: each native SSH CLI collector becomes an Ansible twin for the
    devices Ansible can talk to plus the native one for the rest. Everything else is unchanged."""
    routed: list[Collector] = []
    for collector in chosen:
        if isinstance(collector, SshCollector):
            routed.append(_twin(AnsibleRouted, collector)(collector))  # type: ignore[call-arg]
            routed.append(_twin(NativeRemainder, collector)(collector))  # type: ignore[call-arg]
        else:
            routed.append(collector)
    return routed


def prepare_ansible_transport(ctx: CollectContext, tasks: Sequence[Any], options: AnsibleOptions) -> dict[str, Any]:
    """Give the run's context its :class:`AnsibleBatch` (every device some Ansible-routed collector will ask
    for, with the union of those collectors' commands, each checked read-only). Returns what the run's
    parameters should record about the routing."""
    hosts: dict[str, tuple[Device, list[str]]] = {}
    routed: Counter[str] = Counter()
    native: Counter[str] = Counter()
    for task in tasks:
        commands: list[str] = []
        for collector in task.collectors:
            if isinstance(collector, AnsibleRouted):
                commands += collector.commands_for(task.device)
                routed[collector.name] += 1
            elif collector.transport == "ssh":
                native[collector.name] += 1
        if commands:
            hosts[task.device.name] = (task.device, commands)
    # Ansible works through the hosts ``forks`` at a time, each within the per-command timeouts; the whole
    # run gets that many rounds of the per-device budget (twice: connect and commands), plus its start-up.
    rounds = max(1, math.ceil(len(hosts) / max(1, options.forks)))
    options = replace(options, job_timeout=60 + 2 * options.command_timeout * rounds)
    for task in tasks:
        for collector in task.collectors:
            if isinstance(collector, AnsibleRouted):
                collector.wall_timeout = options.job_timeout + 30
    ctx.shared[SHARED_KEY] = AnsibleBatch(ctx, hosts, options)
    return {"ansible_hosts": len(hosts), "ansible_collections": dict(routed), "native_ssh_collections": dict(native)}
