"""The shared vocabulary of netcomply (see DESIGN.md, "Models").

Two kinds of model live here:

* Inventory models (pydantic, validated, ``extra="forbid"``) describe *what to audit*. They never hold a
  secret: only the *name* of the environment variable or file a secret comes from.
* Records (plain slotted dataclasses, cheap to create by the million) describe *what was found*: runs,
  observations, artifacts, findings. Collectors create them; the store persists them; compliance and
  reports read them.

Every layer imports this module; this module imports nothing of netcomply's but errors and time helpers.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from netcomply.errors import ErrorClass

# --------------------------------------------------------------------------------------------- inventory

Level = Literal["A", "B", "C", "D", "E"]
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:/@-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SshSettings(_Strict):
    """How to log in over SSH. Secrets are referenced, never written: ``password_env``, ``secret_env``."""

    port: int = Field(22, ge=1, le=65535)
    username: str | None = None
    password_env: str | None = None
    key_file: str | None = None
    secret_env: str | None = None  # enable secret
    timeout: float = Field(20.0, gt=0)
    read_timeout: float = Field(30.0, gt=0)


class SnmpSettings(_Strict):
    """SNMP v2c or v3 access. A v2c community may be written inline (it is redacted like any secret)
    but ``community_env`` is preferred; v3 keys always come from the environment."""

    version: Literal["2c", "3"] = "2c"
    port: int = Field(161, ge=1, le=65535)
    community: str | None = None
    community_env: str | None = None
    user: str | None = None
    auth_protocol: Literal["md5", "sha", "sha224", "sha256", "sha384", "sha512"] | None = None
    auth_key_env: str | None = None
    priv_protocol: Literal["des", "3des", "aes", "aes128", "aes192", "aes256"] | None = None
    priv_key_env: str | None = None
    context: str | None = None
    timeout: float = Field(2.0, gt=0)
    retries: int = Field(1, ge=0, le=10)


class Device(_Strict):
    """One audited device, after inheritance from defaults and groups has been applied."""

    name: str = Field(pattern=NAME_PATTERN)
    address: str
    platform: str | None = None  # netmiko device_type, e.g. cisco_ios, huawei, hp_comware
    role: str | None = None  # switch, router, firewall, wlc, ap, camera, nvr, server ...
    site: str | None = None
    agency: str | None = None
    level: Level | None = None
    groups: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    vars: dict[str, Any] = Field(default_factory=dict)
    ssh: SshSettings | None = None
    snmp: SnmpSettings | None = None

    @field_validator("address")
    @classmethod
    def _address_is_ip_or_name(cls, value: str) -> str:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9-]{1,63})*\.?", value):
                raise ValueError(f"not an IP address or host name: {value!r}") from None
        return value


class Agency(_Strict):
    """An agency and its security responsibility level (資通安全責任等級) with the date it was approved."""

    name: str
    name_zh: str | None = None
    level: Level
    level_approved: date | None = None


class ServiceHostPorts(_Strict):
    """Where one host of a service listens, when not on the well-known ports (the lab; a test setup)."""

    dns: int | None = Field(None, ge=1, le=65535)
    http: int | None = Field(None, ge=1, le=65535)
    https: int | None = Field(None, ge=1, le=65535)
    smtp: int | None = Field(None, ge=1, le=65535)


class ServiceEndpoints(_Strict):
    """How to reach a service's servers: the resolver to ask, ports per host, the TLS trust anchors.

    Production leaves this out (system resolver, ports 53/80/443/25, system CAs); the lab writes it.
    """

    resolver: str | None = Field(None, description="Resolver as ADDRESS or [ADDRESS]:PORT, e.g. [::1]:5353.")
    ports: ServiceHostPorts | None = Field(None, description="Ports for every host of the service.")
    hosts: dict[str, ServiceHostPorts] = Field(default_factory=dict, description="Ports per host name.")
    ca_file: str | None = Field(None, description="PEM file of CAs that TLS certificates must chain to.")


class Service(_Strict):
    """An externally visible service whose IPv6 readiness is checked (web, DNS zone, mail domain)."""

    name: str
    kind: Literal["web", "dns", "mail"]
    agency: str | None = None
    phase: int = Field(1, ge=1, le=3)
    url: str | None = None
    tags: tuple[str, ...] = ()
    # Lab/test override of where to probe (resolver, per-host ports, CA file); None in production.
    endpoints: ServiceEndpoints | None = None


class Hotspot(_Strict):
    """A public Wi-Fi hotspot: an AP, seen through its controller (``device``) or directly."""

    name: str
    site: str | None = None
    zone: str | None = None
    agency: str | None = None
    device: str | None = None  # inventory name of the WLAN controller or the AP itself
    ap_name: str | None = None  # the AP's name as the controller lists it
    ssids: tuple[str, ...] = ()


class Settings(_Strict):
    """Run-wide settings an inventory may carry."""

    known_hosts: str | None = None
    allowed_ranges: tuple[str, ...] = ()  # extra prefixes nmap may scan besides the inventory's own addresses
    concurrency: int = Field(50, ge=1, le=2000)
    device_timeout: float = Field(120.0, gt=0)
    retries: int = Field(1, ge=0, le=5)
    #: The agency's time zone (IANA name): every date a person reads (report, SoA, XLSX, CLI tables) and the
    #: evaluation date are in it. ``--timezone`` on the report commands overrides it.
    timezone: str = "Asia/Taipei"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}: expected an IANA name such as Asia/Taipei or UTC") \
                from exc
        return value


@dataclass(frozen=True)
class Inventory:
    """A resolved inventory: every host with its inheritance applied, plus services and hotspots."""

    source: str
    sha256: str
    devices: tuple[Device, ...]
    services: tuple[Service, ...] = ()
    hotspots: tuple[Hotspot, ...] = ()
    agencies: dict[str, Agency] = field(default_factory=dict)
    settings: Settings = field(default_factory=lambda: Settings())
    env_file: str | None = None

    def device(self, name: str) -> Device:
        for d in self.devices:
            if d.name == name:
                return d
        raise KeyError(name)

    def filter(self, limit: str | None) -> Inventory:
        """Keep devices whose name, group or tag equals ``limit`` (Ansible's ``--limit`` in its simplest form)."""
        if not limit:
            return self
        wanted = {part.strip() for part in limit.split(",") if part.strip()}
        kept = tuple(
            d for d in self.devices if d.name in wanted or wanted & set(d.groups) or wanted & set(d.tags)
        )
        return Inventory(
            self.source, self.sha256, kept, self.services, self.hotspots, self.agencies, self.settings,
            self.env_file,
        )


# --------------------------------------------------------------------------------------------- records


def utcnow() -> datetime:
    """Timezone-aware UTC now. Every time netcomply stores is UTC; reports convert to Asia/Taipei."""
    return datetime.now(UTC)


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETE = "complete"  # every device answered
    PARTIAL = "partial"  # the run finished, some devices failed
    INTERRUPTED = "interrupted"  # stopped before every device was tried (Ctrl-C, kill)
    FAILED = "failed"  # netcomply itself failed


class FindingStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    MANUAL = "manual"
    #: The check ran but the evidence is too thin for a verdict (e.g. a few seconds of samples in a 30-day window).
    NOT_ASSESSED = "not_assessed"
    NOT_APPLICABLE = "not_applicable"


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@dataclass(slots=True)
class Run:
    id: str
    started_at: datetime
    operator: str
    tool_version: str
    inventory_sha256: str | None = None
    inventory_source: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    status: RunStatus = RunStatus.RUNNING
    finished_at: datetime | None = None

    @property
    def kind(self) -> str:
        """What made the run: ``audit`` (netcomply audit, demo, schedule), ``vendors``, ``scan``..."""
        return str(self.parameters.get("command") or "audit")

    def scope(self) -> dict[str, Any]:
        """What the run looked at, as far as comparing two runs cares: its kind, collectors, device limit and
        scan targets. Two runs of different scopes judge different things, so a diff of them would mislead."""
        return {"kind": self.kind, "collectors": sorted(self.parameters.get("collectors") or []),
                "limit": self.parameters.get("limit"), "targets": sorted(self.parameters.get("targets") or [])}


@dataclass(slots=True)
class Artifact:
    """Raw evidence exactly as a device gave it, after redaction. Identified by the SHA-256 of its content.

    Build artifacts with :func:`netcomply.safety.redact.capture_artifact` (or the collectors' helpers), which
    redacts first and hashes second, so a secret can never be part of the stored bytes or of the hash.
    """

    device: str
    collector: str
    source: str  # the command, OID/walk root, URL or file the content came from
    content: bytes
    collected_at: datetime
    media_type: str = "text/plain"
    sha256: str = ""

    def __post_init__(self) -> None:
        digest = hashlib.sha256(self.content).hexdigest()
        if self.sha256 and self.sha256 != digest:
            raise ValueError("artifact sha256 does not match its content")
        self.sha256 = digest

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


@dataclass(slots=True)
class Observation:
    """One normalized fact (a documented dict shape per ``kind``, like a NAPALM getter's result)."""

    device: str
    collector: str
    kind: str  # e.g. "vendor.identity", "ipv6.interface", "hotspot.sample", "firewall.rule"
    data: dict[str, Any]
    source: str  # transport and command/OID, e.g. "ssh:show version"
    collected_at: datetime = field(default_factory=utcnow)
    artifacts: list[str] = field(default_factory=list)  # SHA-256 of the artifacts it was read from
    id: int | None = None
    run_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["collected_at"] = self.collected_at.isoformat()
        return out


@dataclass(slots=True)
class Finding:
    """A judgement by one compliance check about one subject (a device, service, hotspot, rule, drill...)."""

    check_id: str
    subject: str
    status: FindingStatus
    severity: Severity
    message: str
    observations: list[int] = field(default_factory=list)
    artifacts: list[str] = field(default_factory=list)
    controls: list[str] = field(default_factory=list)  # edition-qualified: iso27001:2022/A.8.20
    details: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    run_id: str | None = None


class DeviceStatus(StrEnum):
    OK = "ok"
    ERROR = "error"
    SKIPPED = "skipped"


@dataclass(slots=True)
class DeviceResult:
    """How one collector fared on one device in one run. Stored together with its observations."""

    device: str
    collector: str
    status: DeviceStatus
    started_at: datetime
    finished_at: datetime
    attempts: int = 1
    error_class: ErrorClass | None = None
    cause: str | None = None
    observations: list[Observation] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()
