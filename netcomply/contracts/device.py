"""Observation contracts of the device facts every audit collects: ``device.cli_facts`` (written by the
``cli_facts`` SSH collector), ``device.snmp_system`` (``snmp_system``) and ``device.config`` (``running_config``).
Read by the vendor judge, the IPv6 readiness view, the collection checks and the asset list of the report.

Why here: the vendor judge (collectors) and the checks and reports read the same facts; the shape is written
down once, in the base. Text values are as the device gave them (secrets redacted); None means the device did
not say. Base layer: standard library only.
"""

from __future__ import annotations

from typing import Any, TypedDict


class DeviceCliFacts(TypedDict):
    """``device.cli_facts``, version 1: the common facts lifted from ``show version``-like commands
    (ntc-templates rows; the first command that has a field wins)."""

    platform: str  # netmiko device type of the inventory entry
    hostname: str | None  # configured host name (or the CLI prompt's name)
    model: str | None
    serial: str | None
    os_version: str | None
    uptime: str | None  # as the device prints it ("12 weeks, 3 days, ...")
    vendor_text: str | None  # image or vendor text the vendor judge reads
    commands: list[str]  # the commands sent, in order
    parsed: dict[str, list[dict[str, Any]]]  # command -> its ntc-templates rows
    parse_errors: dict[str, str]  # secondary command -> why its output did not parse


#: One chassis row (entPhysicalClass 3) of ENTITY-MIB's entPhysicalTable: ``index`` (the row's OID index),
#: ``descr``, ``class`` (3), ``software_rev``, ``serial``, ``mfg_name``, ``model_name``; columns the agent lacks
#: are absent. An agent that answers no class at all gives, instead, the ``index``, ``mfg_name`` and ``model_name``
#: of its first row that names a maker, or else the ``index``, ``descr`` and ``model_name`` of the table's first
#: row when that row has no class (no ``class`` either way). Functional form: ``class`` is a keyword.
EntityRow = TypedDict("EntityRow", {"index": str, "descr": str, "class": int, "software_rev": str, "serial": str,
                                    "mfg_name": str, "model_name": str}, total=False)


class DeviceSnmpSystem(TypedDict):
    """``device.snmp_system``, version 1: SNMPv2-MIB system group and the chassis rows of ENTITY-MIB."""

    sys_descr: str | None
    sys_object_id: str | None  # dotted OID
    sys_uptime_ticks: int | None  # hundredths of a second since the agent started
    sys_contact: str | None
    sys_name: str | None
    sys_location: str | None
    enterprise: int | None  # the private enterprise number of sys_object_id (1.3.6.1.4.1.N), if under it
    entity: list[EntityRow]  # chassis rows, in index order


class DeviceConfig(TypedDict):
    """``device.config``, version 1: a captured running configuration (the text is the artifact)."""

    platform: str
    command: str  # the command that printed it
    lines: int  # lines of the stored (redacted) text
    bytes: int  # size of the stored artifact in bytes
    sha256: str  # the artifact's SHA-256 (hex)
    redactions: int  # secrets masked in it


CONTRACTS: dict[str, tuple[type, int]] = {
    "device.cli_facts": (DeviceCliFacts, 1),
    "device.snmp_system": (DeviceSnmpSystem, 1),
    "device.config": (DeviceConfig, 1),
}
