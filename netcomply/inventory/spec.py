"""The inventory *file format*, as pydantic models: what a user may write, before inheritance.

These differ from :mod:`netcomply.models` on purpose. A host, group or the defaults each hold only a *layer*
of settings; every field is optional and has no default, because a default written into a host layer would
override the value its group sets (``ssh.port`` 22 beating the group's 2222). The resolved, complete objects
are :class:`netcomply.models.Device` and friends.

The SSH and SNMP layers are derived from :class:`~netcomply.models.SshSettings` and
:class:`~netcomply.models.SnmpSettings` (same fields, same constraints, all optional), so the file format
cannot drift from the models. Sections without inheritance (agencies, services, hotspots, settings) are
validated by the core models themselves.

The JSON Schema shipped as ``inventory/schema.json`` is generated from :class:`InventoryFile`.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from netcomply.inventory.addresses import address_problem, hostname_problem, resolver_problem
from netcomply.models import (
    NAME_PATTERN,
    Agency,
    Hotspot,
    Level,
    Service,
    ServiceEndpoints,
    Settings,
    SnmpSettings,
    SshSettings,
)

Name = Annotated[str, Field(pattern=NAME_PATTERN)]

_SSH_DOC = {
    "port": "TCP port of the SSH server (default 22).",
    "username": "Login name.",
    "password_env": "Name of the environment variable (or env_file key) holding the login password.",
    "key_file": "Private key file, relative to the inventory file.",
    "secret_env": "Name of the environment variable holding the enable secret, if the platform needs one.",
    "timeout": "Seconds to wait for the connection (default 20).",
    "read_timeout": "Seconds to wait for one command's output (default 30).",
}
_SNMP_DOC = {
    "version": 'SNMP version: "2c" (default) or "3".',
    "port": "UDP port of the agent (default 161).",
    "community": "v2c community written inline (allowed, but warned about; prefer community_env).",
    "community_env": "Name of the environment variable holding the v2c community.",
    "user": "v3 user name (USM).",
    "auth_protocol": "v3 authentication protocol.",
    "auth_key_env": "Name of the environment variable holding the v3 authentication key.",
    "priv_protocol": "v3 privacy protocol.",
    "priv_key_env": "Name of the environment variable holding the v3 privacy key.",
    "context": "v3 context name.",
    "timeout": "Seconds to wait for one reply (default 2).",
    "retries": "Retries per request (default 1).",
}


def _partial(model: type[BaseModel], name: str, docs: dict[str, str], doc: str) -> type[BaseModel]:
    """Same fields and constraints as ``model``, every one optional with no default value."""
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        annotation: Any = info.annotation
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]
        fields[field_name] = (Optional[annotation], Field(None, description=docs.get(field_name)))  # noqa: UP045
    partial: type[BaseModel] = create_model(
        name, __config__=ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True), __doc__=doc, **fields
    )
    return partial


SshLayer = _partial(SshSettings, "SshLayer", _SSH_DOC, "SSH settings of one layer (host, group or defaults).")
_SnmpBase = _partial(SnmpSettings, "SnmpBase", _SNMP_DOC, "SNMP settings of one layer.")


class SnmpLayer(_SnmpBase):  # type: ignore[misc]
    """SNMP settings of one layer (host, group or defaults)."""

    @field_validator("version", mode="before")
    @classmethod
    def _bare_three(cls, value: Any) -> Any:
        # `version: 3` (unquoted) is what people write; YAML makes it an int. "2c" must be quoted anyway.
        return "3" if value == 3 and not isinstance(value, bool) else value


class _Layer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    platform: str | None = Field(None, description="netmiko device_type, e.g. cisco_ios, hp_comware, huawei.")
    role: str | None = Field(None, description="switch, router, firewall, wlc, ap, camera, nvr, server ...")
    site: str | None = Field(None, description="Where the device stands (a site name of your choosing).")
    agency: str | None = Field(None, description="Key of an entry under `agencies`.")
    level: Level | None = Field(None, description="Security responsibility level A-E; defaults to the agency's.")
    tags: list[str] | None = Field(None, description="Free labels; a host's tags are the union of all layers'.")
    vars: dict[str, Any] | None = Field(None, description="Free data, deep-merged across layers.")
    ssh: SshLayer | None = None
    snmp: SnmpLayer | None = None


class DefaultsSpec(_Layer):
    """Settings every host inherits unless a group or the host itself sets them."""


class GroupSpec(_Layer):
    """A named set of settings. Hosts (and other groups) list groups they belong to."""

    groups: list[Name] | None = Field(None, description="Parent groups, highest precedence first.")


class HostSpec(GroupSpec):
    """One device. The mapping key is its name."""

    address: str | None = Field(None, description="IP address or DNS name the device is reached at (required).")
    groups: list[Name] | None = Field(None, description="Groups, highest precedence first.")

    @field_validator("address")
    @classmethod
    def _valid_address(cls, value: str | None) -> str | None:
        # An empty address is reported by the loader as a missing one ("has no address").
        problem = address_problem(value) if value else None
        if problem:
            raise ValueError(problem)
        return value


class ServiceSpec(Service):
    """An external service (web site, DNS zone, mail domain) checked for IPv6 readiness."""

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        problem = hostname_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("endpoints")
    @classmethod
    def _valid_endpoints(cls, value: ServiceEndpoints | None) -> ServiceEndpoints | None:
        if value is None:
            return value
        problem = resolver_problem(value.resolver) if value.resolver else None
        for host in value.hosts:
            problem = problem or hostname_problem(host)
        if problem:
            raise ValueError(problem)
        return value


class InventoryFile(BaseModel):
    """A netcomply inventory: what to audit, with Nornir-style hosts, groups and defaults."""

    model_config = ConfigDict(extra="forbid", title="netcomply inventory")

    env_file: str | None = Field(
        None, description="KEY=VALUE file with the values of *_env secrets, relative to the inventory file."
    )
    settings: Settings | None = None
    agencies: dict[Name, Agency] | None = Field(None, description="Agencies by key.")
    defaults: DefaultsSpec | None = None
    groups: dict[Name, GroupSpec | None] | None = Field(None, description="Groups by name.")
    hosts: dict[Name, HostSpec | None] | None = Field(None, description="Hosts (devices) by name.")
    services: list[ServiceSpec] | None = None
    hotspots: list[Hotspot] | None = None
