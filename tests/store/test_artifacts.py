"""Artifacts: content deduplicated and compressed, hashes verified, unredacted content refused."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest
from sqlalchemy import text

from netcomply.errors import InputError
from netcomply.models import Artifact, DeviceResult, Run, utcnow
from netcomply.safety.redact import REDACTOR, capture_artifact
from netcomply.store import Store
from netcomply.store.engine import make_engine
from netcomply.store.location import resolve_url

SHOW_VERSION = "Cisco IOS Software, C2960X Software, Version 15.2(7)E4\nuptime is 3 weeks\n" * 40


def test_same_content_is_stored_once(store: Store, make_run: Callable[..., Run],
                                     make_result: Callable[..., DeviceResult],
                                     count_rows: Callable[[str], int]) -> None:
    first, second = make_run(), make_run()
    # the same output captured from two devices in two runs, plus twice within one result
    results = [make_result("sw1", text=SHOW_VERSION), make_result("sw2", text=SHOW_VERSION)]
    results[0].artifacts.append(capture_artifact("sw1", "cli", "show version again", SHOW_VERSION))
    store.record_device_result(first.id, results[0])
    store.record_device_result(second.id, results[1])
    shas = {a.sha256 for r in results for a in r.artifacts}
    assert len(shas) == 1
    assert count_rows("blobs") == 1
    assert count_rows("artifacts") == 3  # one record per capture
    assert len(store.artifact_records(first.id)) == 2
    assert len(store.artifact_records(second.id)) == 1
    assert store.artifact_content(shas.pop()) == SHOW_VERSION.encode()


def test_identical_captures_within_a_result_are_recorded_once(
    store: Store, make_run: Callable[..., Run], make_result: Callable[..., DeviceResult]
) -> None:
    run = make_run()
    result = make_result(artifacts=1)
    result.artifacts.append(result.artifacts[0])
    store.record_device_result(run.id, result)
    assert len(store.artifact_records(run.id)) == 1


def test_content_is_compressed_when_it_helps(store: Store, store_url: str, make_run: Callable[..., Run],
                                             make_result: Callable[..., DeviceResult]) -> None:
    run = make_run()
    noise = secrets.token_urlsafe(12)  # 16 random characters: zlib output would be longer
    result = make_result(text=SHOW_VERSION)
    result.artifacts.append(capture_artifact("sw1", "cli", "noise", noise))
    store.record_device_result(run.id, result)
    engine = make_engine(resolve_url(store_url))
    try:
        with engine.connect() as conn:
            rows = {r.sha256: (r.size, r.encoding, len(r.content))
                    for r in conn.execute(text("SELECT sha256, size, encoding, content FROM blobs"))}
    finally:
        engine.dispose()
    big, small = result.artifacts[0], result.artifacts[1]
    assert rows[big.sha256][0] == len(SHOW_VERSION)
    assert rows[big.sha256][1] == "zlib" and rows[big.sha256][2] < len(SHOW_VERSION) // 5
    assert rows[small.sha256][1] == "identity" and rows[small.sha256][2] == len(noise)
    assert store.artifact_content(small.sha256) == noise.encode()


def test_unredacted_content_is_refused(store: Store, make_run: Callable[..., Run],
                                       make_result: Callable[..., DeviceResult],
                                       count_rows: Callable[[str], int]) -> None:
    secret = "Sw1tch-" + secrets.token_hex(8)
    REDACTOR.add_secret(secret)
    run = make_run()
    result = make_result("sw9")
    # bypasses capture_artifact, as a buggy collector would
    leaked = Artifact("sw9", "cli", "show snmp", f"snmp trap config to 10.0.0.1 using {secret}\n".encode(),
                      utcnow())
    result.artifacts.append(leaked)
    with pytest.raises(ValueError, match="still contains secrets") as caught:
        store.record_device_result(run.id, result)
    assert secret not in str(caught.value)
    assert store.device_results(run.id) == []
    assert count_rows("blobs") == 0 and count_rows("observations") == 0
    assert all(o.id is None for o in result.observations)

    # the same output through capture_artifact is masked and accepted
    result.artifacts[-1] = capture_artifact("sw9", "cli", "show snmp", leaked.content)
    store.record_device_result(run.id, result)
    stored = store.artifact_content(result.artifacts[-1].sha256)
    assert secret.encode() not in stored and b"<redacted>" in stored


def test_secret_syntax_is_refused_even_when_unknown(store: Store, make_run: Callable[..., Run],
                                                    make_result: Callable[..., DeviceResult]) -> None:
    run = make_run()
    result = make_result()
    result.artifacts = [Artifact("sw1", "cli", "show run", b"enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0\n",
                                 utcnow())]
    with pytest.raises(ValueError, match="still contains secrets"):
        store.record_device_result(run.id, result)
    assert store.device_results(run.id) == []


def test_hash_mismatch_is_refused(store: Store, make_run: Callable[..., Run],
                                  make_result: Callable[..., DeviceResult]) -> None:
    run = make_run()
    result = make_result()
    result.artifacts[0].content = b"tampered after hashing"
    with pytest.raises(ValueError, match="does not match"):
        store.record_device_result(run.id, result)
    assert store.device_results(run.id) == []


def test_damaged_blob_is_detected_on_read(store: Store, store_url: str, make_run: Callable[..., Run],
                                          make_result: Callable[..., DeviceResult]) -> None:
    run = make_run()
    result = make_result(text="short")
    store.record_device_result(run.id, result)
    sha = result.artifacts[0].sha256
    engine = make_engine(resolve_url(store_url))
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE blobs SET content = :c, encoding = 'identity' WHERE sha256 = :s"),
                         {"c": b"shorT", "s": sha})
    finally:
        engine.dispose()
    with pytest.raises(ValueError, match="does not match its sha256"):
        store.artifact_content(sha)


def test_unknown_sha_is_an_input_error(store: Store) -> None:
    with pytest.raises(InputError, match="no artifact"):
        store.artifact_content("0" * 64)
