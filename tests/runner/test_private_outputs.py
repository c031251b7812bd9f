"""What the CLI writes is private by default (folders 0700, files 0600) even under the usual umask 022, and
group-readable (0750/0640, never anything for others) with --group-readable or NETCOMPLY_GROUP_READABLE=1.

Real subprocesses of the console entry point: the umask is set where every command starts.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netcomply.models import Run, RunStatus
from netcomply.safety.files import GROUP_ENV
from netcomply.store import Store

RUN = "20261204T013000Z-modes"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store" / "netcomply.db"
    with Store.open(path) as store:
        store.create_run(Run(id=RUN, started_at=datetime(2026, 12, 4, 1, 30, tzinfo=UTC), operator="t",
                             tool_version="t", status=RunStatus.INTERRUPTED))
    return path


def _report(db: Path, out: Path, env: dict[str, str], *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netcomply.app.cli.main", *flags, "report", "--run", RUN, "--db", str(db),
                           "--out", str(out), "--formats", "json,html", "--lang", "en", "--quiet"],
                          capture_output=True, text=True, env=env, timeout=120, umask=0o022)


def _modes(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*")]}


@pytest.fixture
def env() -> dict[str, str]:
    clean = dict(os.environ)
    clean.pop(GROUP_ENV, None)
    clean.pop("NETCOMPLY_DEBUG", None)
    return clean


def test_report_files_and_folders_are_private_by_default(db: Path, tmp_path: Path, env: dict[str, str]) -> None:
    out = tmp_path / "reports" / "2026-12"
    done = _report(db, out, env)
    assert done.returncode == 0, done.stderr
    modes = _modes(out)
    assert {"report.json", "report.en.html"} <= set(modes)
    assert modes == {name: 0o700 if (out / name).is_dir() else 0o600 for name in modes}
    assert stat.S_IMODE((tmp_path / "reports").stat().st_mode) == 0o700  # created by netcomply too


@pytest.mark.parametrize("how", ["flag", "env"])
def test_group_readable_when_asked(db: Path, tmp_path: Path, env: dict[str, str], how: str) -> None:
    out = tmp_path / f"shared-{how}"
    done = _report(db, out, {**env, GROUP_ENV: "1"}) if how == "env" else _report(db, out, env, "--group-readable")
    assert done.returncode == 0, done.stderr
    modes = _modes(out)
    assert modes == {name: 0o750 if (out / name).is_dir() else 0o640 for name in modes}
