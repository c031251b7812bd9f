"""Charts as inline SVG: no JavaScript, no CDN, identical in the browser, in WeasyPrint's PDF, and years later.

Why hand-drawn SVG rather than a plotting library: the report must work offline and render to PDF, and the
same run must give the same bytes (matplotlib embeds ids and dates). The charts a compliance report needs are
few: grouped bars (readiness per phase and agency), stacked bars (control statuses per framework) and lines
(availability or readiness over time). Every chart is ``<svg class="nc-chart" role="img">`` with a ``<title>``,
so screen readers and the browser test can find it.

Readable on paper: the value axis ticks at round numbers (1-2-5 steps: 0, 20, 40 ... not 31, 63, 94); labels
under the axis wrap to two lines or are thinned out so that no two overlap (each keeps its full text as a
tooltip), legends wrap to further rows; a trend with a single point shows the point's value and says that
there is no trend yet, instead of a lone dot on the axis.

Values may be ``None`` (unknown): a bar is left out, a line is broken; never drawn as zero.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Colour-blind-safe palette (Okabe-Ito), in series order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

#: Colours with a meaning, for statuses that readers expect to see in the same colour everywhere.
STATUS_COLOURS = {
    "pass": "#009E73", "fail": "#D55E00", "partial": "#E69F00", "manual": "#56B4E9",
    "not_assessed": "#999999", "not_applicable": "#DDDDDD", "error": "#CC79A7",
    "up": "#009E73", "down": "#D55E00", "unknown": "#BBBBBB",
}

#: Traditional Chinese glyphs first: without it a PDF renderer draws chart labels in its default serif font and
#: takes CJK glyphs from whichever Noto CJK region comes first (Japanese forms of 說, 別 ...).
FONT_FAMILY = "'Noto Sans CJK TC', 'Noto Sans TC', 'Microsoft JhengHei', 'PingFang TC', sans-serif"

#: Text colour of every label: #333 on white is 12.6:1 (WCAG AA needs 4.5:1).
INK = "#333333"
_W, _H = 640, 300
_LEFT, _RIGHT, _TOP = 56, 16, 36
_FONT = 11  # px, labels and legends
_LINE = 14  # px between the two lines of a wrapped label
_ROW = 18  # px between two legend rows
_GAP = 6  # px kept free between two labels
_LABEL_DY = 22  # baseline of the labels under the axis, below the zero line (clear of the "0" tick label)
_NOTES = {"en": "One run so far: no trend yet (the value of this run).",
          "zh-TW": "目前僅有一次稽核資料，尚無趨勢（圖示為本次數值）。"}


def _fmt(x: float) -> str:
    """Coordinates with two decimals at most, so output is stable across platforms."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _colour(i: int, name: str, colours: Mapping[str, str] | None) -> str:
    """The caller's colour for ``name``, else the status colour a reader expects, else the palette's next."""
    if colours and name in colours:
        return colours[name]
    return STATUS_COLOURS.get(name, PALETTE[i % len(PALETTE)])


# ------------------------------------------------------------------------------------------------ axis


def nice_step(span: float, max_ticks: int = 6, *, integer: bool = False) -> float:
    """The smallest 1-2-5 step (1, 2, 5, 10, 20 ...) that covers ``span`` in at most ``max_ticks - 1`` steps;
    never below 1 for whole-number data (no "0.5 devices")."""
    if not span > 1e-9:  # nothing (or next to nothing) to show: a unit axis
        return 1.0
    raw = span / max(max_ticks - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    return max(step, 1.0) if integer else step


def nice_ticks(top: float, max_ticks: int = 6, *, integer: bool = False) -> list[float]:
    """Ticks from 0 to the first multiple of the step at or above ``top``: 0, 50, 100, 150 for 125."""
    step = nice_step(top, max_ticks, integer=integer)
    count = max(1, math.ceil(top / step - 1e-9))
    return [float(f"{step * i:.12g}") for i in range(count + 1)]


def _ticks_for(values: Sequence[float | None], y_max: float | None) -> list[float]:
    known = [v for v in values if v is not None]
    top = y_max if y_max is not None else max(known, default=0.0)
    return nice_ticks(top if top > 0 else 1.0, integer=all(float(v).is_integer() for v in known))


def _tick_label(value: float, unit: str) -> str:
    return f"{value:.0f}{unit}" if float(value).is_integer() else f"{value:g}{unit}"


# ------------------------------------------------------------------------------------------------ text


def text_width(text: str, size: float = _FONT) -> float:
    """A generous estimate of a label's width in pixels: CJK (wide) characters are a full em, capitals and
    wide Latin letters 0.8 em, the rest 0.62 em. Generous on purpose: the layout keeps labels apart by it."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 1.05
        elif ch.isupper() or ch in "mwMW%@#&":
            width += 0.8
        else:
            width += 0.62
    return width * size


def _text_width(text: str) -> int:
    """Rough width in pixels at 11px (kept for callers of the older name)."""
    return math.ceil(text_width(text))


def _wrap(label: str, width: float, lines: int = 2) -> list[str]:
    """``label`` in at most ``lines`` lines of at most ``width`` pixels: broken at a space when there is one,
    else between characters; the last line ends in an ellipsis when the label is longer still."""
    out: list[str] = []
    rest = label
    while rest and len(out) < lines:
        if text_width(rest) <= width:
            out.append(rest)
            return out
        cut = len(rest)
        while cut > 1 and text_width(rest[:cut]) > width:
            cut -= 1
        space = rest.rfind(" ", 0, cut + 1)
        if space > 0 and len(out) < lines - 1:
            cut = space
        if len(out) == lines - 1:
            while cut > 1 and text_width(rest[:cut] + "…") > width:
                cut -= 1
            out.append(rest[:cut].rstrip() + "…")
            return out
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return out


@dataclass(frozen=True)
class _Label:
    """One label under the axis: its full text, its lines, and where it is drawn (centre x, clamped to the
    chart so the first and last labels are not cut off)."""

    full: str
    lines: tuple[str, ...]
    x: float

    @property
    def half(self) -> float:
        return max((text_width(line) for line in self.lines), default=0.0) / 2

    def svg(self, y: float, size: int = _FONT) -> str:
        spans = "".join(f'<tspan x="{_fmt(self.x)}" dy="{0 if i == 0 else _LINE}">{escape(line)}</tspan>'
                        for i, line in enumerate(self.lines))
        return (f'<text class="nc-axis-label" x="{_fmt(self.x)}" y="{_fmt(y)}" text-anchor="middle" '
                f'font-size="{size}" fill="{INK}"><title>{escape(self.full)}</title>{spans}</text>')


def _place(full: str, lines: list[str], x: float) -> _Label:
    half = max((text_width(line) for line in lines), default=0.0) / 2
    return _Label(full, tuple(lines), min(max(x, half + 2), _W - half - 2))


def _thin(labels: list[_Label]) -> list[_Label]:
    """Labels left to right, dropping any that would touch the one before (with a gap); the last label is kept
    (the latest point of a trend matters most), at the cost of the one before it."""
    shown: list[_Label] = []
    for label in labels:
        if not shown or label.x - label.half >= shown[-1].x + shown[-1].half + _GAP:
            shown.append(label)
    if labels and shown[-1] is not labels[-1]:
        last = labels[-1]
        while shown and last.x - last.half < shown[-1].x + shown[-1].half + _GAP:
            shown.pop()
        shown.append(last)
    return shown


def _category_labels(categories: Sequence[str], slot: float) -> list[_Label]:
    """Bar-chart labels, one per slot, wrapped to the slot's width (two lines at most)."""
    width = max(slot - _GAP, 24.0)
    return _thin([_place(c, _wrap(c, width), _LEFT + slot * (i + 0.5)) for i, c in enumerate(categories)])


def _point_labels(x_labels: Sequence[str], xs: Sequence[float]) -> list[_Label]:
    """Line-chart labels under their points, on one line, thinned out so none overlap."""
    return _thin([_place(label, [label], x) for label, x in zip(x_labels, xs, strict=True)])


# ------------------------------------------------------------------------------------------------ frame


def _legend_rows(names: Sequence[str]) -> list[list[tuple[int, str, float]]]:
    """Legend entries (series index, name, x) in rows that fit the chart's width."""
    rows: list[list[tuple[int, str, float]]] = [[]]
    x = float(_LEFT)
    for i, name in enumerate(names):
        width = 14 + text_width(name) + 12
        if rows[-1] and x + width > _W - _RIGHT:
            rows.append([])
            x = float(_LEFT)
        rows[-1].append((i, name, x))
        x += width
    return rows


@dataclass(frozen=True)
class _Frame:
    """Where things go: the value axis (ticks, top), the plot's bottom edge, the labels and the legend rows."""

    ticks: list[float]
    bottom: float  # y of the zero line
    labels: list[_Label]
    legend: list[list[tuple[int, str, float]]]
    top_y: float = _TOP  # y of the highest tick

    @property
    def top(self) -> float:
        return self.ticks[-1]

    @property
    def plot_h(self) -> float:
        return self.bottom - self.top_y

    def y(self, value: float) -> float:
        return self.bottom - self.plot_h * min(max(value, 0.0), self.top) / self.top


def _frame(ticks: list[float], labels: list[_Label], names: Sequence[str], top_y: float = _TOP) -> _Frame:
    lines = max((len(label.lines) for label in labels), default=1)
    legend = _legend_rows(names)
    below = _LABEL_DY + _LINE * (lines - 1) + 22 + _ROW * (len(legend) - 1) + 6  # as _below draws them
    return _Frame(ticks, _H - below, labels, legend, top_y)


def _open(chart_id: str, title: str, kind: str) -> list[str]:
    return [
        f'<svg class="nc-chart nc-{kind}" id="{escape(chart_id)}" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {_W} {_H}" width="{_W}" height="{_H}" aria-labelledby="{escape(chart_id)}-title" '
        f'font-family="{FONT_FAMILY}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<text x="{_W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold" fill="{INK}">'
        f"{escape(title)}</text>",
    ]


def _axis(frame: _Frame, unit: str) -> list[str]:
    """Grid lines and value labels at the round ticks."""
    parts = []
    for value in frame.ticks:
        y = frame.y(value)
        parts.append(f'<line x1="{_LEFT}" y1="{_fmt(y)}" x2="{_W - _RIGHT}" y2="{_fmt(y)}" stroke="#ddd"/>')
        parts.append(f'<text class="nc-tick" x="{_LEFT - 6}" y="{_fmt(y + 4)}" text-anchor="end" '
                     f'font-size="{_FONT}" fill="{INK}">{escape(_tick_label(value, unit))}</text>')
    return parts


def _below(frame: _Frame, colours: Mapping[str, str] | None) -> list[str]:
    """The labels under the axis, then the legend rows."""
    parts = [label.svg(frame.bottom + _LABEL_DY) for label in frame.labels]
    lines = max((len(label.lines) for label in frame.labels), default=1)
    y = frame.bottom + _LABEL_DY + _LINE * (lines - 1) + 22
    for row in frame.legend:
        for i, name, x in row:
            parts.append(f'<rect x="{_fmt(x)}" y="{_fmt(y - 9)}" width="10" height="10" '
                         f'fill="{_colour(i, name, colours)}"/>')
            parts.append(f'<text class="nc-legend" x="{_fmt(x + 14)}" y="{_fmt(y)}" font-size="{_FONT}" '
                         f'fill="{INK}">{escape(name)}</text>')
        y += _ROW
    return parts


# ------------------------------------------------------------------------------------------------ charts


def bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    unit: str = "%",
    y_max: float | None = None,
    colours: Mapping[str, str] | None = None,
) -> Markup:
    """Grouped bars: one group per category, one bar per series (``series[name][i]`` is category ``i``)."""
    _check_lengths(categories, series)
    slot = (_W - _LEFT - _RIGHT) / max(len(categories), 1)
    frame = _frame(_ticks_for([v for vals in series.values() for v in vals], y_max),
                   _category_labels(categories, slot), list(series))
    bar_w = slot * 0.8 / max(len(series), 1)
    parts = _open(chart_id, title, "bar") + _axis(frame, unit)
    for s, (name, values) in enumerate(series.items()):
        colour = _colour(s, name, colours)
        for i, v in enumerate(values):
            if v is None:
                continue
            y = frame.y(v)
            x = _LEFT + slot * i + slot * 0.1 + bar_w * s
            parts.append(f'<rect class="nc-bar" x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(bar_w)}" '
                         f'height="{_fmt(frame.bottom - y)}" fill="{colour}"><title>'
                         f'{escape(f"{categories[i]} · {name}: {v:g}{unit}")}</title></rect>')
    parts += [*_below(frame, colours), "</svg>"]
    return Markup("\n".join(parts))


def stacked_bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    stacks: Mapping[str, Sequence[float]],
    *,
    unit: str = "",
    colours: Mapping[str, str] | None = None,
) -> Markup:
    """Stacked bars: one bar per category, one segment per stack name (e.g. control statuses per framework)."""
    _check_lengths(categories, stacks)
    totals = [sum(stacks[name][i] for name in stacks) for i in range(len(categories))]
    slot = (_W - _LEFT - _RIGHT) / max(len(categories), 1)
    frame = _frame(_ticks_for(totals, None), _category_labels(categories, slot), list(stacks))
    scale = frame.plot_h / frame.top
    parts = _open(chart_id, title, "stacked") + _axis(frame, unit)
    for i, category in enumerate(categories):
        base = 0.0
        for s, (name, values) in enumerate(stacks.items()):
            v = values[i]
            if not v:
                continue
            h = scale * v
            y = frame.bottom - scale * base - h
            parts.append(f'<rect class="nc-bar" x="{_fmt(_LEFT + slot * i + slot * 0.15)}" y="{_fmt(y)}" '
                         f'width="{_fmt(slot * 0.7)}" height="{_fmt(h)}" fill="{_colour(s, name, colours)}">'
                         f"<title>{escape(f'{category} · {name}: {v:g}{unit}')}</title></rect>")
            base += v
    parts += [*_below(frame, colours), "</svg>"]
    return Markup("\n".join(parts))


def line_chart(
    chart_id: str,
    title: str,
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    unit: str = "%",
    y_max: float | None = None,
    colours: Mapping[str, str] | None = None,
    lang: str | None = None,
) -> Markup:
    """Lines over time: ``x_labels`` are the points (dates, run ids), ``series[name][i]`` the value at point ``i``.
    A ``None`` breaks the line (a gap in the data is not a zero). A point standing alone (no neighbour to draw
    a line to) is labelled with its value; a chart of a single point says so (in ``lang``) in the plot."""
    _check_lengths(x_labels, series)
    n = len(x_labels)
    span = _W - _LEFT - _RIGHT
    xs = [_LEFT + span / 2] if n == 1 else [_LEFT + span * i / max(n - 1, 1) for i in range(n)]
    note = n == 1 and lang is not None
    frame = _frame(_ticks_for([v for vals in series.values() for v in vals], y_max), _point_labels(x_labels, xs),
                   list(series), top_y=_TOP + (18 if note else 0))
    parts = _open(chart_id, title, "line") + _axis(frame, unit)
    values_shown: list[tuple[float, float, str]] = []
    for s, (name, values) in enumerate(series.items()):
        parts += _series_line(frame, xs, x_labels, values, _colour(s, name, colours), (name, unit), values_shown)
    parts += _value_labels(frame, values_shown)
    if note:
        parts.append(f'<text class="nc-chart-note" x="{_W / 2}" y="{_TOP + 4}" text-anchor="middle" '
                     f'font-size="{_FONT}" fill="{INK}">{escape(_NOTES.get(str(lang), _NOTES["en"]))}</text>')
    parts += [*_below(frame, colours), "</svg>"]
    return Markup("\n".join(parts))


def _series_line(frame: _Frame, xs: Sequence[float], x_labels: Sequence[str], values: Sequence[float | None],
                 colour: str, name_unit: tuple[str, str], alone: list[tuple[float, float, str]]) -> list[str]:
    """One series: its markers and a polyline per unbroken run; every point standing alone is added to
    ``alone`` (x, y, value text) to be labelled with its value."""
    name, unit = name_unit
    parts: list[str] = []
    run: list[tuple[float, float, float]] = []
    for i, v in enumerate([*values, None]):
        if v is not None:
            x, y = xs[i], frame.y(v)
            run.append((x, y, v))
            parts.append(f'<circle class="nc-point" cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" fill="{colour}">'
                         f"<title>{escape(f'{x_labels[i]} · {name}: {v:g}{unit}')}</title></circle>")
            continue
        if len(run) == 1:
            x, y, value = run[0]
            alone.append((x, y, f"{name}: {value:g}{unit}"))
        if run:
            points = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y, _ in run)
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        run = []
    return parts


def _value_labels(frame: _Frame, points: list[tuple[float, float, str]]) -> list[str]:
    """Value labels beside lone points, each at the free line nearest its point inside the plot (points at the
    same x stack above and below one another); a label with no free line is left to its marker's tooltip."""
    parts: list[str] = []
    placed: list[tuple[float, float, float]] = []  # x0, x1, baseline of the labels drawn
    low, high = frame.top_y + _FONT, frame.bottom - 3
    for x, y, text in sorted(points, key=lambda p: (p[1], p[0], p[2])):
        width = text_width(text)
        left = x + 8 if x + 8 + width <= _W - 2 else x - 8 - width
        start = min(max(y + 4, low), high)
        steps = sorted(range(-20, 21), key=lambda k: (abs(k), k))
        free = (b for b in (start + k * (_LINE + 2) for k in steps) if low <= b <= high and not any(
            left < x1 + _GAP and left + width > x0 - _GAP and abs(b - base) < _LINE + 2 for x0, x1, base in placed))
        base = next(free, None)
        if base is None:
            continue
        placed.append((left, left + width, base))
        parts.append(f'<text class="nc-value" x="{_fmt(left)}" y="{_fmt(base)}" font-size="{_FONT}" '
                     f'fill="{INK}">{escape(text)}</text>')
    return parts


def _check_lengths(categories: Sequence[str], series: Mapping[str, Sequence[object]]) -> None:
    for name, values in series.items():
        if len(values) != len(categories):
            raise ValueError(f"chart series {name!r} has {len(values)} values for {len(categories)} categories")
