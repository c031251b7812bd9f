"""ntc-templates for the AP listings (issue 15): AireOS ``show ap summary`` is read by its template; Huawei
``display ap all`` keeps its hand parser because the template stops on real AC output (shown here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ntc_templates.parse import parse_output

from collectors.hotspot.ssh_probe import parse_display_ap_all, parse_show_ap_summary

TESTS = Path(__file__).resolve().parents[1]
RAW = TESTS / "robustness" / "fixtures" / "ntc-templates"  # real captures, SOURCES names repo/path/commit
HOTSPOT = TESTS / "hotspot" / "fixtures"


@pytest.mark.parametrize("name, counted", [
    ("cisco_wlc_ssh_show_ap_summary.raw", True), ("cisco_wlc_ssh_show_ap_summary_2500.raw", False)])
def test_aireos_summary_is_the_templates_reading(name: str, counted: bool) -> None:
    text = (RAW / name).read_text(encoding="utf-8")
    rows = parse_output(platform="cisco_wlc_ssh", command="show ap summary", data=text)
    aps = parse_show_ap_summary(text)
    assert list(aps) == [r["ap_name"] for r in rows] and len(aps) >= 2 and all(a.up for a in aps.values())
    if not counted:  # the 2500 series prints location, port, country and priority: no client count
        assert all(a.clients is None for a in aps.values())
    else:
        assert {n: a.clients for n, a in aps.items()} == {r["ap_name"]: int(r["clients"]) for r in rows}


def test_aireos_summary_on_garbage_is_empty_not_a_guess() -> None:
    text = (RAW / "cisco_wlc_ssh_show_ap_summary.raw").read_text(encoding="utf-8")
    assert parse_show_ap_summary(text + "\nIncorrect usage: use the 'help' command\n") == {}


def test_vrp_template_reads_the_ntc_capture_like_the_hand_parser() -> None:
    text = (RAW / "huawei_vrp_display_ap_all.raw").read_text(encoding="utf-8")
    rows = parse_output(platform="huawei_vrp", command="display ap all", data=text)
    aps = parse_display_ap_all(text)
    assert [r["name"] for r in rows] == list(aps)
    assert {r["name"]: r["state"] == "nor" for r in rows} == {n: a.up for n, a in aps.items()}


def test_what_the_vrp_template_misses() -> None:
    """An AC that prints its 'Info: ... Please wait' line, a 'fault: fault' legend and a table without the Scene
    column (an older release) stops the template; the hand parser reads all three APs."""
    from textfsm.parser import TextFSMError

    text = (HOTSPOT / "huawei_ac_display_ap_all.txt").read_text(encoding="utf-8")
    assert text.startswith("Info: This operation may take a few seconds")
    for variant in (text, text.split("\n", 1)[1]):
        with pytest.raises(TextFSMError):
            parse_output(platform="huawei_vrp", command="display ap all", data=variant)
    aps = parse_display_ap_all(text)
    assert {n: (a.up, a.clients) for n, a in aps.items()} == {"DO-1F-HALL": (True, 5), "MKT-01": (True, 0),
                                                               "MKT-02": (False, 0)}
