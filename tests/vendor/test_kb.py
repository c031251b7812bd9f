"""The knowledge base is data: a user's file is merged over the shipped one, and bad data is an InputError."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.vendor import evidence as E
from collectors.vendor.identify import identify
from collectors.vendor.kb import load_kb
from netcomply.errors import InputError


def test_shipped_base_links_sub_brands_and_lists_the_ban_source() -> None:
    kb = load_kb()
    assert kb.family("EZVIZ") == "Hikvision" and kb.family("Imou") == "Dahua" and kb.family("Mercusys") == "TP-Link"
    assert kb.enterprises[25506].brand is None and kb.enterprises[25506].manufacturer == "H3C"
    assert kb.enterprises[1004849].status == "unregistered" and kb.enterprises[50001].status == "squatted"
    assert kb.enterprises[8072].generic
    assert "2020-12-18" in kb.ban_list["source"]
    assert {b for b, x in kb.brands.items() if x.prc} >= {"Huawei", "ZTE", "H3C", "Hikvision", "Dahua", "TP-Link",
                                                          "Tenda", "Xiaomi", "DJI", "Uniview", "Ruijie", "Lenovo"}


def test_short_capital_aliases_are_case_sensitive() -> None:
    kb = load_kb()
    assert [b for b, _ in kb.brands_in_text("the dji drone")] == []
    assert "DJI" in [b for b, _ in kb.brands_in_text("DJI Matrice 300")]
    assert "HP" not in [b for b, _ in kb.brands_in_text("HPE Comware")]


def test_a_user_file_adds_a_brand_and_an_enterprise_without_code(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        "brands:\n  Acme Vision: {prc: true, owner: Hikvision, aliases: ['acme vision']}\n"
        "enterprises:\n  99999: {brand: Acme Vision}\n", encoding="utf-8")
    kb = load_kb(str(user))
    assert kb.sources[-1] == str(user)
    v = identify(kb, E.from_sys_object_id(kb, "1.3.6.1.4.1.99999.1", "t"))
    assert (v.brand, v.prc_brand, v.manufacturer) == ("Acme Vision", True, "Acme Vision")
    assert kb.family("Acme Vision") == "Hikvision"
    assert "Huawei" in kb.brands  # the shipped entries are still there
    base = load_kb()
    assert "Acme Vision" not in base.brands


def test_a_user_file_can_override_a_policy_decision(tmp_path: Path) -> None:
    user = tmp_path / "policy.yaml"
    user.write_text("brands:\n  Alcatel-Lucent Enterprise: {prc: true}\n", encoding="utf-8")
    assert load_kb(str(user)).prc("Alcatel-Lucent Enterprise") is True
    assert load_kb().prc("Alcatel-Lucent Enterprise") is None


@pytest.mark.parametrize(("text", "fragment"), [
    ("brands:\n  X: {prc: maybe}\n", "brands.X.prc"),
    ("brands:\n  X: {prc: true, aliases: ['(']}\n", "bad pattern"),
    ("brands:\n  X: {prc: true, owner: Nobody}\n", "owner 'Nobody'"),
    ("enterprises:\n  12ab: {brand: Cisco}\n", "integer"),
    ("enterprises:\n  4242: {brand: Nobody}\n", "unknown brand"),
    ("brands: [\n", "not valid YAML"),
])
def test_bad_user_data_names_the_file_and_the_key(tmp_path: Path, text: str, fragment: str) -> None:
    user = tmp_path / "bad.yaml"
    user.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_kb(str(user))
    assert str(user) in str(err.value) and fragment in str(err.value)
