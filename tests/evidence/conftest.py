"""A real SQLite store with one judged run, a signing key, and a helper to rewrite packs (tampering)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from netcomply.models import DeviceResult, DeviceStatus, Finding, FindingStatus, Observation, Run, Severity
from netcomply.safety.redact import capture_artifact
from netcomply.store import Store
from reports.evidence import build_pack, generate_key

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def add_device(store: Store, run_id: str, device: str, artifacts: int = 3) -> list[str]:
    """Record one device's result with ``artifacts`` artifacts and one observation citing them all."""
    arts = [
        capture_artifact(device, "cli", f"show item {i}", f"hostname {device}\ninterface Gi0/{i}\n" * 5,
                         collected_at=T0 + timedelta(seconds=i))
        for i in range(artifacts)
    ]
    obs = Observation(device=device, collector="cli", kind="vendor.identity", data={"vendor": "cisco"},
                      source="ssh:show version", collected_at=T0, artifacts=[a.sha256 for a in arts])
    store.record_device_result(run_id, DeviceResult(
        device=device, collector="cli", status=DeviceStatus.OK, started_at=T0, finished_at=T0 + timedelta(seconds=2),
        observations=[obs], artifacts=arts,
    ))
    return [a.sha256 for a in arts]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "store.db") as opened:
        yield opened


@pytest.fixture
def run_id(store: Store) -> str:
    """A run with three devices; findings cite sw1's observation and one of sw2's artifacts, not sw3."""
    run = store.create_run(Run(id="20260301T020000Z-test", started_at=T0, operator="auditor@example.gov.tw",
                               tool_version="0.1.0-test", parameters={"collectors": ["cli"]}))
    add_device(store, run.id, "sw1")
    sw2 = add_device(store, run.id, "sw2")
    add_device(store, run.id, "sw3")
    obs_sw1 = next(o for o in store.observations(run.id) if o.device == "sw1")
    store.replace_findings(run.id, [
        Finding(check_id="vendor.identity", subject="sw1", status=FindingStatus.PASS, severity=Severity.INFO,
                message="vendor known", observations=[obs_sw1.id or 0], controls=["iso27001:2022/A.8.9"]),
        Finding(check_id="ssh.version", subject="sw2", status=FindingStatus.FAIL, severity=Severity.HIGH,
                message="SSHv1 enabled", artifacts=[sw2[0]], controls=["iso27001:2022/A.8.20"]),
    ])
    return run.id


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "signing.pem"
    generate_key(path)
    return path


@pytest.fixture
def pack(store: Store, run_id: str, key: Path, tmp_path: Path) -> Path:
    """The fixture run's pack, signed with ``key``."""
    return build_pack(store, run_id, tmp_path / "pack.zip", key_path=key).path


@pytest.fixture
def pub(key: Path) -> Path:
    """The signing key's public half: the auditor's trusted copy, passed explicitly."""
    return Path(str(key) + ".pub")


@pytest.fixture(autouse=True)
def no_user_trust_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own trust store (~/.config/netcomply/trusted-keys) or environment."""
    monkeypatch.delenv("NETCOMPLY_TRUSTED_KEYS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


def rewrite(src: Path, dst: Path, change: Callable[[dict[str, bytes]], dict[str, bytes]]) -> Path:
    """Copy a pack with its members changed by ``change``: a tamperer who writes a well-formed ZIP."""
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in change(members).items():
            zf.writestr(name, data)
    return dst


def forge(src: Path, dst: Path, attacker_key: Path, change: Callable[[dict[str, bytes]], dict[str, bytes]]) -> Path:
    """What a careful forger does: change members, recompute every hash in the manifest, re-sign it with a key
    of their own and put that key in as ``signer.pub``. The result is self-consistent in every byte."""
    from reports.evidence import layout
    from reports.evidence.keys import load_private_key, public_pem

    key = load_private_key(attacker_key)
    with zipfile.ZipFile(src) as zf:
        members = change({n: zf.read(n) for n in zf.namelist()})
    members[layout.SIGNER] = public_pem(key.public_key())
    manifest = json.loads(members[layout.MANIFEST])
    manifest["files"] = {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in sorted(members.items()) if name not in layout.UNLISTED
    }
    members[layout.MANIFEST] = layout.canonical_json(manifest)
    members[layout.SIGNATURE] = key.sign(members[layout.MANIFEST])
    with zipfile.ZipFile(dst, "w") as zf:
        for name in sorted(members):
            zf.writestr(layout.zip_info(name), members[name])
    return dst


def fail_to_pass(members: dict[str, bytes]) -> dict[str, bytes]:
    """The forgery of the issue: every failed finding now says it passed."""
    findings = json.loads(members["findings.json"])
    assert any(f["status"] == "fail" for f in findings)  # the fixture run has a failure to hide
    for finding in findings:
        finding["status"] = "pass"
    return {**members, "findings.json": json.dumps(findings).encode()}
