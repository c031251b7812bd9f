"""Saved SNMP answers read offline (collectors/vendor/recordings.py) and ``netcomply identify``.

Real recordings (tests/vendor/fixtures/recordings, LibreNMS's snmpsim files: SOURCES) with their quirks — a value
with a raw line break, redacted OIDs, a hex-encoded UTF-8 sysDescr — and real ``snmpwalk`` output of the lab's
agents, compared with the verdict of a live ``netcomply vendors`` over SNMP."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from collectors.vendor import corpus, recordings
from collectors.vendor.kb import load_kb
from netcomply.app.cli.main import app
from netcomply.errors import InputError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "recordings"


def _row(rid: str) -> dict[str, Any]:
    return next(r for r in corpus.load_rows() if r["id"] == rid)


@pytest.mark.parametrize("rid", ["apc-epdu_epdu1132m", "fiberhome_an5516-04b"])
def test_a_recording_reads_as_the_corpus_row(rid: str) -> None:
    """The reader and the corpus agree on what a recording says (the corpus is built by the same reduction)."""
    kb = load_kb()
    facts = recordings.read(FIXTURES / f"{rid}.snmprec", [v.oid for v in kb.vendor_oids])
    row = _row(rid)
    for key in ("sys_descr", "sys_object_id", "entity", "engine_id", "enterprises", "vendor_oids", "macs"):
        assert facts.get(key) == row.get(key), key
    assert corpus.verdict_of(kb, facts).to_dict()["brand"] == corpus.verdict_of(kb, row).to_dict()["brand"]


def test_a_raw_line_break_inside_a_value_is_not_a_bad_line() -> None:
    reading = recordings.read_text((FIXTURES / "apc-epdu_epdu1132m.snmprec").read_text(encoding="utf-8"), "apc")
    assert reading.skipped == []
    mac = dict((oid, value) for oid, value, _ in reading.objects)["1.3.6.1.2.1.2.2.1.6.1"]
    assert "\n" in mac  # the six raw bytes held a line feed; the next file line was its tail


def test_redacted_oids_still_count_and_the_device_is_identified() -> None:
    facts = recordings.read(FIXTURES / "windows_svr_2019_1809.snmprec")
    assert facts["enterprises"] == [311]  # every line under 311 is redacted ('.xx.') but the subtree answered
    assert "skipped" not in facts
    assert corpus.verdict_of(load_kb(), facts).brand == "Microsoft"


def test_utf8_text_in_hex_is_read_as_text() -> None:
    facts = recordings.read(FIXTURES / "ird.snmprec")
    assert "2013年" in facts["sys_descr"] and facts["sys_descr"].startswith("Linux DCH-4000P")


def test_prc_device_from_two_lines() -> None:
    verdict = corpus.verdict_of(load_kb(), recordings.read(FIXTURES / "fiberhome_an5516-04b.snmprec"))
    assert verdict.brand == "FiberHome" and verdict.prc_brand is True


def test_lines_that_are_neither_format_are_listed_not_fatal(tmp_path: Path) -> None:
    text = (FIXTURES / "fiberhome_an5516-04b.snmprec").read_text(encoding="utf-8")
    bad = tmp_path / "x.snmprec"
    bad.write_text(text + "1.3.6.1.2.1.2.2.1.6.1|4x\nthis|is\n", encoding="utf-8")
    facts = recordings.read(bad)
    assert facts["skipped_count"] == 2 and facts["skipped"][0].startswith(f"{bad}:3:")


@pytest.mark.parametrize(("content", "message"), [
    ("", "empty"),
    ("hello world\n", ":1: not an SNMP recording"),
    ("1.3.6.1.2.1.2.2.1.1.1|2|1\n", "holds no sysDescr, sysObjectID or ENTITY-MIB row"),
])
def test_unusable_files_get_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "r.snmprec"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        recordings.read(path)
    assert message in str(info.value) and str(path) in str(info.value)


SNMPWALK = """\
SNMPv2-MIB::sysDescr.0 = STRING: "Huawei Versatile Routing Platform Software
VRP (R) software, Version 8.180 (NE05E-SQ V300R005C10SPC100)
Copyright (C) 2012-2018 Huawei Technologies Co., Ltd.
HUAWEI NE05E-SQ
"
SNMPv2-MIB::sysObjectID.0 = OID: SNMPv2-SMI::enterprises.2011.2.62.2.39
ENTITY-MIB::entPhysicalDescr.16777216 = STRING: "NE05E-SQ"
ENTITY-MIB::entPhysicalClass.16777216 = INTEGER: chassis(3)
ENTITY-MIB::entPhysicalMfgName.16777216 = STRING: "Huawei"
ENTITY-MIB::entPhysicalModelName.16777216 = STRING: "NE05E-SQ"
IF-MIB::ifDescr.1 = STRING: GigabitEthernet0/0/0
SNMP-FRAMEWORK-MIB::snmpEngineID.0 = Hex-STRING: 80 00 07 DB 03 00 E0 FC 12 34 56
"""


def test_snmpwalk_with_mib_names_multiline_strings_and_enumerations() -> None:
    facts = recordings.facts(recordings.read_text(SNMPWALK, "walk.txt").objects)
    assert facts["sys_object_id"] == "1.3.6.1.4.1.2011.2.62.2.39"
    assert facts["sys_descr"].splitlines()[-1] == "HUAWEI NE05E-SQ"
    assert facts["entity"][0]["class"] == 3 and facts["entity"][0]["model_name"] == "NE05E-SQ"
    assert facts["engine_id"] == "800007db0300e0fc123456"
    verdict = corpus.verdict_of(load_kb(), facts)
    assert verdict.brand == "Huawei" and verdict.prc_brand is True


# what snmpwalk prints as a quoted STRING: printable text (it prints anything else as Hex-STRING)
_text = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_characters='"\\|'), max_size=60).filter(
    str.isprintable)


@settings(max_examples=150, deadline=None)
@given(descr=_text, oid=st.lists(st.integers(0, 99999), min_size=1, max_size=8),
       model=_text.filter(lambda s: s.strip() == s))
def test_snmprec_and_snmpwalk_say_the_same(descr: str, oid: list[int], model: str) -> None:
    """The same answers written in both formats read the same (hex-encoded in snmprec, quoted in snmpwalk)."""
    soid = "1.3.6.1.4.1." + ".".join(map(str, oid))
    rec = (f"1.3.6.1.2.1.1.1.0|4x|{descr.encode().hex()}\n1.3.6.1.2.1.1.2.0|6|{soid}\n"
           f"1.3.6.1.2.1.47.1.1.1.1.5.1|2|3\n1.3.6.1.2.1.47.1.1.1.1.13.1|4x|{model.encode().hex()}\n")
    walk = (f'.1.3.6.1.2.1.1.1.0 = STRING: "{descr}"\n.1.3.6.1.2.1.1.2.0 = OID: .{soid}\n'
            f'.1.3.6.1.2.1.47.1.1.1.1.5.1 = INTEGER: 3\n.1.3.6.1.2.1.47.1.1.1.1.13.1 = STRING: "{model}"\n')
    a = recordings.facts(recordings.read_text(rec).objects)
    b = recordings.facts(recordings.read_text(walk).objects)
    assert a == b
    assert a["sys_object_id"] == soid and a["sys_descr"] == descr and a["entity"][0]["model_name"] == model


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_is_read_or_refused_clearly(text: str) -> None:
    try:
        reading = recordings.read_text(text, "t")
    except InputError as exc:
        assert str(exc).startswith("t")
        return
    recordings.facts(reading.objects)


def test_identify_command_tables_json_csv_and_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a recording\n", encoding="utf-8")
    files = [str(FIXTURES / "fiberhome_an5516-04b.snmprec"), str(FIXTURES / "windows_svr_2019_1809.snmprec"),
             str(bad)]
    runner = CliRunner()
    result = runner.invoke(app, ["identify", *files, "--format", "json", "--cpe", str(tmp_path / "vans")])
    assert result.exit_code == 2, result.output  # one file was not a recording; the others were identified
    doc = json.loads(result.stdout)
    by_name = {d["name"]: d for d in doc["devices"]}
    assert by_name["fiberhome_an5516-04b"]["prc_brand"] is True and doc["errors"] == 1
    assert "notes.txt:1: not an SNMP recording" in by_name["notes"]["error"]
    assets = json.loads((tmp_path / "vans.json").read_text(encoding="utf-8"))
    assert {a["name"] for a in assets["devices"]} == {"fiberhome_an5516-04b", "windows_svr_2019_1809"}
    csv = runner.invoke(app, ["identify", files[0], "--format", "csv"])
    assert csv.exit_code == 0 and csv.stdout.splitlines()[1].startswith(f"{files[0]},FiberHome,")
    table = runner.invoke(app, ["identify", *files[:2]])
    assert table.exit_code == 0 and "FiberHome" in table.stdout and "YES" in table.stdout


@pytest.mark.lab
def test_snmpwalk_output_of_a_live_agent_gives_the_live_verdict(city_lab: Any, lab_vendors_run: dict[str, Any],
                                                                tmp_path: Path) -> None:
    """Real net-snmp ``snmpwalk`` against the lab's agents, saved and identified offline, gives the verdict a
    live ``netcomply vendors`` gives for the same device (brand, manufacturer, PRC): the session's run of it
    (tests/conftest.py)."""
    if shutil.which("snmpwalk") is None:
        pytest.skip("net-snmp's snmpwalk is not installed (make deps installs it)")
    from netcomply.inventory import load_inventory
    from netcomply.secrets import read_env_file

    inv = load_inventory(city_lab.inventory)
    env = read_env_file(city_lab.env_file)
    picked = [d for d in inv.devices if d.snmp is not None and d.snmp.version != "3" and not d.vars.get("lab", {})
              .get("fault")][:4]
    assert picked
    verdicts = {d["name"]: d for d in lab_vendors_run["data"]["devices"]}
    files = []
    for d in picked:
        assert d.snmp is not None
        community = str(env[d.snmp.community_env] if d.snmp.community_env else d.snmp.community)
        out = tmp_path / f"{d.name}.walk"
        with out.open("w", encoding="utf-8") as fh:
            for subtree in (".1.3.6.1.2.1.1", ".1.3.6.1.2.1.47.1.1.1.1", ".1.3.6.1.4.1"):
                subprocess.run(["snmpwalk", "-v2c", "-c", community, "-On", "-t", "3", "-r", "1",
                                f"{d.address}:{d.snmp.port}", subtree], stdout=fh, check=True, timeout=60)
        files.append(str(out))
    result = CliRunner().invoke(app, ["identify", *files, "--format", "json"])
    assert result.exit_code == 0, result.output
    for row in json.loads(result.stdout)["devices"]:
        want = verdicts[row["name"]]
        assert (row["brand"], row["manufacturer"], row["prc_brand"]) == (
            want["brand"], want["manufacturer"], want["prc_brand"]), row["name"]


WALKS = Path(__file__).resolve().parent / "fixtures" / "walks"


def _net_snmp_hex(octets: bytes) -> str:
    """An OCTET STRING as net-snmp's snmpwalk prints a non-text value: ``Hex-STRING:``, 16 octets a line."""
    pairs = [f"{b:02X}" for b in octets]
    return "\n".join(" ".join(pairs[i:i + 16]) + " " for i in range(0, len(pairs), 16))


def test_a_wrapped_hex_string_tail_is_part_of_its_value_not_bad_lines() -> None:
    """Real net-snmp output (niac-go's Alcatel-Lucent OS6850 walk): a 118-octet Hex-STRING over 8 lines. Its 7
    tail lines were each listed as an unreadable line."""
    reading = recordings.read_text((WALKS / "niac-go_alcatel-lucent-os6850_lldp-excerpt.walk").read_text(), "w")
    assert reading.skipped == []
    assert [oid for oid, _, _ in reading.objects] == [
        "1.0.8802.1.1.2.1.1.5.0", "1.0.8802.1.1.2.1.1.7.1.1.1.4.10.254.19.22", "1.0.8802.1.1.2.1.2.1.0",
        "1.0.8802.1.1.2.1.2.2.0"]


def test_a_prc_device_whose_sysdescr_snmpwalk_prints_as_wrapped_hex() -> None:
    """DCN's CS6200 (LibreNMS recording dcn-software_cs6200) answers a sysDescr holding one byte that is not
    UTF-8 (0xDA), so snmpwalk prints its 249 octets as a wrapped Hex-STRING. The reader kept the first 16
    octets ('CS6200-28X-EI De'): the device, a PRC brand, came back unknown."""
    row = _row("dcn-software_cs6200")
    walk = (f".1.3.6.1.2.1.1.1.0 = Hex-STRING: {_net_snmp_hex(bytes.fromhex(row['sys_descr'][2:]))}\n"
            ".1.3.6.1.2.1.1.3.0 = Timeticks: (218432) 0:36:24.32\n")
    reading = recordings.read_text(walk, "dcn.walk")
    facts = recordings.facts(reading.objects)
    assert reading.skipped == [] and facts["sys_descr"] == row["sys_descr"]
    verdict = corpus.verdict_of(load_kb(), facts)
    assert verdict.brand == "DCN" and verdict.prc_brand is True


@settings(max_examples=150, deadline=None)
@given(octets=st.binary(min_size=1, max_size=200), after=st.sampled_from(["", ".1.3.6.1.2.1.1.3.0 = Timeticks: 5\n"]))
def test_wrapped_hex_reads_as_its_snmprec_form(octets: bytes, after: str) -> None:
    """The same octets as snmprec ``4x`` and as snmpwalk's wrapped Hex-STRING read the same."""
    walk = f".1.3.6.1.2.1.1.1.0 = Hex-STRING: {_net_snmp_hex(octets)}\n{after}"
    rec = f"1.3.6.1.2.1.1.1.0|4x|{octets.hex()}\n"
    a = recordings.read_text(walk)
    assert a.skipped == []
    assert recordings.facts(a.objects) == recordings.facts(recordings.read_text(rec).objects)


def test_real_walk_files_of_other_projects_read_without_bad_lines() -> None:
    """glpi-agent's sample walks (MIB names with SNMPv2-SMI::enterprises values, iso. names, a quoted sysDescr
    over three lines) and a centreon-plugins walk (unquoted STRING values, Timeticks without a type)."""
    got = {p.name: recordings.read(p) for p in sorted(WALKS.glob("*walk")) if "excerpt" not in p.name}
    assert got["glpi-agent_sample2.walk"]["sys_object_id"] == "1.3.6.1.4.1.367.1.1"
    assert got["glpi-agent_sample5.walk"]["sys_descr"].splitlines()[-1].startswith("Copyright (c) 2004-2010 Hangzhou")
    assert got["glpi-agent_sample3.walk"]["skipped_count"] == 1  # its source file is cut mid-line: 'i'
    assert got["centreon_mikrotik-chateau-lte6.snmpwalk"]["sys_descr"] == "RouterOS D53G-5HacD2HnD&FG621-EA"
    assert all("skipped" not in f for name, f in got.items() if name != "glpi-agent_sample3.walk")


def test_a_mac_snmpwalk_printed_as_raw_bytes_keeps_its_bytes(tmp_path: Path) -> None:
    """net-snmp prints a 6-octet value whose bytes look printable as a quoted STRING, raw (niac-go's H3C Comware
    walk holds ``STRING: "tŽø,S@"`` beside ``Hex-STRING: 74 8E F8 2C 9A 80`` for its LACP partners' MACs).
    Read as UTF-8 with replacement, the MAC became 74:3f:3f:2c:53:40: an OUI nobody holds instead of
    Brocade's 74:8e:f8."""
    walk = tmp_path / "brocade-partner.walk"
    walk.write_bytes(b'.1.3.6.1.2.1.1.1.0 = STRING: "Brocade switch"\n'
                     b'.1.3.6.1.2.1.17.1.1.0 = STRING: "t\x8e\xf8,S@"\n'
                     b'.1.3.6.1.2.1.2.2.1.2.1 = STRING: "Port 1 \xe4\xbb\xa5\xe5\xa4\xaa\xe7\xb6\xb2"\n')
    facts = recordings.read(walk)
    assert facts["macs"] == ["74:8e:f8:2c:53:40"]
    assert "skipped" not in facts


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=40).filter(lambda s: "\n" not in s and "\r" not in s),
                          st.binary(max_size=40).filter(lambda b: b"\n" not in b)), max_size=6))
def test_decode_keeps_utf8_lines_and_one_char_per_byte_elsewhere(lines: list[str | bytes]) -> None:
    raw = [x.encode("utf-8") if isinstance(x, str) else x for x in lines]
    out = recordings.decode(b"\n".join(raw)).split("\n") if raw else [""]
    for got, line in zip(out, raw, strict=False):
        try:
            assert got == line.decode("utf-8")
        except UnicodeDecodeError:
            assert got.encode("latin-1") == line


@pytest.mark.parametrize("capture", ["cisco_ios/show_version/cisco_ios_show_version",
                                     "fortinet/get_system_status/fortinet_get_system_status_7.4",
                                     "hp_comware/display_device_manuinfo/hp_comware_display_device_manuinfo"])
def test_identify_saved_cli_output_gives_the_corpus_verdict(tmp_path: Path, capture: str) -> None:
    """``netcomply identify --command CMD FILE``: a contractor's saved ``show version`` (real ntc-templates captures,
    tests/vendor/corpus/ntc_cli.jsonl) gives the verdict the corpus measures for that capture."""
    row = next(r for r in corpus.load_cli() if r["id"] == capture)
    path = tmp_path / "saved.txt"
    path.write_text(row["text"], encoding="utf-8")
    result = CliRunner().invoke(app, ["identify", "--command", row["command"], str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)["devices"][0]
    want = corpus.cli_verdict(load_kb(), row)
    assert (got["brand"], got["manufacturer"], got["prc_brand"]) == (want.brand, want.manufacturer, want.prc_brand)
    assert got["brand"] is not None


def test_identify_empty_cli_output_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["identify", "-c", "show version", str(empty), "--format", "json"])
    assert result.exit_code == 2 and "empty.txt: empty" in json.loads(result.stdout)["devices"][0]["error"]
