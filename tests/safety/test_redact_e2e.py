"""End to end: device secrets seeded into the lab's IOS running configurations (the syntax issue 14 found
leaking, netcomply never told the values) appear nowhere an audit writes -- the SQLite store (every table, blobs
decompressed), the -vv debug log, every report file (zip members and PDF streams opened), the unzipped evidence
pack -- while the stored configuration shows a named mask for each."""

from __future__ import annotations

import contextlib
import io
import json
import re
import sqlite3
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netcomply.app.lab.manager import LabInfo
from netcomply.secrets import read_env_file

pytestmark = pytest.mark.lab

_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def _texts(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    """``data`` and everything inside it: zip members (packs, XLSX), PDF streams, zlib blobs."""
    yield name, data
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for member in zf.namelist():
                yield from _texts(f"{name}!{member}", zf.read(member))
    elif data[:5] == b"%PDF-":
        for n, m in enumerate(_PDF_STREAM.finditer(data)):
            try:
                yield f"{name}#stream{n}", zlib.decompress(m.group(1))
            except zlib.error:
                yield f"{name}#stream{n}", m.group(1)
    elif data[:1] == b"\x78":  # a zlib header: the store's compressed blobs
        with contextlib.suppress(zlib.error):
            yield f"{name}(inflated)", zlib.decompress(data)


def _store_rows(db: Path) -> Iterator[tuple[str, bytes]]:
    con = sqlite3.connect(db)
    try:
        for (table,) in con.execute("select name from sqlite_master where type='table'"):
            for n, row in enumerate(con.execute(f'select * from "{table}"')):
                for value in row:
                    raw = value if isinstance(value, bytes) else str(value).encode()
                    yield from _texts(f"{table}[{n}]", raw)
    finally:
        con.close()


@pytest.fixture(scope="module")
def audit(lab_cli_audit: dict[str, Any]) -> dict[str, Path]:
    """The session's ``netcomply -vv audit --out --evidence-key`` of the whole lab (tests/conftest.py): its
    ``work`` folder holds only what that audit wrote (store, report files, evidence pack, stdout, -vv log)."""
    if lab_cli_audit["returncode"] not in (0, 3):  # 3: the lab's faulty devices fail on purpose
        pytest.fail(f"audit exit {lab_cli_audit['returncode']}: " + lab_cli_audit["said"])
    return {k: lab_cli_audit[k] for k in ("work", "out", "db", "log")}


def _seeds(city_lab: LabInfo) -> dict[str, str]:
    profiles = json.loads((city_lab.state_dir / "ssh-profiles.json").read_text())
    return {f"{p['name']}:{kind}": value for p in profiles if p["platform"] == "cisco_ios"
            for kind, value in p["vars"]["leak_seeds"].items()}


def test_seeded_secrets_were_collected_and_masked_by_name(audit: dict[str, Path], city_lab: LabInfo) -> None:
    stored = b"\n".join(text for _, text in _store_rows(audit["db"]))
    for kind in ("radius-key", "tacacs-key", "aaa-key", "ike-psk", "url-password", "ppp-password", "ftp-password",
                 "bgp-password", "ntp-key", "enable-secret", "snmp-community"):
        assert f"<secret:{kind}>".encode() in stored, kind
    assert b"DEBUG" in audit["log"].read_bytes()  # -vv debug output was on
    assert len(_seeds(city_lab)) >= 9 * 4


def test_no_secret_appears_in_anything_the_audit_wrote(audit: dict[str, Path], city_lab: LabInfo) -> None:
    secrets = dict(_seeds(city_lab))
    for name, value in read_env_file(city_lab.env_file).items():
        if len(value) >= 6:
            secrets[f"env:{name}"] = value
    places: list[tuple[str, bytes]] = list(_store_rows(audit["db"]))
    files = [p for p in audit["work"].rglob("*") if p.is_file() and p.suffix not in (".pem", ".pub")]
    assert any(p.suffix == ".zip" for p in files) and any(p.suffix == ".pdf" for p in files)
    for path in files:
        places.extend(_texts(str(path.relative_to(audit["work"])), path.read_bytes()))
    leaks = [(where, label) for where, text in places for label, value in secrets.items()
             if value.encode() in text]
    assert not leaks, leaks[:10]
    assert len(places) > 50  # the search looked at many things: tables, log, reports, pack members
