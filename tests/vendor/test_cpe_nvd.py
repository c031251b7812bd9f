"""CPE names in NVD's spelling (issue 16, VANS asset list): real devices get the CPE NVD lists for them.

VANS matches an agency's asset list against NVD's CVEs by CPE, so a name is only useful when its vendor and product
strings are NVD's. Until round 4 the vendor was the brand's own name (``palo_alto_networks``, ``dahua``) and a Cisco
router was named as hardware (``h:cisco:c3750``) while its CVEs are filed under ``o:cisco:ios``: the real-device
cases below fail on that code. Devices are LibreNMS recordings (tests/vendor/corpus/librenms.jsonl) and
ntc-templates CLI captures (ntc_cli.jsonl), judged by the same code a live audit runs.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from cpe import CPE
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.vendor import corpus
from collectors.vendor.kb import load_kb
from collectors.vendor.recordings import verdict_of
from netcomply.app.cli.vendor_cmd import write_cpe
from netcomply.vendor import cpe_rules
from netcomply.vendor.cpe import FIELDS, asset

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "netcomply" / "vendor" / "data"
RECOG_SNAPSHOT = ROOT / "collectors" / "vendor" / "data" / "recog"


@lru_cache(maxsize=1)
def _rows() -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in corpus.load_rows()}


def _librenms(rec_id: str) -> Any:
    return asset(verdict_of(load_kb(), _rows()[rec_id]).to_dict())


def _cli(rec_id: str) -> Any:
    row = next(r for r in corpus.load_cli() if r["id"] == rec_id)
    return asset(corpus.cli_verdict(load_kb(), row).to_dict())


@pytest.mark.parametrize(("rec_id", "cpe", "basis"), [
    # Cisco IOS router/switch: CVEs under the OS (cpe:2.3:o:cisco:ios:15.1\(4\)m3 style), not the box
    ("ios_1", r"cpe:2.3:o:cisco:ios:12.2\(50\)se3:*:*:*:*:*:*:*", "os"),
    ("iosxe_c9300", "cpe:2.3:o:cisco:ios_xe:16.6.7:*:*:*:*:*:*:*", "os"),
    ("iosxr_asr9001", "cpe:2.3:o:cisco:ios_xr:6.6.3:*:*:*:*:*:*:*", "os"),
    ("nxos_n3k-3064pq", r"cpe:2.3:o:cisco:nx-os:7.0\(3\)i7\(8\):*:*:*:*:*:*:*", "os"),
    # Firepower prints "ASA Version 9.12(1)6" too: the FTD release is its own
    ("ftd_1140", "cpe:2.3:a:cisco:firepower_threat_defense:6.4.0:*:*:*:*:*:*:*", "os"),
    # Junos: release in the version, the rest in NVD's update field, build number dropped (15.1X53-D59.4)
    ("junos_ex", "cpe:2.3:o:juniper:junos:15.1x53:d59:*:*:*:*:*:*", "os"),
    ("fortigate_60fospfv3", "cpe:2.3:o:fortinet:fortios:7.2.10:*:*:*:*:*:*:*", "os"),
    # Fortinet's other appliances: the product Fortinet's CVE records name (part a)
    ("fortisandbox", "cpe:2.3:a:fortinet:fortisandbox:3.1:*:*:*:*:*:*:*", "os"),
    # PAN-OS hotfix in the update field (10.2.9-h1); vendor paloaltonetworks, never palo_alto_networks
    ("panos_5220", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.9:h1:*:*:*:*:*:*", "os"),
    ("routeros_crs317", "cpe:2.3:o:mikrotik:routeros:6.44.2:*:*:*:*:*:*:*", "os"),
    ("arubaos_aruba7210", "cpe:2.3:o:arubanetworks:arubaos:8.2.0.2:*:*:*:*:*:*:*", "os"),
    ("xos", "cpe:2.3:o:extremenetworks:exos:15.5.1.6:*:*:*:*:*:*:*", "os"),
    # Huawei VRP switch: NVD names the family's firmware (S5720 -> s5700) with the VRP release as the version
    ("vrp_5720", "cpe:2.3:o:huawei:s5700_firmware:v200r010c00spc600:*:*:*:*:*:*:*", "firmware"),
    ("yunshan", "cpe:2.3:o:huawei:s6700_firmware:v600r024c00spc100:*:*:*:*:*:*:*", "firmware"),
    # Dahua NVR: NVD's vendor string is dahuasecurity
    ("dahua-nvr", "cpe:2.3:o:dahuasecurity:dh-nvr4108hs-8p-4ks2_firmware:3.212.0000.1:*:*:*:*:*:*:*", "firmware"),
    ("zxr10_5250", "cpe:2.3:o:zte:zxr10_5250-52tm-h_firmware:v2.05.11b23:*:*:*:*:*:*:*", "firmware"),
])
def test_real_recordings_get_the_cpe_nvd_lists(rec_id: str, cpe: str, basis: str) -> None:
    a = _librenms(rec_id)
    assert a.cpe == cpe and a.cpe_basis == basis and a.missing == ""
    assert a.cpe_vendor.startswith("nvd")
    CPE(a.cpe)


def test_an_asa_is_named_by_its_software() -> None:
    a = _librenms("asa")
    parsed = CPE(a.cpe)
    assert parsed.get_part() == ["a"] and parsed.get_vendor() == ["cisco"]
    assert parsed.get_product() == ["adaptive_security_appliance_software"]
    assert re.fullmatch(r"9\.12\\\(\d\\\)", parsed.get_version()[0])


@pytest.mark.parametrize(("rec_id", "cpe"), [
    ("fortinet/get_system_status/fortinet_get_system_status_7.4.8", "cpe:2.3:o:fortinet:fortios:7.4.8:*:*:*:*:*:*:*"),
    ("huawei_vrp/display_version/huawei_vrp_display_version5",
     "cpe:2.3:o:huawei:s7700_firmware:v200r010c00spc600:*:*:*:*:*:*:*"),
    ("juniper_junos/show_version/juniper_junos_show_version_ex", "cpe:2.3:o:juniper:junos:13.2x51:d35:*:*:*:*:*:*"),
    ("paloalto_panos/show_system_info/paloalto_panos_show_system_info",
     "cpe:2.3:o:paloaltonetworks:pan-os:7.0.1:*:*:*:*:*:*:*"),
    ("cisco_asa/show_version/cisco_asa_show_version2",
     r"cpe:2.3:a:cisco:adaptive_security_appliance_software:9.8\(3\)21:*:*:*:*:*:*:*"),
    ("cisco_ios/show_version/cisco_ios_show_version1", "cpe:2.3:o:cisco:ios_xe:3.6.5e:*:*:*:*:*:*:*"),
])
def test_cli_captures_get_the_cpe_nvd_lists(rec_id: str, cpe: str) -> None:
    """ntc-templates' captures: the same rules read `show version` / `get system status` output."""
    assert _cli(rec_id).cpe == cpe


def test_prc_cameras_and_switches_without_a_model_say_so() -> None:
    """LibreNMS's Hikvision NVR and TP-Link JetStream recordings state the brand but no model: no CPE is guessed,
    the row says what is missing."""
    for rec_id in ("hikvision-nvr", "jetstream", "tplink_sg2008"):
        a = _librenms(rec_id)
        assert a.cpe is None and a.missing == "model" and a.prc_brand == "yes"


@pytest.mark.parametrize(("brand", "model", "version", "cpe"), [
    # model numbers as the makers' product pages write them
    ("Hikvision", "DS-2CD2143G0-I", "V5.5.0", "cpe:2.3:o:hikvision:ds-2cd2143g0-i_firmware:v5.5.0:*:*:*:*:*:*:*"),
    ("TP-Link", "TL-SG2008", "1.0.0", "cpe:2.3:o:tp-link:tl-sg2008_firmware:1.0.0:*:*:*:*:*:*:*"),
    ("Dahua", "IPC-HDW5831R-ZE", None, "cpe:2.3:h:dahuasecurity:ipc-hdw5831r-ze:-:*:*:*:*:*:*:*"),
    ("Xiaomi", "AX3600", "1.0.17", "cpe:2.3:o:mi:ax3600_firmware:1.0.17:*:*:*:*:*:*:*"),
])
def test_prc_brands_use_nvds_vendor_strings(brand: str, model: str, version: str | None, cpe: str) -> None:
    a = asset({"name": "d", "brand": brand, "model": model, "version": version, "prc_brand": True})
    assert a.cpe == cpe and a.cpe_vendor == "nvd (cpe_names.yaml)"


def test_the_ban_lists_brands_all_have_a_checked_vendor_string() -> None:
    for brand in ("Huawei", "ZTE", "H3C", "Hikvision", "Dahua", "TP-Link", "Ruijie", "Lenovo", "Xiaomi", "Tenda"):
        assert cpe_rules.nvd_vendor(brand), brand


def test_an_unknown_brand_keeps_its_name_and_says_so() -> None:
    a = asset({"name": "x", "brand": "Acme Widgets", "model": "W-1", "version": "2.0"})
    assert a.cpe == "cpe:2.3:o:acme_widgets:w-1_firmware:2.0:*:*:*:*:*:*:*" and a.cpe_vendor == "brand name"


def test_an_os_named_without_its_version() -> None:
    """PAN-OS named (by the model) but no release: the box as hardware, the OS version listed as missing; with no
    model either, no CPE at all."""
    a = asset({"name": "fw", "brand": "Palo Alto Networks", "model": "PA-5400"})
    assert a.cpe == "cpe:2.3:h:paloaltonetworks:pa-5400:-:*:*:*:*:*:*:*" and "pan-os" in a.missing
    b = asset({"name": "r", "brand": "Cisco", "evidence": [{"signal": "snmp.sysDescr", "value": "Cisco IOS Software"}]})
    assert b.cpe is None and b.missing.startswith("version (of ios")


def test_another_brands_text_names_no_os() -> None:
    """A conflicting signal's text (another brand's) is not this device's OS."""
    row = {"brand": "Huawei", "model": "S5735-L24P4X-A", "version": "V200R021C00",
           "evidence": [{"signal": "lldp.sysDesc", "brand": "Cisco", "value": "Cisco IOS Software, Version 15.2(2)E8"}]}
    assert asset(row).cpe == "cpe:2.3:o:huawei:s5735-l24p4x-a_firmware:v200r021c00:*:*:*:*:*:*:*"


def test_every_vendor_string_is_a_valid_cpe_component() -> None:
    names = cpe_rules.load()
    assert len(names.vendors) >= 60
    for key, (vendor, source) in names.vendors.items():
        assert re.fullmatch(r"[a-z0-9][a-z0-9._\-]*", vendor), (key, vendor)
        assert CPE(f"cpe:2.3:h:{vendor}:x:-:*:*:*:*:*:*:*").get_vendor() == [vendor]
        assert source
    for key, rules in names.rules.items():
        for rule in rules:
            assert rule.part in ("a", "o", "h") and rule.basis in ("os", "firmware"), key


def test_hand_written_vendors_agree_with_recog_where_both_name_one() -> None:
    """Recog's strings are copied from NVD by other people; a hand-written one that differs would need a reason."""
    recog = yaml.safe_load((DATA / "cpe_recog.yaml").read_text(encoding="utf-8"))
    hand = yaml.safe_load((DATA / "cpe_names.yaml").read_text(encoding="utf-8"))
    recog_by_key = {cpe_rules.brand_key(b): d["vendor"] for b, d in recog["brands"].items()}
    both = {b: d["vendor"] for b, d in hand["vendors"].items() if cpe_rules.brand_key(b) in recog_by_key}
    assert len(both) >= 8
    assert {b: v for b, v in both.items() if recog_by_key[cpe_rules.brand_key(b)] != v} == {}
    assert all(d.get("note") for d in hand["vendors"].values())  # every hand-written fact says where it comes from


def _tool() -> Any:
    spec = importlib.util.spec_from_file_location("vendor_cpe_names", ROOT / "tools" / "vendor_cpe_names.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("vendor_cpe_names", module)
    spec.loader.exec_module(module)
    return module


def test_recog_pairs_in_the_shipped_snapshot_are_in_the_generated_data() -> None:
    """The shipped Recog snapshot (a subset of the files the data was generated from, same commit): each brand ->
    vendor pair it states is in cpe_recog.yaml."""
    tool = _tool()
    commit, files = tool.read_dir(RECOG_SNAPSHOT)
    found = tool.collect(files)
    recog = yaml.safe_load((DATA / "cpe_recog.yaml").read_text(encoding="utf-8"))
    assert recog["recog_commit"] == commit
    assert {"Cisco", "Juniper", "Fortinet", "Palo Alto Networks", "MikroTik"} <= set(found)
    for brand, d in found.items():
        generated = recog["brands"][brand]
        assert d["vendor"] in {generated["vendor"], *(generated.get("others") or {})}, brand


def test_the_tool_says_clearly_when_its_source_is_wrong(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tool = _tool()
    assert tool.main(["--xml-dir", str(tmp_path)]) == 2
    (tmp_path / "bad.xml.gz").write_bytes(gzip.compress(b"<fingerprints><oops"))
    assert tool.main(["--xml-dir", str(tmp_path), "--out", str(tmp_path / "o.yaml")]) == 2
    err = capsys.readouterr().err
    assert "no Recog .xml" in err and "bad.xml.gz: not Recog XML" in err


def test_export_has_the_basis_and_vendor_source_columns(tmp_path: Path) -> None:
    row = verdict_of(load_kb(), _rows()["panos_5220"]).to_dict()
    csv_path, _ = write_cpe(tmp_path / "assets", [row])
    table = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert list(table[0]) == list(FIELDS)
    assert table[0]["cpe_basis"] == "os" and table[0]["cpe"].startswith("cpe:2.3:o:paloaltonetworks:pan-os:10.2.9:h1")


_BRANDS = st.sampled_from(["Cisco", "Juniper", "Fortinet", "Palo Alto Networks", "MikroTik", "Huawei", "Aruba", "HPE",
                           "Extreme", "TP-Link", "Dahua", "Hikvision", "Acme"])
_OS_TEXT = st.sampled_from(["Cisco IOS Software, Version ", "Cisco NX-OS(tm) Version ", "kernel JUNOS ", "FortiGate-60F v",
                            "Huawei Versatile Routing Platform Software VRP (R) software,Version 5.170 (",
                            "ArubaOS (MODEL: ", "ExtremeXOS (X440) version ", "RouterOS ", "Adaptive Security Appliance "
                            "Version ", "Cisco IOS Software [Dublin], Version ", "PAN-OS ", ""])


@settings(max_examples=300, deadline=None)
@given(_BRANDS, _OS_TEXT, st.text(max_size=25), st.one_of(st.none(), st.text(max_size=20)),
       st.one_of(st.none(), st.text(max_size=20)))
def test_any_text_gives_a_valid_cpe_or_a_listed_missing(brand: str, os_text: str, tail: str, model: str | None,
                                                        version: str | None) -> None:
    row = {"name": "d", "brand": brand, "model": model, "version": version,
           "evidence": [{"signal": "snmp.sysDescr", "value": os_text + tail}]}
    a = asset(row)
    if a.cpe is None:
        assert a.missing and a.cpe_basis is None
    else:
        parsed = CPE(a.cpe)
        assert parsed.get_part() == [a.part] and a.cpe_basis in ("os", "firmware", "hardware")
        assert a.cpe_vendor
