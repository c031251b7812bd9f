"""CLI tables speak NETCOMPLY_LANG (zh-TW: headers, statuses and causes in Traditional Chinese); English by default,
and --format json is the same in every language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netcomply.app.cli.main import app
from netcomply.app.cli.table_lang import localize_table
from netcomply.models import Run, RunStatus
from netcomply.store import Store

T0 = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    with Store.open(path) as store:
        store.create_run(Run(id="20261203T173000Z-aaaa01", started_at=T0, operator="auditor@example.gov.tw",
                             tool_version="test", parameters={"collectors": ["cli_facts"]}))
        store.finish_run("20261203T173000Z-aaaa01", RunStatus.PARTIAL, finished_at=T0 + timedelta(minutes=1))
    return path


def _runs(db: Path, lang: str | None, *extra: str) -> str:
    env = {"NETCOMPLY_LANG": lang} if lang else {}
    result = CliRunner().invoke(app, ["runs", "list", "--db", str(db), *extra], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_runs_list_in_traditional_chinese(db: Path) -> None:
    zh = _runs(db, "zh-TW")
    assert "稽核批次" in zh and "執行人員" in zh and "部分完成" in zh
    assert "operator" not in zh and "partial" not in zh


def test_english_by_default_and_json_unchanged(db: Path) -> None:
    en = _runs(db, None)
    assert "operator" in en and "partial" in en
    assert _runs(db, "zh-TW", "--format", "json") == _runs(db, "en", "--format", "json")
    assert "operator" in _runs(db, "fr")  # an unknown language falls back to English


def test_columns_with_values_and_causes() -> None:
    title, columns, rows = localize_table(
        "failed devices", ["device", "collector", "error", "cause", "started (Asia/Taipei)"],
        [["dt-sw1", "cli_facts", "auth_failed", "SSH login refused (wrong username, password or key)", "x"]],
        "zh-TW")
    assert title == "蒐集失敗之設備"
    assert columns == ["設備", "蒐集項目", "錯誤", "原因", "開始時間（Asia/Taipei）"]
    assert rows == [["dt-sw1", "cli_facts", "登入遭拒", "SSH 登入遭拒（帳號、密碼或金鑰錯誤）", "x"]]


def test_control_basis_and_messages_in_chinese() -> None:
    _, columns, rows = localize_table(
        None, ["control", "status", "basis", "message"],
        [["A.5.9", "fail", "findings: 2 fail, 1 pass", "TEMP-ANY permits any source to any destination on any service"]],
        "zh-TW")
    assert columns == ["控制措施", "狀態", "判定依據", "說明"]
    assert rows == [["A.5.9", "未通過", "稽核發現：不符合 2、符合 1", "TEMP-ANY 允許任意來源以任意服務連至任意目的"]]
