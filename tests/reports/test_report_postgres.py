"""The same run in SQLite and in PostgreSQL gives the same report, byte for byte (ordering, times and JSON
round-trips are the store's business, not the backend's)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netcomply.store import Store
from netcomply.store.pgtest import create_database
from reports.audit import build_report
from reports.audit.html import render_html
from reports.audit.write import report_json

from .conftest import T0, make_run

pytestmark = pytest.mark.postgres


def test_sqlite_and_postgres_give_the_same_report(pg_server: str, inventory: Path, tmp_path: Path) -> None:
    outputs = []
    for url in (str(tmp_path / "store.db"), create_database(pg_server)):
        with Store.open(url) as store:
            run_id = make_run(store, inventory, "20260302T013000Z-pg", T0)
            report = build_report(store, [run_id])
            outputs.append((report_json(report), render_html(report, lang="zh-TW")))
    assert outputs[0][0] == outputs[1][0]
    assert outputs[0][1] == outputs[1][1]
