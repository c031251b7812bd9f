"""The VANS asset list: a CPE 2.3 name per identified device, CSV and JSON, devices without one listed with what is
missing."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from cpe import CPE
from hypothesis import given
from hypothesis import strategies as st

from collectors.vendor.corpus import load_rows, verdict_of
from collectors.vendor.kb import load_kb
from netcomply.app.cli.vendor_cmd import write_cpe
from netcomply.errors import InputError
from netcomply.vendor.cpe import asset, asset_list, cpe_name


def test_firmware_and_hardware_names() -> None:
    a = asset({"name": "r1", "brand": "Huawei", "model": "AR1220", "version": "5.120", "prc_brand": True})
    assert a.cpe == "cpe:2.3:o:huawei:ar1220_firmware:5.120:*:*:*:*:*:*:*" and a.missing == "" and a.prc_brand == "yes"
    b = asset({"name": "fw", "brand": "Palo Alto Networks", "model": "PA-3000", "prc_brand": False})
    # NVD's vendor string is paloaltonetworks (until round 4 this said palo_alto_networks, which NVD never lists);
    # PAN-OS is named but its release is not known: the box as hardware, the OS version listed as missing
    assert b.cpe == "cpe:2.3:h:paloaltonetworks:pa-3000:-:*:*:*:*:*:*:*" and "version" in b.missing
    c = asset({"name": "x", "brand": None, "model": "AR1220", "prc_brand": None})
    assert c.cpe is None and c.missing == "brand" and c.prc_brand == "unknown"


@given(st.text(min_size=1, max_size=30).filter(str.strip), st.text(min_size=1, max_size=30).filter(str.strip),
       st.one_of(st.none(), st.text(min_size=1, max_size=15).filter(str.strip)))
def test_any_facts_make_a_valid_cpe_or_say_why_not(brand: str, model: str, version: str | None) -> None:
    try:
        name, part = cpe_name(brand, model, version)
    except ValueError:
        assert not asset({"brand": brand, "model": model, "version": version}).cpe
        return
    parsed = CPE(name)
    assert parsed.get_part() == [part]


def test_real_devices_get_cpes_from_their_own_facts() -> None:
    """On the published recordings: every device with brand and model gets a parseable CPE whose vendor is NVD's
    string for its brand (the brand's own name where the data names none); the rest say what is missing."""
    kb = load_kb()
    rows = [verdict_of(kb, r).to_dict() for r in load_rows()[:300]]
    assets = asset_list(rows)
    with_cpe = [a for a in assets if a.cpe]
    assert len(with_cpe) >= 90  # of the first 300 recordings, 95 state a brand and a model netcomply reads
    # NVD's vendor strings for the brands among these recordings that the data names, written out here rather than
    # computed by the code under test; every other brand keeps its own name (lower case, spaces to "_")
    nvd = {"APC": "schneider-electric", "Allied Telesis": "alliedtelesis", "Aruba": "arubanetworks",
           "Avocent": "avocent", "Cisco": "cisco", "Dell": "dell", "Extreme": "extremenetworks", "HPE": "hpe",
           "Linksys": "linksys", "Ubiquiti": "ui"}
    for a in with_cpe:
        assert a.brand
        vendor = CPE(a.cpe).get_vendor()[0].replace("\\", "")
        expected = nvd.get(a.brand, a.brand.strip().lower().replace(" ", "_"))
        # an OS rule may name the OS's maker (an HPE-branded switch runs Aruba's AOS-CX); it is always NVD's string
        assert vendor == expected or (a.cpe_basis == "os" and str(a.cpe_vendor).startswith("nvd")), a
        assert (a.cpe_vendor == "brand name") == (a.brand not in nvd), a
    assert all(a.missing for a in assets if not a.cpe)
    assert [a.cpe is not None for a in assets] == sorted(a.cpe is not None for a in assets)  # missing ones first


def test_export_writes_csv_and_json(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {"name": "=cmd|' /C calc'!A0", "brand": "Huawei", "model": "S5735", "version": "V200R021", "prc_brand": True},
        {"name": "mute", "brand": None, "model": None, "prc_brand": None}]
    csv_path, json_path = write_cpe(tmp_path / "assets", rows)
    doc = json.loads(json_path.read_text(encoding="utf-8"))
    assert doc["without_cpe"] == 1 and doc["devices"][0]["missing"] == "brand, model"
    table = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert table[1]["cpe"] == "cpe:2.3:o:huawei:s5735_firmware:v200r021:*:*:*:*:*:*:*"
    assert table[1]["name"].startswith("'=")  # spreadsheet-safe: never a formula


def test_export_to_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="cannot write the CPE asset list"):
        write_cpe(blocker / "sub" / "assets", [])


@pytest.mark.parametrize(("descr", "model"), [
    ("Lenovo ThinkSystem NE1072T RackSwitch", "NE1072T"),  # sysDescr strings of LibreNMS recordings
    ("MES5332A rev.C 32-Port 10G SFP+ Managed Switch", "MES5332A"),
    ("SC200 Controller - software version 4.04", "SC200"),
    ("APC Embedded PowerNet SNMP Agent (FW v3.0.1 SW v2.2.4.a, HW B2, MOD: AP9605, Mfg: 04/02/19", "AP9605"),
    ("Linux RUTM51 6.6.87 #0 SMP Wed Jun  4 10:34:44 2025 mips", None),  # an OS banner names no model
    ("Linux GSE200M", None),
    ("FreeBSD HOSTNAME 11.1-RELEASE-p1 FreeBSD 11.1-RELEASE-p1", None),
])
def test_model_guessed_from_a_short_sysdescr(descr: str, model: str | None) -> None:
    from collectors.vendor import evidence as E

    ev = E.from_snmp_system(load_kb(), {"sys_descr": descr}, "t")
    guessed = [e.model for e in ev if e.signal == "snmp.sysDescr.model"]
    # a brand's own model pattern (Eltex MES since round 2) reads the model before any guess is needed
    read = guessed or list(dict.fromkeys(e.model for e in ev if e.model and e.brand))
    assert read == ([model] if model else [])
    if model:
        assert asset({"brand": "X", "model": model, "model_from": "snmp.sysDescr.model (t)"}).model_from
