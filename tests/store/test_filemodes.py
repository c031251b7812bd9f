"""A SQLite store is private: 0600 files (database, -wal, -shm), 0700 folders netcomply creates; a store left
world-readable is tightened on open with a warning; --group-readable / NETCOMPLY_GROUP_READABLE gives 0640/0750.

Every test runs under umask 022, the usual login default, under which SQLite alone writes 0644 files.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from netcomply.models import Run, utcnow
from netcomply.safety.files import GROUP_ENV
from netcomply.store import Store, new_run_id


@pytest.fixture(autouse=True)
def usual_umask(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(GROUP_ENV, raising=False)
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def write_one_run(db: Path) -> None:
    with Store.open(db) as store:
        store.create_run(Run(id=new_run_id(), started_at=utcnow(), operator="t", tool_version="t"))
        assert Path(str(db) + "-wal").exists()  # WAL mode: the side files exist while the store is open
        assert mode(Path(str(db) + "-wal")) == 0o600
        assert mode(Path(str(db) + "-shm")) == 0o600


def test_new_store_and_the_folders_it_creates_are_private(tmp_path: Path) -> None:
    base = tmp_path / "shared"
    base.mkdir(mode=0o755)
    db = base / "audits" / "city" / "netcomply.db"
    write_one_run(db)
    assert mode(db) == 0o600
    assert mode(db.parent) == 0o700 and mode(db.parent.parent) == 0o700
    assert mode(base) == 0o755  # a folder that was already there is the user's: left alone


def test_default_store_folder_is_private_and_tightened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("NETCOMPLY_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with Store.open(None) as store:
        assert store.url.endswith(str(tmp_path / "data" / "netcomply" / "netcomply.db"))
    folder = tmp_path / "data" / "netcomply"
    assert mode(folder) == 0o700 and mode(folder / "netcomply.db") == 0o600

    folder.chmod(0o755)  # as an older netcomply (or a careless mkdir) left it
    with caplog.at_level(logging.WARNING, logger="netcomply.store"), Store.open(None):
        pass
    assert mode(folder) == 0o700
    assert any(f"tightened {folder} from 0755 to 0700" in r.getMessage() for r in caplog.records)


def test_existing_world_readable_store_is_tightened_on_open(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "old.db"
    write_one_run(db)
    for path in (db, Path(str(db) + "-wal"), Path(str(db) + "-shm")):
        if path.exists():
            path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="netcomply.store"), Store.open(db) as store:
        assert len(store.list_runs()) == 1
        assert mode(db) == 0o600
        assert mode(Path(str(db) + "-wal")) == 0o600 and mode(Path(str(db) + "-shm")) == 0o600
    said = [r.getMessage() for r in caplog.records]
    assert any(f"tightened {db} from 0644 to 0600" in m for m in said), said


def test_group_readable_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(GROUP_ENV, "1")
    db = tmp_path / "team" / "netcomply.db"
    with Store.open(db):
        pass
    assert mode(db) == 0o640 and mode(db.parent) == 0o750
    db.chmod(0o666)
    with Store.open(db):
        pass
    assert mode(db) == 0o640  # group and others never get write, others never read


def test_a_store_that_cannot_be_tightened_is_still_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "foreign.db"
    write_one_run(db)
    db.chmod(0o644)

    def refuse(path: object, _mode: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr("netcomply.safety.files.os.chmod", refuse)
    with caplog.at_level(logging.WARNING, logger="netcomply.store"), Store.open(db) as store:
        assert len(store.list_runs()) == 1
    assert any("could not be tightened: Operation not permitted" in r.getMessage() for r in caplog.records)
