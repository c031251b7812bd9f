"""The collector contract.

A collector gathers facts and does nothing else: for one device it returns **observations** (typed,
documented dicts, one shape per ``kind``, like NAPALM's getters) and the **raw artifacts** they were read
from. It never judges (that is compliance's job) and never writes to the store (the runner does, one
transaction per device). Collectors are plugins: register a subclass with :func:`register`, or ship one in
another package under the ``netcomply.collectors`` entry-point group.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, ClassVar

from netcomply.models import Artifact, Device, Observation, Settings
from netcomply.safety.redact import capture_artifact
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver


@dataclass
class CollectContext:
    """What a collector may use while it works. Built once per run by the CLI and shared by all devices."""

    run_id: str
    secrets: SecretResolver
    targets: TargetPolicy
    settings: Settings = field(default_factory=lambda: Settings())
    known_hosts: str | None = None
    insecure_host_keys: bool = False
    #: Shared transport clients (one SNMP engine per process, ...), created lazily by the transports.
    shared: dict[str, Any] = field(default_factory=dict)


@dataclass
class CollectorOutput:
    """What one collector found on one device."""

    observations: list[Observation] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)

    def artifact(self, device: str, collector: str, source: str, content: str | bytes, **kw: Any) -> Artifact:
        """Capture (redact, hash) and keep an artifact; returns it so observations can cite ``.sha256``."""
        art = capture_artifact(device, collector, source, content, **kw)
        self.artifacts.append(art)
        return art

    def observe(self, obs: Observation) -> Observation:
        self.observations.append(obs)
        return obs


class Collector(abc.ABC):
    """Base class of every collector. Subclasses set ``name``, ``version`` and ``kinds``."""

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    #: Observation kinds this collector produces, each documented in the module docstring.
    kinds: ClassVar[tuple[str, ...]] = ()
    #: How it reaches the device ("ssh", "snmp", "nmap", "none"). After a device refuses a login, cannot be
    #: reached or times out on a transport, the runner skips that device's other collectors on the same
    #: transport instead of failing again (and again risking an account lock-out).
    transport: ClassVar[str] = "none"

    def applies_to(self, device: Device) -> bool:
        """Whether this collector has anything to ask ``device`` (e.g. SNMP collectors need ``device.snmp``)."""
        return True

    @abc.abstractmethod
    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        """Gather from one device. Raise :class:`netcomply.errors.DeviceError` with the right class on failure."""


_REGISTRY: dict[str, type[Collector]] = {}


def register(cls: type[Collector]) -> type[Collector]:
    """Class decorator: make a collector available by name."""
    _REGISTRY[cls.name] = cls
    return cls


def available() -> dict[str, type[Collector]]:
    """Built-in collectors plus those other packages register under the ``netcomply.collectors`` group."""
    for ep in entry_points(group="netcomply.collectors"):
        if ep.name not in _REGISTRY:
            _REGISTRY[ep.name] = ep.load()
    return dict(_REGISTRY)
