"""A netcomply inventory as an Ansible inventory (the JSON of Ansible's script-inventory protocol).

AWX imports it through ``playbooks/awx/inventory/netcomply_inventory.py`` so that its hosts, groups and
``--limit`` are netcomply's own: every device is a host (``ansible_host``, ``ansible_port``, and
``ansible_network_os`` where the Ansible transport serves the platform); its netcomply groups, tags, site,
agency, role and platform are groups. No secret is ever part of it (credentials come from AWX).
"""

from __future__ import annotations

import re
from typing import Any

from collectors.ansible.platforms import NETWORK_OS
from netcomply.models import Device, Inventory

_GROUP_CHARS = re.compile(r"[^A-Za-z0-9_]")


def group_name(kind: str, value: str) -> str:
    """Ansible group names are identifiers: ``site_city_hall``, ``agency_edu_bureau``, ``group_cisco_ios``."""
    return f"{kind}_{_GROUP_CHARS.sub('_', value)}"


def hostvars(device: Device) -> dict[str, Any]:
    found: dict[str, Any] = {"ansible_host": device.address, "netcomply_name": device.name}
    if device.ssh is not None:
        found["ansible_port"] = device.ssh.port
        if device.ssh.username:
            found["ansible_user"] = device.ssh.username
    if device.platform:
        found["netcomply_platform"] = device.platform
        if device.platform in NETWORK_OS:
            found["ansible_network_os"] = NETWORK_OS[device.platform]
            found["ansible_connection"] = "ansible.netcommon.network_cli"
    for key in ("role", "site", "agency"):
        value = getattr(device, key)
        if value:
            found[f"netcomply_{key}"] = value
    if device.level:
        found["netcomply_level"] = str(device.level)
    return found


def to_ansible(inventory: Inventory) -> dict[str, Any]:
    """``--list`` output: groups with their hosts, and every host's variables under ``_meta``."""
    groups: dict[str, set[str]] = {}

    def add(kind: str, value: str | None, host: str) -> None:
        if value:
            groups.setdefault(group_name(kind, value), set()).add(host)

    for device in inventory.devices:
        for group in device.groups:
            add("group", group, device.name)
        for tag in device.tags:
            add("tag", tag, device.name)
        add("site", device.site, device.name)
        add("agency", device.agency, device.name)
        add("role", device.role, device.name)
        add("platform", device.platform, device.name)
    doc: dict[str, Any] = {name: {"hosts": sorted(hosts)} for name, hosts in sorted(groups.items())}
    doc["all"] = {"hosts": sorted(d.name for d in inventory.devices), "children": sorted(groups)}
    doc["_meta"] = {"hostvars": {d.name: hostvars(d) for d in inventory.devices}}
    return doc
