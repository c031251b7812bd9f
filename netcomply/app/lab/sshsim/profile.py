"""Device profiles: who each simulated SSH device is (platform, address, credentials, fault, facts).

A profile holds everything a simulated device needs to answer like the real thing. The per-device facts
(``vars``: model, serial, interfaces, secrets in its running-config ...) are derived *deterministically* from
the device name, so two runs of the lab (and the tests that check parsers against it) see the same values
without storing them anywhere.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import asdict, dataclass, field
from typing import Any

#: Platforms the engine can play (netmiko device_type names).
PLATFORMS = (
    "cisco_ios", "cisco_asa", "huawei", "hp_comware", "fortinet", "paloalto_panos", "juniper_junos",
    "cisco_wlc_ssh",
)

#: Platforms a scale lab cycles over: the ones agencies own by the hundred.
SCALE_CYCLE = ("cisco_ios", "huawei", "hp_comware", "juniper_junos", "cisco_asa", "fortinet")

#: Brand and model per platform when the topology does not say (scale mode).
_SCALE_MODELS: dict[str, tuple[str, str]] = {
    "cisco_ios": ("Cisco", "WS-C2960X-48FPD-L"),
    "cisco_asa": ("Cisco", "ASA5516"),
    "huawei": ("Huawei", "S5735-L48T4X-A1"),
    "hp_comware": ("H3C", "S5130S-28S-EI"),
    "fortinet": ("Fortinet", "FortiGate-100F"),
    "paloalto_panos": ("Palo Alto Networks", "PA-220"),
    "juniper_junos": ("Juniper", "SRX345"),
    "cisco_wlc_ssh": ("Cisco", "AIR-CT3504-K9"),
}

#: Software versions per platform: what such a box in an agency typically runs.
_VERSIONS: dict[str, str] = {
    "cisco_ios": "15.2(7)E8",
    "cisco_ios_xe": "16.12.10a",
    "cisco_asa": "9.16(4)",
    "huawei": "V200R021C10SPC600",
    "hp_comware": "7.1.070, Release 6343P06",
    "fortinet": "v7.2.8,build1639,240313 (GA.M)",
    "paloalto_panos": "10.1.11-h1",
    "juniper_junos": "21.4R3-S5.4",
    "cisco_wlc_ssh": "8.10.185.0",
}

#: Interface names per platform: (name, kind). ``kind`` decides addressing: l3 interfaces get IPv4 (and
#: usually IPv6), l2 ones none, mgmt gets an address from the management range.
_INTERFACES: dict[str, tuple[tuple[str, str], ...]] = {
    "cisco_ios": (("GigabitEthernet1/0/1", "l2"), ("GigabitEthernet1/0/2", "l2"),
                  ("GigabitEthernet1/0/48", "l3"), ("Vlan10", "l3"), ("Vlan20", "l3"), ("Loopback0", "l3")),
    "cisco_asa": (("GigabitEthernet1/1", "l3"), ("GigabitEthernet1/2", "l3"), ("GigabitEthernet1/3", "l3"),
                  ("Management1/1", "mgmt")),
    "huawei": (("GigabitEthernet0/0/1", "l2"), ("GigabitEthernet0/0/2", "l2"), ("Vlanif10", "l3"),
               ("Vlanif20", "l3"), ("LoopBack0", "l3"), ("MEth0/0/1", "mgmt")),
    "hp_comware": (("GigabitEthernet1/0/1", "l2"), ("GigabitEthernet1/0/2", "l2"),
                   ("Vlan-interface10", "l3"), ("Vlan-interface20", "l3"), ("LoopBack0", "l3"),
                   ("M-GigabitEthernet0/0/0", "mgmt")),
    "fortinet": (("port1", "l3"), ("port2", "l3"), ("wan1", "l3"), ("mgmt", "mgmt")),
    "paloalto_panos": (("ethernet1/1", "l3"), ("ethernet1/2", "l3"), ("ethernet1/3", "l3"),
                       ("management", "mgmt")),
    "juniper_junos": (("ge-0/0/0", "l3"), ("ge-0/0/1", "l3"), ("ge-0/0/2", "l3"), ("fxp0", "mgmt")),
    "cisco_wlc_ssh": (("management", "mgmt"), ("guest-wifi", "l3"), ("staff-wifi", "l3")),
}

_DOC_V4 = ("192.0.2", "198.51.100", "203.0.113")


@dataclass
class DeviceProfile:
    """One simulated device. ``password`` is the device's *real* password (for ``wrong_password`` it differs
    from the lab's shared one); ``port`` 0 asks the lab to pick a free port."""

    name: str
    platform: str
    address: str
    port: int
    hostname: str
    username: str
    password: str
    enable_secret: str
    fault: str | None = None
    vars: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DeviceProfile:
        return cls(**data)


def _rng(name: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big"))


def _serial(platform: str, model: str, rnd: random.Random) -> str:
    """A serial number in the shape the vendor uses (so parsers' regexes accept it)."""
    up, dig = "ABCDEFGHJKLMNPQRSTUVWXYZ", "0123456789"

    def pick(chars: str, n: int) -> str:
        return "".join(rnd.choice(chars) for _ in range(n))

    if platform in ("cisco_ios", "cisco_asa", "cisco_wlc_ssh"):
        return "FOC" + pick(dig, 4) + pick(up, 1) + pick(up + dig, 3)
    if platform == "huawei":
        return "2102" + pick(dig, 6) + pick(up, 2) + pick(dig, 8)
    if platform == "hp_comware":
        if model.startswith("J"):  # HPE-branded: ten characters, CN + country-coded lot
            return "CN" + pick(dig, 1) + pick(up + dig, 7)
        return "219801A" + pick(up + dig, 3) + pick(dig, 4) + pick(up, 1) + pick(dig, 5)
    if platform == "fortinet":
        return "FG" + model.split("-")[-1] + "TK" + pick(dig, 8)
    if platform == "paloalto_panos":
        return "0128" + pick(dig, 8)
    return "CW" + pick(dig, 4) + "AF" + pick(dig, 4)


def _mac(rnd: random.Random, oui: str) -> str:
    tail = ":".join(f"{rnd.randrange(256):02x}" for _ in range(3))
    return f"{oui}:{tail}"


_OUIS = {
    "cisco_ios": "00:1e:7a", "cisco_asa": "00:50:56", "cisco_wlc_ssh": "70:1f:53", "huawei": "28:6e:d4",
    "hp_comware": "70:ba:ef", "fortinet": "00:09:0f", "paloalto_panos": "b4:0c:25", "juniper_junos": "2c:6b:f5",
}


def _eui64_link_local(mac: str) -> str:
    """The fe80:: address a router derives from its MAC (modified EUI-64), as real interfaces show."""
    b = [int(x, 16) for x in mac.split(":")]
    b[0] ^= 0x02
    eui = [*b[:3], 0xFF, 0xFE, *b[3:]]
    groups = [f"{(eui[i] << 8) | eui[i + 1]:x}" for i in range(0, 8, 2)]
    return "fe80::" + ":".join(groups)


def make_vars(name: str, platform: str, index: int, *, brand: str, model: str, role: str | None = None,
              aps: list[str] | None = None, lab_epoch: float | None = None) -> dict[str, Any]:
    """Derive a device's facts from its name and position; same inputs, same facts."""
    rnd = _rng(name)
    oui = _OUIS.get(platform, "02:00:00")
    v4_net = _DOC_V4[index % 3]
    host = index % 250 + 2
    interfaces: list[dict[str, Any]] = []
    for n, (ifname, kind) in enumerate(_INTERFACES[platform]):
        iface: dict[str, Any] = {"name": ifname, "kind": kind, "up": True, "mac": _mac(rnd, oui)}
        iface["ipv6_ll"] = _eui64_link_local(iface["mac"])
        if kind in ("l3", "mgmt"):
            iface["ipv4"] = f"{_DOC_V4[(index + n) % 3]}.{(host + n * 7) % 253 + 1}"
            iface["mask"] = "255.255.255.0"
            iface["prefixlen"] = 24
            # Roughly two in three L3 interfaces have a global IPv6 address (phase-3 rollout is partial).
            if kind == "l3" and (index + n) % 3 != 2:
                iface["ipv6"] = f"2001:db8:{index % 0xFFFF:x}:{n + 1:x}::1"
                iface["ipv6_prefixlen"] = 64
        if n == 1:
            iface["up"] = False  # one interface down: realistic and gives the checks something to see
        interfaces.append(iface)
    version = _VERSIONS[platform]
    ios_xe = platform == "cisco_ios" and (model.startswith("C9") or model.startswith("ISR4"))
    if ios_xe:
        version = _VERSIONS["cisco_ios_xe"]
    secret_tag = hashlib.sha256(f"secret:{name}".encode()).hexdigest()
    out: dict[str, Any] = {
        "brand": brand,
        "model": model,
        "role": role,
        "serial": _serial(platform, model, rnd),
        "version": version,
        "ios_xe": ios_xe,
        "uptime_seconds": rnd.randrange(3 * 86400, 400 * 86400),
        "base_mac": _mac(rnd, oui),
        "mgmt_ipv4": f"{v4_net}.{host}",
        "interfaces": interfaces,
        "arp": [
            {"ip": f"{v4_net}.{(host + k * 11) % 253 + 1}", "mac": _mac(rnd, "00:1b:54"),
             "interface": interfaces[-1 if platform in ("cisco_wlc_ssh",) else min(2, len(interfaces) - 1)]["name"],
             "age": rnd.randrange(0, 240)}
            for k in range(4)
        ],
        "lldp": [
            {"local": interfaces[0]["name"], "remote_name": f"{name}-peer{k}", "remote_port": f"Gi1/0/{k + 24}",
             "chassis": _mac(rnd, "00:1e:7a"), "mgmt": f"{v4_net}.{(host + 100 + k) % 253 + 1}"}
            for k in range(2)
        ],
        # Secrets seeded into the running configuration, so redaction can be tested downstream.
        "snmp_community": f"lab-ro-{secret_tag[:10]}",
        "snmp_community_rw": f"lab-rw-{secret_tag[10:20]}",
        "secret_hash": f"$9$lab{secret_tag[20:34]}${secret_tag[34:60]}",
        "user_cipher": f"%^%#lab{secret_tag[:24]}%^%#",
        "enc_blob": "SH2" + hashlib.sha256(f"enc:{name}".encode()).hexdigest()[:56],
        # The device secrets issue 14 found leaking, in the syntax that leaked (IOS template only): netcomply never
        # learns them, so only the redactor's patterns can keep them out of the store, logs, reports and packs.
        "leak_seeds": {kind: f"Lk{kind.replace('_', '')}{hashlib.sha256(f'{kind}:{name}'.encode()).hexdigest()[:10]}"
                       for kind in ("radius", "tacacs", "bgp", "psk", "url", "chap", "ftp", "server_private", "ntp")},
        "slow_delay": 3.0,
    }
    if aps:
        epoch = time.time() if lab_epoch is None else lab_epoch
        out["lab_epoch"] = epoch
        out["aps"] = [
            {"name": ap, "mac": _mac(_rng(ap), "e8:65:49" if platform == "cisco_wlc_ssh" else "00:e0:fc"),
             "ipv4": f"{v4_net}.{(host + 30 + k) % 253 + 1}",
             "model": "AIR-AP2802I-E-K9" if platform == "cisco_wlc_ssh" else "AirEngine5760-10",
             "clients": _rng(ap).randrange(0, 60),
             # Down windows, seconds relative to lab_epoch: every third AP is down between 60 s and 180 s
             # after the lab started, and the last AP never came up (a hotspot out of service).
             "down": ([[0, 10**9]] if k == len(aps) - 1 else [[60, 180]] if k % 3 == 1 else [])}
            for k, ap in enumerate(aps)
        ]
    return out


def profiles_from_topology(topology: dict[str, Any], *, scale: int | None = None, port: int = 2222,
                           password: str, enable_secret: str, username: str = "netcomply",
                           lab_epoch: float | None = None) -> list[DeviceProfile]:
    """Profiles for the lab's SSH devices.

    Without ``scale``: every device of ``topology`` (city.yaml) that has an ``ssh:`` key, on its own loopback
    address. With ``scale=N``: N devices cycling over :data:`SCALE_CYCLE` on 127.1.x.y (one address each,
    so the same ``port`` serves them all), for the benchmarks.
    """
    epoch = time.time() if lab_epoch is None else lab_epoch
    profiles: list[DeviceProfile] = []
    if scale is not None:
        for i in range(scale):
            platform = SCALE_CYCLE[i % len(SCALE_CYCLE)]
            brand, model = _SCALE_MODELS[platform]
            name = f"scale-{i:05d}"  # same name as the SNMP agent at this address
            address = f"127.1.{(i // 250) % 256}.{i % 250 + 1}"
            profiles.append(DeviceProfile(
                name=name, platform=platform, address=address, port=port, hostname=name, username=username,
                password=password, enable_secret=enable_secret,
                vars=make_vars(name, platform, i, brand=brand, model=model)))
        return profiles
    controller_aps: dict[str, list[str]] = topology.get("controller_aps") or {}
    for i, dev in enumerate(topology.get("devices") or []):
        platform = dev.get("ssh")
        if not platform:
            continue
        if platform not in PLATFORMS:
            raise ValueError(f"device {dev.get('name')!r}: unsupported ssh platform {platform!r}")
        name = str(dev["name"])
        fault = dev.get("fault")
        real_password = f"{password}-rotated" if fault == "wrong_password" else password
        dvars = make_vars(name, platform, i, brand=str(dev.get("brand", "")), model=str(dev.get("model", "")),
                          role=dev.get("role"), aps=controller_aps.get(name), lab_epoch=epoch)
        if dev.get("manufacturer"):
            dvars["manufacturer"] = dev["manufacturer"]
        profiles.append(DeviceProfile(
            name=name, platform=platform, address=str(dev["address"]), port=port, hostname=name,
            username=username, password=real_password, enable_secret=enable_secret, fault=fault, vars=dvars))
    return profiles


def ap_is_up(ap: dict[str, Any], lab_epoch: float, now: float | None = None) -> bool:
    """An AP is up unless ``now`` falls in one of its down windows (seconds after ``lab_epoch``)."""
    t = (time.time() if now is None else now) - lab_epoch
    return not any(start <= t < end for start, end in ap.get("down", []))
