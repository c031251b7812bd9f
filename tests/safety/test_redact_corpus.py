"""The redactor over real secret-bearing lines of several vendors' public test data (sources in
tests/safety/redaction_corpus/SOURCES), documented syntax of the platforms those lack, whole real
configurations (only the secret lines may change, byte for byte), and generated lines (hypothesis)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from netcomply.safety.redact import MASK_RE, Redactor

CORPUS = Path(__file__).parent / "redaction_corpus"


def _load(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (CORPUS / name).read_text().splitlines() if line.strip()]


REAL = _load("corpus.jsonl")
DOCUMENTED = _load("documented.jsonl")
EXPECTED_CHANGES: dict[str, list[int]] = json.loads((CORPUS / "configs" / "expected_changed_lines.json").read_text())


def _survivors(out: str, secrets: list[str]) -> list[str]:
    """Secrets still readable in ``out`` (text of the masks themselves aside: a secret "secret" is no leak in
    "<secret:snmp-community>")."""
    visible = MASK_RE.sub("\0", out)
    return [s for s in secrets if s in visible]


def test_corpus_is_large_real_and_from_several_vendors() -> None:
    repos = Counter(r["source"].split("@")[0] for r in REAL)
    platforms = Counter(r["platform"] for r in REAL)
    assert len(REAL) >= 150
    assert set(repos) == {"intentionet/netconan", "ytti/oxidized", "batfish/batfish"}
    assert {"ios", "junos", "fortios", "asa", "nxos", "arista", "panos"} <= set(platforms)
    assert all("@" in r["source"] and ":" in r["source"].split("@")[1] for r in REAL)  # repo@commit:path:line
    assert {"vrp", "comware", "aireos", "rgos", "panos", "linux"} <= {r["platform"] for r in DOCUMENTED}


@pytest.mark.parametrize("rec", REAL + DOCUMENTED, ids=lambda r: r["line"][:60])
def test_every_corpus_line_loses_its_secret(rec: dict[str, Any]) -> None:
    r = Redactor()
    out = r.redact(rec["line"])
    assert not _survivors(out, rec["secrets"]), out
    assert MASK_RE.search(out)
    assert r.redact(out) == out  # idempotent
    # The words before the secret stay: an auditor still sees *that* a secret is set, and which.
    line = rec["line"]
    head = line[: min(line.index(s) for s in rec["secrets"] if s in line)]
    if head and not head[-1].isspace():
        head = head[: len(head) - len(head.split()[-1])] if head.split() else ""
    assert out.startswith(head)


@pytest.mark.parametrize("name", sorted(EXPECTED_CHANGES))
def test_real_configurations_change_only_their_secret_lines(name: str) -> None:
    text = (CORPUS / "configs" / name).read_text()
    out = Redactor().redact(text)
    before, after = text.splitlines(keepends=True), out.splitlines(keepends=True)
    assert len(before) == len(after)
    changed = [n for n, (a, b) in enumerate(zip(before, after, strict=True), 1) if a != b]
    assert changed == EXPECTED_CHANGES[name]
    assert Redactor().redact(out) == out


def test_the_configurations_hold_many_lines_without_secrets() -> None:
    """The byte-for-byte test above means something: most lines of those configurations carry no secret."""
    total = sum(len((CORPUS / "configs" / n).read_text().splitlines()) for n in EXPECTED_CHANGES)
    changed = sum(len(v) for v in EXPECTED_CHANGES.values())
    assert total > 2000 and changed < total / 20


# --- generated lines: every platform's syntax with arbitrary secret values
_SECRET = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="\"'<>;,{}[]"),
    min_size=6, max_size=40,
).filter(lambda s: not s[:2].isdigit() and s.strip("*") != "" and not s.lower().startswith(("enc", "cipher")))

TEMPLATES = [
    "enable secret 9 {s}", "username admin privilege 15 password 7 {s}", "snmp-server community {s} RO 10",
    "snmp-server host 192.0.2.1 version 2c {s}", "radius-server host 192.0.2.2 auth-port 1812 key 7 {s}",
    "tacacs-server host 192.0.2.3 key {s}", " neighbor 192.0.2.4 password 7 {s}",
    " pre-shared-key address 192.0.2.5 key {s}", " path scp://backup:{s}@192.0.2.6/cfg/", " ppp chap password 0 {s}",
    "config radius auth add 1 192.0.2.7 1812 ascii {s}", "ip ftp password {s}", " server-private 192.0.2.8 key 7 {s}",
    "crypto isakmp key {s} address 192.0.2.9", " key-string 7 {s}", "ntp authentication-key 1 md5 {s} 7",
    "snmp-server user nms grp v3 auth sha {s} priv aes 128 Priv{s}", '    set password ENC {s}',
    '    set psksecret ENC {s}', 'set system root-authentication encrypted-password "{s}"',
    'set snmp community "{s}" authorization read-only', "        community {s} {{", '    secret "{s}"; ## SECRET-DATA',
    " local-user admin password irreversible-cipher {s}", " snmp-agent community read cipher {s}",
    " snmp-agent community write simple {s}", " key authentication simple {s}", "<phash>{s}</phash>",
    "set mgt-config users admin phash {s}", "config snmp community create {s}",
    "config wlan security wpa akm psk set-key ascii {s} 3", "rocommunity {s} 192.0.2.0/24",
    "wpa_passphrase={s}", '{{"password": "{s}"}}', "https://svc:{s}@192.0.2.10/api",
]


@given(secret=_SECRET, template=st.sampled_from(TEMPLATES))
def test_generated_secret_lines_are_masked(secret: str, template: str) -> None:
    if "://" in template:
        assume(not set(secret) & set("/@?#"))  # RFC 3986: a password in a URL has these percent-encoded
    line = template.format(s=secret)
    r = Redactor()
    out = r.redact(line)
    assert not _survivors(out, [secret]), (line, out)
    assert r.redact(out) == out


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in _strings(k) + _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def test_report_prose_is_left_alone() -> None:
    """Every report passes the redactor: control titles ("Use of secret authentication information", "Key
    management", "Password management system"), check texts and the message catalog must come out unchanged.
    netconan's bare-word regexes count only where a line starts with them, as configuration commands do."""
    import yaml

    root = Path(__file__).resolve().parents[2]
    files = sorted((root / "compliance" / "data").rglob("*.yaml")) + sorted((root / "reports").rglob("*.yaml"))
    strings = [s for f in files for s in _strings(yaml.safe_load(f.read_text(encoding="utf-8")))]
    assert len(strings) > 3000
    r = Redactor()
    changed = [s for s in strings if r.redact(s) != s]
    assert changed == []


@pytest.mark.parametrize("sentence", [
    "password for sw1 refused", "secret variable NC_RO is not set", "key is missing", "Key management",
    "Password management system", "Use of secret authentication information", "key 'level' written twice",
    "unknown key 'foo' (expected agency, level)", "signer key SHA256:abc is not trusted", "key chain KC1",
    "SNMP community of cg-core1 is a factory default", "the enable password is not set",
])
def test_log_and_report_sentences_are_left_alone(sentence: str) -> None:
    """Logs and reports pass the same redactor as configurations: a sentence that starts with or holds a
    secret-ish word is not a configuration line, and its words are no secret."""
    assert Redactor().redact(sentence) == sentence
