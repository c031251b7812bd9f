"""Models read from free-text sysDescr by the knowledge base's ``descr_models`` patterns, on sysDescr strings of
real devices (facts from published recordings and captures: LibreNMS tests/snmpsim, LibreNMS polling notes,
switch-library test suites, Mist/Juniper API samples), and the patterns' validation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.vendor import evidence as E
from collectors.vendor.identify import identify
from collectors.vendor.kb import build, load_kb
from netcomply.errors import InputError

# (sysDescr as the device sends it, where it was published, brand, model, version)
REAL = [
    ("Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(2)E7, RELEASE SOFTWARE (fc3)",
     "LibreNMS includes/discovery notes (Catalyst 2960-X)", "Cisco", "C2960X", "15.2(2)E7"),
    ("Cisco Internetwork Operating System Software \r\nIOS (tm) C2940 Software (C2940-I6K2L2Q4-M), Version "
     "12.1(22)EA12, RELEASE SOFTWARE (fc1)",
     "LibreNMS includes/discovery notes (Catalyst 2940)", "Cisco", "C2940", "12.1(22)EA12"),
    ("S5735-L48T4X-A1\r\nHuawei Versatile Routing Platform Software\r\nVRP (R) software,Version 5.170 "
     "(S5735 V200R021C00SPC100)\r\nCopyright (C) 2000-2021 HUAWEI TECH Co., Ltd.",
     "Huawei S5735 sysDescr layout (model line first)", "Huawei", "S5735-L48T4X-A1", "5.170"),
    ("Huawei AR1220 Huawei Versatile Routing Platform Software  VRP (R) software,Version 5.120 "
     "(AR1220 V200R003C01SPC900) Copyright (C) 2011-2013 Huawei Technologies Co., Ltd",
     "librenms tests/snmpsim/vrp.snmprec", "Huawei", "AR1220", "5.120"),
    ("Hangzhou H3C Comware Platform Software, Software Version 3.10, Release 2211P06\r\nH3C S3100-8TP-EI\r\n"
     "Copyright(c) 2004-2010 Hangzhou H3C Tech. Co.,Ltd. All rights reserved.",
     "librenms includes/polling/os/comware.inc.php", "H3C", "S3100-8TP-EI", "3.10"),
    ("H3C Comware Platform Software, Software Version 7.1.070, Release 6315P05\r\nH3C S5130-28S-EI\r\n"
     "Copyright (c) 2004-2019 New H3C Technologies Co., Ltd. All rights reserved.",
     "H3C S5130 EI sysDescr layout (Comware 7)", "H3C", "S5130-28S-EI", "7.1.070"),
    ("HPE Comware Platform Software, Software Version 7.1.070, Release 3208P15\nHPE 5130 24G PoE+ 4SFP+ EI BR "
     "Switch\nCopyright (c) 2010-2018 Hewlett Packard Enterprise Development LP",
     "switch-library test suite (HPE 5130 EI)", "HPE", "5130 24G PoE+ 4SFP+ EI BR", "7.1.070"),
    ("HP Comware Platform Software, Software Version 7.1.045, Release 2416 HP FF 5700-40XG-2QSFP  Switch "
     "Copyright (c) 2010-2014 Hewlett-Packard Development Company, L.P.",
     "librenms tests/snmpsim/comware.snmprec", "HP", "FF 5700-40XG-2QSFP", "7.1.045"),
    ("ZTE Ethernet Switch  ZXR10 5250-52TM-H, Version: V2.05.11B23", "librenms tests/snmpsim/zxr10.snmprec",
     "ZTE", "ZXR10 5250-52TM-H", "V2.05.11B23"),
    ("DH-NVR4108HS-8P-4KS2", "librenms tests/snmpsim/dahua-nvr.snmprec", "Dahua", "DH-NVR4108HS-8P-4KS2", None),
    ("Ruijie 10G Routing Switch(S6220-48XS4QXS) By Ruijie Networks", "librenms tests/snmpsim/ruijie.snmprec",
     "Ruijie", "S6220-48XS4QXS", None),
    ("Ruijie Gigabit Security & Intelligence Access Switch (S2628G-E) By Ruijie Networks",
     "published RGOS show version (system description = sysDescr)", "Ruijie", "S2628G-E", None),
    ("Juniper Networks, Inc. ex2300-c-12p Ethernet Switch, kernel JUNOS 18.2R2.6, Build date: 2018-12-07 13:19:04 "
     "UTC Copyright (c) 1996-2018 Juniper Networks, Inc.", "Juniper Mist API sample (LLDP system_desc)",
     "Juniper", "ex2300-c-12p", "18.2R2.6"),
    ("Juniper Networks, Inc. ex2300-24p Ethernet Switch, kernel JUNOS 23.4R2-S4.11, Build date: 2025-03-14 "
     "21:17:35 UTC Copyright (c) 1996-2025 Juniper Networks, Inc.", "EX2300 sysDescr captured verbatim",
     "Juniper", "ex2300-24p", "23.4R2-S4.11"),
    ("Palo Alto Networks PA-3000 series firewall", "librenms tests/snmpsim/panos.snmprec", "Palo Alto Networks",
     "PA-3000", None),
    ("SonicWALL TZ 210 (SonicOS Enhanced 5.9.1.6-5o)", "librenms tests/snmpsim/sonicwall.snmprec", "SonicWall",
     "TZ 210", "5.9.1.6-5o"),
    ("EdgeSwitch 24-Port 250W, 1.0.1.4720839, Linux 3.6.5-f4a26ed5", "librenms tests/snmpsim/edgeswitch.snmprec",
     "Ubiquiti", "EdgeSwitch 24-Port 250W", "1.0.1.4720839"),
    ("; AXIS P5534-E; PTZ Dome Network Camera; 5.40.9.2; May 15 2012 09:50; 188.1; 1;",
     "librenms tests/snmpsim/axiscam.snmprec", "Axis", "P5534-E", None),
    ("FortiGate-100F", "FortiGate sysDescr (the model alone)", "Fortinet", "FortiGate-100F", None),
    ("ArubaOS (MODEL: 515), Version 8.6.0.4", "Aruba instant AP sysDescr", "Aruba", "515", "8.6.0.4"),
]


@pytest.mark.parametrize(("descr", "source", "brand", "model", "version"), REAL, ids=[r[3] for r in REAL])
def test_model_and_version_from_real_sysdescr(descr: str, source: str, brand: str, model: str,
                                              version: str | None) -> None:
    kb = load_kb()
    ev = E.from_text(kb, "snmp.sysDescr", descr, f"{source} sysDescr", "sysdescr_text")
    claims = [e for e in ev if e.brand]
    assert claims and claims[0].brand == brand
    assert claims[0].model == model
    assert (f"version {version!r}" in (claims[0].note or "")) == (version is not None)
    v = identify(kb, ev)
    assert (v.brand, v.model) == (brand, model)
    assert v.model_from is not None and v.model_from.startswith("snmp.sysDescr")


def test_entity_model_beats_the_sysdescr_model() -> None:
    kb = load_kb()
    data = {"sys_descr": REAL[0][0], "entity": [{"index": 1, "mfg_name": "Cisco", "model_name": "WS-C2960X-48FPD-L",
                                                 "serial": "FOC2233B002"}]}
    v = identify(kb, E.from_snmp_system(kb, data, "snmp"))
    assert v.model == "WS-C2960X-48FPD-L" and v.model_from is not None
    assert v.model_from.startswith("snmp.entPhysicalMfgName")


def test_a_pattern_of_another_brand_is_not_tried() -> None:
    """"HPE 5130" text must not be read by the H3C pattern (and the other way round)."""
    kb = load_kb()
    assert kb.model_in_text("H3C S5130-28S-EI", ["HPE"]) is None
    found = kb.model_in_text("H3C S5130-28S-EI", ["H3C"])
    assert found is not None and found[0] == "S5130-28S-EI"


def test_bad_patterns_are_input_errors_naming_the_key() -> None:
    base = {"brands": {"Acme": {"prc": False}}}
    with pytest.raises(InputError, match=r"descr_models\[0\]\.pattern.*named group"):
        build({**base, "descr_models": [{"brand": "Acme", "pattern": "Acme (\\w+)"}]}, ("user.yaml",))
    with pytest.raises(InputError, match=r"descr_models\[0\]\.brand"):
        build({**base, "descr_models": [{"brand": "Nobody", "pattern": "(?P<model>x)"}]}, ("user.yaml",))
    with pytest.raises(InputError, match=r"descr_models\[0\]\.pattern.*bad pattern"):
        build({**base, "descr_models": [{"brand": "Acme", "pattern": "(?P<model>["}]}, ("user.yaml",))
    kb = build({**base, "descr_models": [{"brand": "Acme", "pattern": "Acme (?P<model>R\\d+)"}]}, ("user.yaml",))
    assert kb.model_in_text("Acme R42 router", ["Acme"]) == ("R42", None, kb.descr_models[0])


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_with_any_brand_gives_a_model_or_none(text: str) -> None:
    kb = load_kb()
    found = kb.model_in_text(text, list(kb.brands)[:40])
    assert found is None or (found[0].strip() and found[0] in text)


def test_a_users_pattern_is_tried_before_the_shipped_ones(tmp_path: object) -> None:
    from pathlib import Path

    from collectors.vendor.kb import load_kb as load

    user = Path(str(tmp_path)) / "kb.yaml"
    user.write_text("descr_models:\n  - {brand: Cisco, pattern: 'Cisco IOS Software, (?P<model>C\\d+X) Software'}\n",
                    encoding="utf-8")
    kb = load(str(user))
    found = kb.model_in_text(REAL[0][0], ["Cisco"])
    assert found is not None and found[0] == "C2960X" and found[2] is kb.descr_models[0]
    assert found[1] is None  # the user's pattern has no version group
