"""Properties: whatever byte of whatever member a tamperer changes, to whatever value, verify names that member;
whatever bytes of the ZIP file are damaged, verify answers (never raises) and never calls changed content ok."""

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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_zip_bytes_never_crash_verify(pack: Path, pub: Path, tmp_path: Path, data: st.DataObject) -> None:
    """The ZIP itself is hostile input: bytes changed anywhere (headers, central directory, data) or cut off.
    Verify answers instead of raising, and when it still says ok, the content really is the signed content."""
    raw = bytearray(pack.read_bytes())
    for _ in range(data.draw(st.integers(1, 4), label="changes")):
        pos = data.draw(st.integers(0, len(raw) - 1), label="offset")
        raw[pos] = data.draw(st.integers(0, 255), label="byte")
    if data.draw(st.booleans(), label="truncate"):
        raw = raw[: data.draw(st.integers(0, len(raw)), label="length")]
    bad = tmp_path / "damaged.zip"
    bad.write_bytes(bytes(raw))
    result = verify_pack(bad, public_key=pub)
    assert result.ok == (result.verdict == "authentic")
    if result.ok:
        with zipfile.ZipFile(pack) as good_zip, zipfile.ZipFile(bad) as bad_zip:
            assert {n: bad_zip.read(n) for n in bad_zip.namelist()} == {n: good_zip.read(n) for n in good_zip.namelist()}
