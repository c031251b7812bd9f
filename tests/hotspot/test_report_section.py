"""The hotspot report section: built from a store with a month of samples and a judged run (no lab needed),
deterministic, blind to samples taken after the run, and its template renders in both languages."""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from compliance.judge import judge_run
from netcomply.app.pipelines.hotspot.audit_hook import record_hotspot_evidence
from netcomply.hotspot_samples import HotspotSample, SampleStatus, slot_of
from netcomply.i18n import Messages
from netcomply.models import Hotspot, Inventory, Run, RunStatus
from netcomply.store import Store
from netcomply.store.samples import SampleStore
from reports.audit.html import environment
from reports.sections.base import SectionContext, load_sections
from reports.sections.hotspot import HotspotSection

TEMPLATES = Path(__file__).resolve().parents[2] / "reports" / "templates"
START = datetime(2026, 11, 1, tzinfo=UTC)
STEP = 900.0
HOTSPOTS = (Hotspot(name="PARK-1", zone="park", site="p", agency="city"),
            Hotspot(name="PARK-2", zone="park", site="p", agency="city"),
            Hotspot(name="HALL-1", zone="hall", site="h", agency="city"),
            Hotspot(name="LIB-1", zone="library", site="l", agency="district"))


def _samples(t0: float, t1: float) -> list[HotspotSample]:
    out = []
    for h in HOTSPOTS:
        if h.name == "LIB-1":
            continue  # never polled
        t = t0
        while t < t1:
            day = (t - START.timestamp()) / 86400
            down = (h.name == "PARK-2" and 3 <= day < 3.5) or (h.name == "HALL-1" and 20 <= day < 20.1)
            out.append(HotspotSample(h.name, slot_of(t, STEP), datetime.fromtimestamp(t, UTC),
                                     SampleStatus.DOWN if down else SampleStatus.UP, STEP, uptime_s=t - t0,
                                     clients=3, site=h.site, zone=h.zone, agency=h.agency))
            t += STEP
    return out


@pytest.fixture
def judged(tmp_path: Path) -> Any:
    store = Store.open(tmp_path / "r.db")
    run_start = START + timedelta(days=30)
    ss = SampleStore(store)
    ss.start_session("history", kind="poll", interval_s=STEP, inventory_sha256=None, parameters={})
    ss.append("history", _samples(START.timestamp(), run_start.timestamp()))
    run = Run(id="20261201T000000Z-abcdef", started_at=run_start, operator="t", tool_version="t")
    store.create_run(run)
    inv = Inventory(source="inv.yaml", sha256="0" * 64, devices=(), hotspots=HOTSPOTS)
    record_hotspot_evidence(store, run.id, inv)
    store.finish_run(run.id, RunStatus.COMPLETE)
    judge_run(store, run.id)
    yield store, store.get_run(run.id)
    store.close()


def _ctx(store: Store, run: Run, lang: str = "zh-TW") -> SectionContext:
    return SectionContext(store=store, run=run, observations=list(store.observations(run.id)),
                          findings=store.findings(run.id), evaluation=None, lang=lang)


def test_build_zones_worst_and_determinism(judged: Any) -> None:
    store, run = judged
    section = HotspotSection()
    data = section.build(_ctx(store, run))
    assert data is not None
    text = json.dumps(data, sort_keys=True)
    assert data["hotspots"] == 4 and data["no_data"] == ["LIB-1"]
    assert [w["hotspot"] for w in data["worst"]][:2] == ["PARK-2", "HALL-1"]
    park2 = data["worst"][0]
    assert park2["outage_count"] == 1 and abs(park2["outages"][0]["seconds"] - 43200) <= STEP
    assert park2["status"] == "fail"
    zones = {z["zone"]: z for z in data["zones"]}
    assert zones["park"]["outages"] == 1 and zones["park"]["worst"] == "PARK-2"
    assert zones["library"]["availability"] is None
    assert len(data["series"]["starts"]) == 30 and data["series"]["zones"]["library"] == [None] * 30
    assert min(v for v in data["series"]["zones"]["park"] if v is not None) < 100
    # samples taken after the run do not change its report
    ss = SampleStore(store)
    ss.start_session("later", kind="poll", interval_s=STEP, inventory_sha256=None, parameters={})
    later = run.started_at.timestamp()
    ss.append("later", [HotspotSample("LIB-1", slot_of(later + k * STEP, STEP),
                                      datetime.fromtimestamp(later + k * STEP, UTC), SampleStatus.DOWN, STEP)
                        for k in range(1, 5)])
    assert json.dumps(section.build(_ctx(store, run)), sort_keys=True) == text


def _pick(zh_tw: bool, en: str, zh: str) -> str:
    return zh if zh_tw else en


def test_charts_sheets_summary_and_template_render(judged: Any) -> None:
    store, run = judged
    section = next(s for s in load_sections() if s.key == "hotspot")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters.update(environment().filters)  # the report's filters (local, day: dates in the zone and calendar)
    for lang in ("zh-TW", "en"):
        data = section.build(_ctx(store, run, lang))
        assert data is not None
        charts = section.charts(data, lang)
        assert set(charts) == {"zones"} and charts["zones"].startswith("<svg")
        sheets = section.sheets(data, lang)
        assert [s.name for s in sheets] == (["熱點區域", "熱點中斷", "熱點 SSID 政策"] if lang == "zh-TW" else
                                            ["Hotspot zones", "Hotspot outages", "Hotspot SSID policy"])
        assert all(len(s.name) <= 31 for s in sheets) and sheets[1].rows
        summary = section.summary(data, lang)
        assert summary and ("PARK" not in summary[0])
        html = env.get_template(section.template).render(
            data=data, charts={k: Markup(v) for k, v in charts.items()}, lang=lang,
            L=functools.partial(_pick, lang.startswith("zh")), sev=lambda s: Markup(f"<b>{s}</b>"),
            t=Messages("audit", lang))
        assert "PARK-2" in html and "<svg" in html
        assert ("可用率最低之熱點" in html) == (lang == "zh-TW")


def test_nothing_to_show_without_hotspot_data(tmp_path: Path) -> None:
    with Store.open(tmp_path / "e.db") as store:
        run = Run(id="20261201T000000Z-000000", started_at=START, operator="t", tool_version="t")
        store.create_run(run)
        assert HotspotSection().build(_ctx(store, run)) is None
