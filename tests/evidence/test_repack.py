"""A pack unpacked and zipped again with standard tools is still the same evidence.

The issue: an unchanged pack re-zipped with `zip -r` (which adds folder entries such as `artifacts/`) was
reported TAMPERED. Folder entries, Windows separators and an enclosing folder are accepted now; any extra
*file* is still named.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from reports.evidence import verify_pack


def unpacked(pack: Path, where: Path) -> Path:
    where.mkdir()
    with zipfile.ZipFile(pack) as zf:
        zf.extractall(where)
    return where


def zip_r(folder: Path, out: Path, *, enclosing: bool = False) -> Path:
    """Info-ZIP's `zip -r`, run as a user would: inside the folder, or from its parent (one enclosing folder)."""
    if shutil.which("zip") is None:
        pytest.skip("Info-ZIP zip not installed (Debian: zip)")
    cwd, what = (folder.parent, folder.name) if enclosing else (folder, ".")
    subprocess.run(["zip", "-q", "-r", str(out), what], cwd=cwd, check=True)
    return out


def names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def test_zip_r_repack_is_authentic(pack: Path, pub: Path, tmp_path: Path) -> None:
    repacked = zip_r(unpacked(pack, tmp_path / "pack"), tmp_path / "repacked.zip")
    assert "artifacts/" in names(repacked)  # the folder entry that used to be called tampering
    result = verify_pack(repacked, public_key=pub)
    assert result.ok and result.verdict == "authentic", result.lines()


def test_zip_r_of_the_folder_itself_is_authentic(pack: Path, pub: Path, tmp_path: Path) -> None:
    repacked = zip_r(unpacked(pack, tmp_path / "evidence-2026"), tmp_path / "repacked.zip", enclosing=True)
    assert "evidence-2026/manifest.json" in names(repacked)
    result = verify_pack(repacked, public_key=pub)
    assert result.ok, result.lines()


def test_shutil_make_archive_is_authentic(pack: Path, pub: Path, tmp_path: Path) -> None:
    folder = unpacked(pack, tmp_path / "pack")
    repacked = Path(shutil.make_archive(str(tmp_path / "made"), "zip", root_dir=folder))
    assert "artifacts/" in names(repacked)
    assert verify_pack(repacked, public_key=pub).ok


def test_windows_separators_and_folder_entries_are_authentic(pack: Path, pub: Path, tmp_path: Path) -> None:
    """Backslash separators, as PowerShell 5.1's Compress-Archive (.NET Framework) wrote them, plus folder
    entries as Explorer adds them."""
    repacked = tmp_path / "windows.zip"
    with zipfile.ZipFile(pack) as src, zipfile.ZipFile(repacked, "w", zipfile.ZIP_DEFLATED) as dst:
        dst.writestr("artifacts\\", b"")
        for name in src.namelist():
            dst.writestr(name.replace("/", "\\"), src.read(name))
    assert any("\\" in n and not n.endswith("\\") for n in names(repacked))
    result = verify_pack(repacked, public_key=pub)
    assert result.ok, result.lines()


def test_extra_files_are_still_named_after_a_repack(pack: Path, pub: Path, tmp_path: Path) -> None:
    folder = unpacked(pack, tmp_path / "pack")
    (folder / "notes.txt").write_text("added later\n")
    (folder / "artifacts" / "planted").write_text("not evidence\n")
    (folder / "empty").mkdir()  # a folder of nothing the manifest lists
    repacked = zip_r(folder, tmp_path / "repacked.zip")
    result = verify_pack(repacked, public_key=pub)
    assert result.verdict == "tampered"
    assert result.named == ["artifacts/planted", "empty/", "notes.txt"], result.lines()
    assert {p.kind for p in result.problems} == {"extra"}


def test_a_folder_entry_that_holds_data_is_a_file(pack: Path, pub: Path, tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.zip"
    shutil.copy(pack, sneaky)
    with zipfile.ZipFile(sneaky, "a") as zf:
        zf.writestr("artifacts/", b"hidden in a folder entry")
    result = verify_pack(sneaky, public_key=pub)
    assert result.verdict == "tampered" and result.named == ["artifacts/"]


def test_the_same_member_twice_under_two_spellings_is_refused(pack: Path, pub: Path, tmp_path: Path) -> None:
    doubled = tmp_path / "doubled.zip"
    shutil.copy(pack, doubled)
    with zipfile.ZipFile(doubled, "a") as zf:
        zf.writestr("./run.json", b"{}")
    result = verify_pack(doubled, public_key=pub)
    assert result.verdict == "tampered" and "run.json" in result.named
