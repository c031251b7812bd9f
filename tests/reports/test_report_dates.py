"""Dates in the agency's time zone and the ROC calendar, everywhere a person reads one: a run started at
2026-12-03T17:30Z is 01:30 on 4 December in Taipei, so it is dated 2026-12-04 / 民國115年12月4日 in the report,
its evaluation, the XLSX, the SoA and the CLI tables; JSON keeps ISO 8601 with an offset."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.engine import AgencyInputs, evaluate_run
from compliance.soa import build_soa
from compliance.soa.decisions import Decisions
from compliance.soa.html import render_html as render_soa
from netcomply.app.cli.main import app
from netcomply.inventory import load_inventory
from netcomply.store import Store
from reports.audit import build_report
from reports.audit.html import render_html
from reports.audit.xlsx import build_workbook

from .conftest import INVENTORY, make_run

STARTED = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)  # 2026-12-04 01:30 in Taipei
RUN = "20261203T173000Z-tz0001"


@pytest.fixture
def late_run(store: Store, inventory: Path) -> str:
    return make_run(store, inventory, RUN, STARTED)


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_report_is_dated_by_the_taipei_day(store: Store, late_run: str, inventory: Path) -> None:
    report = build_report(store, [late_run], inventory=load_inventory(inventory))
    assert report["timezone"] == "Asia/Taipei"
    assert report["evaluation"]["as_of"] == "2026-12-04"
    assert report["run"]["started_at"] == "2026-12-03T17:30:00+00:00"  # JSON: ISO 8601 with its offset
    assert report["run"]["started_local"] == "2026-12-04T01:30:00+08:00"
    zh = _text(render_html(report, lang="zh-TW"))
    assert "民國115年12月4日" in zh and "115/12/04 01:30:00" in zh
    assert "2026-12-03" not in zh and "115/12/03" not in zh and "2026-12-04" not in zh  # ROC only in zh-TW
    en = _text(render_html({**report, "lang": "en"}, lang="en"))
    assert "2026-12-04 01:30:00" in en and "2026-12-03" not in en and "民國" not in en


def test_xlsx_is_dated_by_the_taipei_day(store: Store, late_run: str) -> None:
    report = build_report(store, [late_run])
    values = [str(c.value) for row in build_workbook(report, lang="zh-TW").worksheets[0].iter_rows() for c in row]
    assert "115/12/04 01:30:00" in values and "115/12/04" in values
    assert not any("2026-12-03" in v or "17:30" in v for v in values)


def test_evaluation_date_is_the_zones_day(store: Store, late_run: str, tmp_path: Path) -> None:
    assert evaluate_run(store, late_run).as_of == date(2026, 12, 4)
    assert evaluate_run(store, late_run, timezone="UTC").as_of == date(2026, 12, 3)
    utc_inventory = tmp_path / "utc.yaml"
    utc_inventory.write_text(INVENTORY + "settings: {timezone: UTC}\n", encoding="utf-8")
    report = build_report(store, [late_run], inventory=load_inventory(utc_inventory))
    assert (report["timezone"], report["evaluation"]["as_of"]) == ("UTC", "2026-12-03")
    assert build_report(store, [late_run], timezone="Asia/Tokyo")["evaluation"]["as_of"] == "2026-12-04"


def test_soa_header_is_filled_and_dated(store: Store, late_run: str, inventory: Path) -> None:
    inv = load_inventory(inventory)
    evaluation = evaluate_run(store, late_run)
    signed = Decisions(source="soa.yaml", version="1.2", approved_by="資安長", approved_on=date(2026, 12, 1))
    zh = _text(render_soa(build_soa(evaluation, signed, run_id=late_run, agencies=list(inv.agencies.values())),
                          lang="zh-TW"))
    for expected in ("範例市政府、範例區公所", "民國115年12月4日", "1.2", "資安長 民國115年12月1日"):
        assert expected in zh
    en = _text(render_soa(build_soa(evaluation, signed, run_id=late_run, agencies=list(inv.agencies.values())),
                          lang="en"))
    assert "2026-12-04" in en and "Example City Government; Example District Office" in en
    one = inv.agencies["district"]
    draft = _text(render_soa(build_soa(evaluate_run(store, late_run, inputs=AgencyInputs(one, None, None)),
                                       Decisions(), run_id=late_run), lang="zh-TW"))
    assert "範例區公所" in draft and "草稿" in draft and "尚未核定" in draft


def test_runs_list_and_show_use_the_zone(store: Store, late_run: str) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["runs", "list", "--db", str(store.url)], env={"COLUMNS": "250"})
    assert listed.exit_code == 0, listed.output
    # a narrow table may wrap the cell between date and time
    assert "2026-12-04" in listed.output and "01:30:00" in listed.output and "Asia/Taipei" in listed.output
    assert "2026-12-03" not in listed.output and "17:30:00" not in listed.output
    shown = runner.invoke(app, ["runs", "show", late_run, "--db", str(store.url), "--tz", "UTC"],
                          env={"COLUMNS": "250"})
    assert "2026-12-03 17:30:00" in shown.output
    machine = runner.invoke(app, ["runs", "list", "--db", str(store.url), "-f", "json"])
    assert json.loads(machine.output)["runs"][0]["started_at"] == "2026-12-03T17:30:00+00:00"
    bad = runner.invoke(app, ["runs", "list", "--db", str(store.url), "--timezone", "Mars/Olympus"])
    assert bad.exit_code == 2 and "Mars/Olympus" in bad.output


def test_day_filter_in_section_templates() -> None:
    from reports.audit.html import environment

    template = environment().from_string("{{ a | day }}|{{ b | day }}|{{ c | day('prose') }}|{{ d | day }}")
    assert template.render(lang="zh-TW", timezone="Asia/Taipei", a="2026-12-04", b="資安長核定（公文）",
                           c="2026-12-03T17:30:00+00:00", d=None) == "115/12/04|資安長核定（公文）|民國115年12月4日|"
    assert template.render(lang="en", timezone="UTC", a="2026-12-04", b="x", c="2026-12-03T17:30:00+00:00",
                           d="") == "2026-12-04|x|2026-12-03|"
