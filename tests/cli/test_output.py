"""Console output rules every command relies on: --quiet leaves only errors and requested data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from netcomply.app.cli.output import Out


def test_quiet_silences_human_text_and_tables_but_not_data_or_errors(capsys: pytest.CaptureFixture[str]) -> None:
    out = Out(quiet=True)
    out.say("chatter")
    out.info("progress")
    out.table("failed devices", ["device"], [["core1"]])
    out.data({"run": "r1"})
    out.error("the store is gone")
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"run": "r1"}
    assert "chatter" not in captured.out + captured.err and "core1" not in captured.out + captured.err
    assert "progress" not in captured.err and "the store is gone" in captured.err


def test_tables_are_printed_when_not_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    Out().table("failed devices", ["device"], [["core1"]])
    assert "core1" in capsys.readouterr().out


def test_reading_commands_refuse_a_store_that_is_not_there(tmp_path: Path) -> None:
    """A mistyped --db must not create an empty store and then answer "no such run"."""
    missing = tmp_path / "typo" / "netcomply.db"
    for args in (["report", "--run", "r1"], ["runs", "list"], ["compliance", "judge", "--run", "r1"]):
        done = subprocess.run([sys.executable, "-m", "netcomply.app.cli.main", *args, "--db", str(missing)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, (args, done.stderr)
        assert "no store at" in done.stderr and "Traceback" not in done.stderr
    assert not missing.exists() and not missing.parent.exists()
