"""Readable in a real browser: every text of the report (and of the firewall section's findings table, and every
severity and status badge) meets WCAG AA contrast against its effective background, computed by Chromium; and
severity is a badge, never a whole-row colour."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netcomply.models import Finding, FindingStatus, Observation, Run, Severity
from netcomply.store import Store
from reports.audit import build_report
from reports.audit.html import environment, render_html, severity_badge, status_badge
from reports.audit.locale import Labels
from reports.sections.base import SectionContext
from reports.sections.firewall import FirewallSection

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SEVERITIES = ("critical", "high", "medium", "low", "info")
STATUSES = {"control_status": ("pass", "fail", "partial", "manual", "not_assessed", "not_applicable"),
            "device_status": ("ok", "partial", "failed", "not_tried"),
            "collection_status": ("ok", "error", "skipped"),
            "finding_status": ("pass", "fail", "error", "manual", "not_assessed", "not_applicable"),
            "run_status": ("complete", "partial", "interrupted")}

#: For each visible element with its own text: its colour, the colour of the first opaque background behind it
#: (alpha-composited up the ancestors, white at the top), and whether the text is "large" (WCAG: >= 24px, or
#: >= 18.66px bold), where 3:1 is enough. SVG text uses its fill.
CONTRAST_JS = r"""
() => {
  const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, bottom) => { const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]); };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = (el) => { const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c && c[3] > 0) layers.push(c);
      if (c && c[3] === 1) break; }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg; };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (['SCRIPT', 'STYLE', 'TITLE'].includes(el.tagName) || el.closest('title')) continue;
    const own = Array.from(el.childNodes).filter(n => n.nodeType === 3 && n.textContent.trim()).map(n => n.textContent.trim()).join(' ');
    if (!own) continue;
    const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || s.display === 'none') continue;
    const svg = el instanceof SVGElement;
    let fg = parse(svg ? s.fill : s.color); if (!fg) continue;
    const bg = background(svg ? el.ownerSVGElement || el : el);
    fg = over(fg, bg);
    const l1 = lum(fg), l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight, 10) >= 700;
    out.push({text: own.slice(0, 40), tag: el.tagName, cls: String(el.getAttribute('class') || ''),
              ratio: Math.round(ratio * 100) / 100, large: size >= 24 || (bold && size >= 18.66)});
  }
  return out;
}
"""


def _firewall_fragment(lang: str, for_pdf: bool = False) -> str:
    """The real firewall section template, with one finding of each severity (the rows that used to be coloured
    whole in dark red and orange)."""
    run = Run("r1", datetime(2026, 11, 1, tzinfo=UTC), "t", "0")
    ruleset = Observation("fw-a", "firewall_rules", "firewall.ruleset",
                          {"ruleset": "OUTSIDE_IN", "name": "OUTSIDE_IN", "platform": "cisco_asa", "rules": 12,
                           "coverage": 1.0, "unparsed": 0, "approximate": 0, "default_action": "deny",
                           "bound_to": ["outside in"]}, "file")
    ruleset.id = 1
    findings = [Finding("firewall.overly_permissive", f"fw-a:OUTSIDE_IN:line {n}", FindingStatus.FAIL,
                        Severity(sev), f"OUTSIDE_IN line {n} permits any to any ({sev})",
                        details={"kind": "overly_permissive", "device": "fw-a", "ruleset": "OUTSIDE_IN",
                                 "rule": {"line": n, "text": f"access-list OUTSIDE_IN line {n} extended permit ip any "
                                          "any", "name": f"OUTSIDE_IN line {n}"},
                                 "related": [], "fix": "Narrow the source and destination."}, id=n)
                for n, sev in enumerate(SEVERITIES, start=1)]
    ctx = SectionContext(store=None, run=run, observations=[ruleset], findings=findings, evaluation=None, lang=lang)
    data = FirewallSection().build(ctx)
    assert data is not None
    t = Labels(lang)
    return environment().get_template("sections/firewall.html.j2").render(
        data=data, charts={}, lang=lang, L=t.pick, sev=severity_badge(t), t=t, key="firewall", for_pdf=for_pdf)


def _gallery(lang: str) -> str:
    t = Labels(lang)
    sev, badge = severity_badge(t), status_badge(t)
    parts = [f"<p>{sev(s)} {s}</p>" for s in SEVERITIES]
    parts += [f"<p>{badge(v, group)} {group}</p>" for group, values in STATUSES.items() for v in values]
    return "\n".join(parts)


def test_firewall_rows_carry_no_severity_colour() -> None:
    html = _firewall_fragment("zh-TW")
    rows = re.findall(r"<tr[^>]*data-severity[^>]*>", html)
    assert len(rows) == len(SEVERITIES)
    assert not any("nc-sev" in row for row in rows)
    assert all(f'class="nc-sev nc-sev-{s}"' in html for s in SEVERITIES)  # the severity is a badge in the row


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (tools/system-deps.sh)")
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_every_text_meets_wcag_aa_in_chromium(store: Store, run_id: str, tmp_path: Path, lang: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    report = build_report(store, [run_id], lang=lang)
    page_html = render_html(report, lang=lang).replace(
        "</main>", f'<section id="probe">{_firewall_fragment(lang)}{_gallery(lang)}</section></main>')
    path = tmp_path / f"report.{lang}.html"
    path.write_text(page_html, encoding="utf-8")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                        headless=True, args=FLAGS)
        try:
            page = context.new_page()
            page.goto(path.as_uri(), wait_until="load")
            page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
            texts: list[dict[str, Any]] = page.evaluate(CONTRAST_JS)
            rows = page.evaluate("""() => Array.from(document.querySelectorAll('#probe tr[data-severity]'))
                .map(r => getComputedStyle(r).backgroundColor)""")
        finally:
            context.close()
    assert len(texts) > 200  # the whole page was measured, not an empty shell
    assert any(t["cls"].startswith("nc-sev nc-sev-high") for t in texts)
    assert any(t["tag"] == "text" for t in texts)  # chart labels (SVG) are measured too
    poor = [t for t in texts if t["ratio"] < (3.0 if t["large"] else 4.5)]
    assert poor == [], poor[:20]
    assert len(rows) == len(SEVERITIES) and set(rows) <= {"rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"}
