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

from datetime import UTC, datetime
from typing import ClassVar

from collectors import shared_output
from collectors.base import CollectContext, Collector, CollectorOutput, register
from collectors.firewall import linux
from collectors.firewall.bindings import assign_roles
from collectors.firewall.model import RuleSet
from collectors.firewall.observe import observations
from collectors.firewall.parsers import PARSERS
from collectors.firewall.uptime import counters_since
from collectors.transports.ssh import SshSession
from collectors.transports.ssh_worker import run_abortable
from netcomply.errors import DeviceError, ErrorClass, InputError
from netcomply.models import Artifact, Device

#: IOS: what the parser reads from the configuration (interfaces and their ACLs, VTY lines, objects, time ranges,
#: routes; one section per command: the read-only guard treats every "|" as a pipe), then the ACLs with their
#: hit counts. Every other binding comes from the whole configuration (``CONFIG``).
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

#: The whole configuration, read only for what each ACL is bound to (route maps, SNMP, NAT, VTY, crypto/class
#: maps...: :mod:`collectors.firewall.bindings`). Only a whole configuration can say "nothing uses this ACL";
#: the same command as the running_config collector's, so one fetch serves both (:mod:`collectors.shared_output`).
CONFIG: dict[str, str] = {"cisco_ios": "show running-config", "cisco_xe": "show running-config",
                          "cisco_asa": "show running-config"}

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
        # its own thread, closed with its session when the budget runs out (collectors/transports/ssh_worker.py)
        return await run_abortable(lambda: self._collect_blocking(device, ctx),
                                   name=f"nc-ssh-{self.name}-{device.name}")

    def _collect_blocking(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        assert device.platform is not None
        parser, commands = COMMANDS[device.platform]
        out = CollectorOutput()
        with SshSession(device, ctx.secrets, known_hosts=ctx.known_hosts, insecure_host_keys=ctx.insecure_host_keys,
                        policy=ctx.targets) as cli:
            texts = [out.artifact(device.name, self.name, f"ssh:{c}", cli.send(c)) for c in commands]
            config = self._config(device, ctx, cli, out)
            since, uptime_art = self._uptime(device, cli, out)
        shas = [a.sha256 for a in texts] + [a.sha256 for a in (config, uptime_art) if a is not None]
        source = "ssh:" + ";".join(commands)
        sets = self._parse(device, parser, commands, [a.text for a in texts], config, source, out.artifacts)
        for rs in sets:
            if since is not None and rs.counters_since is None:
                rs.counters_since = since.replace(microsecond=0)
                rs.extra["counters_basis"] = "uptime"
        for obs in observations(sets, device.name, self.name, source, shas):
            out.observe(obs)
        return out

    def _config(self, device: Device, ctx: CollectContext, cli: SshSession, out: CollectorOutput) -> Artifact | None:
        """The whole running configuration (redacted) for the bindings: the one running_config already fetched
        in this run, else fetched here; None for platforms whose rule commands already show every binding."""
        command = CONFIG.get(device.platform or "")
        if command is None:
            return None
        art = shared_output.take(ctx, device, f"ssh:{command}")
        if art is not None:  # already stored with running_config's result (committed before this collector ran)
            return art
        timeout = max(60.0, device.ssh.read_timeout if device.ssh else 60.0)
        return out.artifact(device.name, self.name, f"ssh:{command}", cli.send(command, read_timeout=timeout))

    def _uptime(self, device: Device, cli: SshSession, out: CollectorOutput) -> tuple[datetime | None, Artifact | None]:
        """When the hit counters started (the device's boot), and the output that says so."""
        command = UPTIME.get(device.platform or "")
        if not command:
            return None, None
        try:
            text = cli.send(command)
        except DeviceError:
            text = ""  # the rule sets are what matters; without an uptime "unused" is just not judged
        since = counters_since(text, datetime.now(UTC))
        if since is None:
            return None, None
        return since, out.artifact(device.name, self.name, f"ssh:{command}", text)

    @staticmethod
    def _parse(device: Device, parser: str, commands: tuple[str, ...], texts: list[str], config: Artifact | None,
               source: str, artifacts: list[Artifact]) -> list[RuleSet]:
        """The rule sets in the outputs; a parse error carries ``artifacts`` (what the device said is what a reader
        of the error needs to see, and the runner stores it with the error)."""
        try:
            if parser == "nft":
                sets = linux.rulesets(dict(zip(commands, texts, strict=True)), source)
            else:
                sets = PARSERS[parser]("\n".join(texts), source)
            # route filters, VTY/SNMP/NAT ACLs are judged as such; unbound ones only from a whole configuration
            assign_roles(sets, config.text if config is not None else "\n".join(texts), source)
        except InputError as exc:
            raise DeviceError(ErrorClass.PARSE, f"rule set not recognisable: {exc}", device.name,
                              artifacts=artifacts) from None
        if not sets and device.role == "firewall":
            # A router may have no ACL; a firewall without a rule set means we could not read it.
            raise DeviceError(ErrorClass.PARSE, f"no rule set found in the {device.platform} output (artifacts kept)",
                              device.name, artifacts=artifacts)
        return sets


shared_output.want("ssh:show running-config",
                   lambda d: d.platform in CONFIG and FirewallRules().applies_to(d))
