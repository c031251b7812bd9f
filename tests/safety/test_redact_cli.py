"""``netcomply redact``: the store's redactor as a command, on real configurations (see redaction_corpus/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CONFIGS = Path(__file__).parent / "redaction_corpus" / "configs"
EXPECTED: dict[str, list[int]] = json.loads((CONFIGS / "expected_changed_lines.json").read_text())


def run(args: list[str], env: dict[str, str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "netcomply.app.cli.main", "redact", *args], input=stdin,
                          capture_output=True, env=env, timeout=120, check=False)


def test_stdout_keeps_every_line_but_the_secret_ones(cli_env: dict[str, str]) -> None:
    src = CONFIGS / "ios_c9200l.txt"
    proc = run([str(src)], cli_env)
    assert proc.returncode == 0, proc.stderr
    before, after = src.read_bytes().splitlines(), proc.stdout.splitlines()
    assert [n for n, (a, b) in enumerate(zip(before, after, strict=True), 1) if a != b] == EXPECTED["ios_c9200l.txt"]
    assert b"SECRET_OXIDIZED" not in proc.stdout and b"AAAAAAAAAABBBBBBBBBB" not in proc.stdout
    assert b"10 masked" in proc.stderr and b"snmp-community 5" in proc.stderr and b"platform ios" in proc.stderr


def test_folder_output_for_several_files_and_json_counts(cli_env: dict[str, str], tmp_path: Path) -> None:
    names = ["junos_srx300.txt", "fortigate_91g.txt", "asa_5512.txt"]
    out = tmp_path / "for-vendor"
    proc = run([str(CONFIGS / n) for n in names] + ["-o", str(out), "--format", "json"], cli_env)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)  # the text went to files, so the summary is on stdout
    by_file = {Path(f["file"]).name: f for f in summary["files"]}
    assert {n: by_file[n]["platform"] for n in names} == {
        "junos_srx300.txt": "junos", "fortigate_91g.txt": "fortios", "asa_5512.txt": "asa"}
    assert by_file["fortigate_91g.txt"]["kinds"]["private-key"] == 3
    assert summary["masked"] == sum(f["masked"] for f in summary["files"]) > 0
    for n in names:
        assert (out / n).exists()
        assert b"AAAAAAAAAABBBBBBBBBBCCCCCCCCCC" not in (out / n).read_bytes()
        assert b"CorrectHorseBattery" not in (out / n).read_bytes()


def test_stdin_quiet_and_explicit_platform(cli_env: dict[str, str]) -> None:
    proc = run(["-", "-q", "-p", "juniper_junos"], cli_env, stdin=b"system {\n    community Xyzzy-Comm {\n}\n")
    assert proc.returncode == 0 and proc.stderr == b""
    assert proc.stdout == b"system {\n    community <secret:snmp-community> {\n}\n"
    # the brace community rule is Junos's: on IOS text it does not apply
    proc = run(["-", "-q", "-p", "ios"], cli_env, stdin=b"community Xyzzy-Comm {\n")
    assert proc.stdout == b"community Xyzzy-Comm {\n"


def test_redacting_a_redacted_file_masks_nothing_more(cli_env: dict[str, str], tmp_path: Path) -> None:
    first = tmp_path / "once.txt"
    assert run([str(CONFIGS / "ios_c9800.txt"), "-o", str(first)], cli_env).returncode == 0
    again = run([str(first), "-f", "json"], cli_env)
    assert again.stdout == first.read_bytes()
    assert json.loads(again.stderr)["masked"] == 0


def test_bytes_that_are_not_utf8_survive_unchanged(cli_env: dict[str, str]) -> None:
    data = b"hostname sw\xe9\xff1\nsnmp-server community Latin1-\xe9 RO\n"
    proc = run(["-", "-q"], cli_env, stdin=data)
    assert proc.stdout == b"hostname sw\xe9\xff1\nsnmp-server community <secret:snmp-community> RO\n"


@pytest.mark.parametrize(("args", "needle"), [
    (["/nonexistent/sw1.cfg", "/nonexistent/sw2.cfg"], b"/nonexistent/sw2.cfg: cannot be read"),
    (["."], b".: is a folder"),
    (["-p", "bogus", "-"], b"unknown platform 'bogus'"),
])
def test_bad_input_is_a_clear_error_with_exit_2(cli_env: dict[str, str], args: list[str], needle: bytes) -> None:
    proc = run(args, cli_env, stdin=b"")
    assert proc.returncode == 2
    assert needle in proc.stderr and b"Traceback" not in proc.stderr


def test_refuses_binary_input_and_overwriting_an_input(cli_env: dict[str, str], tmp_path: Path) -> None:
    blob = tmp_path / "fw.bin"
    blob.write_bytes(b"\x7fELF\0\0\0")
    proc = run([str(blob)], cli_env)
    assert proc.returncode == 2 and b"NUL bytes" in proc.stderr
    cfg = tmp_path / "sw.cfg"
    cfg.write_text("enable secret 5 $1$abcd$efghijklmnop\n")
    proc = run([str(cfg), "-o", str(cfg)], cli_env)
    assert proc.returncode == 2 and b"would overwrite the input" in proc.stderr
    assert cfg.read_text() == "enable secret 5 $1$abcd$efghijklmnop\n"
