"""Console output rules every command relies on: --quiet leaves only errors and requested data."""

from __future__ import annotations

import json

import pytest

from netcomply.cli.output import Out


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
