"""The `evidence` commands through typer: keygen, build, verify and its exit codes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netcomply.app.cli.evidence_cmd import TAMPERED, app
from netcomply.errors import InputError
from netcomply.store import Store

from .conftest import rewrite

runner = CliRunner()


def test_keygen_build_verify(store: Store, run_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = tmp_path / "k.pem"
    assert runner.invoke(app, ["keygen", "--out", str(key)]).exit_code == 0
    again = runner.invoke(app, ["keygen", "--out", str(key)])
    assert isinstance(again.exception, InputError)  # the console script turns this into exit 2

    monkeypatch.setenv("NETCOMPLY_EVIDENCE_KEY", str(key))
    pack = tmp_path / "pack.zip"
    built = runner.invoke(app, ["build", "--run", run_id[:10], "--out", str(pack), "--db", store.url,
                                "--sample", "2", "--seed", "5", "--format", "json"])
    assert built.exit_code == 0, built.output
    info = json.loads(built.stdout)
    assert info["run"] == run_id and len(info["sample"]) == 2

    ok = runner.invoke(app, ["verify", str(pack), "--public-key", str(key) + ".pub"])
    assert ok.exit_code == 0, ok.output
    assert "intact" in ok.stdout and "trusted" in ok.stdout

    with zipfile.ZipFile(pack) as zf:
        victim = next(n for n in zf.namelist() if n.startswith("artifacts/"))
    bad = rewrite(pack, tmp_path / "bad.zip", lambda m: {**m, victim: m[victim] + b"x", "extra.txt": b"x"})
    failed = runner.invoke(app, ["verify", str(bad), "--format", "json"])
    assert failed.exit_code == TAMPERED == 4
    report = json.loads(failed.stdout)
    assert report["ok"] is False and report["key"] == "pack"
    assert {p["member"] for p in report["problems"]} == {victim, "extra.txt"}
    assert victim in failed.stderr and "TAMPERED" in failed.stderr


def test_verify_help_documents_tampered_exit() -> None:
    out = runner.invoke(app, ["verify", "--help"])
    assert "exit 4 (tampered)" in out.stdout
