"""The IPv6 report section on a store with two runs of real lab results (trend), and its template."""

from __future__ import annotations

import asyncio
import copy
import functools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from collectors.ipv6.service_pass import check_services
from compliance.judge import judge_run
from netcomply.errors import ErrorClass
from netcomply.models import DeviceResult, DeviceStatus, Run, RunStatus, Service
from netcomply.store import Store
from reports.sections.base import SectionContext, load_sections
from reports.sections.ipv6 import Ipv6Section

pytestmark = pytest.mark.lab
TEMPLATES = Path(__file__).resolve().parents[2] / "reports" / "templates"


def _fix_mail(results: list[DeviceResult]) -> list[DeviceResult]:
    """The second audit: edu's MX now answers SMTP over IPv6 (its IPv4 facts copied to the IPv6 side)."""
    out = []
    for r in results:
        r = copy.deepcopy(r)
        for o in r.observations:
            o.id = o.run_id = None
            if o.device == "mail:edu.lab.example":
                host = o.data["hosts"][0]
                host["ipv6"] = {**host["ipv4"], "address": "::1"}
        out.append(r)
    return out


def _store_run(store: Store, run_id: str, started: datetime, results: list[DeviceResult]) -> Run:
    run = Run(id=run_id, started_at=started, operator="test", tool_version="t")
    store.create_run(run)
    for r in results:
        store.record_device_result(run_id, r)
    store.finish_run(run_id, RunStatus.COMPLETE, finished_at=started + timedelta(minutes=1))
    judge_run(store, run_id)
    return store.get_run(run_id)


@pytest.fixture(scope="module")
def two_runs(lab_services: list[Service], tmp_path_factory: pytest.TempPathFactory) -> Any:
    results = asyncio.run(check_services(lab_services, concurrency=8))
    store = Store.open(tmp_path_factory.mktemp("store") / "ipv6.db")
    t0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    first = _store_run(store, "20260501T090000-aaaa", t0, results)
    second = _store_run(store, "20260601T090000-bbbb", t0 + timedelta(days=31), _fix_mail(results))
    yield store, first, second
    store.close()


def _pick(zh_tw: bool, en: str, zh: str) -> str:
    return zh if zh_tw else en


def _ctx(store: Store, run: Run, lang: str = "zh-TW") -> SectionContext:
    return SectionContext(store=store, run=run, observations=list(store.observations(run.id)),
                          findings=store.findings(run.id), evaluation=None, lang=lang)


def test_build_shows_phases_agencies_and_trend(two_runs: Any) -> None:
    store, first, second = two_runs
    section = Ipv6Section()
    old = section.build(_ctx(store, first))
    new = section.build(_ctx(store, second))
    assert old is not None and new is not None
    json.dumps(new)  # JSON-able
    assert old["trend"]["previous_run"] is None
    assert new["trend"]["previous_run"] == first.id
    assert new["trend"]["fixed"] == ["mail:edu.lab.example"] and new["trend"]["broke"] == []
    phase2_old = next(p for p in old["phases"] if p["phase"] == 2)
    phase2_new = next(p for p in new["phases"] if p["phase"] == 2)
    assert phase2_new["ready"] == phase2_old["ready"] + 1
    assert new["trend"]["phases"]["2"] == round(phase2_new["percent"] - phase2_old["percent"], 1)
    edu = next(a for a in new["agencies"] if a["agency"] == "edu-bureau")
    assert new["trend"]["agencies"]["edu-bureau"] > 0 and edu["phases"]["2"]["failing"] == []
    failing = {f["key"]: f for p in new["phases"] for f in p["failing"]}
    assert "dns:edu.lab.example" in failing and any("ns2.edu.lab.example" in r
                                                    for r in failing["dns:edu.lab.example"]["reasons"])
    assert [h["run"] for h in new["history"]] == [first.id, second.id]
    assert any(f["check"] == "ipv6.phase1.service" and f["subject"] == "web:www.edu.lab.example"
               for f in new["findings"])
    assert section.build(_ctx(store, second)) == new  # deterministic


def test_charts_sheets_summary_and_template_render(two_runs: Any) -> None:
    store, _, second = two_runs
    section = next(s for s in load_sections() if s.key == "ipv6")
    for lang in ("zh-TW", "en"):
        data = section.build(_ctx(store, second, lang))
        assert data is not None
        charts = section.charts(data, lang)
        assert set(charts) == {"trend_phase", "trend_agency", "now_agency_phase"}
        assert all(c.startswith("<svg") for c in charts.values())
        sheets = section.sheets(data, lang)
        assert len(sheets[1].rows) == len(data["items"])
        summary = section.summary(data, lang)
        assert len(summary) == 2 and ("百分點" in summary[1] if lang == "zh-TW" else "points" in summary[1])
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                 undefined=jinja2.StrictUndefined)
        html = env.get_template(section.template).render(
            data=data, charts={k: Markup(v) for k, v in charts.items()}, lang=lang,
            L=functools.partial(_pick, lang.startswith("zh")), sev=lambda s: Markup(f"<b>{s}</b>"))
        assert "ns2.edu.lab.example" in html and "<svg" in html
        assert ("未就緒項目及原因" in html) == (lang == "zh-TW")


def test_a_service_that_could_not_be_checked_is_listed(two_runs: Any) -> None:
    store, _, second = two_runs
    now = second.started_at + timedelta(seconds=5)
    store.record_device_result(second.id, DeviceResult("web:gone.city.lab.example", "ipv6_service",
                                                       DeviceStatus.ERROR, now, now, error_class=ErrorClass.CONFIG,
                                                       cause="bad resolver"))
    data = Ipv6Section().build(_ctx(store, store.get_run(second.id)))
    assert data is not None
    assert data["unchecked"] == [{"service": "web:gone.city.lab.example", "error_class": "config",
                                  "cause": "bad resolver"}]


def test_no_ipv6_facts_no_section(two_runs: Any) -> None:
    store, first, _ = two_runs
    ctx = SectionContext(store=store, run=first, observations=[], findings=[], evaluation=None)
    assert Ipv6Section().build(ctx) is None
