"""tools/vendor_miss_traces.py: where a recording names a maker, read from a real LibreNMS recording.

The fixture is the whole huaweiups_ups2000.snmprec (tests/vendor/fixtures/recordings/SOURCES): its sysDescr says
"SNMP Card for HUAWEI UPS2000" and its UPS-MIB upsIdentManufacturer "HUAWEI"; nothing else names Huawei.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from hypothesis import given
from hypothesis import strategies as st

from collectors.vendor.recordings import read_text


def _tool() -> ModuleType:
    """The script loaded by its path: ``tools/`` is a folder of scripts, importable only once a script has put the
    project root on ``sys.path``, which depends on which tests ran before."""
    path = Path(__file__).resolve().parents[2] / "tools" / "vendor_miss_traces.py"
    spec = importlib.util.spec_from_file_location("vendor_miss_traces", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


TOOL = _tool()
UPS2000 = Path(__file__).parent / "fixtures" / "recordings" / "huaweiups_ups2000.snmprec"


def _objects() -> list:
    return read_text(UPS2000.read_text(encoding="utf-8"), str(UPS2000)).objects


def test_names_found_where_the_device_says_them() -> None:
    assert TOOL.traces(_objects(), ["Huawei", "Huawei Technologies"]) == {"sysDescr", "other MIB-2"}


def test_a_maker_the_recording_never_names_is_found_nowhere() -> None:
    assert TOOL.traces(_objects(), ["Eaton", "Powerware"]) == set()


def test_a_name_inside_another_word_is_not_a_trace() -> None:
    """'UPS' is a word of the description but 'UPS2' is no name it holds; names shorter than 3 are not looked for."""
    assert TOOL.traces(_objects(), ["UPS2", "HU"]) == set()


@given(st.lists(st.integers(min_value=0, max_value=4294967295), min_size=1, max_size=12))
def test_an_oid_falls_in_the_most_specific_area_it_lies_under(arcs: list[int]) -> None:
    """sysDescr and sysORTable lie inside the system group, the system group inside MIB-2: the narrower area wins,
    whatever follows the prefix."""
    tail = ".".join(str(a) for a in arcs)
    assert TOOL.area(f"1.3.6.1.2.1.1.1.{tail}") == "sysDescr"
    assert TOOL.area(f"1.3.6.1.2.1.1.9.{tail}") == "sysORTable"
    assert TOOL.area(f"1.3.6.1.2.1.2.{tail}") == "interfaces"
    assert TOOL.area(f"1.3.6.1.4.1.{tail}") == "private"
    assert TOOL.area(f"2.{tail}") == "other"
