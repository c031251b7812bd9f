"""The real command line (console script in a subprocess) on hostile files: exit code 2, a ``FILE:LINE:`` message
on stderr, no traceback and no "internal error". These are the three inputs issue 14 named (a 999.1.1.1 address,
a 10 MB-class inventory refused as an alias bomb, a drill CSV cell over 128 KB) and their relatives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from netcomply.csvread import FIELD_LIMIT

NETCOMPLY = str(Path(sys.executable).parent / "netcomply")
BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{c}: &{c} [{','.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)) + "hosts: {}\n"


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NETCOMPLY_DB": str(tmp_path / "none.db"), "NETCOMPLY_DRILL_KEY": "k" * 32}
    env.pop("NETCOMPLY_DEBUG", None)
    return subprocess.run([NETCOMPLY, *args], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)


def _expect_bad_input(result: subprocess.CompletedProcess[str], where: str, words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr[-2000:]
    assert where in result.stderr, result.stderr[-2000:]
    assert words in result.stderr, result.stderr[-2000:]


def test_inventory_with_an_impossible_ipv4_address(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text("hosts:\n  r1: {platform: cisco_ios, address: 999.1.1.1}\n", encoding="utf-8")
    _expect_bad_input(_run(tmp_path, "inventory", "validate", str(path)), f"{path}:2: [hosts.r1.address]",
                      "not a valid IPv4 address")


def test_inventory_alias_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    _expect_bad_input(_run(tmp_path, "inventory", "validate", str(path)), f"{path}:", "alias bomb")
    _expect_bad_input(_run(tmp_path, "inventory", "show", str(path)), f"{path}:", "alias bomb")


def test_inventory_with_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text("hosts:\n  r1: {address: 192.0.2.1}\n  r2: \x00\n", encoding="utf-8")
    _expect_bad_input(_run(tmp_path, "inventory", "validate", str(path)), f"{path}:3:", "control character")


def test_drill_csv_cell_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "drill.csv"
    path.write_text("email,action,time\na@x.tw,sent,\nb@x.tw,sent,\"" + "x" * (FIELD_LIMIT + 1) + "\"\n",
                    encoding="utf-8")
    _expect_bad_input(_run(tmp_path, "drill", "report", str(path), "--out", str(tmp_path / "out")), f"{path}:3:",
                      "limit for one CSV cell")


@pytest.mark.parametrize(("name", "body", "words"), [
    ("deep.json", "[" * 200_000, "JSON"),
    ("shape.json", '{"id": 1, "results": "all of them"}', "expected a list"),
    ("latin1.csv", "email,action\nb\xff@x.tw,sent\n", "not UTF-8"),
])
def test_drill_hostile_exports(tmp_path: Path, name: str, body: str, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(body.encode("latin-1"))
    _expect_bad_input(_run(tmp_path, "drill", "report", str(path), "--out", str(tmp_path / "out")), str(path), words)


def test_soa_decisions_of_the_wrong_shape(tmp_path: Path) -> None:
    path = tmp_path / "soa.yaml"
    path.write_text("agency: x\ncontrols:\n  - A.8.28\n", encoding="utf-8")
    _expect_bad_input(_run(tmp_path, "compliance", "soa", "--run", "X", "--decisions", str(path), "--out",
                           str(tmp_path / "soa")), f"{path}:2: [controls]", "maps control ids")
