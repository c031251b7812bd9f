"""The firewall rule collector: fetch rule sets over SSH with read-only commands, parse, analyse, observe.

Observation kinds
-----------------
``firewall.ruleset`` — one per rule set (ACL, nft chain); ``counters_since`` is when the hit counters started
(the device's boot: collection time minus the uptime it states, :mod:`collectors.firewall.uptime`)::

    {"ruleset": "OUTSIDE_IN", "name": "OUTSIDE_IN", "platform": "cisco_asa", "source": "ssh:show access-list",
     "rules": 6, "coverage": 1.0, "default_action": "deny", "default_log": false, "bound_to": ["outside in"],
     "management": false, "counters_since": "2026-10-12T03:14:00+00:00", "mgmt_access": {}, "zone_networks": {},
     "unparsed": 0, "approximate": 0}

``firewall.rule`` — one per rule, :meth:`collectors.firewall.model.Rule.to_dict` plus ``ruleset``: action,
source/destination (readable and as raw integer ranges), services, zones, ct states, log, enabled, comment,
owner, schedule and its end, hit count, parse status and reason, and provenance (source, line, raw text).

``firewall.anomaly`` — one per analysis result: ``{"ruleset", "kind", "rule", "related", "message", "minimum",
"approximate"}`` where ``rule``/``related`` are rule indexes in the rule set.

The raw command outputs are artifacts (redacted before storage by the collector base).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import ClassVar

from collectors.base import CollectContext, Collector, CollectorOutput, register
from collectors.firewall import linux
from collectors.firewall.bindings import assign_roles
from collectors.firewall.observe import observations
from collectors.firewall.parsers import PARSERS
from collectors.firewall.uptime import counters_since
from collectors.transports.ssh import SshSession
from netcomply.errors import DeviceError, ErrorClass, InputError
from netcomply.models import Device

#: IOS: bindings and objects from the configuration (one section per command: the read-only guard treats every
#: "|" as a pipe), then the ACLs with their hit counts.
_IOS = ("show running-config | section line vty", "show running-config | section interface",
        "show running-config | section object-group", "show running-config | section time-range",
        "show running-config | include ^ip(v6)? route ", "show running-config | include router ",
        "show ip access-lists", "show ipv6 access-list")

#: Read-only commands per netmiko platform, and the parser their joined output goes to.
COMMANDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "cisco_asa": ("cisco_asa", ("show running-config interface", "show running-config route",
                                "show running-config object", "show running-config object-group",
                                "show running-config access-group", "show running-config time-range",
                                "show access-list")),
    "cisco_ios": ("cisco_ios", _IOS),
    "cisco_xe": ("cisco_ios", _IOS),
    # FortiOS: the whole configuration (``show``): policies and their objects, but also interfaces, zones and
    # static routes, which say where each address can be (the irrelevant-rule analysis).
    "fortinet": ("fortinet", ("show",)),
    "juniper_junos": ("juniper_junos", ("show configuration | display set",)),
    # PAN-OS: zones and addresses of the logical interfaces, the routing table, then the policy as it runs.
    "paloalto_panos": ("paloalto_panos", ("show interface all", "show routing route", "show running security-policy")),
    "linux": ("nft", linux.COMMANDS),
}

#: The command that states the uptime (the hit counters count from boot); Linux has none on the allow-list.
UPTIME: dict[str, str] = {
    "cisco_asa": "show version", "cisco_ios": "show version", "cisco_xe": "show version",
    "fortinet": "get system performance status", "juniper_junos": "show system uptime",
    "paloalto_panos": "show system info",
}


@register
class FirewallRules(Collector):
    name: ClassVar[str] = "firewall_rules"
    version: ClassVar[str] = "1"
    transport: ClassVar[str] = "ssh"
    kinds: ClassVar[tuple[str, ...]] = ("firewall.ruleset", "firewall.rule", "firewall.anomaly")

    def applies_to(self, device: Device) -> bool:
        return device.ssh is not None and device.platform in COMMANDS and \
            (device.role in (None, "firewall", "router") or "firewall" in device.tags)

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        return await asyncio.to_thread(self._collect_blocking, device, ctx)

    def _collect_blocking(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        assert device.platform is not None
        parser, commands = COMMANDS[device.platform]
        out = CollectorOutput()
        texts: list[str] = []
        shas: list[str] = []
        since = None
        with SshSession(device, ctx.secrets, known_hosts=ctx.known_hosts, insecure_host_keys=ctx.insecure_host_keys,
                        policy=ctx.targets) as cli:
            for command in commands:
                text = cli.send(command)
                art = out.artifact(device.name, self.name, f"ssh:{command}", text)
                shas.append(art.sha256)
                texts.append(text)
            uptime_command = UPTIME.get(device.platform)
            if uptime_command:
                try:
                    text = cli.send(uptime_command)
                except DeviceError:
                    text = ""  # the rule sets are what matters; without an uptime "unused" is just not judged
                since = counters_since(text, datetime.now(UTC))
                if since is not None:
                    shas.append(out.artifact(device.name, self.name, f"ssh:{uptime_command}", text).sha256)
        source = "ssh:" + ";".join(commands)
        try:
            if parser == "nft":
                sets = linux.rulesets(dict(zip(commands, texts, strict=True)), source)
            else:
                sets = PARSERS[parser]("\n".join(texts), source)
                assign_roles(sets, "\n".join(texts), source)  # route filters, VTY/SNMP ACLs are judged as such
        except InputError as exc:
            raise DeviceError(ErrorClass.PARSE, f"rule set not recognisable: {exc}", device.name) from None
        if not sets and device.role == "firewall":
            # A router may have no ACL; a firewall without a rule set means we could not read it.
            raise DeviceError(ErrorClass.PARSE, f"no rule set found in the {device.platform} output (artifacts kept)",
                              device.name)
        for rs in sets:
            if since is not None and rs.counters_since is None:
                rs.counters_since = since.replace(microsecond=0)
                rs.extra["counters_basis"] = "uptime"
        for obs in observations(sets, device.name, self.name, source, shas):
            out.observe(obs)
        return out
