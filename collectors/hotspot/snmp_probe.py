"""AP state over SNMP: one controller's whole AP table in a few bulk walks, or one standalone AP.

Tables read (numeric OIDs, no MIB lookup):

* Cisco AireOS (AIRESPACE-WIRELESS-MIB): ``bsnAPName`` (…14179.2.2.1.1.3), ``bsnAPOperationStatus`` (.6;
  associated(1) is up, disassociating(2) / downloading(3) are not), per-radio ``bsnApIfNoOfUsers``
  (…14179.2.2.2.1.15, summed) and CISCO-LWAPP-AP-MIB ``cLApUpTime`` (…9.9.513.1.1.1.1.6, TimeTicks), all
  indexed by the AP's MAC.
* Huawei AC (HUAWEI-WLAN-AP-MIB hwWlanApTable …2011.6.139.13.3.3.1): ``hwWlanApName`` (.4),
  ``hwWlanApRunState`` (.6; normal(8) is up, everything else -- fault(4), idle, download, config... -- is
  not), ``hwWlanApRunTime`` (.18, seconds online), ``hwWlanApOnlineUserNum`` (.44).
* A standalone AP (IF-MIB, SNMPv2-MIB): ``ifType`` / ``ifOperStatus`` -- up when any radio (ieee80211, type
  71) is up, or, without radios in ifTable, any non-loopback interface -- and ``sysUpTime.0``.

An AP the controller does not list is *down* (AireOS drops APs that are not joined). A controller or AP that
does not answer raises :class:`DeviceError`; the poller decides what that means (see ``reachability``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from collectors.transports.snmp import SnmpClient, SnmpTarget, SnmpValue

BSN_AP = "1.3.6.1.4.1.14179.2.2.1.1"
BSN_AP_IF_USERS = "1.3.6.1.4.1.14179.2.2.2.1.15"
CLAP_UPTIME = "1.3.6.1.4.1.9.9.513.1.1.1.1.6"
HW_WLAN_AP = "1.3.6.1.4.1.2011.6.139.13.3.3.1"
IF_TYPE = "1.3.6.1.2.1.2.2.1.3"
IF_OPER = "1.3.6.1.2.1.2.2.1.8"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"

CISCO_UP = {1}  # associated
HUAWEI_UP = {8}  # normal
IEEE80211 = 71
SOFTWARE_LOOPBACK = 24


@dataclass
class ApReading:
    """What one read said about one AP."""

    up: bool
    uptime_s: float | None = None
    clients: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    at: float | None = None  # Unix time the state column was read (a round's other walks come later)


def _suffix(oid: str, prefix: str) -> str:
    return oid[len(prefix) + 1:] if oid.startswith(prefix + ".") else ""


def _column(rows: Sequence[tuple[str, SnmpValue]], prefix: str) -> dict[str, Any]:
    return {_suffix(oid, prefix): v.value for oid, v in rows if _suffix(oid, prefix)}


def _count(value: Any) -> int:
    """A client-count column as a number; anything an agent may wrongly put there (text, nothing) counts 0."""
    if isinstance(value, int) and not isinstance(value, bool):
        return max(value, 0)
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 0


def cisco_ap_table(names: Sequence[tuple[str, SnmpValue]], status: Sequence[tuple[str, SnmpValue]],
                   users: Sequence[tuple[str, SnmpValue]], uptime: Sequence[tuple[str, SnmpValue]]
                   ) -> dict[str, ApReading]:
    """AP name -> reading, from the four AireOS walks (rows as the SNMP client returns them)."""
    by_index = _column(names, f"{BSN_AP}.3")
    states = _column(status, f"{BSN_AP}.6")
    ups = _column(uptime, CLAP_UPTIME)
    clients: dict[str, int] = defaultdict(int)
    for key, value in _column(users, BSN_AP_IF_USERS).items():
        index = key.rsplit(".", 1)[0]  # MAC index . slot
        clients[index] += _count(value)
    out: dict[str, ApReading] = {}
    for index, name in by_index.items():
        state = states.get(index)
        up = isinstance(state, int) and state in CISCO_UP
        ticks = ups.get(index)
        out[str(name)] = ApReading(
            up=up, uptime_s=ticks / 100.0 if up and isinstance(ticks, int) else None,
            clients=clients.get(index, 0) if up else 0, detail={"controller_state": state},
        )
    return out


def huawei_ap_table(rows: Sequence[tuple[str, SnmpValue]]) -> dict[str, ApReading]:
    """AP name -> reading, from a walk of hwWlanApTable's name, state, run time and user columns."""
    names = _column(rows, f"{HW_WLAN_AP}.4")
    states = _column(rows, f"{HW_WLAN_AP}.6")
    runtime = _column(rows, f"{HW_WLAN_AP}.18")
    users = _column(rows, f"{HW_WLAN_AP}.44")
    out: dict[str, ApReading] = {}
    for index, name in names.items():
        state = states.get(index)
        up = isinstance(state, int) and state in HUAWEI_UP
        secs = runtime.get(index)
        n = users.get(index)
        out[str(name)] = ApReading(
            up=up, uptime_s=float(secs) if up and isinstance(secs, int) else None,
            clients=int(n) if up and isinstance(n, int) else (0 if not up else None),
            detail={"controller_state": state},
        )
    return out


def standalone_ap(if_types: Sequence[tuple[str, SnmpValue]], if_oper: Sequence[tuple[str, SnmpValue]],
                  uptime: SnmpValue | None) -> ApReading:
    types = _column(if_types, IF_TYPE)
    oper = _column(if_oper, IF_OPER)
    radios = [i for i, t in types.items() if t == IEEE80211]
    watched = radios or [i for i, t in types.items() if t != SOFTWARE_LOOPBACK] or list(oper)
    up_ifaces = [i for i in watched if oper.get(i) == 1]
    ticks = uptime.value if uptime is not None and isinstance(uptime.value, int) else None
    up = bool(up_ifaces)
    return ApReading(up=up, uptime_s=ticks / 100.0 if up and ticks is not None else None, clients=None,
                     detail={"radios": len(radios), "interfaces_up": len(up_ifaces), "watched": len(watched),
                             "watched_ifs": watched})


async def read_controller(client: SnmpClient, target: SnmpTarget, vendor: str) -> dict[str, ApReading]:
    """Every AP a controller lists. ``vendor``: ``cisco`` or ``huawei``."""
    if vendor == "cisco":
        status = await client.walk(target, f"{BSN_AP}.6")
        at = time.time()  # state first: the sample's time is when the state was read
        uptime = await client.walk(target, CLAP_UPTIME)
        users = await client.walk(target, BSN_AP_IF_USERS)
        names = await client.walk(target, f"{BSN_AP}.3")
        table = cisco_ap_table(names, status, users, uptime)
    elif vendor == "huawei":
        rows: list[tuple[str, SnmpValue]] = list(await client.walk(target, f"{HW_WLAN_AP}.6"))
        at = time.time()
        for column in (18, 44, 4):
            rows += await client.walk(target, f"{HW_WLAN_AP}.{column}")
        table = huawei_ap_table(rows)
    else:
        raise ValueError(f"no SNMP AP table known for controller vendor {vendor!r}")
    for reading in table.values():
        reading.at = at
    return table


async def read_ap(client: SnmpClient, target: SnmpTarget, watched: Sequence[str] | None = None) -> ApReading:
    """One standalone AP. With ``watched`` (the ifIndexes an earlier full read chose, see ``detail["watched_ifs"]``)
    one GET of sysUpTime and those ifOperStatus is enough; a full read (two walks and a GET) otherwise, or when
    an interface has gone (noSuchInstance: the AP was replaced or renumbered)."""
    if watched:
        got = await client.get(target, [SYS_UPTIME, *(f"{IF_OPER}.{i}" for i in watched)])
        at = time.time()
        opers = [got.get(f"{IF_OPER}.{i}") for i in watched]
        if all(v is not None and isinstance(v.value, int) for v in opers):
            up_ifaces = [i for i, v in zip(watched, opers, strict=True) if v is not None and v.value == 1]
            up = bool(up_ifaces)
            ticks = got.get(SYS_UPTIME)
            uptime = ticks.value / 100.0 if up and ticks is not None and isinstance(ticks.value, int) else None
            return ApReading(up=up, uptime_s=uptime, clients=None, at=at,
                             detail={"interfaces_up": len(up_ifaces), "watched": len(watched),
                                     "watched_ifs": list(watched)})
    oper = await client.walk(target, IF_OPER)
    at = time.time()
    got = await client.get(target, [SYS_UPTIME])
    types = await client.walk(target, IF_TYPE)
    reading = standalone_ap(types, oper, got.get(SYS_UPTIME))
    reading.at = at
    return reading
