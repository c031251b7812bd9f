"""Charts a reader can read: round value ticks (1-2-5 steps), labels that never overlap (checked on the text boxes
of the generated SVG, and in Chromium on the boxes it actually draws), and a one-point trend that shows its value
with a note instead of a lone dot."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.charts import bar_chart, line_chart, nice_step, nice_ticks, stacked_bar_chart, text_width

SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = "/usr/bin/chromium"
WIDTH = 640
#: Labels as they come: agency names in Chinese and English, device names, ROC dates with times.
label = st.one_of(
    st.text(alphabet="範例市政府教育局區公所第階段資訊處", min_size=1, max_size=16),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ -_.0123456789", min_size=1, max_size=30),
    st.builds(lambda d, h: f"115/12/{d:02d} {h:02d}:30", st.integers(1, 28), st.integers(0, 23)),
)


def _is_125(step: float) -> bool:
    mantissa = step / 10 ** math.floor(math.log10(step))
    return any(math.isclose(mantissa, m) for m in (1, 2, 5))


@given(st.floats(min_value=1e-6, max_value=1e7, allow_nan=False), st.booleans())
def test_ticks_are_round_and_cover_the_data(top: float, integer: bool) -> None:
    ticks = nice_ticks(top, integer=integer)
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert ticks[0] == 0 and ticks[-1] >= top * (1 - 1e-9) and 2 <= len(ticks) <= 6
    assert len(steps) == 1 and _is_125(steps.pop())
    if integer:
        assert all(float(t).is_integer() for t in ticks)


def test_the_ticks_the_issue_saw_are_gone() -> None:
    assert nice_ticks(125, integer=True) == [0, 50, 100, 150]  # was 0, 31, 63, 94, 125
    assert nice_ticks(100) == [0, 20, 40, 60, 80, 100]
    assert nice_step(3, integer=True) == 1


def _ticks_of(root: ET.Element) -> list[float]:
    return [float(re.sub(r"[^\d.]", "", t.text or "")) for t in root.iter(f"{SVG}text") if t.get("class") == "nc-tick"]


def _boxes(root: ET.Element) -> list[tuple[float, float, float, float, str]]:
    """Estimated boxes (x0, y0, x1, y1) of every label below the axis, legend entry and value label."""
    boxes = []
    for t in root.iter(f"{SVG}text"):
        if t.get("class") not in ("nc-axis-label", "nc-legend", "nc-value", "nc-tick", "nc-chart-note"):
            continue
        spans = list(t.iter(f"{SVG}tspan")) or [t]
        lines = [s.text or "" for s in spans]
        size = float(t.get("font-size", "11"))
        x, y = float(t.get("x", "0")), float(t.get("y", "0"))
        width = max(text_width(line, size) for line in lines)
        anchor = t.get("text-anchor", "start")
        x0 = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        boxes.append((x0, y - size, x0 + width, y + 14 * (len(lines) - 1) + 3, "".join(lines)))
    return boxes


def _overlaps(boxes: list[tuple[float, float, float, float, str]]) -> list[tuple[str, str]]:
    return [(a[4], b[4]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


@settings(max_examples=150, deadline=None)
@given(st.lists(label, min_size=1, max_size=14), st.lists(label, min_size=1, max_size=6, unique=True),
       st.integers(0, 500))
def test_bar_and_stacked_labels_never_overlap(categories: list[str], names: list[str], top: int) -> None:
    series = {n: [float((top * (i + 1)) % (top + 1)) for i in range(len(categories))] for n in names}
    for chart in (bar_chart("b", "t", categories, series, unit=""), stacked_bar_chart("s", "t", categories, series)):
        root = ET.fromstring(str(chart))
        boxes = _boxes(root)
        assert _overlaps(boxes) == []
        assert all(b[0] >= 0 and b[2] <= WIDTH for b in boxes)
        ticks = _ticks_of(root)
        steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
        assert len(steps) == 1 and _is_125(steps.pop())


@settings(max_examples=100, deadline=None)
@given(st.lists(label, min_size=1, max_size=60),
       st.lists(st.one_of(st.none(), st.floats(0, 100)), min_size=1, max_size=60))
def test_line_labels_never_overlap(x_labels: list[str], raw: list[float | None]) -> None:
    values = (raw * len(x_labels))[:len(x_labels)]
    root = ET.fromstring(str(line_chart("l", "t", x_labels, {"a": values, "b": values[::-1]}, y_max=100,
                                        lang="zh-TW")))
    boxes = _boxes(root)
    assert _overlaps(boxes) == []
    assert all(b[0] >= 0 and b[2] <= WIDTH for b in boxes)
    shown = [b[4] for b in boxes if b[4] in x_labels]
    assert x_labels[-1] in shown  # the latest point is always labelled


def test_one_point_trend_shows_its_value_and_says_there_is_no_trend() -> None:
    root = ET.fromstring(str(line_chart("l", "各階段IPv6就緒率", ["115/12/04 01:30"],
                                        {"第1階段": [100.0], "第2階段": [81.8]}, y_max=100, lang="zh-TW")))
    texts = {t.get("class"): [] for t in root.iter(f"{SVG}text")}
    for t in root.iter(f"{SVG}text"):
        texts[t.get("class")].append("".join(t.itertext()))
    assert texts["nc-value"] == ["第1階段: 100%", "第2階段: 81.8%"]
    assert any("尚無趨勢" in note for note in texts["nc-chart-note"])
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) == 2 and all(float(c.get("cx", "0")) > 200 for c in circles)  # in the middle, not on the axis
    assert _overlaps(_boxes(root)) == []


# Charts as the report draws them, for the browser: long Chinese names, many categories, 30 dated points.
def _charts() -> str:
    agencies = ["範例市政府", "範例市政府教育局", "範例市某某區公所", "Example City Education Bureau", "dt-office",
                "ed-bureau-long-name-of-a-school", "X", "Y", "範例市政府警察局交通警察大隊", "消防局"]
    severities = ["嚴重", "高", "中", "低", "資訊"]
    days = [f"115/11/{d:02d} 01:30" for d in range(1, 31)]
    return "".join(str(c) for c in (
        stacked_bar_chart("a", "各機關未通過發現數", agencies,
                          {s: [float(i * 7 % 13) for i in range(len(agencies))] for s in severities}),
        bar_chart("b", "IPv6", ["第1階段", "第2階段", "第3階段"],
                  {"範例市政府": [100, 0, 81.8], "範例市政府教育局": [50, None, 20]}, y_max=100),
        line_chart("c", "trend", days, {"第1階段": [float(i * 3) for i in range(30)],
                                        "第2階段": [None] * 29 + [40.0]}, y_max=100, lang="zh-TW"),
        line_chart("d", "各階段IPv6就緒率", ["115/12/04 01:30"],
                   {"第1階段": [100.0], "第2階段": [100.0], "第3階段": [81.8]}, y_max=100, lang="zh-TW"),
        line_chart("e", "IPv6 readiness", ["2026-12-04 01:30"], {"Phase 1": [100.0]}, y_max=100, lang="en"),
    ))


BOXES_JS = """() => Array.from(document.querySelectorAll('svg.nc-chart')).map(svg => Array.from(svg.querySelectorAll(
    'text')).filter(t => t.textContent.trim()).map(t => { const r = t.getBoundingClientRect();
    const s = svg.getBoundingClientRect();
    return {text: t.textContent.trim(), x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
            inside: r.left >= s.left - 0.5 && r.right <= s.right + 0.5 && r.top >= s.top - 0.5 && r.bottom <= s.bottom + 0.5}; }))"""


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (tools/system-deps.sh)")
def test_drawn_label_boxes_do_not_intersect_in_chromium(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    page_path = tmp_path / "charts.html"
    page_path.write_text(f'<!DOCTYPE html><html lang="zh-Hant-TW"><meta charset="utf-8"><body>{_charts()}</body></html>',
                         encoding="utf-8")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                        headless=True, args=["--headless", "--no-sandbox"])
        try:
            page = context.new_page()
            page.goto(page_path.as_uri(), wait_until="load")
            charts: list[list[dict[str, Any]]] = page.evaluate(BOXES_JS)
        finally:
            context.close()
    assert len(charts) == 5
    for boxes in charts:
        assert all(b["inside"] for b in boxes), [b["text"] for b in boxes if not b["inside"]]
        clash = [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                 if a["x0"] < b["x1"] - 0.5 and b["x0"] < a["x1"] - 0.5 and a["y0"] < b["y1"] - 0.5
                 and b["y0"] < a["y1"] - 0.5]
        assert clash == []
