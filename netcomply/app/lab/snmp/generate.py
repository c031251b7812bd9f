"""Build a device's ``.snmprec`` recording from its inventory entry and its brand's recipe.

What a recording holds (each table as the collectors will read it):

* system group; sysUpTime through the ``apstate`` variation module (it grows, and resets when an AP reboots);
* IF-MIB ifTable/ifXTable; an AP's uplink and radios follow its schedule (ifOperStatus);
* IP-MIB ipAddressTable (IPv4 and IPv6 rows, index ``addrType.len.bytes``), ipAddressPrefixTable and the
  legacy ipAddrTable;
* ENTITY-MIB entPhysicalTable chassis row (class 3): MfgName, ModelName, SerialNum, SoftwareRev;
* LLDP-MIB local system and remote table (neighbours, including devices that are not in the inventory);
* ipNetToPhysicalTable / ipNetToMediaTable (ARP) with brand OUIs and locally administered MACs;
* snmpEngineID with the vendor's enterprise number (RFC 3411 format 3: MAC);
* BRIDGE-MIB dot1dBaseBridgeAddress on bridges (switches, WLAN controllers): the base MAC, of the brand's OUI like
  every ifPhysAddress;
* WLAN controllers: AIRESPACE-WIRELESS-MIB bsnAPTable/bsnAPIfTable (Cisco) or HUAWEI-WLAN-AP-MIB
  hwWlanApTable (Huawei) listing their APs with state on the schedule; Cisco also CISCO-LWAPP-AP-MIB
  cLApName / cLApUpTime (AireOS has no AP uptime in the Airespace tables).
"""

from __future__ import annotations

import ipaddress
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from netcomply.app.lab.snmp import snmprec as R
from netcomply.app.lab.snmp.recipes import Model, load_neighbours, model_for
from netcomply.app.lab.snmp.topology import LabDevice

SYSTEM = "1.3.6.1.2.1.1"
IF_TABLE = "1.3.6.1.2.1.2.2.1"
IFX_TABLE = "1.3.6.1.2.1.31.1.1.1"
IP_ADDR_TABLE = "1.3.6.1.2.1.4.20.1"
IP_NET_TO_MEDIA = "1.3.6.1.2.1.4.22.1"
IP_ADDRESS_PREFIX = "1.3.6.1.2.1.4.32.1"
IP_ADDRESS = "1.3.6.1.2.1.4.34.1"
IP_NET_TO_PHYSICAL = "1.3.6.1.2.1.4.35.1"
ENT_PHYSICAL = "1.3.6.1.2.1.47.1.1.1.1"
LLDP_LOC = "1.0.8802.1.1.2.1.3"
LLDP_REM = "1.0.8802.1.1.2.1.4.1.1"
SNMP_ENGINE = "1.3.6.1.6.3.10.2.1"
BRIDGE_ADDRESS = "1.3.6.1.2.1.17.1.1.0"
BRIDGE_ROLES = {"switch", "wlc"}
BSN_AP = "1.3.6.1.4.1.14179.2.2.1.1"
BSN_AP_IF = "1.3.6.1.4.1.14179.2.2.2.1"
HW_WLAN_AP = "1.3.6.1.4.1.2011.6.139.13.3.3.1"
CLAP = "1.3.6.1.4.1.9.9.513.1.1.1.1"  # CISCO-LWAPP-AP-MIB cLApEntry (5 cLApName, 6 cLApUpTime), same MAC index

INFRA_ROLES = {"switch", "router", "firewall", "wlc"}
LLDP_CAPS = {"other": 0, "repeater": 1, "bridge": 2, "wlanAccessPoint": 3, "router": 4, "telephone": 5}
ROLE_CAPS = {
    "switch": ["bridge", "router"],
    "router": ["router"],
    "firewall": ["router"],
    "wlc": ["bridge"],
    "ap": ["wlanAccessPoint"],
    "camera": ["other"],
    "nvr": ["other"],
}


def _h(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def device_mac(name: str, oui: str) -> str:
    """The device's base MAC: its brand's OUI plus three bytes from its name (stable across runs)."""
    tail = _h(name).to_bytes(4, "big")[1:]
    return oui + ":" + ":".join(f"{b:02x}" for b in tail)


def mac_plus(mac: str, n: int) -> str:
    value = (int(mac.replace(":", ""), 16) + n) % 2**48
    raw = f"{value:012x}"
    return ":".join(raw[i : i + 2] for i in range(0, 12, 2))


def engine_id(enterprise: int, mac: str) -> bytes:
    """RFC 3411 snmpEngineID: 4 bytes enterprise number with the top bit set, format 3 (MAC), the MAC."""
    return (0x80000000 | enterprise).to_bytes(4, "big") + b"\x03" + R.mac_bytes(mac)


def _addr_index(address: str) -> str:
    """IP-MIB InetAddress index: ``type.len.bytes`` (1.4.a.b.c.d or 2.16.x...x)."""
    ip = ipaddress.ip_address(address)
    kind = 1 if ip.version == 4 else 2
    return f"{kind}.{len(ip.packed)}." + ".".join(str(b) for b in ip.packed)


def _bits(positions: Sequence[int]) -> bytes:
    """An SNMP BITS value (bit 0 = most significant bit of the first octet)."""
    value = 0
    for p in positions:
        value |= 0x80 >> p
    return bytes([value, 0])


@dataclass(frozen=True)
class Iface:
    index: int
    name: str
    type: int
    speed_mbps: int
    mac: str
    follows_schedule: bool = False


def interfaces(dev: LabDevice, model: Model, base_mac: str) -> list[Iface]:
    ifc = model.interfaces
    out: list[Iface] = []
    idx = 1
    if ifc.loopback:
        out.append(Iface(idx, ifc.loopback, 24, 10, "", False))
        idx += 1
    is_ap = dev.role == "ap"
    for k, name in enumerate(ifc.physical_names()):
        follows = is_ap and (k == 0 or name in ifc.wlan)
        if_type = 71 if name in ifc.wlan else ifc.type  # ieee80211 radios
        out.append(Iface(idx, name, if_type, ifc.speed_mbps, mac_plus(base_mac, k), follows))
        idx += 1
    for extra in ifc.extra:
        out.append(Iface(idx, extra["name"], int(extra.get("type", 6)), 1000, mac_plus(base_mac, 64 + idx), False))
        idx += 1
    return out


def _apstate(ap: str, fld: str, **more: str) -> str:
    extra = "".join(f",{k}={v}" for k, v in more.items())
    return f"ap={ap},field={fld}{extra}"


class Neighbourhood:
    """Symmetric LLDP adjacency of the default lab plus the strangers (devices outside the inventory)."""

    def __init__(self, devices: Sequence[LabDevice], data: Mapping[str, Any] | None = None) -> None:
        data = data if data is not None else load_neighbours()
        names = {d.name for d in devices}
        self.strangers: dict[str, Mapping[str, Any]] = dict(data.get("strangers", {}))
        self.arp_hosts: list[Mapping[str, Any]] = list(data.get("arp_hosts", []))
        self.adj: dict[str, list[str]] = {}
        for a, bs in (data.get("links") or {}).items():
            for b in bs:
                if a not in names or (b not in names and b not in self.strangers):
                    continue
                self.adj.setdefault(a, [])
                if b not in self.adj[a]:
                    self.adj[a].append(b)
                if b in names:
                    self.adj.setdefault(b, [])
                    if a not in self.adj[b]:
                        self.adj[b].append(a)

    def of(self, name: str) -> list[str]:
        return self.adj.get(name, [])


@dataclass
class LabContext:
    """What a device's recording needs to know about the rest of the lab."""

    devices: Mapping[str, LabDevice]
    neighbours: Neighbourhood
    controller_aps: Mapping[str, Sequence[str]]
    epoch: float

    def model(self, dev: LabDevice) -> Model:
        return model_for(dev.brand, dev.model)

    def mac(self, dev: LabDevice) -> str:
        return device_mac(dev.name, self.model(dev).ouis[0])


def device_records(dev: LabDevice, ctx: LabContext) -> list[R.Rec]:
    """Every record of one device's recording (unsorted; :func:`snmprec.render` sorts)."""
    model = ctx.model(dev)
    base_mac = ctx.mac(dev)
    serial = model.serial(dev.name)
    ifaces = interfaces(dev, model, base_mac)
    recs: list[R.Rec] = []
    recs += _system(dev, model, serial)
    recs += _if_tables(dev, ifaces)
    recs += _ip_tables(dev, model, ifaces, base_mac)
    if model.entity:
        recs += _entity(dev, model, serial)
    if model.lldp:
        recs += _lldp(dev, model, ifaces, base_mac, ctx)
    if dev.role in INFRA_ROLES:
        recs += _arp(dev, ifaces, ctx)
    recs += _engine(model, base_mac)
    if dev.role in BRIDGE_ROLES:
        recs.append(R.mac(BRIDGE_ADDRESS, base_mac))
    for oid, tag, value in model.extra:
        filled = model.fill(value, name=dev.name, serial=serial)
        recs.append(R.text(oid, filled) if tag == "4" else R.Rec(oid, tag, filled))
    if dev.name in ctx.controller_aps:
        aps = ctx.controller_aps[dev.name]
        recs += _cisco_wlc(dev, aps) if dev.brand == "Cisco" else _huawei_wlc(dev, aps)
    return recs


def _system(dev: LabDevice, model: Model, serial: str) -> list[R.Rec]:
    return [
        R.text(f"{SYSTEM}.1.0", model.fill(model.descr, name=dev.name, serial=serial)),
        R.objid(f"{SYSTEM}.2.0", model.sysobjectid),
        R.Rec(f"{SYSTEM}.3.0", "67:apstate", _apstate(dev.name, "uptime")),
        R.text(f"{SYSTEM}.4.0", f"noc@{dev.agency}.lab.example"),
        R.text(f"{SYSTEM}.5.0", dev.name),
        R.text(f"{SYSTEM}.6.0", f"{dev.site}, {dev.agency}"),
        R.integer(f"{SYSTEM}.7.0", 6 if dev.role in ("switch", "wlc") else 78 if dev.role in INFRA_ROLES else 72),
    ]


def _if_tables(dev: LabDevice, ifaces: Sequence[Iface]) -> list[R.Rec]:
    recs = [R.integer("1.3.6.1.2.1.2.1.0", len(ifaces))]
    for f in ifaces:
        i = f.index
        seed = _h(f"{dev.name}/{f.name}")
        oper: R.Rec = (
            R.Rec(f"{IF_TABLE}.8.{i}", "2:apstate", _apstate(dev.name, "oper"))
            if f.follows_schedule
            else R.integer(f"{IF_TABLE}.8.{i}", 2 if (seed % 7 == 0 and f.type == 6 and i > 2) else 1)
        )
        in_octets, out_octets = seed % 10**11, (seed * 7) % 10**11
        recs += [
            R.integer(f"{IF_TABLE}.1.{i}", i),
            R.text(f"{IF_TABLE}.2.{i}", f.name),
            R.integer(f"{IF_TABLE}.3.{i}", f.type),
            R.integer(f"{IF_TABLE}.4.{i}", 65536 if f.type == 24 else 1500),
            R.gauge32(f"{IF_TABLE}.5.{i}", min(f.speed_mbps * 1_000_000, 2**32 - 1)),
            R.mac(f"{IF_TABLE}.6.{i}", f.mac) if f.mac else R.Rec(f"{IF_TABLE}.6.{i}", "4", ""),
            R.integer(f"{IF_TABLE}.7.{i}", 1),
            oper,
            R.timeticks(f"{IF_TABLE}.9.{i}", seed % 100_000),
            R.counter32(f"{IF_TABLE}.10.{i}", in_octets),
            R.counter32(f"{IF_TABLE}.16.{i}", out_octets),
            R.text(f"{IFX_TABLE}.1.{i}", f.name),
            R.counter64(f"{IFX_TABLE}.6.{i}", in_octets),
            R.counter64(f"{IFX_TABLE}.10.{i}", out_octets),
            R.gauge32(f"{IFX_TABLE}.15.{i}", f.speed_mbps),
            R.text(f"{IFX_TABLE}.18.{i}", "uplink" if i == ifaces[0].index and f.type != 24 else ""),
        ]
    return recs


def _mgmt_iface(ifaces: Sequence[Iface]) -> Iface:
    """The interface carrying the management address: an SVI (type 136/53) if any, else the first port."""
    for f in ifaces:
        if f.type in (136, 53) or f.name.lower() in ("mgmt", "fxp0", "management1/1"):
            return f
    return next(f for f in ifaces if f.type != 24)


def _eui64_link_local(mac: str) -> str:
    b = bytearray(R.mac_bytes(mac))
    b[0] ^= 0x02
    iid = bytes(b[:3]) + b"\xff\xfe" + bytes(b[3:])
    return str(ipaddress.IPv6Address(b"\xfe\x80" + b"\x00" * 6 + iid))


def _ip_tables(dev: LabDevice, model: Model, ifaces: Sequence[Iface], base_mac: str) -> list[R.Rec]:
    mgmt = _mgmt_iface(ifaces)
    rows: list[tuple[str, int, int]] = [(dev.mgmt_ipv4, 24, mgmt.index)]
    if model.ipv6:
        rows += [(dev.mgmt_ipv6, 64, mgmt.index), (_eui64_link_local(mgmt.mac or base_mac), 64, mgmt.index)]
    recs: list[R.Rec] = []
    for addr, plen, ifindex in rows:
        ip = ipaddress.ip_address(addr)
        idx = _addr_index(addr)
        net = ipaddress.ip_network(f"{addr}/{plen}", strict=False)
        prefix_idx = f"{ifindex}.{_addr_index(str(net.network_address))}.{plen}"
        link_local = ip.version == 6 and ip.is_link_local
        recs += [
            R.integer(f"{IP_ADDRESS}.3.{idx}", ifindex),
            R.integer(f"{IP_ADDRESS}.4.{idx}", 1),  # unicast
            R.objid(f"{IP_ADDRESS}.5.{idx}", f"{IP_ADDRESS_PREFIX}.5.{prefix_idx}"),
            R.integer(f"{IP_ADDRESS}.6.{idx}", 6 if link_local else 2),  # linklayer / manual
            R.integer(f"{IP_ADDRESS}.7.{idx}", 1),  # preferred
        ]
        if not link_local:
            recs += [
                R.integer(f"{IP_ADDRESS_PREFIX}.5.{prefix_idx}", 2),  # origin manual
                R.integer(f"{IP_ADDRESS_PREFIX}.6.{prefix_idx}", 1),  # on-link
                R.integer(f"{IP_ADDRESS_PREFIX}.7.{prefix_idx}", 1 if ip.version == 6 else 2),  # autonomous
                R.gauge32(f"{IP_ADDRESS_PREFIX}.8.{prefix_idx}", 604800),
                R.gauge32(f"{IP_ADDRESS_PREFIX}.9.{prefix_idx}", 2592000),
            ]
        if ip.version == 4:
            mask = str(net.netmask)
            recs += [
                R.ipv4(f"{IP_ADDR_TABLE}.1.{addr}", addr),
                R.integer(f"{IP_ADDR_TABLE}.2.{addr}", ifindex),
                R.ipv4(f"{IP_ADDR_TABLE}.3.{addr}", mask),
            ]
    return recs


def _entity(dev: LabDevice, model: Model, serial: str) -> list[R.Rec]:
    e = ENT_PHYSICAL
    return [
        R.text(f"{e}.2.1", model.entity_descr),
        R.objid(f"{e}.3.1", model.sysobjectid),
        R.integer(f"{e}.4.1", 0),
        R.integer(f"{e}.5.1", 3),  # chassis
        R.integer(f"{e}.6.1", -1),
        R.text(f"{e}.7.1", f"{model.model_name} Chassis" if dev.role != "ap" else model.model_name),
        R.text(f"{e}.8.1", "V01"),
        R.text(f"{e}.10.1", model.software),
        R.text(f"{e}.11.1", serial),
        R.text(f"{e}.12.1", model.manufacturer),
        R.text(f"{e}.13.1", model.model_name),
    ]


def _caps(role: str | None, explicit: Sequence[str] | None = None) -> bytes:
    names = explicit or ROLE_CAPS.get(role or "", ["other"])
    return _bits([LLDP_CAPS[n] for n in names])


def _lldp(dev: LabDevice, model: Model, ifaces: Sequence[Iface], base_mac: str, ctx: LabContext) -> list[R.Rec]:
    ports = [f for f in ifaces if f.type in (6, 117)]
    recs = [
        R.integer(f"{LLDP_LOC}.1.0", 4),  # chassis id subtype macAddress
        R.mac(f"{LLDP_LOC}.2.0", base_mac),
        R.text(f"{LLDP_LOC}.3.0", dev.name),
        R.text(f"{LLDP_LOC}.4.0", model.fill(model.descr, name=dev.name, serial="")),
        R.octets(f"{LLDP_LOC}.5.0", _caps(dev.role)),
        R.octets(f"{LLDP_LOC}.6.0", _caps(dev.role)),
    ]
    for p in ports:
        recs += [
            R.integer(f"{LLDP_LOC}.7.1.2.{p.index}", 5),  # port id subtype interfaceName
            R.text(f"{LLDP_LOC}.7.1.3.{p.index}", p.name),
            R.text(f"{LLDP_LOC}.7.1.4.{p.index}", p.name),
        ]
    if not ports:
        return recs
    for n, other in enumerate(ctx.neighbours.of(dev.name)):
        local = ports[n % len(ports)].index
        idx = f"0.{local}.{n + 1}"
        if other in ctx.devices:
            od = ctx.devices[other]
            om = ctx.model(od)
            oports = [f for f in interfaces(od, om, ctx.mac(od)) if f.type in (6, 117)]
            back = ctx.neighbours.of(other).index(dev.name) if dev.name in ctx.neighbours.of(other) else 0
            rport = oports[back % len(oports)].name if oports else "eth0"
            chassis, sysname = ctx.mac(od), od.name
            sysdesc = om.fill(om.descr, name=od.name, serial="")
            caps = _caps(od.role)
        else:
            s = ctx.neighbours.strangers[other]
            chassis, sysname, sysdesc, rport = s["mac"], s["sysname"], s["sysdesc"], s["port"]
            caps = _caps(None, s.get("caps"))
        recs += [
            R.integer(f"{LLDP_REM}.4.{idx}", 4),
            R.mac(f"{LLDP_REM}.5.{idx}", chassis),
            R.integer(f"{LLDP_REM}.6.{idx}", 5),
            R.text(f"{LLDP_REM}.7.{idx}", rport),
            R.text(f"{LLDP_REM}.8.{idx}", rport),
            R.text(f"{LLDP_REM}.9.{idx}", sysname),
            R.text(f"{LLDP_REM}.10.{idx}", sysdesc),
            R.octets(f"{LLDP_REM}.11.{idx}", caps),
            R.octets(f"{LLDP_REM}.12.{idx}", caps),
        ]
    return recs


def _arp(dev: LabDevice, ifaces: Sequence[Iface], ctx: LabContext) -> list[R.Rec]:
    mgmt = _mgmt_iface(ifaces)
    entries: list[tuple[str, str]] = []
    for other in ctx.neighbours.of(dev.name):
        if other in ctx.devices:
            entries.append((ctx.devices[other].mgmt_ipv4, ctx.mac(ctx.devices[other])))
        else:
            s = ctx.neighbours.strangers[other]
            entries.append((s["ip"], s["mac"]))
    net = ipaddress.ip_network(f"{dev.mgmt_ipv4}/24", strict=False)
    for h in ctx.neighbours.arp_hosts:
        entries.append((str(net.network_address + 100 + int(h["host"])), h["mac"]))
    recs: list[R.Rec] = []
    seen: set[str] = set()
    for ip, mac in entries:
        if ip in seen or ip == dev.mgmt_ipv4:
            continue
        seen.add(ip)
        idx = f"{mgmt.index}.{_addr_index(ip)}"
        recs += [
            R.mac(f"{IP_NET_TO_PHYSICAL}.4.{idx}", mac),
            R.timeticks(f"{IP_NET_TO_PHYSICAL}.5.{idx}", _h(ip) % 360_000),
            R.integer(f"{IP_NET_TO_PHYSICAL}.6.{idx}", 3),  # dynamic
            R.integer(f"{IP_NET_TO_PHYSICAL}.7.{idx}", 1),  # reachable
            R.integer(f"{IP_NET_TO_MEDIA}.1.{mgmt.index}.{ip}", mgmt.index),
            R.mac(f"{IP_NET_TO_MEDIA}.2.{mgmt.index}.{ip}", mac),
            R.ipv4(f"{IP_NET_TO_MEDIA}.3.{mgmt.index}.{ip}", ip),
            R.integer(f"{IP_NET_TO_MEDIA}.4.{mgmt.index}.{ip}", 3),
        ]
    return recs


def _engine(model: Model, base_mac: str) -> list[R.Rec]:
    return [
        R.octets(f"{SNMP_ENGINE}.1.0", engine_id(model.enterprise, base_mac)),
        R.integer(f"{SNMP_ENGINE}.2.0", 7),
        R.integer(f"{SNMP_ENGINE}.3.0", 246422),
        R.integer(f"{SNMP_ENGINE}.4.0", 1500),
    ]


def ap_mac(controller: str, ap: str, oui: str) -> str:
    return device_mac(f"{controller}/{ap}", oui)


def _ap_ip(dev: LabDevice, k: int) -> str:
    net = ipaddress.ip_network(f"{dev.mgmt_ipv4}/24", strict=False)
    return str(net.network_address + 150 + k)


def _mac_index(mac: str) -> str:
    return ".".join(str(b) for b in R.mac_bytes(mac))


def _cisco_wlc(dev: LabDevice, aps: Sequence[str]) -> list[R.Rec]:
    recs: list[R.Rec] = []
    for k, ap in enumerate(aps):
        mac = ap_mac(dev.name, ap, "70:db:98")
        i = _mac_index(mac)
        recs += [
            R.mac(f"{BSN_AP}.1.{i}", mac),
            R.text(f"{BSN_AP}.3.{i}", ap),
            R.text(f"{BSN_AP}.4.{i}", ap.rsplit("-", 1)[0].replace("-", " ").title()),
            R.Rec(f"{BSN_AP}.6.{i}", "2:apstate", _apstate(ap, "cisco_ap_status")),
            R.text(f"{BSN_AP}.16.{i}", "AIR-AP2802I-E-K9"),
            R.text(f"{BSN_AP}.17.{i}", model_serial("FGL", ap)),
            R.ipv4(f"{BSN_AP}.19.{i}", _ap_ip(dev, k)),
            R.mac(f"{BSN_AP}.33.{i}", mac_plus(mac, -0x10)),
            R.text(f"{CLAP}.5.{i}", ap),
            R.Rec(f"{CLAP}.6.{i}", "67:apstate", _apstate(ap, "uptime")),
        ]
        for slot in (0, 1):
            recs += [
                R.integer(f"{BSN_AP_IF}.1.{i}.{slot}", slot),
                R.integer(f"{BSN_AP_IF}.2.{i}.{slot}", 1 if slot == 0 else 2),  # dot11b / dot11a
                R.Rec(f"{BSN_AP_IF}.15.{i}.{slot}", "2:apstate", _apstate(ap, "clients", slot=str(slot))),
            ]
    return recs


def _huawei_wlc(dev: LabDevice, aps: Sequence[str]) -> list[R.Rec]:
    recs: list[R.Rec] = []
    for k, ap in enumerate(aps):
        mac = ap_mac(dev.name, ap, "48:46:fb")
        i = _mac_index(mac)
        recs += [
            R.mac(f"{HW_WLAN_AP}.1.{i}", mac),
            R.text(f"{HW_WLAN_AP}.2.{i}", model_serial("2102", ap)),
            R.text(f"{HW_WLAN_AP}.3.{i}", "AirEngine5760-10"),
            R.text(f"{HW_WLAN_AP}.4.{i}", ap),
            R.text(f"{HW_WLAN_AP}.5.{i}", "default"),
            R.Rec(f"{HW_WLAN_AP}.6.{i}", "2:apstate", _apstate(ap, "huawei_ap_state")),
            R.ipv4(f"{HW_WLAN_AP}.13.{i}", _ap_ip(dev, k)),
            R.Rec(f"{HW_WLAN_AP}.18.{i}", "66:apstate", _apstate(ap, "huawei_ap_online_time")),
            R.Rec(f"{HW_WLAN_AP}.44.{i}", "66:apstate", _apstate(ap, "clients")),
        ]
    return recs


def model_serial(prefix: str, seed: str) -> str:
    return f"{prefix}{_h(seed) % 10**8:08d}"
