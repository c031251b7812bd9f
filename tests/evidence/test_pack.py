"""Building and verifying evidence packs, and every way a pack can be tampered with."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from netcomply.errors import InputError
from netcomply.models import Finding, FindingStatus, Severity
from netcomply.safety.redact import MASK, REDACTOR
from netcomply.store import Store
from reports.evidence import build_pack, generate_key, verify_pack

from .conftest import add_device, rewrite

MEMBERS_FIXED = ["findings.json", "manifest.json", "manifest.sig", "run.json", "signer.pub"]


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_pack_holds_cited_artifacts_and_verifies(store: Store, run_id: str, key: Path, pub: Path,
                                                 tmp_path: Path) -> None:
    info = build_pack(store, run_id, tmp_path / "pack.zip", key_path=key)
    members = members_of(info.path)
    # sw1's three artifacts through its observation + one of sw2's cited directly; sw3 is not evidence
    arts = [n for n in members if n.startswith("artifacts/")]
    assert len(arts) == info.artifacts == 4
    for name in arts:
        assert hashlib.sha256(members[name]).hexdigest() == name.split("/")[1]
    assert sorted(set(members) - set(arts)) == MEMBERS_FIXED
    manifest = json.loads(members["manifest.json"])
    assert manifest["previous"] is None
    assert {e["device"] for e in manifest["artifacts"]} == {"sw1", "sw2"}
    entry = manifest["artifacts"][0]
    assert entry["run_id"] == run_id and entry["operator"] == "auditor@example.gov.tw"
    assert entry["tool_version"] == "0.1.0-test" and entry["source"].startswith("show item")
    assert entry["collected_at"].endswith("+00:00")
    assert json.loads(members["run.json"])["id"] == run_id
    assert [f["subject"] for f in json.loads(members["findings.json"])] == ["sw1", "sw2"]
    result = verify_pack(info.path, public_key=pub)
    assert result.ok, result.lines()
    assert result.key == "trusted" and result.run_id == run_id and result.signer == info.signer
    assert result.manifest_sha256 == info.manifest_sha256


def test_unjudged_run_packs_all_artifacts(store: Store, run_id: str, key: Path, pub: Path, tmp_path: Path) -> None:
    store.replace_findings(run_id, [])
    info = build_pack(store, run_id, tmp_path / "pack.zip", key_path=key)
    assert info.artifacts == 9
    assert verify_pack(info.path, public_key=pub).ok


def test_build_is_deterministic(store: Store, run_id: str, key: Path, tmp_path: Path) -> None:
    a = build_pack(store, run_id, tmp_path / "a.zip", key_path=key, sample=2, seed=7)
    b = build_pack(store, run_id, tmp_path / "b.zip", key_path=key, sample=2, seed=7)
    assert members_of(a.path)["manifest.json"] == members_of(b.path)["manifest.json"]
    assert a.path.read_bytes() == b.path.read_bytes()  # Ed25519 signatures are deterministic too


def test_sample_is_seeded(store: Store, run_id: str, key: Path, tmp_path: Path) -> None:
    samples = {
        seed: build_pack(store, run_id, tmp_path / f"{seed}.zip", key_path=key, sample=2, seed=seed).sample
        for seed in range(6)
    }
    again = build_pack(store, run_id, tmp_path / "again.zip", key_path=key, sample=2, seed=3).sample
    assert again == samples[3]
    assert all(len(s) == 2 and all(m.startswith("artifacts/") for m in s) for s in samples.values())
    assert len({tuple(s) for s in samples.values()}) > 1  # the seed matters
    manifest = json.loads(members_of(tmp_path / "3.zip")["manifest.json"])
    assert manifest["sample"] == {"seed": 3, "size": 2, "members": samples[3]}
    big = build_pack(store, run_id, tmp_path / "big.zip", key_path=key, sample=99, seed=1)
    assert len(big.sample) == big.artifacts


def test_refuses_to_overwrite(store: Store, run_id: str, key: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.zip"
    out.write_bytes(b"earlier evidence")
    with pytest.raises(InputError, match="refusing to overwrite"):
        build_pack(store, run_id, out, key_path=key)
    assert out.read_bytes() == b"earlier evidence"


ALL_MEMBERS = "all"


def _member_names(pack_path: Path) -> list[str]:
    with zipfile.ZipFile(pack_path) as zf:
        return sorted(zf.namelist())


@pytest.mark.parametrize("index", range(9))  # 5 fixed members + 4 artifacts (asserted below)
def test_any_changed_byte_is_named(pack: Path, pub: Path, tmp_path: Path, index: int) -> None:
    names = _member_names(pack)
    assert len(names) == 9
    target = names[index]
    for position in (0, -1):  # first and last byte: a change anywhere in the member counts

        def flip(members: dict[str, bytes], pos: int = position) -> dict[str, bytes]:
            data = bytearray(members[target])
            data[pos] ^= 0x01
            return {**members, target: bytes(data)}

        bad = rewrite(pack, tmp_path / f"bad{position}.zip", flip)
        result = verify_pack(bad, public_key=pub)
        assert not result.ok and result.verdict == "tampered"
        assert target in result.named, result.lines()


def test_removed_member_is_named(pack: Path, pub: Path, tmp_path: Path) -> None:
    for target in _member_names(pack):
        bad = rewrite(pack, tmp_path / "bad.zip", lambda m, t=target: {k: v for k, v in m.items() if k != t})
        result = verify_pack(bad, public_key=pub)
        assert result.verdict == "tampered" and target in result.named, (target, result.lines())


def test_added_member_is_named(pack: Path, pub: Path, tmp_path: Path) -> None:
    extra = "artifacts/" + "0" * 64
    bad = rewrite(pack, tmp_path / "bad.zip", lambda m: {**m, extra: b"planted"})
    result = verify_pack(bad, public_key=pub)
    assert result.verdict == "tampered" and result.named == [extra]
    assert result.problems[0].kind == "extra"


def test_duplicate_member_is_refused(pack: Path, pub: Path, tmp_path: Path) -> None:
    bad = tmp_path / "dup.zip"
    bad.write_bytes(pack.read_bytes())
    with pytest.warns(UserWarning), zipfile.ZipFile(bad, "a") as zf:
        zf.writestr("run.json", b"{}")
    result = verify_pack(bad, public_key=pub)
    assert result.verdict == "tampered" and "run.json" in result.named


def test_not_a_zip(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    result = verify_pack(junk)
    assert result.verdict == "tampered" and result.named == ["junk.zip"]


def test_trusted_key(pack: Path, key: Path, tmp_path: Path) -> None:
    good = verify_pack(pack, public_key=Path(str(key) + ".pub"))
    assert good.ok and good.key == "trusted"
    other = tmp_path / "other.pem"
    generate_key(other)
    wrong = verify_pack(pack, public_key=Path(str(other) + ".pub"))
    assert not wrong.ok and wrong.key == "trusted" and not wrong.signature_ok
    assert "manifest.sig" in wrong.named and "signer.pub" in wrong.named


def test_resigned_by_impostor_is_never_ok(store: Store, run_id: str, key: Path, tmp_path: Path) -> None:
    impostor = tmp_path / "impostor.pem"
    generate_key(impostor)
    forged = build_pack(store, run_id, tmp_path / "forged.zip", key_path=impostor).path
    alone = verify_pack(forged)  # self-consistent, and that is all a pack's own key can prove
    assert alone.intact and not alone.ok and alone.authorship == "unverified" and alone.key == "pack"
    against = verify_pack(forged, public_key=Path(str(key) + ".pub"))
    assert not against.ok and against.verdict == "tampered" and against.authorship == "failed"


def test_chain(store: Store, run_id: str, key: Path, pub: Path, tmp_path: Path) -> None:
    first = build_pack(store, run_id, tmp_path / "1.zip", key_path=key)
    add_device(store, run_id, "sw4")
    store.replace_findings(run_id, [])
    second = build_pack(store, run_id, tmp_path / "2.zip", key_path=key, previous_pack=first.path)
    assert second.previous == first.manifest_sha256
    linked = verify_pack(second.path, previous=first.path, public_key=pub)
    assert linked.ok and linked.chain_ok
    other = build_pack(store, run_id, tmp_path / "3.zip", key_path=key)  # a different, unrelated pack
    broken = verify_pack(second.path, previous=other.path, public_key=pub)
    assert not broken.ok and broken.chain_ok is False and broken.named == ["manifest.json"]
    assert not verify_pack(other.path, previous=first.path, public_key=pub).ok  # no link at all


def test_refuses_to_chain_onto_tampered_pack(pack: Path, store: Store, run_id: str, key: Path, tmp_path: Path) -> None:
    bad = rewrite(pack, tmp_path / "bad.zip", lambda m: {**m, "run.json": b"{}"})
    with pytest.raises(InputError, match="previous pack does not verify"):
        build_pack(store, run_id, tmp_path / "next.zip", key_path=key, previous_pack=bad)
    assert not (tmp_path / "next.zip").exists()


@pytest.mark.parametrize("where", ["finding", "run"])
def test_secret_in_findings_or_run_is_masked_in_the_pack(
    store: Store, run_id: str, key: Path, pub: Path, tmp_path: Path, where: str
) -> None:
    secret = f"Sup3r-Secret-{where}-9731"
    if where == "finding":
        store.replace_findings(run_id, [Finding(
            check_id="x", subject="sw1", status=FindingStatus.FAIL, severity=Severity.LOW,
            message="m", details={"leaked": secret},
        )])
    else:
        run = store.get_run(run_id)
        from netcomply.models import Run  # a second run whose parameters hold the secret
        store.create_run(Run(id=run.id + "-2", started_at=run.started_at, operator="op", tool_version="v",
                             parameters={"community": secret}))
        run_id = run.id + "-2"
    REDACTOR.add_secret(secret)
    out = tmp_path / "pack.zip"
    build_pack(store, run_id, out, key_path=key)
    with zipfile.ZipFile(out) as zf:
        member = zf.read("findings.json" if where == "finding" else "run.json").decode()
        assert all(secret not in zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    assert MASK in member  # masked where it was, the rest kept
    assert verify_pack(out, public_key=pub).ok


def test_keygen(tmp_path: Path) -> None:
    key = tmp_path / "k.pem"
    pub = generate_key(key)
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert b"PUBLIC KEY" in pub.read_bytes() and b"PRIVATE KEY" in key.read_bytes()
    before = key.read_bytes()
    with pytest.raises(InputError, match="refusing to overwrite"):
        generate_key(key)
    assert key.read_bytes() == before


def test_key_from_environment(
    store: Store, run_id: str, key: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NETCOMPLY_EVIDENCE_KEY", raising=False)
    with pytest.raises(InputError, match="NETCOMPLY_EVIDENCE_KEY"):
        build_pack(store, run_id, tmp_path / "p.zip", key_path=None)
    monkeypatch.setenv("NETCOMPLY_EVIDENCE_KEY", str(key))
    assert verify_pack(build_pack(store, run_id, tmp_path / "p.zip", key_path=None).path,
                       public_key=Path(str(key) + ".pub")).ok


def test_bad_key_file(store: Store, run_id: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("hello")
    with pytest.raises(InputError, match="PEM private key"):
        build_pack(store, run_id, tmp_path / "p.zip", key_path=bad)


def test_an_artifact_that_shows_a_secret_learned_later_stops_the_pack(store: Store, run_id: str, key: Path,
                                                                       tmp_path: Path) -> None:
    """Stored evidence is never rewritten (its SHA-256 is the proof), so it cannot be masked in the pack: the
    pack is refused, naming the member, never the secret."""
    secret = "Later-Learnt-" + os.urandom(4).hex()
    [sha] = add_device(store, run_id, f"sw-{secret}", artifacts=1)  # the device name is in the artifact text
    store.replace_findings(run_id, [Finding(check_id="x", subject="sw9", status=FindingStatus.FAIL,
                                            severity=Severity.LOW, message="m", artifacts=[sha])])
    REDACTOR.add_secret(secret)
    out = tmp_path / "pack.zip"
    with pytest.raises(InputError, match="secret found in") as caught:
        build_pack(store, run_id, out, key_path=key)
    assert sha in str(caught.value) and secret not in str(caught.value)
    assert not out.exists()
