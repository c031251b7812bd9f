"""SNMP vendor signals the generic collectors do not gather: brand-specific scalars, the SNMPv3 engine id,
LLDP neighbours (devices one hop away, often not in the inventory) and the ARP table (MACs and their OUIs).

Observation kind
----------------
``vendor.snmp_signals`` — one per device::

    {"vendor_oids": {"1.3.6.1.4.1.39165.1.6.0": "Hikvision", ...},
     "engine_id": "800007e5030019c6aabbcc",            # hex, or None
     "engine_id_source": "snmpEngineID.0",             # or "SNMPv3 discovery report" (v3 targets), or None
     "lldp_local_chassis": "00:19:c6:aa:bb:cc",        # this device's own chassis MAC, or None
     "enterprises": [2021, 8072, 41112],                # private subtrees the agent answers (GETNEXT hops)
     "own_macs": ["00:19:c6:aa:bb:cc", "00:19:c6:aa:bb:cd"],  # dot1dBaseBridgeAddress + first 64 ifPhysAddress
                                                        # rows: hardware MACs only (collectors.vendor.own_macs)
     "standard_identity": {"ups_manufacturer": "EATON", "ups_model": "Eaton 9PX 1000i RT 2U"},
                                                        # UPS-MIB upsIdent scalars, the first dot11ResourceInfoTable
                                                        # row (collectors.vendor.standard_identity)
     "lldp_neighbours": [{"local_port": 3, "index": "0.3.1", "chassis_subtype": 4, "chassis_id": "44:19:b6:..",
                          "port_id": "eth0", "sys_name": "IPCAM-LOBBY-02", "sys_desc": "DS-2CD1023G0E-I"}],
     "arp": [{"ip": "192.0.2.201", "mac": "44:19:b6:3a:10:52", "if_index": 3}]}

sysDescr, sysObjectID and ENTITY rows are *not* re-read: ``device.snmp_system`` has them. The walks are the
artifacts. Read-only GET/GETBULK only, through the shared :class:`SnmpClient`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import Any, ClassVar, TypeVar, cast

from collectors.base import CollectContext, Collector, CollectorOutput, register
from collectors.vendor.engine_id import discover_engine_id
from collectors.vendor.kb import load_kb
from collectors.vendor.oui import normalise_mac
from collectors.vendor.own_macs import candidates as own_mac_candidates
from collectors.vendor.standard_identity import DOT11_COLUMNS, UPS_SCALARS
from collectors.vendor.standard_identity import from_values as standard_identity_of
from netcomply.contracts.vendor import ArpEntry, LldpNeighbour, VendorSnmpSignals
from netcomply.errors import DeviceError, ErrorClass
from netcomply.models import Device, Observation

T = TypeVar("T")
ENGINE_ID = "1.3.6.1.6.3.10.2.1.1.0"
LLDP_LOC_CHASSIS = "1.0.8802.1.1.2.1.3.2.0"
LLDP_REM = "1.0.8802.1.1.2.1.4.1.1"
IP_NET_TO_PHYSICAL_ADDR = "1.3.6.1.2.1.4.35.1.4"
IP_NET_TO_MEDIA_ADDR = "1.3.6.1.2.1.4.22.1.2"
BRIDGE_ADDRESS = "1.3.6.1.2.1.17.1.1.0"  # dot1dBaseBridgeAddress: a bridge's own MAC
IF_PHYS_ADDRESS = "1.3.6.1.2.1.2.2.1.6"  # ifPhysAddress column
MAX_IF_ROWS = 64  # one GETBULK: a chassis with hundreds of ports adds nothing past its first NICs
_LLDP_COLUMNS = {"4": "chassis_subtype", "5": "chassis_id", "7": "port_id", "9": "sys_name", "10": "sys_desc"}


def _plain(value: Any) -> Any:
    """SnmpValue -> str/int; binary octets -> hex string (as the transport gives them)."""
    if value is None:
        return None
    if getattr(value, "type", None) in ("NoSuchObject", "NoSuchInstance", "EndOfMibView"):
        return None
    hexed = getattr(value, "hex", None)
    if hexed is not None:
        return hexed
    return getattr(value, "value", value)


def mac_of(value: Any) -> str | None:
    """A MAC from an OCTET STRING: hex when binary, but six printable bytes arrive as text ("ABCDEF")."""
    plain = _plain(value)
    if isinstance(plain, str) and len(plain) == 6 and getattr(value, "hex", None) is None:
        mac = normalise_mac(plain.encode("latin-1", "replace").hex())
        if mac:
            return mac
    return normalise_mac(str(plain or ""))


async def if_phys_addresses(client: Any, target: Any, limit: int = MAX_IF_ROWS) -> list[tuple[str, Any]]:
    """The first ``limit`` rows of the ifPhysAddress column, in one GETBULK (bounded, unlike a walk)."""
    rows = await client.request("getbulk", target, [IF_PHYS_ADDRESS], max_repetitions=limit)
    prefix = IF_PHYS_ADDRESS + "."
    return [(str(oid).lstrip("."), v) for oid, v in rows[:limit] if str(oid).lstrip(".").startswith(prefix)]


def own_macs(bridge: Any, physical: Sequence[tuple[str, Any]]) -> list[str]:
    """The device's own hardware MACs: the bridge address first, then the interfaces' (distinct, globally
    administered unicast, not virtual: :func:`collectors.vendor.own_macs.candidates`)."""
    return own_mac_candidates([mac_of(bridge), *(mac_of(v) for _, v in physical)])


ENTERPRISES = "1.3.6.1.4.1"
MAX_SUBTREES = 6


async def enterprise_subtrees(client: Any, target: Any, limit: int = MAX_SUBTREES,
                              generic: frozenset[int] = frozenset()) -> list[int]:
    """The private (1.3.6.1.4.1.N) subtrees the agent implements, by GETNEXT hops from one subtree to the next,
    up to the first that is not ``generic`` (net-snmp's, UCD's): ``limit`` requests at most, usually one to three.
    A device whose sysObjectID is net-snmp's still answers its maker's own MIB (Ubiquiti 41112, Synology 6574, ...),
    which names the maker."""
    found: list[int] = []
    current = ENTERPRISES
    for _ in range(limit):
        rows = await client.request("getnext", target, [current])
        if not rows:
            break
        oid = str(rows[0][0]).lstrip(".")
        if not oid.startswith(ENTERPRISES + ".") or _plain(rows[0][1]) is None:
            break
        head = oid[len(ENTERPRISES) + 1:].split(".", 1)[0]
        if not head.isdigit():
            break
        found.append(int(head))
        if int(head) not in generic:
            break
        current = f"{ENTERPRISES}.{int(head) + 1}"
    return found


def generic_enterprises(kb: Any) -> frozenset[int]:
    """Enterprise numbers whose MIB names no maker (the knowledge base's ``generic`` entries)."""
    return frozenset(n for n, e in kb.enterprises.items() if e.generic)


def lldp_rows(walk: Sequence[tuple[str, Any]]) -> list[dict[str, Any]]:
    """lldpRemTable walk -> one dict per neighbour (index ``timeMark.localPort.remIndex``)."""
    prefix = LLDP_REM + "."
    rows: dict[str, dict[str, Any]] = {}
    for oid, value in walk:
        if not oid.startswith(prefix):
            continue
        column, _, index = oid[len(prefix):].partition(".")
        name = _LLDP_COLUMNS.get(column)
        if not name:
            continue
        row = rows.setdefault(index, {"index": index})
        parts = index.split(".")
        if len(parts) == 3 and parts[1].isdigit():
            row["local_port"] = int(parts[1])
        row[name] = mac_of(value) if name == "chassis_id" else _plain(value)
    out = []
    for row in rows.values():
        out.append(row)
    return sorted(out, key=lambda r: [int(p) if p.isdigit() else 0 for p in r["index"].split(".")])


def _ipv4_from_index(parts: list[str]) -> str | None:
    return ".".join(parts) if len(parts) == 4 and all(p.isdigit() for p in parts) else None


def arp_rows(physical: Sequence[tuple[str, Any]], media: Sequence[tuple[str, Any]]) -> list[dict[str, Any]]:
    """ipNetToPhysicalPhysAddress (IPv4 and IPv6) or, failing that, the legacy ipNetToMediaPhysAddress."""
    out: dict[str, dict[str, Any]] = {}
    for oid, value in physical:
        parts = oid[len(IP_NET_TO_PHYSICAL_ADDR) + 1:].split(".")
        if len(parts) < 3:
            continue
        if_index, addr_type, length = parts[0], parts[1], parts[2]
        raw = parts[3:]
        if addr_type == "1" and length == "4":
            ip = _ipv4_from_index(raw)
        elif addr_type == "2" and length == "16" and len(raw) == 16:
            import ipaddress

            ip = str(ipaddress.IPv6Address(bytes(int(b) for b in raw)))
        else:
            ip = None
        mac = mac_of(value)
        if ip and mac:
            out[ip] = {"ip": ip, "mac": mac, "if_index": int(if_index) if if_index.isdigit() else None}
    if not out:
        for oid, value in media:
            parts = oid[len(IP_NET_TO_MEDIA_ADDR) + 1:].split(".")
            ip = _ipv4_from_index(parts[1:])
            mac = mac_of(value)
            if ip and mac:
                out[ip] = {"ip": ip, "mac": mac, "if_index": int(parts[0]) if parts[0].isdigit() else None}
    return sorted(out.values(), key=lambda r: r["ip"])


async def dot11_first_row(client: Any, target: Any) -> list[tuple[str, Any]]:
    """The first row of the IEEE 802.11 MIB's manufacturer columns: one GETNEXT of the three column OIDs (a device
    without the MIB answers the next objects of its tree, which are dropped)."""
    columns = list(DOT11_COLUMNS.values())
    rows = await client.request("getnext", target, columns)
    out = []
    for column, (oid, value) in zip(columns, rows, strict=False):
        text = str(oid).lstrip(".")
        if text.startswith(column + "."):
            out.append((text, value))
    return out


async def _unless_refused(request: Awaitable[list[T]]) -> list[T]:
    """An optional request's rows, or none when the agent refuses it (an error other than a timeout): an agent
    that refuses GETNEXT under 1.3.6.1.4.1 or GETBULK still gave everything else. A timeout is the device's."""
    try:
        return await request
    except DeviceError as exc:
        if exc.error_class is ErrorClass.TIMEOUT:
            raise
        return []


@register
class VendorSignals(Collector):
    name: ClassVar[str] = "vendor_signals"
    version: ClassVar[str] = "1"
    transport: ClassVar[str] = "snmp"
    kinds: ClassVar[tuple[str, ...]] = ("vendor.snmp_signals",)

    def applies_to(self, device: Device) -> bool:
        return device.snmp is not None

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        from collectors.transports.snmp import render_walk, snmp_client, target_for

        kb = load_kb(None)
        client = snmp_client(ctx)
        target = target_for(device, ctx.secrets)
        out = CollectorOutput()
        scalars = [ENGINE_ID, LLDP_LOC_CHASSIS, BRIDGE_ADDRESS, *(v.oid for v in kb.vendor_oids),
                   *UPS_SCALARS.values()]
        values = await client.get(target, scalars)
        got = [(oid, values[oid]) for oid in scalars if oid in values]
        shas = [out.artifact(device.name, self.name, "snmp:get vendor scalars", render_walk(got)).sha256]
        lldp = await client.walk(target, LLDP_REM)
        shas.append(out.artifact(device.name, self.name, f"snmp:walk {LLDP_REM}", render_walk(lldp)).sha256)
        arp_physical = await client.walk(target, IP_NET_TO_PHYSICAL_ADDR)
        media: list[tuple[str, Any]] = []
        if not arp_physical:
            media = await client.walk(target, IP_NET_TO_MEDIA_ADDR)
        shas.append(out.artifact(device.name, self.name, "snmp:walk ARP",
                                 render_walk([*arp_physical, *media])).sha256)
        subtrees = await _unless_refused(enterprise_subtrees(client, target, generic=generic_enterprises(kb)))
        physical = await _unless_refused(if_phys_addresses(client, target))
        dot11 = await _unless_refused(dot11_first_row(client, target))
        shas.append(out.artifact(device.name, self.name, "snmp:getnext dot11ResourceInfoTable",
                                 render_walk(dot11)).sha256)
        shas.append(out.artifact(device.name, self.name, f"snmp:getbulk {IF_PHYS_ADDRESS} x{MAX_IF_ROWS}",
                                 render_walk(physical)).sha256)
        vendor = {v.oid: _plain(values.get(v.oid)) for v in kb.vendor_oids}
        engine = _plain(values.get(ENGINE_ID))
        engine_source = "snmpEngineID.0" if engine else None
        if not engine and device.snmp is not None and device.snmp.version == "3":
            # A v3 agent tells its engine id to anyone (RFC 3414 discovery); the device's MIB may not hold it.
            engine = await discover_engine_id(ctx.targets.check(device.address), device.snmp.port,
                                              timeout=device.snmp.timeout, retries=device.snmp.retries)
            engine_source = "SNMPv3 discovery report" if engine else None
        data: VendorSnmpSignals = {
            "vendor_oids": {k: str(v) for k, v in vendor.items() if v not in (None, "")},
            "engine_id": engine, "engine_id_source": engine_source,
            "lldp_local_chassis": mac_of(values.get(LLDP_LOC_CHASSIS)),
            "lldp_neighbours": cast("list[LldpNeighbour]", lldp_rows(lldp)),
            "enterprises": subtrees,
            "arp": cast("list[ArpEntry]", arp_rows(arp_physical, media)),
            "own_macs": own_macs(values.get(BRIDGE_ADDRESS), physical),
            "standard_identity": standard_identity_of({**{oid: _plain(values.get(oid)) for oid in UPS_SCALARS.values()},
                                                       **{oid: _plain(v) for oid, v in dot11}}),
        }
        out.observe(Observation(device=device.name, collector=self.name, kind="vendor.snmp_signals", data=dict(data),
                                source="snmp:vendor scalars+lldpRemTable+ipNetToPhysical+ifPhysAddress",
                                artifacts=shas))
        return out


from collectors.vendor import cli_inventory as _cli_inventory  # noqa: E402,F401  (registers vendor_cli)
