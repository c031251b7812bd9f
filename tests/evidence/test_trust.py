"""Verify never calls a pack authentic against a key the pack brought itself.

The issue's forgery: findings changed from fail to pass, every hash recomputed, re-signed with a fresh key whose
public half replaces signer.pub. Old verify said `intact ... (integrity only)`, exit 0, JSON "ok": true.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from netcomply.app.cli.evidence_cmd import TAMPERED, UNVERIFIED, app
from netcomply.app.cli.exitcodes import BAD_INPUT
from netcomply.errors import InputError
from netcomply.store import Store
from reports.evidence import build_pack, fingerprint, generate_key, load_any_public_key, store_trust, verify_pack
from reports.evidence.keys import openssh_line

from .conftest import fail_to_pass, forge

runner = CliRunner()


def fp_of(path: Path) -> str:
    return fingerprint(load_any_public_key(path))


@pytest.fixture
def attacker(tmp_path: Path) -> Path:
    path = tmp_path / "attacker" / "fresh.pem"
    generate_key(path)
    return path


@pytest.fixture
def forged(pack: Path, attacker: Path, tmp_path: Path) -> Path:
    return forge(pack, tmp_path / "forged.zip", attacker, fail_to_pass)


def verify_json(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    done = runner.invoke(app, ["verify", *args, "--format", "json"], env=env)
    assert done.exception is None or isinstance(done.exception, SystemExit), done.output
    return done.exit_code, json.loads(done.stdout)


def test_forged_resigned_pack_without_trusted_key_is_not_ok(forged: Path, attacker: Path) -> None:
    code, report = verify_json(str(forged))
    assert code == UNVERIFIED == 5
    assert report["ok"] is False and report["authorship"] == "unverified" and report["verdict"] == "unverified"
    assert report["intact"] is True  # every hash matches: only the signer gives it away
    assert report["signer_fingerprint"] == fp_of(attacker)
    human = runner.invoke(app, ["verify", str(forged)])
    assert human.exit_code == UNVERIFIED
    assert "UNVERIFIED" in human.stderr and fp_of(attacker) in human.stderr
    assert "intact:" not in human.stdout and human.stdout == ""


def test_forged_pack_against_the_agency_key_is_tampered(forged: Path, pub: Path, key: Path, attacker: Path) -> None:
    code, report = verify_json(str(forged), "--public-key", str(pub))
    assert code == TAMPERED
    assert report["ok"] is False and report["authorship"] == "failed"
    assert {"manifest.sig", "signer.pub"} <= {p["member"] for p in report["problems"]}
    code, report = verify_json(str(forged), "--fingerprint", fp_of(key))
    assert code == TAMPERED and report["ok"] is False and report["signer_fingerprint"] == fp_of(attacker)


def test_wrong_key_is_tampered_right_key_is_authentic(pack: Path, pub: Path, key: Path, attacker: Path) -> None:
    code, report = verify_json(str(pack), "--public-key", str(attacker) + ".pub")
    assert code == TAMPERED and report["ok"] is False and report["authorship"] == "failed"
    code, report = verify_json(str(pack), "--public-key", str(pub))
    assert code == 0 and report["ok"] is True and report["verdict"] == "authentic"
    assert report["signer_fingerprint"] == fp_of(key) and report["trusted_by"] == f"--public-key {pub}"
    several = runner.invoke(app, ["verify", str(pack), "--public-key", str(attacker) + ".pub", "--public-key", str(pub)])
    assert several.exit_code == 0 and "authentic and intact" in several.stdout and fp_of(key) in several.stdout


def test_fingerprint_pinning(pack: Path, key: Path, attacker: Path) -> None:
    code, report = verify_json(str(pack), "--fingerprint", fp_of(key))
    assert code == 0 and report["ok"] is True and report["trusted_by"] == f"--fingerprint {fp_of(key)}"
    code, report = verify_json(str(pack), "--fingerprint", fp_of(attacker))
    assert code == TAMPERED and report["ok"] is False
    assert [p["member"] for p in report["problems"]] == ["manifest.sig", "signer.pub"]


def test_malformed_pin_is_bad_input(pack: Path) -> None:
    done = runner.invoke(app, ["verify", str(pack), "--fingerprint", "SHA256:tooshort"])
    assert isinstance(done.exception, InputError) and "--fingerprint" in str(done.exception)


def test_fingerprint_command_matches_ssh_keygen(key: Path, pub: Path, tmp_path: Path) -> None:
    """The fingerprint is OpenSSH's, so an agency can cross-check it with a tool it already has."""
    done = runner.invoke(app, ["fingerprint", str(pub), str(key), "--format", "json"])
    assert done.exit_code == 0, done.output
    rows = json.loads(done.stdout)
    assert rows[0]["fingerprint"] == rows[1]["fingerprint"]  # the private key file gives its public half's
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen not installed (Debian: openssh-client)")
    line = tmp_path / "key.ssh"
    line.write_text(openssh_line(load_any_public_key(pub)) + " agency\n")
    listed = subprocess.run(["ssh-keygen", "-l", "-f", str(line)], capture_output=True, text=True, check=True)
    assert listed.stdout.split()[1] == rows[0]["fingerprint"]


def test_build_and_keygen_print_the_fingerprint(store: Store, run_id: str, tmp_path: Path) -> None:
    key = tmp_path / "k.pem"
    made = runner.invoke(app, ["keygen", "--out", str(key)])
    assert fp_of(key) in made.stdout
    built = runner.invoke(app, ["build", "--run", run_id, "--out", str(tmp_path / "p.zip"), "--key", str(key),
                                "--db", store.url, "--format", "json"])
    assert json.loads(built.stdout)["signer_fingerprint"] == fp_of(key)


def _store_file(path: Path, *entries: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# trusted evidence signers\n\n" + "\n".join(entries) + "\n")
    return path


def test_trust_store_file_named_by_environment(forged: Path, pack: Path, pub: Path, key: Path,
                                               tmp_path: Path) -> None:
    keys = _store_file(tmp_path / "trusted.keys", "# Taipei City Government, received 2026-03-01",
                       pub.read_text().strip())
    env = {"NETCOMPLY_TRUSTED_KEYS": str(keys)}
    code, report = verify_json(str(pack), env=env)
    assert code == 0 and report["ok"] is True and report["trusted_by"] == f"{keys}:4"  # where the PEM block starts
    code, report = verify_json(str(forged), env=env)  # its signer is not in the store
    assert code == UNVERIFIED and report["ok"] is False and report["authorship"] == "unverified"
    assert str(keys) in str(report["notes"])


def test_default_trust_store_folder(pack: Path, pub: Path, key: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-user folder: one file per agency, any of the three forms."""
    folder = tmp_path / "xdg-config" / "netcomply" / "trusted-keys"  # XDG_CONFIG_HOME is set by conftest
    other = tmp_path / "other.pem"
    generate_key(other)
    _store_file(folder / "other-agency.pub", Path(str(other) + ".pub").read_text().strip())
    code, _ = verify_json(str(pack))
    assert code == UNVERIFIED
    _store_file(folder / "taipei.keys", openssh_line(load_any_public_key(pub)) + " taipei-city")
    code, report = verify_json(str(pack))
    assert code == 0 and report["trusted_by"] == f"{folder / 'taipei.keys'}:3"
    (folder / "taipei.keys").unlink()
    _store_file(folder / "pins", f"{fp_of(key)}  Taipei City Government")
    code, report = verify_json(str(pack))
    assert code == 0 and report["ok"] is True


def test_explicit_key_replaces_the_store(pack: Path, pub: Path, attacker: Path, tmp_path: Path) -> None:
    keys = _store_file(tmp_path / "trusted.keys", pub.read_text().strip())
    code, _ = verify_json(str(pack), "--public-key", str(attacker) + ".pub", "--trust-store", str(keys))
    assert code == TAMPERED


def test_bad_trust_stores_are_bad_input(pack: Path, tmp_path: Path) -> None:
    bad = _store_file(tmp_path / "bad.keys", "ssh-ed25519 AAAAnotakey")
    with pytest.raises(InputError, match=rf"{bad}:3"):
        store_trust(bad)
    with pytest.raises(InputError, match="does not exist"):
        store_trust(tmp_path / "missing")
    open_store = _store_file(tmp_path / "open.keys", "")
    os.chmod(open_store, 0o666)
    with pytest.raises(InputError, match="writable by every user"):
        store_trust(open_store)


def test_console_exit_codes(forged: Path, pack: Path, pub: Path, key: Path, attacker: Path, cli_env: dict[str, str],
                            tmp_path: Path) -> None:
    """Through the real console script, as cron or a CI job sees it."""
    env = {**cli_env, "XDG_CONFIG_HOME": str(tmp_path / "none")}
    env.pop("NETCOMPLY_TRUSTED_KEYS", None)
    netcomply = [sys.executable, "-m", "netcomply.app.cli.main"]

    def code(*args: str, **extra: str) -> int:
        done = subprocess.run([*netcomply, "evidence", "verify", *args], env={**env, **extra},
                              capture_output=True, text=True, check=False, timeout=60)
        said = done.stdout + done.stderr
        assert "<secret:" not in said and "<redacted>" not in said, said  # the redactor finds nothing to hide
        assert "Traceback" not in said
        if done.returncode != BAD_INPUT:
            assert fp_of(attacker if "forged" in args[0] else key) in said  # the signer is always shown
        return done.returncode

    assert code(str(forged)) == UNVERIFIED
    assert code(str(forged), "--public-key", str(pub)) == TAMPERED
    assert code(str(pack), "--public-key", str(pub)) == 0
    assert code(str(pack), NETCOMPLY_TRUSTED_KEYS=str(tmp_path / "missing")) == BAD_INPUT


def test_chaining_onto_a_forged_pack_is_refused(forged: Path, store: Store, run_id: str, key: Path,
                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="previous pack does not verify"):
        build_pack(store, run_id, tmp_path / "next.zip", key_path=key, previous_pack=forged)
    rotated = tmp_path / "new.pem"  # a new key chains onto the old key's pack once the old key is trusted
    generate_key(rotated)
    old = build_pack(store, run_id, tmp_path / "old.zip", key_path=key)
    with pytest.raises(InputError, match="not by the trusted signer"):
        build_pack(store, run_id, tmp_path / "n1.zip", key_path=rotated, previous_pack=old.path)
    monkeypatch.setenv("NETCOMPLY_TRUSTED_KEYS", str(_store_file(tmp_path / "t.keys", f"{fp_of(key)} old key")))
    assert build_pack(store, run_id, tmp_path / "n2.zip", key_path=rotated, previous_pack=old.path).previous


@pytest.fixture
def key_pool(tmp_path: Path) -> list[Path]:
    """Five signing keys made once per test (making keys inside each example would be slow)."""
    paths = [tmp_path / "pool" / f"k{n}.pem" for n in range(5)]
    for path in paths:
        generate_key(path)
    return paths


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_keys_file_property(key_pool: list[Path], tmp_path: Path, data: st.DataObject) -> None:
    """Any mix of PEM blocks, ssh-ed25519 lines and pins, between comments and blank lines, yields exactly the
    fingerprints written, each traced to the line it starts on."""
    lines: list[str] = []
    expected: list[tuple[str, int]] = []
    for path in data.draw(st.lists(st.sampled_from(key_pool), min_size=1, max_size=6), label="keys"):
        pub_key = load_any_public_key(path)
        lines += data.draw(st.lists(st.sampled_from(["", "   ", "# comment", "#", "\t# agency"]), max_size=2))
        form = data.draw(st.sampled_from(["pem", "ssh", "pin"]), label="form")
        expected.append((fingerprint(pub_key), len(lines) + 1))
        if form == "pem":
            lines += Path(str(path) + ".pub").read_text().strip().splitlines()
        elif form == "ssh":
            lines.append(openssh_line(pub_key) + data.draw(st.sampled_from(["", " comment", " two words"])))
        else:
            lines.append(fingerprint(pub_key) + data.draw(st.sampled_from(["", "  Taipei", "\tEast District"])))
    keys = Path(tempfile.mkdtemp(dir=tmp_path)) / "store.keys"
    keys.write_text("\n".join(lines) + "\n")
    trust = store_trust(keys)
    assert [(s.fingerprint, int(s.source.rsplit(":", 1)[1])) for s in trust.signers] == expected


def test_demo_verifies_its_pack_with_the_key_it_generated(store: Store, run_id: str, tmp_path: Path) -> None:
    """`netcomply demo` passes its own public key explicitly (no trust store exists here), so its pack is
    authentic; checked against another public key, the same step says it did not verify."""
    from netcomply.app.pipelines.report import demo_evidence_pack

    out = tmp_path / "demo"
    out.mkdir()
    pack, verified = demo_evidence_pack(store, run_id, out)
    assert verified is True
    assert verify_pack(pack.path).verdict == "unverified"  # the same pack, without the key the demo passed
    generate_key(tmp_path / "other.pem")
    shutil.copy(tmp_path / "other.pem.pub", out / "evidence.key.pub")  # the demo's trusted copy, swapped
    _, verified = demo_evidence_pack(store, run_id, out)
    assert verified is False
