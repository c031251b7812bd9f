"""Property: whatever byte of whatever member a tamperer changes, to whatever value, verify names that member."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcomply.store import Store
from reports.evidence import build_pack, verify_pack

from .conftest import rewrite


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_byte_change_is_named(store: Store, run_id: str, key: Path, tmp_path: Path, data: st.DataObject) -> None:
    pack = tmp_path / "pack.zip"
    if not pack.exists():  # built once; the examples only read it
        build_pack(store, run_id, pack, key_path=key)
    with zipfile.ZipFile(pack) as zf:
        names = sorted(zf.namelist())
    target = data.draw(st.sampled_from(names), label="member")

    def change(members: dict[str, bytes]) -> dict[str, bytes]:
        blob = bytearray(members[target])
        pos = data.draw(st.integers(0, len(blob) - 1), label="offset")
        blob[pos] = data.draw(st.integers(0, 255).filter(lambda b: b != blob[pos]), label="new byte")
        return {**members, target: bytes(blob)}

    result = verify_pack(rewrite(pack, tmp_path / "bad.zip", change), public_key=Path(str(key) + ".pub"))
    assert not result.ok and result.verdict == "tampered"
    assert target in result.named, result.lines()
