"""Issue 14, point 1: the device secrets that leaked into the store, the evidence pack and ``-vv`` logs.

Each line below came through the old redactor in clear text (19 of 23 secret lines of the issue's test).
Every one is now masked with a name saying what it hides, keeps its keyword and type code, and is refused by
the store if it arrives unredacted. Log records are masked where they are made, so every handler (one added
after logging was configured too) sees only masks.
"""

from __future__ import annotations

import io
import logging

import pytest

from netcomply.models import Artifact, utcnow
from netcomply.safety.redact import MASK, MASK_RE, Redactor, capture_artifact, install_log_redaction
from netcomply.store.blobs import check_artifact

#: (line as the device prints it, secret, what must stay, the mask) -- the leaks named in issue 14.
LEAKS = [
    ("radius-server host 192.0.2.10 auth-port 1812 acct-port 1813 key 7 060506324F41584B56",
     "060506324F41584B56", "radius-server host 192.0.2.10 auth-port 1812 acct-port 1813 key 7 ", "radius-key"),
    ("tacacs-server host 192.0.2.11 timeout 5 key Tac-Key-2024", "Tac-Key-2024",
     "tacacs-server host 192.0.2.11 timeout 5 key ",
     "tacacs-key"),
    (" neighbor 192.0.2.12 password 7 02050D480809", "02050D480809", " neighbor 192.0.2.12 password 7 ",
     "bgp-password"),
    (" pre-shared-key address 192.0.2.13 key Psk-Address-1", "Psk-Address-1",
     " pre-shared-key address 192.0.2.13 key ", "ike-psk"),
    (" path scp://backup:Arch1ve-Pw@192.0.2.14/configs/$h-$t", "Arch1ve-Pw", " path scp://backup:", "url-password"),
    (" ppp chap password 0 Chap-Pass-9", "Chap-Pass-9", " ppp chap password 0 ", "ppp-password"),
    ("config radius auth add 1 192.0.2.15 1812 ascii Wlc-Radius-7", "Wlc-Radius-7",
     "config radius auth add 1 192.0.2.15 1812 ascii ", "radius-key"),
    ("ip ftp password Ftp-Pass-3", "Ftp-Pass-3", "ip ftp password ", "ftp-password"),
    (" server-private 192.0.2.16 auth-port 1812 acct-port 1813 key 7 0822455D0A165D", "0822455D0A165D",
     " server-private 192.0.2.16 auth-port 1812 acct-port 1813 key 7 ", "aaa-key"),
]


@pytest.mark.parametrize(("line", "secret", "kept", "kind"), LEAKS, ids=[k for *_, k in LEAKS])
def test_named_leak_is_masked_with_its_name(line: str, secret: str, kept: str, kind: str) -> None:
    out = Redactor().redact(line)
    assert secret not in out
    assert out.startswith(kept)  # keyword and type code stay; "address" is no longer what gets masked
    assert f"<secret:{kind}>" in out
    assert Redactor().redact(out) == out


def test_pre_shared_key_address_keeps_the_address() -> None:
    out = Redactor().redact(" pre-shared-key address 192.0.2.13 key Psk-Address-1")
    assert out == " pre-shared-key address 192.0.2.13 key <secret:ike-psk>"


@pytest.mark.parametrize(("line", "secret"), [(line, secret) for line, secret, *_ in LEAKS])
def test_store_refuses_an_unredacted_artifact_and_takes_the_redacted_one(line: str, secret: str) -> None:
    raw = Artifact("sw1", "running_config", "show running-config", f"!\n{line}\n!\n".encode(), utcnow())
    with pytest.raises(ValueError, match="still contains secrets"):
        check_artifact(raw, Redactor())
    captured = capture_artifact("sw1", "running_config", "show running-config", raw.content, redactor=Redactor())
    check_artifact(captured, Redactor())
    assert secret.encode() not in captured.content


def test_store_keeps_refusing_a_known_secret_outside_any_syntax() -> None:
    r = Redactor()
    r.add_secret("Known-Sn1mp-Comm")
    raw = Artifact("sw1", "snmp", "trap log", b"trap sent with Known-Sn1mp-Comm to 192.0.2.1\n", utcnow())
    with pytest.raises(ValueError, match="still contains secrets"):
        check_artifact(raw, r)
    assert r.known("trap sent with Known-Sn1mp-Comm") and not r.known(r.redact("x Known-Sn1mp-Comm y"))
    assert MASK in r.redact("x Known-Sn1mp-Comm y")  # a registered value keeps the mask the store always used


def test_every_log_handler_sees_masks_even_one_added_later(caplog: pytest.LogCaptureFixture) -> None:
    """-vv debug output: the record is masked where it is made, so a handler without any filter (added after
    ``install_log_redaction``, as a library or a test would) gets masked text, traceback included."""
    install_log_redaction()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # no RedactingFilter on it
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("netcomply.test.leaks")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.debug("device said: %s", LEAKS[0][0])
        try:
            raise RuntimeError(f"parse failed near {LEAKS[1][0]!r}")
        except RuntimeError:
            logger.exception("collector error")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "<secret:radius-key>" in text and "<secret:tacacs-key>" in text
    assert LEAKS[0][1] not in text and LEAKS[1][1] not in text
    assert "Traceback" in text


def test_masks_are_recognised_by_the_pattern_other_code_uses() -> None:
    out = Redactor().redact("\n".join(line for line, *_ in LEAKS))
    assert len(MASK_RE.findall(out)) == len(LEAKS)
