"""Asset and exception registers from CSV: what agencies keep in spreadsheets, with errors by file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from netcomply.errors import InputError
from netcomply.inventory.registers import exception_for, load_asset_register, load_exception_register, match_asset


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding=encoding)
    return p


def test_english_register_with_bom(tmp_path: Path) -> None:
    p = write(tmp_path, "assets.csv", "asset_id,name,address,brand,model,serial,owner\n"
              "A-001,cg-core1,192.0.2.1,Cisco,C9300-48P,FOC1234X0AB,IT office\n\n"
              "A-002,,198.51.100.7,Hikvision,DS-2CD2143G2-I,,Security\n", encoding="utf-8-sig")
    rows = load_asset_register(p)
    assert [r.asset_id for r in rows] == ["A-001", "A-002"]
    assert rows[0].serial == "FOC1234X0AB" and rows[1].name is None and rows[1].line == 4


def test_traditional_chinese_headers(tmp_path: Path) -> None:
    p = write(tmp_path, "財產清冊.csv", "財產編號,設備名稱,IP位址,廠牌,型號,序號,保管人\n"
              "B-9,ed-ap1,192.0.2.25,TP-Link,EAP245,2203123456789,教育局資訊室\n")
    (row,) = load_asset_register(p)
    assert (row.asset_id, row.name, row.brand, row.owner) == ("B-9", "ed-ap1", "TP-Link", "教育局資訊室")


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.csv", "asset_id,name,address,brand\n"
              "A-1,sw1,192.0.2.1,Cisco\n"
              ",sw2,192.0.2.2,Cisco\n"
              "A-1,sw3,192.0.2.3,Cisco\n"
              "A-4,sw4,not-an-ip,Cisco\n"
              "A-5,,,Cisco\n"
              "A-6,sw6,192.0.2.6,Cisco,extra\n")
    with pytest.raises(InputError) as err:
        load_asset_register(p)
    lines = sorted(pr.line or 0 for pr in err.value.problems)
    assert lines == [3, 4, 5, 6, 7]
    text = str(err.value)
    assert f"{p}:4:" in text and "already on line 2" in text and "not an IP address" in text


def test_missing_column_and_wrong_encoding(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing column"):
        load_asset_register(write(tmp_path, "a.csv", "name,address\nsw1,192.0.2.1\n"))
    p = tmp_path / "big5.csv"
    p.write_bytes("asset_id,name\nA-1,交換器\n".encode("big5"))
    with pytest.raises(InputError) as err:
        load_asset_register(p)
    assert err.value.problems[0].line == 2 and "UTF-8" in err.value.problems[0].message
    with pytest.raises(InputError, match="file not found"):
        load_asset_register(tmp_path / "nope.csv")


def test_exception_register(tmp_path: Path) -> None:
    p = write(tmp_path, "exc.csv", "device,ciso_approval,authority_approval,isolation,isolated,end_of_life\n"
              "dt-cam1,2024-03-01,2024-04-15,isolated camera VLAN 990,yes,2027-12-31\n"
              "dt-nvr1,2024-03-01,,,no,2023/06/30\n")
    rows = load_exception_register(p)
    assert rows[0].isolated and rows[0].end_of_life == date(2027, 12, 31)
    assert rows[1].authority_approval is None and not rows[1].isolated and rows[1].end_of_life == date(2023, 6, 30)
    assert exception_for(rows, {"name": "DT-CAM1"}) is rows[0]


def test_exception_register_errors(tmp_path: Path) -> None:
    p = write(tmp_path, "exc.csv", "device,ciso_approval,isolated,end_of_life\n"
              "x,2024-13-01,yes,2027-01-01\n"
              "y,2024-01-01,perhaps,2027-01-01\n")
    with pytest.raises(InputError) as err:
        load_exception_register(p)
    assert [pr.line for pr in err.value.problems] == [2, 3]


def test_matching_prefers_serial_then_address_then_name(tmp_path: Path) -> None:
    p = write(tmp_path, "a.csv", "asset_id,name,address,serial\n"
              "A-1,sw1,192.0.2.1,S1\nA-2,sw2,192.0.2.2,S2\nA-3,sw3,192.0.2.3,\n")
    reg = load_asset_register(p)
    assert match_asset(reg, name="sw1", address="192.0.2.2", serial="s2").asset_id == "A-2"  # type: ignore[union-attr]
    assert match_asset(reg, name="sw1", address="192.0.2.3", serial=None).asset_id == "A-3"  # type: ignore[union-attr]
    assert match_asset(reg, name="SW1", address=None, serial=None).asset_id == "A-1"  # type: ignore[union-attr]
    assert match_asset(reg, name="sw9", address="192.0.2.9", serial="S9") is None
