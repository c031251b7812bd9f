"""Saved SNMP answers in every form agency staff keep them (collectors/vendor/walk_formats.py, mib_names.py).

Fixtures (tests/vendor/fixtures/walk_formats/SOURCES): real net-snmp ``snmpwalk`` output, one file per output
option, of snmpsim agents serving the lab's Cisco, Huawei, H3C, ZTE, Ruijie and Hikvision devices and a real
LibreNMS recording, without MIBs (Debian's default) and with LibreNMS's MIBs loaded; SnmpWalk.exe's form. Each
form must give the facts the numeric ``-On`` output of the same agent gives."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from collectors.vendor import mib_names, recordings, walk_formats
from collectors.vendor.kb import load_kb
from netcomply.app.cli.main import app
from netcomply.errors import InputError

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "walk_formats"
RECORDINGS = HERE / "fixtures" / "recordings"
FACTS = ("sys_descr", "sys_object_id", "entity", "standard_identity", "macs", "engine_id", "enterprises")
VENDOR_ONLY = ("hikvision-cam",)  # a LibreNMS recording of a vendor's own objects only (no system group)
AGENTS = sorted({p.name.split(".")[0] for p in FIXTURES.glob("*.On.walk")} - set(VENDOR_ONLY))
#: Forms that keep every fact; -Oa loses MACs and engine IDs (below), -Oqv every OID (refused).
FORMS = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".walk", ".txt") and ".On." not in p.name
               and ".Oa." not in p.name and ".Oqv." not in p.name and not p.name.startswith("snmpsoft_")
               and not p.name.startswith(VENDOR_ONLY))


def _facts(path: Path) -> dict[str, Any]:
    row = recordings.read(path, [v.oid for v in load_kb().vendor_oids])
    if isinstance(row.get("sys_descr"), str):  # -Ox prints the octets, CR LF included; text forms split lines
        row["sys_descr"] = row["sys_descr"].replace("\r\n", "\n")
    return row


def test_the_fixtures_are_what_they_claim() -> None:
    assert AGENTS == ["cg-cam1", "cg-core1", "dt-sw1", "dt-sw2", "ed-ap2", "ed-core1", "huaweiups_ups2000"]
    assert len(FORMS) >= 150
    cisco = (FIXTURES / "cg-core1.mibs.default.walk").read_text(encoding="utf-8")
    assert "SNMPv2-MIB::sysObjectID.0 = OID: CISCO-PRODUCTS-MIB::ciscoCat9300FixedSwitchStack" in cisco
    assert (FIXTURES / "dt-sw1.mibs.Of.walk").read_text(encoding="utf-8").count(".iso.org.dod.internet.private."
                                                                               "enterprises.hh3c.hh3cProductId") >= 1


@pytest.mark.parametrize("name", FORMS)
def test_each_form_gives_the_facts_of_the_numeric_walk(name: str) -> None:
    want = _facts(FIXTURES / f"{name.split('.')[0]}.On.walk")
    assert want.get("sys_descr") and want.get("sys_object_id", "").startswith("1.3.6.1.4.1.")
    got = _facts(FIXTURES / name)
    assert "skipped" not in got, got.get("skipped")
    assert {k: got.get(k) for k in FACTS} == {k: want.get(k) for k in FACTS}


@pytest.mark.parametrize("agent", AGENTS)
def test_the_numeric_walk_gives_the_recordings_verdict(agent: str) -> None:
    """The reference itself: the -On walk of the LibreNMS recording gives the snmprec file's facts."""
    row = _facts(FIXTURES / f"{agent}.On.walk")
    assert recordings.verdict_of(load_kb(), row).brand
    if agent == "huaweiups_ups2000":
        rec = recordings.read(RECORDINGS / "huaweiups_ups2000.snmprec")
        assert {k: row.get(k) for k in FACTS} == {k: rec.get(k) for k in FACTS}


@pytest.mark.parametrize("agent", [a for a in AGENTS if a != "huaweiups_ups2000"])
def test_oa_loses_addresses_and_says_so(agent: str) -> None:
    """-Oa prints unprintable octets as '.': a MAC read from that text was a wrong OUI. The reader drops it and
    lists the line; every other fact still matches."""
    want = _facts(FIXTURES / f"{agent}.On.walk")
    got = _facts(FIXTURES / f"{agent}.Oa.walk")
    assert "macs" not in got and "engine_id" not in got
    assert got["skipped"] and all("-Oa" in s for s in got["skipped"])
    assert all(got.get(k) == want.get(k) for k in FACTS if k not in ("macs", "engine_id"))


@pytest.mark.parametrize("agent", AGENTS)
def test_values_without_oids_are_refused_at_file_and_line(agent: str) -> None:
    path = FIXTURES / f"{agent}.Oqv.walk"
    with pytest.raises(InputError) as info:
        recordings.read(path)
    assert str(info.value).startswith(f"{path}:1: values without their OIDs") and "OIDs are missing" in str(info.value)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("hikvision-cam.vendormibs.*.walk")))
def test_a_vendors_own_objects_with_its_mibs_loaded(name: str) -> None:
    """Hikvision's HIK-DEVICE-MIB loaded (LibreNMS recording hikvision-cam): the brand scalars the knowledge base
    reads (deviceType, softwVersion) and the private subtree come out as from the numeric walk."""
    vendor_oids = [v.oid for v in load_kb().vendor_oids]

    def read(path: Path) -> dict[str, Any]:
        reading = recordings.read_text(path.read_text(encoding="utf-8"), str(path))
        assert reading.skipped == []
        return recordings.facts(reading.objects, vendor_oids)

    want = read(FIXTURES / "hikvision-cam.On.walk")
    assert want["enterprises"] == [39165] and want["vendor_oids"]["1.3.6.1.4.1.39165.1.1.0"] == "DS-2CD2185FWD-I"
    got = read(FIXTURES / name)
    if name.endswith(".Os.walk"):  # 'deviceType' alone is Hikvision's 39165.1.1 or Dahua's 1004849.2.1.2.6: left out
        want["vendor_oids"].pop("1.3.6.1.4.1.39165.1.1.0")
        assert mib_names.resolve("deviceType.0") is None
        assert mib_names.resolve("HIK-DEVICE-MIB::deviceType.0") == "1.3.6.1.4.1.39165.1.1.0"
    assert (got.get("enterprises"), got.get("vendor_oids")) == (want["enterprises"], want["vendor_oids"])


# --------------------------------------------------------------------------- the bugs measured before this module

@pytest.mark.parametrize(("line", "oid"), [
    # -OQ: the module name of the value was taken for its type (':enterprises.9.1.1208')
    ("SNMPv2-MIB::sysObjectID.0 = SNMPv2-SMI::enterprises.9.1.1208", "1.3.6.1.4.1.9.1.1208"),
    # -Of and -Os read nothing
    (".iso.org.dod.internet.mgmt.mib-2.system.sysObjectID.0 = OID: .iso.org.dod.internet.private.enterprises.9.1.1208",
     "1.3.6.1.4.1.9.1.1208"),
    ("sysObjectID.0 = OID: enterprises.9.1.1208", "1.3.6.1.4.1.9.1.1208"),
    # -Oq was refused
    ("SNMPv2-MIB::sysObjectID.0 SNMPv2-SMI::enterprises.9.1.1208", "1.3.6.1.4.1.9.1.1208"),
    # vendor MIBs' symbolic values kept as text (lines of this folder's real outputs)
    ("SNMPv2-MIB::sysObjectID.0 = OID: NET-SNMP-MIB::netSnmpAgentOIDs.10", "1.3.6.1.4.1.8072.3.2.10"),
    ("SNMPv2-MIB::sysObjectID.0 = OID: HUAWEI-MIB::s5720I-28X-SI-AC", "1.3.6.1.4.1.2011.2.23.620"),
    ("SNMPv2-MIB::sysObjectID.0 = OID: HH3C-OID-MIB::hh3cProductId.1919", "1.3.6.1.4.1.25506.1.1919"),
    ("sysObjectID.0 = OID: ruijieSwitchProducts.330", "1.3.6.1.4.1.4881.1.1.10.1.330"),
    # SnmpWalk.exe was refused
    ("OID=.1.3.6.1.2.1.1.2.0, Type=OID, Value=1.3.6.1.4.1.26381", "1.3.6.1.4.1.26381"),
])
def test_sys_object_id_in_each_form(line: str, oid: str) -> None:
    reading = recordings.read_text(line + "\n", "t")
    assert reading.skipped == []
    assert recordings.facts(reading.objects)["sys_object_id"] == oid


def test_product_names_come_from_the_vendors_mibs() -> None:
    """A few product symbols against the numeric sysObjectID the same agents answered (the -On fixtures)."""
    assert mib_names.resolve("CISCO-PRODUCTS-MIB::ciscoCat9300FixedSwitchStack") == "1.3.6.1.4.1.9.1.2494"
    assert mib_names.resolve("ZXR10-MIB::zte.15.2.30.20") == "1.3.6.1.4.1.3902.15.2.30.20"
    assert mib_names.resolve("HIKVISION-MIB::hikvision") == "1.3.6.1.4.1.50001"
    assert mib_names.resolve("-Ou") is None and mib_names.resolve("33.1.1.1.0") == "1.3.6.1.2.1.33.1.1.1.0"
    table = mib_names.table()
    assert {"CISCO-PRODUCTS-MIB", "HUAWEI-MIB", "HH3C-PRODUCT-ID-MIB", "ZXR10-MIB", "RUIJIE-SMI", "HIKVISION-MIB",
            "JUNIPER-CHASSIS-DEFINES-MIB"} <= set(table.module_enterprises)


def test_every_table_entry_names_its_mib_file_and_lies_under_its_enterprises() -> None:
    import yaml

    doc = yaml.safe_load(mib_names.DATA.read_text(encoding="utf-8"))
    for module, entry in doc["products"].items():
        assert entry["source"].startswith("mibs/") and entry["source"].endswith(module), module
        assert entry["names"], module
        assert {int(o.split(".")[6]) for o in entry["names"].values()} == set(entry["enterprises"]), module
    for module, entry in doc["standard"].items():
        assert entry.pop("source") == f"mibs/{module}"
        assert all(re.fullmatch(r"[012](?:\.\d+)+", str(o)) for o in entry.values()), module


def test_a_name_two_mibs_define_is_not_guessed() -> None:
    """'products' is AT-PRODUCT-MIB's 207.1 and RUIJIE-SMI's 4881.1: only its module or path decides."""
    assert mib_names.resolve("products.5") is None
    assert mib_names.resolve("RUIJIE-SMI::products.5") == "1.3.6.1.4.1.4881.1.5"
    assert mib_names.resolve("enterprises.ruijie.products.5") == "1.3.6.1.4.1.4881.1.5"


def test_unresolved_values_keep_their_text_or_their_enterprise_and_are_listed() -> None:
    text = ("SNMPv2-MIB::sysDescr.0 = STRING: Switch\n"
            "SNMPv2-MIB::sysObjectID.0 = OID: ACME-SWITCH-MIB::acmeSwitch9\n")
    reading = recordings.read_text(text, "a.walk")
    assert recordings.facts(reading.objects)["sys_object_id"] == "ACME-SWITCH-MIB::acmeSwitch9"
    assert str(reading.skipped[0]).startswith("a.walk:2: OID value 'ACME-SWITCH-MIB::acmeSwitch9' could not be")
    reading = recordings.read_text(text.replace("ACME-SWITCH-MIB::acmeSwitch9", "HUAWEI-MIB::hwNewSwitch"), "h.walk")
    facts = recordings.facts(reading.objects)
    assert facts["sys_object_id"] == "1.3.6.1.4.1.2011" and "enterprise 2011 only" in str(reading.skipped[0])
    # -Of with a vendor's object names unknown: only the subtree the device answers under is kept
    line = ".iso.org.dod.internet.private.enterprises.cisco.ciscoMgmt.ciscoFooMIB.fooName.0 = STRING: x\n"
    assert recordings.facts(recordings.read_text(text + line).objects)["enterprises"] == [9]


# --------------------------------------------------------------------------- properties

_line = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_characters='"\\=|'), max_size=30).filter(str.isprintable)
_descr = st.lists(st.builds(lambda a, b: a + b, st.sampled_from("ABCXYZ"), _line.map(str.rstrip)), min_size=1,
                  max_size=3).map("\n".join)
_arcs = st.lists(st.integers(0, 99999), min_size=1, max_size=6).map(lambda a: ".".join(map(str, a)))


def _wrapped_hex(octets: bytes) -> str:
    """net-snmp's hex: upper-case pairs each followed by a space, 16 a line."""
    pairs = [f"{b:02X} " for b in octets]
    return "\n".join("".join(pairs[i:i + 16]) for i in range(0, len(pairs), 16))


def _forms(descr: str, arcs: str, model: str, mac: bytes) -> dict[str, str]:
    hexmac = " ".join(f"{b:02X}" for b in mac) + " "
    colon = ":".join(f"{b:x}" for b in mac)
    soid = f"1.3.6.1.4.1.{arcs}"
    return {
        "On": (f'.1.3.6.1.2.1.1.1.0 = STRING: "{descr}"\n.1.3.6.1.2.1.1.2.0 = OID: .{soid}\n'
               f".1.3.6.1.2.1.17.1.1.0 = Hex-STRING: {hexmac}\n"
               f'.1.3.6.1.2.1.47.1.1.1.1.5.1 = INTEGER: 3\n.1.3.6.1.2.1.47.1.1.1.1.13.1 = STRING: "{model}"\n'),
        "nomibs": (f'iso.3.6.1.2.1.1.1.0 = STRING: "{descr}"\niso.3.6.1.2.1.1.2.0 = OID: iso.3.6.1.4.1.{arcs}\n'
                   f"iso.3.6.1.2.1.17.1.1.0 = Hex-STRING: {hexmac}\n"
                   f'iso.3.6.1.2.1.47.1.1.1.1.5.1 = INTEGER: 3\niso.3.6.1.2.1.47.1.1.1.1.13.1 = STRING: "{model}"\n'),
        "OQ": (f'iso.3.6.1.2.1.1.1.0 = "{descr}"\niso.3.6.1.2.1.1.2.0 = iso.3.6.1.4.1.{arcs}\n'
               f'iso.3.6.1.2.1.17.1.1.0 = "{hexmac}"\niso.3.6.1.2.1.47.1.1.1.1.5.1 = 3\n'
               f'iso.3.6.1.2.1.47.1.1.1.1.13.1 = "{model}"\n'),
        "Oq": (f'iso.3.6.1.2.1.1.1.0 "{descr}"\niso.3.6.1.2.1.1.2.0 iso.3.6.1.4.1.{arcs}\n'
               f'iso.3.6.1.2.1.17.1.1.0 "{hexmac}"\niso.3.6.1.2.1.47.1.1.1.1.5.1 3\n'
               f'iso.3.6.1.2.1.47.1.1.1.1.13.1 "{model}"\n'),
        "Oqx": (f'iso.3.6.1.2.1.1.1.0 "{_wrapped_hex(descr.encode())}"\niso.3.6.1.2.1.1.2.0 iso.3.6.1.4.1.{arcs}\n'
                f'iso.3.6.1.2.1.17.1.1.0 "{hexmac}"\niso.3.6.1.2.1.47.1.1.1.1.5.1 3\n'
                f'iso.3.6.1.2.1.47.1.1.1.1.13.1 "{_wrapped_hex(model.encode())}"\n'),
        "mibs": (f"SNMPv2-MIB::sysDescr.0 = STRING: {descr}\nSNMPv2-MIB::sysObjectID.0 = OID: "
                 f"SNMPv2-SMI::enterprises.{arcs}\nBRIDGE-MIB::dot1dBaseBridgeAddress.0 = STRING: {colon}\n"
                 f"ENTITY-MIB::entPhysicalClass.1 = INTEGER: chassis(3)\n"
                 f"ENTITY-MIB::entPhysicalModelName.1 = STRING: {model}\n"),
        "mibs-Of": (f".iso.org.dod.internet.mgmt.mib-2.system.sysDescr.0 = STRING: {descr}\n"
                    f".iso.org.dod.internet.mgmt.mib-2.system.sysObjectID.0 = OID: "
                    f".iso.org.dod.internet.private.enterprises.{arcs}\n"
                    f".iso.org.dod.internet.mgmt.mib-2.dot1dBridge.dot1dBase.dot1dBaseBridgeAddress.0 = STRING: "
                    f"{colon}\n.iso.org.dod.internet.mgmt.mib-2.entityMIB.entityMIBObjects.entityPhysical."
                    "entPhysicalTable.entPhysicalEntry.entPhysicalClass.1 = INTEGER: chassis(3)\n"
                    ".iso.org.dod.internet.mgmt.mib-2.entityMIB.entityMIBObjects.entityPhysical.entPhysicalTable."
                    f"entPhysicalEntry.entPhysicalModelName.1 = STRING: {model}\n"),
        "mibs-OQUs": (f"sysDescr.0 = {descr}\nsysObjectID.0 = enterprises.{arcs}\n"
                      f"dot1dBaseBridgeAddress.0 = {colon}\nentPhysicalClass.1 = chassis\n"
                      f"entPhysicalModelName.1 = {model}\n"),
        "mibs-Oq": (f"SNMPv2-MIB::sysDescr.0 {descr}\nSNMPv2-MIB::sysObjectID.0 SNMPv2-SMI::enterprises.{arcs}\n"
                    f"BRIDGE-MIB::dot1dBaseBridgeAddress.0 {colon}\nENTITY-MIB::entPhysicalClass.1 chassis\n"
                    f"ENTITY-MIB::entPhysicalModelName.1 {model}\n"),
        "mibs-OuX": (f"system.sysDescr.0 = STRING: {descr}\nsystem.sysObjectID.0 = OID: enterprises.{arcs}\n"
                     f"dot1dBridge.dot1dBase.dot1dBaseBridgeAddress.0 = STRING: {colon}\n"
                     f"ENTITY-MIB::entPhysicalClass[1] = INTEGER: chassis(3)\n"
                     f"ENTITY-MIB::entPhysicalModelName[1] = STRING: {model}\n"),
        "snmpsoft": (f"OID=.1.3.6.1.2.1.1.1.0, Type=OctetString, Value={descr}\n"
                     f"OID=.1.3.6.1.2.1.1.2.0, Type=OID, Value={soid}\n"
                     f"OID=.1.3.6.1.2.1.17.1.1.0, Type=OctetString, Value=  {hexmac}\n"
                     "OID=.1.3.6.1.2.1.47.1.1.1.1.5.1, Type=Integer, Value=3\n"
                     f"OID=.1.3.6.1.2.1.47.1.1.1.1.13.1, Type=OctetString, Value={model}\n"),
    }


@settings(max_examples=120, deadline=None)
@given(descr=_descr, arcs=_arcs, model=st.builds(lambda a, b: a + b, st.sampled_from("SAX"), _line.map(str.strip)),
       mac=st.binary(min_size=6, max_size=6).filter(lambda b: b[0] & 1 == 0 and any(b) and b != b"\xff" * 6))
def test_every_form_round_trips_to_the_same_facts(descr: str, arcs: str, model: str, mac: bytes) -> None:
    rec = (f"1.3.6.1.2.1.1.1.0|4x|{descr.encode().hex()}\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.{arcs}\n"
           f"1.3.6.1.2.1.17.1.1.0|4x|{mac.hex()}\n"
           f"1.3.6.1.2.1.47.1.1.1.1.5.1|2|3\n1.3.6.1.2.1.47.1.1.1.1.13.1|4x|{model.encode().hex()}\n")
    want = recordings.facts(recordings.read_text(rec).objects)
    assert want["sys_object_id"] == f"1.3.6.1.4.1.{arcs}"
    for form, text in _forms(descr, arcs, model, mac).items():
        reading = recordings.read_text(text, form)
        assert reading.skipped == [], form
        assert recordings.facts(reading.objects) == want, form


@settings(max_examples=150, deadline=None)
@given(form=st.sampled_from(["On", "OQ", "Oq", "mibs", "mibs-Oq", "snmpsoft"]),
       garbage=st.lists(st.text(max_size=60).filter(lambda s: "\n" not in s and "\r" not in s), max_size=4),
       at=st.integers(0, 5))
def test_garbage_lines_are_file_line_problems_never_tracebacks(form: str, garbage: list[str], at: int) -> None:
    lines = _forms("Huawei Versatile Routing Platform", "2011.2.23.620", "S5735", b"\x00\xe0\xfc\x14\xc6\x86")[
        form].splitlines()
    lines[at:at] = garbage
    try:
        reading = recordings.read_text("\n".join(lines), "g.walk")
    except InputError as exc:
        assert str(exc).startswith("g.walk")
        return
    assert all(str(p).startswith("g.walk:") for p in reading.skipped)
    recordings.facts(reading.objects)


@given(st.text(max_size=120))
@settings(max_examples=200, deadline=None)
def test_names_resolve_or_not_without_exceptions(text: str) -> None:
    oid = walk_formats.resolve(text)
    assert oid is None or all(arc.isdigit() for arc in oid.split("."))
    number = mib_names.enterprise_of(text)
    assert number is None or number >= 0


# --------------------------------------------------------------------------- netcomply identify

@pytest.mark.parametrize(("agent", "brand"), [("ed-core1", "Huawei"), ("cg-core1", "Cisco"), ("dt-sw1", "H3C"),
                                              ("dt-sw2", "ZTE"), ("huaweiups_ups2000", "Huawei")])
def test_identify_names_the_brand_in_every_form(agent: str, brand: str) -> None:
    files = sorted(str(FIXTURES / n) for n in FORMS if n.startswith(agent + "."))
    result = CliRunner().invoke(app, ["identify", *files, "--format", "json"])
    assert result.exit_code in (0, 3), result.output
    devices = json.loads(result.stdout)["devices"]
    assert len(devices) == len(files) >= 20
    assert {d["brand"] for d in devices} == {brand}, {d["path"]: d["brand"] for d in devices if d["brand"] != brand}


def test_identify_refuses_values_only_and_still_identifies_the_rest() -> None:
    files = [str(FIXTURES / "ed-core1.Oqv.walk"), str(FIXTURES / "ed-core1.mibs.Oq.walk"),
             str(FIXTURES / "cg-core1.snmpsoft.txt")]
    result = CliRunner().invoke(app, ["identify", *files, "--format", "json"])
    assert result.exit_code == 2, result.output
    doc = json.loads(result.stdout)
    assert doc["errors"] == 1
    by_path = {d.get("path", d["name"]): d for d in doc["devices"]}
    bad = next(d for d in doc["devices"] if d.get("error"))
    assert "ed-core1.Oqv.walk:1: values without their OIDs" in bad["error"]
    assert sorted(d["brand"] for d in by_path.values() if not d.get("error")) == ["Cisco", "Huawei"]


# --------------------------------------------------------------------------- live: today's net-snmp, today's agent

@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    from netcomply.app.lab.snmp.fixtures import free_udp_port
    from netcomply.app.lab.snmp.process import Endpoint, start_snmpsim

    base = tmp_path_factory.mktemp("walkforms")
    data = base / "data"
    data.mkdir()
    lines = [ln for ln in (RECORDINGS / "huaweiups_ups2000.snmprec").read_text("utf-8").splitlines() if ln.strip()]
    lines.sort(key=lambda ln: [int(p) for p in ln.split("|", 1)[0].split(".")])
    (data / "huaweiups_ups2000.snmprec").write_text("\n".join(lines) + "\n", encoding="utf-8")
    port = free_udp_port()
    proc = start_snmpsim(data, [Endpoint("127.0.0.1", port)], cache_dir=base / "cache", log_file=base / "log",
                         probe_community="huaweiups_ups2000")
    try:
        yield port
    finally:
        proc.stop()


@pytest.mark.lab
@pytest.mark.parametrize("option", ["-On", "-Of", "-Os", "-OQ", "-Oq", "-Ou", "-OX", "-Ox", "-Oe", "-OQUs"])
def test_live_snmpwalk_output_reads_as_the_recording(served: int, option: str, tmp_path: Path) -> None:
    """snmpwalk as installed now, against the real LibreNMS recording served by snmpsim: every option gives the
    recording's own facts (the fixtures cannot go stale unnoticed)."""
    if shutil.which("snmpwalk") is None:
        pytest.skip("net-snmp's snmpwalk is not installed (make deps installs it)")
    out = tmp_path / f"ups{option}.walk"
    with out.open("wb") as fh:
        for subtree in (".1.3.6.1.2.1.1", ".1.3.6.1.2.1.33.1.1", ".1.3.6.1.4.1"):
            subprocess.run(["snmpwalk", "-v2c", "-c", "huaweiups_ups2000", "-t", "3", "-r", "1", option,
                            f"127.0.0.1:{served}", subtree], stdout=fh, check=True, timeout=60,
                           env={**os.environ, "MIBS": ""})
    got = _facts(out)
    want = _facts(RECORDINGS / "huaweiups_ups2000.snmprec")
    assert "skipped" not in got
    assert {k: got.get(k) for k in FACTS} == {k: want.get(k) for k in FACTS}


def test_two_spaces_before_the_equals_sign() -> None:
    """centreon-plugins' anonymised Windows walk (tests/os/windows/snmp/windows_anon.snmpwalk) writes
    ``.1.3.6.1.2.1.1.1.0  = STRING: Anonymized 083``; read as '= STRING: Anonymized 083' by a first draft."""
    reading = recordings.read_text(".1.3.6.1.2.1.1.1.0  = STRING: Anonymized 083\n", "w")
    assert recordings.facts(reading.objects)["sys_descr"] == "Anonymized 083"
