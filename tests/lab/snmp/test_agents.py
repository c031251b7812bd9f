"""Walk every lab agent over real SNMP (pysnmp -> snmpsim on loopback) and compare with its recording."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import pytest

from collectors.transports.snmp import SnmpClient, SnmpTarget, SnmpValue, octets_value
from netcomply.app.lab.snmp import snmprec
from netcomply.app.lab.snmp.fixtures import SnmpLab

pytestmark = pytest.mark.lab

SUBTREES = {
    "system": "1.3.6.1.2.1.1",
    "interfaces": "1.3.6.1.2.1.2.2",
    "ipAddressTable": "1.3.6.1.2.1.4.34",
    "entity": "1.3.6.1.2.1.47.1.1.1",
    "lldpRem": "1.0.8802.1.1.2.1.4.1",
}
_TAG_TYPES = {"2": "Integer", "6": "ObjectIdentifier", "64": "IpAddress", "65": "Counter32", "66": "Gauge32",
              "67": "TimeTicks", "70": "Counter64"}


def expected(recording: Iterable[tuple[str, str, str]], root: str) -> dict[str, SnmpValue | None]:
    """What the agent must answer under ``root``, from the file (None: a time-varying value)."""
    out: dict[str, SnmpValue | None] = {}
    for oid, tag, value in recording:
        if not (oid + ".").startswith(root + "."):
            continue
        if ":" in tag:
            out[oid] = None
        elif tag == "4":
            out[oid] = octets_value(value.encode())
        elif tag == "4x":
            out[oid] = octets_value(bytes.fromhex(value))
        elif tag in ("6", "64"):
            out[oid] = SnmpValue(_TAG_TYPES[tag], value)
        else:
            out[oid] = SnmpValue(_TAG_TYPES[tag], int(value))
    return out


@pytest.fixture
def walk(snmpsim_lab: SnmpLab, snmp_loop: asyncio.Runner, lab_snmp_client: SnmpClient):  # type: ignore[no-untyped-def]
    def do(name: str, root: str) -> list[tuple[str, SnmpValue]]:
        target = SnmpTarget(snmpsim_lab.devices[name].address, snmpsim_lab.port, community=name, timeout=2, retries=1)
        return snmp_loop.run(lab_snmp_client.walk(target, root, max_repetitions=50))

    return do


ANSWERING = [
    "cg-core1", "cg-dist1", "cg-fw1", "cg-edge1", "cg-wlc1", "cg-cam1", "cg-cam2", "cg-rtr1", "ed-core1",
    "ed-fw1", "ed-sw2", "ed-nvr1", "ed-ap1", "ed-ap2", "ed-ap3", "dt-fw1", "dt-sw1", "dt-ac1", "dt-cam1",
    "dt-nvr1", "dt-sw2", "dt-rtr1", "dt-sw3",
]


@pytest.mark.parametrize("name", ANSWERING)
def test_agent_answers_what_its_recording_says(snmpsim_lab: SnmpLab, walk, name: str) -> None:
    recording = snmprec.read(snmpsim_lab.recording(name))
    everything = walk(name, "1.0.8802")  + walk(name, "1.3.6.1.2.1")
    for label, root in SUBTREES.items():
        want = expected(recording, root)
        got = {oid: v for oid, v in everything if (oid + ".").startswith(root + ".")}
        assert list(got) == list(want), f"{name} {label}: OIDs differ"
        for oid, value in want.items():
            if value is None:
                assert isinstance(got[oid].value, int), oid
            else:
                assert got[oid] == value, f"{name} {oid}"


def test_every_answering_device_of_the_city_is_covered(snmpsim_lab: SnmpLab) -> None:
    assert sorted(snmpsim_lab.recordings) == sorted(ANSWERING)


@pytest.mark.parametrize(
    ("name", "prefix", "extra"),
    [
        ("ed-nvr1", "1.3.6.1.4.1.1004849.", None),
        ("dt-cam1", "1.3.6.1.4.1.1004849.", None),
        ("cg-cam1", "1.3.6.1.4.1.8072.", ("1.3.6.1.4.1.39165.1.6.0", "Hikvision")),
        ("dt-nvr1", "1.3.6.1.4.1.50001.", None),
        ("cg-dist1", "1.3.6.1.4.1.25506.", ("1.3.6.1.2.1.47.1.1.1.1.12.1", "HPE")),
        ("dt-sw1", "1.3.6.1.4.1.25506.", ("1.3.6.1.2.1.47.1.1.1.1.12.1", "H3C")),
        ("ed-core1", "1.3.6.1.4.1.2011.", None),
        ("dt-sw2", "1.3.6.1.4.1.3902.", None),
        ("ed-ap1", "1.3.6.1.4.1.11863.", None),
        ("ed-ap2", "1.3.6.1.4.1.4881.", None),
        ("cg-core1", "1.3.6.1.4.1.9.", None),
        ("cg-edge1", "1.3.6.1.4.1.2636.", None),
        ("ed-fw1", "1.3.6.1.4.1.12356.", None),
        ("dt-fw1", "1.3.6.1.4.1.25461.", None),
        ("ed-ap3", "1.3.6.1.4.1.14823.", None),
        ("cg-cam2", "1.3.6.1.4.1.368.", None),
    ],
)
def test_vendor_identity_signals(walk, name: str, prefix: str, extra: tuple[str, str] | None) -> None:
    rows = dict(walk(name, "1.3.6.1"))
    assert str(rows["1.3.6.1.2.1.1.2.0"].value).startswith(prefix)
    if extra:
        assert rows[extra[0]].value == extra[1]
    engine = rows["1.3.6.1.6.3.10.2.1.1.0"].hex
    assert engine is not None
    pen = int(engine[:8], 16) & 0x7FFFFFFF
    assert prefix == f"1.3.6.1.4.1.{pen}."


def test_ipv6_rows_are_indexed_by_type_length_bytes(walk) -> None:
    rows = walk("ed-core1", "1.3.6.1.2.1.4.34.1.3")
    v6 = [oid.split(".")[11:] for oid, _ in rows if oid.split(".")[10] == "2"]
    assert v6, "no IPv6 rows"
    for index in v6:
        assert index[0] == "16" and len(index) == 17
    prefixes = {tuple(int(x) for x in i[1:3]) for i in v6}
    assert (0x20, 0x01) in prefixes and (0xFE, 0x80) in prefixes  # 2001:db8:: global and fe80:: link-local


def test_lldp_names_neighbours_outside_the_inventory(walk) -> None:
    names = {v.value for _, v in walk("dt-sw2", "1.0.8802.1.1.2.1.4.1.1.9")}
    assert "dt-sw1" in names  # a lab device
    assert {"HIKVISION", "TL-SG3428"} <= names  # devices not in the inventory
    assert not names & {"stranger-dt-hikcam"}


def test_arp_has_brand_ouis_and_locally_administered_macs(walk) -> None:
    macs = [v.hex for _, v in walk("dt-sw1", "1.3.6.1.2.1.4.35.1.4")]
    assert all(m is not None and len(m) == 12 for m in macs)
    assert any(m[1] in "26ae" for m in macs if m)
    assert any(m.startswith("48") or m.startswith("3cef8c") for m in macs if m)


def test_each_device_answers_only_on_its_own_address(snmpsim_lab: SnmpLab, snmp_loop: asyncio.Runner, lab_snmp_client: SnmpClient) -> None:
    async def go() -> None:
        wrong = SnmpTarget(snmpsim_lab.devices["ed-core1"].address, snmpsim_lab.port, community="cg-core1", timeout=0.3, retries=0)
        with pytest.raises(Exception, match="timeout"):
            await lab_snmp_client.get(wrong, ["1.3.6.1.2.1.1.5.0"])
        shared = SnmpTarget("127.0.0.1", snmpsim_lab.port, community="cg-core1")
        assert (await lab_snmp_client.get(shared, ["1.3.6.1.2.1.1.5.0"]))["1.3.6.1.2.1.1.5.0"].value == "cg-core1"

    snmp_loop.run(go())
