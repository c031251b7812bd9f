"""The asset register and the exception register (``--register``/``--exceptions``) under fuzzing: registers as
agencies keep them (English or Traditional Chinese headers, BOM), mutated, give records or an InputError naming
file and line; the records survive the round trip through the run's stored observation."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzkit import FUZZ, mutated, result_or_input_error
from hypothesis import given
from hypothesis import strategies as st

from netcomply.csvread import FIELD_LIMIT
from netcomply.errors import InputError
from netcomply.inventory.registers import (
    load_asset_register,
    load_exception_register,
    register_observation_data,
    registers_from_observation,
)

ASSETS = ("\ufeffasset_id,name,address,brand,model,serial,owner\n"
          "A-001,cg-core1,192.0.2.1,Cisco,C9300-48P,FOC1234X0AB,IT office\n"
          "A-002,,198.51.100.7,Hikvision,DS-2CD2143G2-I,,Security\n"
          'A-003,"ed-ap1, 2F",2001:db8::7,TP-Link,EAP245,2203123456789,"教育局\n資訊室"\n')
ASSETS_ZH = "財產編號,設備名稱,IP位址,廠牌,型號,序號,保管人\nB-9,ed-ap1,192.0.2.25,TP-Link,EAP245,2203123456789,教育局資訊室\n"
EXCEPTIONS = ("device,ciso_approval,authority_approval,isolation,isolated,end_of_life\n"
              "ed-core1,2024-03-01,2024/04/15,dedicated VLAN 999,yes,2025-12-31\n"
              "A-002,2024-05-01,,camera VLAN,否,\n")
EXCEPTIONS_ZH = "設備,資安長核定,主管機關核定,隔離措施,已隔離,汰換期限\ned-core1,2024-03-01,2024-04-15,專屬VLAN,是,2025-12-31\n"


@FUZZ
@given(data=st.data(), text=st.sampled_from([ASSETS, ASSETS_ZH, EXCEPTIONS, EXCEPTIONS_ZH]))
def test_mutated_registers(tmp_path: Path, data: st.DataObject, text: str) -> None:
    path = tmp_path / "register.csv"
    path.write_text(data.draw(mutated(text)), encoding="utf-8")
    is_assets = text in (ASSETS, ASSETS_ZH)

    def load() -> None:
        stored = register_observation_data(path if is_assets else None, None if is_assets else path)
        registers_from_observation(stored)

    result_or_input_error(load, str(path))


@FUZZ
@given(raw=st.binary(max_size=300))
def test_random_bytes(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(raw)
    result_or_input_error(lambda: load_asset_register(path), str(path))
    result_or_input_error(lambda: load_exception_register(path), str(path))


def test_lines_are_physical_lines(tmp_path: Path) -> None:
    """A quoted cell spanning lines no longer shifts the line numbers of the rows after it."""
    path = tmp_path / "assets.csv"
    path.write_text(ASSETS + "A-004,,not-an-ip,,,,\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_asset_register(path)
    assert [(p.line, p.message) for p in info.value.problems] == [(6, "address 'not-an-ip' is not an IP address")]


def test_cell_past_the_limit_is_file_line_error(tmp_path: Path) -> None:
    path = tmp_path / "exceptions.csv"
    path.write_text(EXCEPTIONS + 'x,2024-01-01,,"' + "v" * (FIELD_LIMIT + 1) + '",no,\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_exception_register(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == (str(path), 4) and "limit for one CSV cell" in problem.message
