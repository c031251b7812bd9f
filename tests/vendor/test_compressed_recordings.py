"""Compressed recordings are read as they are published: etingof/snmpsim-data ships ``.snmprec.bz2`` files, and
saved walks are often archived as ``.gz`` or ``.xz``. The codec is told by the file's magic bytes; a truncated or
corrupt archive is an error naming the file (never a partial recording judged as if whole), and the other files are
still identified."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from collectors.vendor import recordings
from netcomply.app.cli.main import app
from netcomply.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
EATON_BZ2 = FIXTURES / "walks" / "snmpsim-data_eaton-93e-80.snmprec.bz2"  # real, as published (walks/SOURCES)
HUAWEI = FIXTURES / "recordings" / "huaweiups_ups2000.snmprec"  # real LibreNMS recording (recordings/SOURCES)
COMPRESS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


def test_a_published_bzip2_recording_is_identified() -> None:
    row = recordings.read(EATON_BZ2)
    assert row["sys_object_id"] == "1.3.6.1.4.1.705.1" and row["sys_descr"] == "EATON 93E 80"
    result = CliRunner().invoke(app, ["identify", str(EATON_BZ2), "--format", "json"])
    assert result.exit_code == 0, result.output
    device = json.loads(result.output)["devices"][0]
    assert (device["brand"], device["prc_brand"]) == ("Eaton", False)


@pytest.mark.parametrize("suffix", sorted(COMPRESS))
def test_each_codec_gives_the_same_facts_as_the_plain_file(tmp_path: Path, suffix: str) -> None:
    packed = tmp_path / f"ups{suffix}"
    packed.write_bytes(COMPRESS[suffix](HUAWEI.read_bytes()))
    plain = recordings.read(HUAWEI)
    assert {k: v for k, v in recordings.read(packed).items() if k not in ("id", "path")} == {
        k: v for k, v in plain.items() if k not in ("id", "path")}


@pytest.mark.parametrize("suffix", sorted(COMPRESS))
def test_a_truncated_archive_is_an_error_and_the_other_files_are_still_identified(tmp_path: Path,
                                                                                   suffix: str) -> None:
    whole = COMPRESS[suffix](HUAWEI.read_bytes())
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match=r"truncated|does not decompress"):
        recordings.read(cut)
    result = CliRunner().invoke(app, ["identify", str(cut), str(HUAWEI), "--format", "json"])
    assert result.exit_code == 2
    assert str(cut) in result.output and "Huawei" in result.output


def test_an_archive_that_unpacks_past_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recordings, "MAX_BYTES", 1000)
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(gzip.compress(b"1.3.6.1.2.1.1.1.0|4|" + b"A" * 100_000 + b"\n"))
    with pytest.raises(InputError, match="more than 1000 bytes"):
        recordings.read(bomb)


@settings(max_examples=50)
@given(st.binary(max_size=200))
def test_garbage_behind_a_magic_number_is_a_clear_error(tail: bytes) -> None:
    import tempfile

    for magic in (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00"):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "x.snmprec"
            path.write_bytes(magic + tail)
            try:
                recordings.read(path)
            except InputError as exc:
                assert str(path) in str(exc)
