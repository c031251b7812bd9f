"""The report's inline-SVG charts: well-formed, one mark per known value, unknowns never drawn as zero."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.charts import bar_chart, line_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"
labels = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)
values = st.one_of(st.none(), st.floats(min_value=0, max_value=1000, allow_nan=False))


@st.composite
def chart_data(draw: st.DrawFn) -> tuple[list[str], dict[str, list[float | None]]]:
    categories = draw(st.lists(labels, min_size=1, max_size=8))
    names = draw(st.lists(labels, min_size=1, max_size=4, unique=True))
    return categories, {n: draw(st.lists(values, min_size=len(categories), max_size=len(categories))) for n in names}


def _parse(markup: str) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.tag == f"{SVG}svg" and "nc-chart" in root.attrib["class"] and root.attrib["role"] == "img"
    return root


@given(chart_data())
def test_bar_chart_draws_one_bar_per_known_value(data: tuple[list[str], dict[str, list[float | None]]]) -> None:
    categories, series = data
    root = _parse(bar_chart("c", "標題 <&>", categories, series))
    bars = [r for r in root.iter(f"{SVG}rect") if r.attrib.get("class") == "nc-bar"]
    assert len(bars) == sum(v is not None for vals in series.values() for v in vals)
    assert all(float(b.attrib["height"]) >= 0 for b in bars)
    assert root.find(f"{SVG}title").text == "標題 <&>"  # escaped in markup, intact when parsed


@given(chart_data())
def test_line_chart_marks_known_points_and_breaks_at_unknowns(data: tuple[list[str], dict[str, list[float | None]]]) -> None:
    x_labels, series = data
    root = _parse(line_chart("l", "t", x_labels, series))
    points = list(root.iter(f"{SVG}circle"))
    assert len(points) == sum(v is not None for vals in series.values() for v in vals)
    # every unbroken run of known values is one polyline
    runs = 0
    for vals in series.values():
        previous = None
        for v in vals:
            runs += v is not None and previous is None
            previous = v
    assert len(list(root.iter(f"{SVG}polyline"))) == runs


@given(st.lists(st.tuples(labels, st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=6))
def test_stacked_bar_segments_add_up_to_the_total(rows: list[tuple[str, int, int]]) -> None:
    categories = [r[0] for r in rows]
    stacks = {"pass": [float(r[1]) for r in rows], "fail": [float(r[2]) for r in rows]}
    root = _parse(stacked_bar_chart("s", "t", categories, stacks))
    segments = [r for r in root.iter(f"{SVG}rect") if r.attrib.get("class") == "nc-bar"]
    assert len(segments) == sum(1 for r in rows for v in r[1:] if v)
    tallest = max(r[1] + r[2] for r in rows)
    heights = {i: 0.0 for i in range(len(rows))}
    for seg, (i, _) in zip(segments, [(i, v) for i, r in enumerate(rows) for v in r[1:] if v], strict=True):
        heights[i] += float(seg.attrib["height"])
    # segment heights add up to heights proportional to the totals (one scale for every bar)
    top = max(heights.values())
    for i, r in enumerate(rows):
        if tallest:
            assert heights[i] == pytest.approx(top * (r[1] + r[2]) / tallest, abs=0.05)


def test_same_input_gives_the_same_bytes() -> None:
    args = ("x", "IPv6", ["第一階段", "第二階段"], {"2026-10": [50.0, None], "2026-11": [75.0, 20.0]})
    assert bar_chart(*args) == bar_chart(*args)
    assert line_chart(*args) == line_chart(*args)


def test_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="has 1 values for 2 categories"):
        bar_chart("x", "t", ["a", "b"], {"s": [1.0]})
