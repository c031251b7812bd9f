"""Huawei ``display elabel`` and Ruijie ``show version`` parsers: on captures of real devices, on the lab's
template, and as properties (any text parses without an exception; generated well-formed output round-trips)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.vendor import evidence as E
from collectors.vendor.cli_parsers import (
    huawei_elabel_facts,
    inventory_facts,
    parse_huawei_elabel,
    parse_ruijie_version,
)
from collectors.vendor.identify import identify
from collectors.vendor.kb import load_kb

CLI = Path(__file__).resolve().parent / "fixtures" / "cli"


def test_huawei_elabel_of_a_real_s5730() -> None:
    text = (CLI / "huawei_display_elabel_s5730-48c-si.txt").read_text(encoding="utf-8")
    boards = parse_huawei_elabel(text)
    assert [(b["section"], b["board_type"]) for b in boards] == [("Slot_0/Main_Board", "S5730-48C-SI-AC"),
                                                                 ("Slot_0/Power_1", "ES0W2PSA0150")]
    facts = huawei_elabel_facts(text)
    assert facts["model"] == "S5730-48C-SI-AC" and facts["serial"] == "2102351931DMK9000118"
    assert facts["manufactured"] == "2019-12-26" and facts["vendor"] == "Huawei" and facts["boards"] == 2
    assert facts["description"].startswith("S5730-48C-SI Bundle(24 Ethernet")


def test_ruijie_show_version_of_a_real_stack() -> None:
    text = (CLI / "ruijie_show_version_s2628g-e.txt").read_text(encoding="utf-8")
    facts = parse_ruijie_version(text)
    assert facts["model"] == "S2628G-E" and facts["serial"] == "2683DH7350460"
    assert facts["software_version"] == "RGOS 10.4(3b19)p3 Release(180891)"
    assert facts["hardware_version"] == "1.01"
    assert [(m["index"], m["serial"]) for m in facts["members"]] == [
        (1, "2683DH7350460"), (2, "2683DH7350434"), (3, "2683DH7350531")]


def test_the_ssh_evidence_uses_them() -> None:
    kb = load_kb()
    elabel = (CLI / "huawei_display_elabel_s5730-48c-si.txt").read_text(encoding="utf-8")
    v = identify(kb, E.from_cli(kb, {"display elabel": elabel}, None, "ssh"))
    assert (v.brand, v.prc_brand, v.model, v.serial) == ("Huawei", True, "S5730-48C-SI-AC", "2102351931DMK9000118")
    assert v.model_from is not None and v.model_from.startswith("ssh.display_elabel.inventory")
    ruijie = (CLI / "ruijie_show_version_s2628g-e.txt").read_text(encoding="utf-8")
    v = identify(kb, E.from_cli(kb, {"show version": ruijie}, None, "ssh"))
    assert (v.brand, v.prc_brand, v.model, v.serial) == ("Ruijie", True, "S2628G-E", "2683DH7350460")


def test_the_lab_template_parses() -> None:
    """The lab's VRP template renders what the parser reads. (The template writes ``/$`` before every property,
    which real devices write only before the version headers; the parser reads both.)"""
    import jinja2

    path = Path(__file__).resolve().parents[2] / "netcomply" / "app" / "lab" / "data" / "ssh" / "huawei" / "display_elabel.j2"
    text = jinja2.Template(path.read_text(encoding="utf-8")).render(model="S5735-L48T4X-A1",
                                                                      serial="2102355162P0M3000127")
    facts = huawei_elabel_facts(text)
    assert facts["model"] == "S5735-L48T4X-A1" and facts["serial"] == "2102355162P0M3000127"
    assert facts["vendor"] == "Huawei"


def test_other_show_version_outputs_are_not_read_as_ruijie() -> None:
    cisco = "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E3\n"
    assert inventory_facts("show version", cisco) == {}
    assert inventory_facts("display version", "Huawei Versatile Routing Platform Software") == {}


# ------------------------------------------------------------------------------------------ properties

@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_parses_without_an_exception(text: str) -> None:
    assert isinstance(parse_huawei_elabel(text), list)
    assert isinstance(huawei_elabel_facts(text), dict)
    assert isinstance(parse_ruijie_version(text), dict)
    assert isinstance(inventory_facts("display elabel", text), dict)
    assert isinstance(inventory_facts("show version", text), dict)


_token = st.from_regex(r"[A-Z0-9][A-Z0-9-]{2,18}", fullmatch=True)
_words = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ,()+/-]{0,40}[A-Za-z0-9)]", fullmatch=True)
_board = st.fixed_dictionaries({
    "board_type": _token, "serial": st.from_regex(r"[0-9A-Z]{12,20}", fullmatch=True),
    "item": st.from_regex(r"[0-9]{8}", fullmatch=True), "description": _words,
    "manufactured": st.dates().map(lambda d: d.isoformat()), "vendor": st.sampled_from(["Huawei", "HUAWEI"]),
})
_section = st.from_regex(r"(Slot_[0-9]|Power_[1-4]|Fan_[1-4]|Port_[0-9]{1,2}|Main_Board)", fullmatch=True)


def render_elabel(boards: list[tuple[str, dict[str, Any]]]) -> str:
    lines = ["Info: It is executing, please wait...", "/$[System Integration Version]",
             "/$SystemIntegrationVersion=3.0", ""]
    for section, b in boards:
        lines += [f"[{section}]", "/$[ArchivesInfo Version]", "/$ArchivesInfoVersion=3.0", "", "[Board Properties]",
                  f"BoardType={b['board_type']}", f"BarCode={b['serial']}", f"Item={b['item']}",
                  f"Description={b['description']}", f"Manufactured={b['manufactured']}",
                  f"VendorName={b['vendor']}", "IssueNumber=00", "CLEICode=", "BOM=", ""]
    return "\r\n".join(lines)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_section, _board), min_size=1, max_size=6))
def test_generated_elabel_round_trips(boards: list[tuple[str, dict[str, Any]]]) -> None:
    parsed = parse_huawei_elabel(render_elabel(boards))
    assert len(parsed) == len(boards)
    for got, (_section_name, want) in zip(parsed, boards, strict=True):
        for key, value in want.items():
            assert got[key] == value


_version = st.from_regex(r"RGOS 1[01]\.[0-9]\([0-9a-z]{1,6}\)(p[0-9])? Release\([0-9]{5,6}\)", fullmatch=True)


@settings(max_examples=100, deadline=None)
@given(model=st.from_regex(r"(RG-)?[A-Z]{1,3}[0-9]{3,4}[A-Z]?(-[A-Z0-9]{1,6}){0,2}", fullmatch=True),
       serials=st.lists(st.from_regex(r"[0-9A-Z]{13}", fullmatch=True), min_size=1, max_size=4),
       software=_version, hardware=st.from_regex(r"[0-9]\.[0-9]{2}", fullmatch=True))
def test_generated_ruijie_version_round_trips(model: str, serials: list[str], software: str, hardware: str) -> None:
    lines = [f"System description      : Ruijie Gigabit Access Switch ({model}) By Ruijie Networks",
             f"System hardware version : {hardware}", f"System software version : {software}",
             f"System serial number    : {serials[0]}", "Device information:"]
    for i, serial in enumerate(serials, start=1):
        lines += [f"  Device-{i}", f"    Hardware version : {hardware}", f"    Software version : {software}",
                  f"    Serial Number    : {serial}"]
    facts = parse_ruijie_version("\n".join(lines))
    assert (facts["model"], facts["serial"], facts["software_version"], facts["hardware_version"]) == (
        model, serials[0], software, hardware)
    assert [m["serial"] for m in facts["members"]] == serials
