"""Charts as inline SVG: no JavaScript, no CDN, identical in the browser, in WeasyPrint's PDF, and years later.

Why hand-drawn SVG rather than a plotting library: the report must work offline and render to PDF, and the
same run must give the same bytes (matplotlib embeds ids and dates). The charts a compliance report needs are
few: grouped bars (readiness per phase and agency), stacked bars (control statuses per framework) and lines
(availability or readiness over time). Every chart is ``<svg class="nc-chart" role="img">`` with a ``<title>``,
so screen readers and the browser test can find it.

Values may be ``None`` (unknown): a bar is left out, a line is broken; never drawn as zero.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

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

_W, _H = 640, 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 16, 36, 64


def _fmt(x: float) -> str:
    """Coordinates with two decimals at most, so output is stable across platforms."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _colour(i: int, name: str, colours: Mapping[str, str] | None) -> str:
    """The caller's colour for ``name``, else the status colour a reader expects, else the palette's next."""
    if colours and name in colours:
        return colours[name]
    return STATUS_COLOURS.get(name, PALETTE[i % len(PALETTE)])


def _open(chart_id: str, title: str, kind: str) -> list[str]:
    return [
        f'<svg class="nc-chart nc-{kind}" id="{escape(chart_id)}" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {_W} {_H}" width="{_W}" height="{_H}" aria-labelledby="{escape(chart_id)}-title" '
        f'font-family="{FONT_FAMILY}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<text x="{_W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]


def _axis(y_max: float, unit: str) -> list[str]:
    """Horizontal grid lines and y labels at 0, 25, 50, 75 and 100 % of ``y_max``."""
    parts = []
    plot_h = _H - _TOP - _BOTTOM
    for i in range(5):
        value = y_max * i / 4
        y = _TOP + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{_LEFT}" y1="{_fmt(y)}" x2="{_W - _RIGHT}" y2="{_fmt(y)}" stroke="#ddd"/>')
        label = f"{value:.0f}{unit}" if y_max >= 4 else f"{value:.2g}{unit}"
        parts.append(f'<text x="{_LEFT - 6}" y="{_fmt(y + 4)}" text-anchor="end" font-size="11">{escape(label)}</text>')
    return parts


def _legend(names: Sequence[str], colours: Mapping[str, str] | None) -> list[str]:
    parts = []
    x = _LEFT
    y = _H - 12
    for i, name in enumerate(names):
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{_colour(i, name, colours)}"/>')
        parts.append(f'<text x="{x + 14}" y="{y}" font-size="11">{escape(name)}</text>')
        x += 24 + _text_width(name)
    return parts


def _text_width(text: str) -> int:
    """Rough width in pixels at 11px: a CJK (wide) character takes about twice a Latin one."""
    return sum(12 if unicodedata.east_asian_width(ch) in ("W", "F") else 7 for ch in text)


def _category_labels(categories: Sequence[str], slot: float) -> list[str]:
    y = _H - _BOTTOM + 16
    return [
        f'<text x="{_fmt(_LEFT + slot * (i + 0.5))}" y="{y}" text-anchor="middle" font-size="11">{escape(c)}</text>'
        for i, c in enumerate(categories)
    ]


def _scale(values: Sequence[float | None], y_max: float | None) -> float:
    top = max((v for v in values if v is not None), default=0.0)
    return y_max if y_max is not None else (top * 1.1 if top > 0 else 1.0)


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
    top = _scale([v for vals in series.values() for v in vals], y_max)
    plot_h = _H - _TOP - _BOTTOM
    slot = (_W - _LEFT - _RIGHT) / max(len(categories), 1)
    bar_w = slot * 0.8 / max(len(series), 1)
    parts = _open(chart_id, title, "bar") + _axis(top, unit)
    for s, (name, values) in enumerate(series.items()):
        colour = _colour(s, name, colours)
        for i, v in enumerate(values):
            if v is None:
                continue
            h = plot_h * min(max(v, 0.0), top) / top
            x = _LEFT + slot * i + slot * 0.1 + bar_w * s
            parts.append(f'<rect class="nc-bar" x="{_fmt(x)}" y="{_fmt(_TOP + plot_h - h)}" width="{_fmt(bar_w)}" '
                         f'height="{_fmt(h)}" fill="{colour}"><title>{escape(f"{categories[i]} · {name}: {v:g}{unit}")}'
                         "</title></rect>")
    parts += _category_labels(categories, slot) + _legend(list(series), colours) + ["</svg>"]
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
    top = _scale(totals, None)
    plot_h = _H - _TOP - _BOTTOM
    slot = (_W - _LEFT - _RIGHT) / max(len(categories), 1)
    parts = _open(chart_id, title, "stacked") + _axis(top, unit)
    for i, category in enumerate(categories):
        base = 0.0
        for s, (name, values) in enumerate(stacks.items()):
            v = values[i]
            if not v:
                continue
            h = plot_h * v / top
            y = _TOP + plot_h - plot_h * base / top - h
            parts.append(f'<rect class="nc-bar" x="{_fmt(_LEFT + slot * i + slot * 0.15)}" y="{_fmt(y)}" '
                         f'width="{_fmt(slot * 0.7)}" height="{_fmt(h)}" fill="{_colour(s, name, colours)}">'
                         f"<title>{escape(f'{category} · {name}: {v:g}{unit}')}</title></rect>")
            base += v
    parts += _category_labels(categories, slot) + _legend(list(stacks), colours) + ["</svg>"]
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
) -> Markup:
    """Lines over time: ``x_labels`` are the points (dates, run ids), ``series[name][i]`` the value at point ``i``.
    A ``None`` breaks the line (a gap in the data is not a zero)."""
    _check_lengths(x_labels, series)
    top = _scale([v for vals in series.values() for v in vals], y_max)
    plot_h = _H - _TOP - _BOTTOM
    n = len(x_labels)
    step = (_W - _LEFT - _RIGHT) / max(n - 1, 1)
    parts = _open(chart_id, title, "line") + _axis(top, unit)
    for s, (name, values) in enumerate(series.items()):
        colour = _colour(s, name, colours)
        run: list[str] = []
        for i, v in enumerate([*values, None]):
            if v is not None:
                x, y = _LEFT + step * i, _TOP + plot_h - plot_h * min(max(v, 0.0), top) / top
                run.append(f"{_fmt(x)},{_fmt(y)}")
                parts.append(f'<circle class="nc-point" cx="{_fmt(x)}" cy="{_fmt(y)}" r="3" fill="{colour}">'
                             f"<title>{escape(f'{x_labels[i]} · {name}: {v:g}{unit}')}</title></circle>")
            elif run:
                parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"/>')
                run = []
    every = max(1, n // 8)  # at most about eight labels under the axis
    parts += [
        f'<text x="{_fmt(_LEFT + step * i)}" y="{_H - _BOTTOM + 16}" text-anchor="middle" font-size="10">'
        f"{escape(label)}</text>"
        for i, label in enumerate(x_labels) if i % every == 0 or i == n - 1
    ]
    parts += [*_legend(list(series), colours), "</svg>"]
    return Markup("\n".join(parts))


def _check_lengths(categories: Sequence[str], series: Mapping[str, Sequence[object]]) -> None:
    for name, values in series.items():
        if len(values) != len(categories):
            raise ValueError(f"chart series {name!r} has {len(values)} values for {len(categories)} categories")
