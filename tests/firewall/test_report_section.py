"""The firewall section of the audit report, built from a real lab audit (the simulated firewalls over SSH,
judged by the firewall checks) and compared with the defects the lab's templates plant; its template rendered
with Jinja2 in both languages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup, escape

import collectors.firewall.collector  # noqa: F401  (registers the collector)
from netcomply.app.audit import AuditOptions, run_audit
from netcomply.app.lab.manager import LabInfo
from netcomply.inventory import load_inventory
from netcomply.models import Finding, FindingStatus, Observation, Run, Severity
from netcomply.store import Store
from reports.audit.html import section_text, shown_message
from reports.sections.base import SectionContext, load_sections
from reports.sections.firewall import FirewallSection

TEMPLATES = Path(__file__).resolve().parents[2] / "reports" / "templates"
DEVICES = "cg-fw1,cg-edge1,ed-fw1,dt-fw1"


@pytest.fixture(scope="module")
def audited(city_lab: LabInfo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("firewall-report")
    inv = load_inventory(city_lab.inventory)
    store = Store.open(tmp / "fw.db")
    run, _ = run_audit(inv, store, AuditOptions(collectors=["firewall_rules"], limit=DEVICES, operator="pytest"))
    return {"store": store, "run": run}


def _context(audited: dict[str, Any], lang: str = "zh-TW") -> SectionContext:
    store = audited["store"]
    run = store.get_run(audited["run"].id)
    return SectionContext(store=store, run=run, observations=list(store.observations(run.id)),
                          findings=store.findings(run.id), evaluation=None, lang=lang)


def _render(data: dict[str, Any], charts: dict[str, str], lang: str) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined)
    env.globals.update(tr=section_text, shown=shown_message)  # the report environment's catalog helpers

    def L(en: str, zh: str) -> str:
        return zh if lang == "zh-TW" else en

    def sev(severity: str | None) -> Markup:
        return Markup(f'<span class="sev">{escape(severity or "")}</span>')

    return env.get_template("sections/firewall.html.j2").render(data=data, charts=charts, lang=lang, L=L, sev=sev)


@pytest.mark.lab
def test_section_from_a_lab_audit_shows_the_planted_defects(audited: dict[str, Any]) -> None:
    section = FirewallSection()
    data = section.build(_context(audited))
    assert data is not None
    assert json.loads(json.dumps(data)) == data  # JSON-able
    assert section.build(_context(audited)) == data  # deterministic
    devices = {d["device"]: d for d in data["devices"]}
    assert set(devices) == set(DEVICES.split(","))

    def kinds(device: str) -> set[tuple[str, str | None]]:
        return {(r["kind"], (r["rule"] or {}).get("name")) for r in devices[device]["findings"]}

    # The templates' planted defects (their comments are the truth).
    assert {("irrelevant", "INSIDE_OUT line 3"), ("redundant", "OUTSIDE_IN line 3"), ("any_any", "OUTSIDE_IN line 5"),
            ("shadowed", "OUTSIDE_IN line 6"), ("insecure_service", "OUTSIDE_IN line 4")} <= kinds("cg-fw1")
    assert {("irrelevant", "STALE-WAN-SRC"), ("redundant", "PARTNER-to-WEB"), ("any_any", "TEMP-ANY")} <= kinds("ed-fw1")
    assert {("irrelevant", "STALE-DMZ-OUT"), ("redundant", "PARTNER-WEB")} <= kinds("cg-edge1")
    assert {("any_any", "TEMP-ANY-ANY"), ("shadowed", "interzone-deny"), ("irrelevant", "STALE-DMZ-SRC")} <= kinds("dt-fw1")
    asa = devices["cg-fw1"]
    assert asa["rules"] == 10 and asa["coverage"] == 1.0 and not asa["low_coverage"]
    irr = next(r for r in asa["findings"] if r["kind"] == "irrelevant")
    assert irr["rule"]["line"] > 0 and "INSIDE_OUT" in irr["rule"]["text"] and irr["fix"]
    shadow = next(r for r in asa["findings"] if r["kind"] == "shadowed")
    assert shadow["related"] and "permit ip any4 any4" in shadow["related"][0]["text"]
    assert data["totals"]["findings"] == sum(len(d["findings"]) for d in data["devices"])
    # Counter age: the ASA's uptime says when its counters started; its zero-hit permits are "unused" exactly when
    # that is at least the threshold (90 days) before the run.
    from datetime import UTC, datetime
    started = audited["run"].started_at
    started = started if started.tzinfo else started.replace(tzinfo=UTC)
    age = (started - datetime.fromisoformat(asa["rule_sets"][0]["counters_since"])).days
    assert (("unused", "OUTSIDE_IN line 3") in kinds("cg-fw1")) == (age >= 90), age
    assert ("unused", "OUTSIDE_IN line 6") not in kinds("cg-fw1")  # a deny is never "unused"

    charts = section.charts(data, "zh-TW")
    assert "<svg" in charts["firewall-kinds"] and "cg-fw1" in charts["firewall-kinds"]
    for lang in ("zh-TW", "en"):
        html = _render(data, section.charts(data, lang), lang)
        assert "INSIDE_OUT line 3" in html and "firewall-kinds" in html
        assert ("防火牆" if lang == "zh-TW" else "firewall(s)") in html
        summary = section.summary(data, lang)
        assert summary and str(data["totals"]["rules"]) in summary[0]
    sheets = section.sheets(data, "en")
    assert [s.name for s in sheets] == ["Firewall rule sets", "Firewall findings"]
    assert len(sheets[1].rows) == data["totals"]["findings"]
    assert all(len(row) == len(sheets[1].headers) for row in sheets[1].rows)


def _obs(device: str, data: dict[str, Any], oid: int) -> Observation:
    o = Observation(device, "firewall_rules", "firewall.ruleset", data, "file")
    o.id = oid
    return o


def test_low_coverage_is_stated_not_hidden() -> None:
    from datetime import UTC, datetime

    run = Run("r1", datetime(2026, 11, 1, tzinfo=UTC), "t", "0")
    obs = [_obs("fw-a", {"ruleset": "acl", "name": "acl", "platform": "cisco_asa", "rules": 10, "coverage": 0.6,
                         "unparsed": 4, "approximate": 0, "default_action": "deny", "bound_to": ["outside in"]}, 1)]
    f = Finding("firewall.parse_coverage", "fw-a:acl:acl #3", FindingStatus.FAIL, Severity.LOW, "acl #3 was parsed "
                "unparsedly", details={"kind": "parse_coverage", "device": "fw-a", "ruleset": "acl",
                                       "rule": {"line": 3, "text": "access-list acl webtype permit", "name": "acl #3"},
                                       "related": [], "fix": "Review this rule by hand."}, id=7)
    ctx = SectionContext(store=None, run=run, observations=obs, findings=[f], evaluation=None)
    data = FirewallSection().build(ctx)
    assert data is not None
    assert data["totals"]["low_coverage_devices"] == ["fw-a"] and data["devices"][0]["coverage"] == 0.6
    for lang in ("en", "zh-TW"):
        assert "60%" in " ".join(FirewallSection().summary(data, lang)) or "95%" in FirewallSection().summary(data,
                                                                                                           lang)[1]
        html = _render(data, FirewallSection().charts(data, lang), lang)
        assert "nc-warning" in html and "fw-a" in html and "finding-F0007" in html
    assert FirewallSection().build(SectionContext(store=None, run=run, observations=[], findings=[],
                                                  evaluation=None)) is None


def test_section_is_discovered() -> None:
    assert any(isinstance(s, FirewallSection) for s in load_sections())
