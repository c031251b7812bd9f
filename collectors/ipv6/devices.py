"""IPv6 on the devices themselves (phase 3, internal networks): addresses, routing, ACLs; over SSH or SNMP.

Observation kind ``ipv6.device`` -- one per device and collector::

    {"platform": "cisco_ios", "agency": "city-gov", "role": "switch", "source": "ssh",
     "interfaces": [{"name": "GigabitEthernet1/0/1", "up": true,
                     "addresses": ["2001:db8:1:1::1"], "global": ["2001:db8:1:1::1"]}],
     "global_addresses": [{"interface": "GigabitEthernet1/0/1", "address": "2001:db8:1:1::1", "prefixlen": 64}],
     "routing_enabled": true,            # None: the device does not say
     "acls": ["MGMT-V6"], "acls_present": true,   # None over SNMP (IP-MIB has no ACLs)
     "commands": ["show ipv6 interface brief", "show running-config"]}

Over SSH the interface command is parsed with ntc-templates where it has a template (Cisco IOS) and with
:mod:`collectors.ipv6.parsers` elsewhere; routing and ACLs come from the running configuration. Over SNMP the
IP-MIB ``ipAddressTable`` (IPv6 rows, ``addrType.len.bytes`` indexes), ``ipAddressPrefix`` for the length,
``ifName`` for the interface and ``ipv6IpForwarding`` for routing. Each command's or walk's text is an artifact.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from collectors.base import CollectContext, Collector, CollectorOutput, register
from collectors.ipv6.parsers import CONFIG_COMMANDS, PARSERS, Ipv6Interface, config_facts, is_global, split_address
from collectors.ssh_collector import SshCollector
from collectors.transports.ssh import SshSession, parse_with_ntc
from netcomply.contracts.ipv6 import Ipv6Device
from netcomply.errors import DeviceError, ErrorClass
from netcomply.models import Device, Observation

KIND = "ipv6.device"
#: Platforms whose interface command ntc-templates parses (netmiko platform -> ntc platform).
NTC_FIRST = {"cisco_ios": "cisco_ios", "cisco_xe": "cisco_ios"}


def summarise(interfaces: list[Ipv6Interface]) -> dict[str, Any]:
    """Interfaces with their global addresses, and the flat list of global addresses."""
    rows, flat = [], []
    for iface in interfaces:
        globals_ = [a for a in iface.addresses if is_global(a)]
        rows.append({**iface.to_dict(), "global": [a.split("/")[0].lower() for a in globals_]})
        for a in globals_:
            parsed = split_address(a)
            assert parsed is not None
            flat.append({"interface": iface.name, "address": parsed[0], "prefixlen": parsed[1]})
    return {"interfaces": rows, "global_addresses": flat}


def _from_ntc(rows: list[dict[str, Any]]) -> list[Ipv6Interface]:
    return [Ipv6Interface(r["interface"], str(r.get("protocol", "")).lower() == "up",
                          [a for a in r.get("ipv6_address") or [] if split_address(a)]) for r in rows]


def _observed(device: Device, source: Literal["ssh", "snmp"], facts: dict[str, Any], routing: bool | None,
              acls: list[str], acls_present: bool | None, commands: list[str]) -> Ipv6Device:
    """The ``ipv6.device`` observation's data, built as its contract (netcomply.contracts.ipv6)."""
    return {"platform": device.platform, "agency": device.agency, "role": device.role, "source": source,
            "interfaces": facts["interfaces"], "global_addresses": facts["global_addresses"],
            "routing_enabled": routing, "acls": acls, "acls_present": acls_present, "commands": commands}


@register
class Ipv6Cli(SshCollector):
    """IPv6 interfaces, routing and ACLs over SSH."""

    name: ClassVar[str] = "ipv6_cli"
    version: ClassVar[str] = "1"
    kinds: ClassVar[tuple[str, ...]] = (KIND,)
    commands: ClassVar[Mapping[str, Any]] = {p: (cmd, CONFIG_COMMANDS[p]) for p, (cmd, _) in PARSERS.items()}

    def collect_cli(self, device: Device, cli: SshSession, out: CollectorOutput) -> None:
        assert device.platform is not None
        command, parser = PARSERS[device.platform]
        text = cli.send(command)
        art = out.artifact(device.name, self.name, f"ssh:{command}", text)
        interfaces: list[Ipv6Interface] | None = None
        if device.platform in NTC_FIRST:
            try:
                rows = parse_with_ntc(NTC_FIRST[device.platform], command, text)
            except DeviceError:
                rows = None
            interfaces = _from_ntc(rows) if rows else None
        if interfaces is None:
            interfaces = parser(text)
        if not interfaces and text.strip():
            raise DeviceError(ErrorClass.PARSE, f"{command!r} output is not recognisable as {device.platform} "
                              "output (artifact kept)", device=device.name, artifacts=out.artifacts)
        facts = summarise(interfaces)
        config_command = CONFIG_COMMANDS[device.platform]
        config = cli.send(config_command)
        art_cfg = out.artifact(device.name, self.name, f"ssh:{config_command}", config)
        cfg = config_facts(device.platform, config, has_global=bool(facts["global_addresses"]))
        out.observe(Observation(
            device=device.name, collector=self.name, kind=KIND,
            data=dict(_observed(device, "ssh", facts, cfg["routing_enabled"], cfg["acls"], bool(cfg["acls"]),
                                [command, config_command])),
            source=f"ssh:{command};{config_command}", artifacts=[art.sha256, art_cfg.sha256]))


# ----------------------------------------------------------------------------------------------- SNMP

IP_ADDRESS_IFINDEX = "1.3.6.1.2.1.4.34.1.3"
IP_ADDRESS_PREFIX = "1.3.6.1.2.1.4.34.1.5"
IPV6_FORWARDING = "1.3.6.1.2.1.4.25.0"
IF_NAME = "1.3.6.1.2.1.31.1.1.1.1"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8"


def ipv6_from_index(index: str) -> str | None:
    """IP-MIB index ``2.16.b1...b16`` (InetAddressType ipv6, length, bytes) -> the address; None otherwise."""
    parts = index.split(".")
    if len(parts) != 18 or parts[0] != "2" or parts[1] != "16":
        return None
    try:
        return str(ipaddress.IPv6Address(bytes(int(p) for p in parts[2:])))
    except ValueError:
        return None


def prefix_length(prefix_oid: str) -> int | None:
    """ipAddressPrefix points at ``ipAddressPrefixOrigin.IFINDEX.TYPE.LEN.BYTES...PREFIXLEN``: its last arc."""
    last = str(prefix_oid).rstrip(".").rsplit(".", 1)[-1]
    return int(last) if last.isascii() and last.isdigit() and len(last) <= 3 and int(last) <= 128 else None


def snmp_interfaces(ifindex_walk: list[tuple[str, Any]], prefix_walk: list[tuple[str, Any]],
                    names: Mapping[str, str], oper: Mapping[str, int]) -> list[Ipv6Interface]:
    """IPv6 rows of ipAddressTable grouped by interface (name from ifName, state from ifOperStatus)."""
    prefixes = {oid[len(IP_ADDRESS_PREFIX) + 1:]: str(getattr(v, "value", v)) for oid, v in prefix_walk}
    by_if: dict[str, Ipv6Interface] = {}
    for oid, value in ifindex_walk:
        index = oid[len(IP_ADDRESS_IFINDEX) + 1:]
        address = ipv6_from_index(index)
        if address is None:
            continue
        ifindex = str(getattr(value, "value", value))
        iface = by_if.setdefault(ifindex, Ipv6Interface(names.get(ifindex, f"ifIndex {ifindex}"),
                                                        oper.get(ifindex, 0) == 1 if ifindex in oper else None))
        plen = prefix_length(prefixes.get(index, ""))
        iface.addresses.append(f"{address}/{plen}" if plen is not None else address)
    return [by_if[k] for k in sorted(by_if, key=lambda k: int(k) if k.isdigit() else 0)]


def _column(walk: list[tuple[str, Any]], root: str) -> dict[str, Any]:
    return {oid[len(root) + 1:]: getattr(v, "value", v) for oid, v in walk}


@register
class Ipv6Snmp(Collector):
    """IPv6 addresses and forwarding from IP-MIB over SNMP."""

    name: ClassVar[str] = "ipv6_snmp"
    version: ClassVar[str] = "1"
    transport: ClassVar[str] = "snmp"
    kinds: ClassVar[tuple[str, ...]] = (KIND,)

    def applies_to(self, device: Device) -> bool:
        return device.snmp is not None

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        from collectors.transports.snmp import render_walk, snmp_client, target_for

        client = snmp_client(ctx)
        target = target_for(device, ctx.secrets)
        out = CollectorOutput()
        walks = {}
        for root in (IP_ADDRESS_IFINDEX, IP_ADDRESS_PREFIX, IF_NAME, IF_OPER_STATUS):
            walks[root] = await client.walk(target, root)
        forwarding = await client.get(target, [IPV6_FORWARDING])
        rows = [row for root in walks for row in walks[root]]
        fwd_value = getattr(forwarding.get(IPV6_FORWARDING), "value", None)
        rows += [(IPV6_FORWARDING, forwarding[IPV6_FORWARDING])] if IPV6_FORWARDING in forwarding else []
        art = out.artifact(device.name, self.name, "snmp:walk IP-MIB ipAddressTable, ifName, ifOperStatus",
                           render_walk(rows))
        names = {k: str(v) for k, v in _column(walks[IF_NAME], IF_NAME).items()}
        oper = {k: int(v) for k, v in _column(walks[IF_OPER_STATUS], IF_OPER_STATUS).items()
                if str(v).lstrip("-").isdigit()}
        interfaces = snmp_interfaces(walks[IP_ADDRESS_IFINDEX], walks[IP_ADDRESS_PREFIX], names, oper)
        routing = {"1": True, "2": False}.get(str(fwd_value))  # forwarding(1) / notForwarding(2); None: not said
        out.observe(Observation(
            device=device.name, collector=self.name, kind=KIND,
            data=dict(_observed(device, "snmp", summarise(interfaces), routing, [], None,
                                ["IP-MIB::ipAddressTable", "IP-MIB::ipv6IpForwarding"])),
            source="snmp:IP-MIB", artifacts=[art.sha256]))
        return out
