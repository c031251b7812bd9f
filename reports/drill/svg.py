"""Inline SVG charts, generated here: no JavaScript, no CDN, nothing fetched, so the report works offline and
prints (WeasyPrint renders SVG). Text is escaped; numbers come from the report document only."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

OPEN_COLOUR = "#4e79a7"
CLICK_COLOUR = "#e15759"


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def department_bars(departments: Sequence[dict[str, Any]], open_mark: float, click_mark: float,
                    labels: tuple[str, str, str]) -> str:
    """Open and click rate per department (suppressed ones left out), with the two pass marks drawn across.
    ``labels`` = (open rate, click rate, pass mark)."""
    rows = [d for d in departments if not d.get("suppressed") and d.get("open_rate") is not None]
    rows.sort(key=lambda d: (-(d["click_rate"] or 0), -(d["open_rate"] or 0), d["name"]))
    left, width, bar, gap, top = 190, 460, 7, 6, 34
    scale_max = max([0.2, open_mark * 1.5, *[d["open_rate"] for d in rows]])
    height = top + len(rows) * (2 * bar + gap) + 30

    def x(v: float) -> float:
        return left + width * v / scale_max

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {left + width + 60} {height}" '
             f'width="100%" font-family="Noto Sans CJK TC, Noto Sans, sans-serif" font-size="11">',
             f'<title>{escape(labels[0])} / {escape(labels[1])}</title>',
             f'<rect x="{left}" y="6" width="10" height="10" fill="{OPEN_COLOUR}"/>'
             f'<text x="{left + 14}" y="15">{escape(labels[0])}</text>',
             f'<rect x="{left + 140}" y="6" width="10" height="10" fill="{CLICK_COLOUR}"/>'
             f'<text x="{left + 154}" y="15">{escape(labels[1])}</text>']
    for i, d in enumerate(rows):
        y = top + i * (2 * bar + gap)
        parts.append(f'<text x="{left - 6}" y="{y + bar + 4}" text-anchor="end">{escape(str(d["name"]))}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{x(d["open_rate"]) - left:.1f}" height="{bar}" '
                     f'fill="{OPEN_COLOUR}"><title>{escape(str(d["name"]))}: {_pct(d["open_rate"])}</title></rect>')
        parts.append(f'<rect x="{left}" y="{y + bar}" width="{x(d["click_rate"]) - left:.1f}" height="{bar}" '
                     f'fill="{CLICK_COLOUR}"><title>{escape(str(d["name"]))}: {_pct(d["click_rate"])}</title></rect>')
    bottom = top + len(rows) * (2 * bar + gap)
    for mark, colour in ((open_mark, OPEN_COLOUR), (click_mark, CLICK_COLOUR)):
        parts.append(f'<line x1="{x(mark):.1f}" y1="{top - 6}" x2="{x(mark):.1f}" y2="{bottom}" stroke="{colour}" '
                     f'stroke-dasharray="4 3" stroke-width="1.5"/>'
                     f'<text x="{x(mark):.1f}" y="{bottom + 12}" text-anchor="middle" fill="{colour}">'
                     f'{escape(labels[2])} {_pct(mark)}</text>')
    for tick in range(0, int(scale_max * 100) + 1, 5):
        parts.append(f'<text x="{x(tick / 100):.1f}" y="{bottom + 25}" text-anchor="middle" fill="#666">{tick}%</text>')
    parts.append("</svg>")
    return "".join(parts)


def trend_lines(points: Sequence[dict[str, Any]], open_mark: float, click_mark: float,
                labels: tuple[str, str, str]) -> str:
    """Agency open and click rate over the drills, oldest first, with the marks as dashed lines."""
    pts = [p for p in points if p.get("open_rate") is not None]
    if len(pts) < 2:
        return ""
    left, width, top, h = 50, 520, 24, 160
    ymax = max([open_mark * 1.5, *[p["open_rate"] for p in pts]])

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + width * i / (len(pts) - 1), top + h - h * v / ymax

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {left + width + 40} {top + h + 40}" '
             f'width="100%" font-family="Noto Sans CJK TC, Noto Sans, sans-serif" font-size="11">']
    for key, colour, label in (("open_rate", OPEN_COLOUR, labels[0]), ("click_rate", CLICK_COLOUR, labels[1])):
        coords = [xy(i, p[key]) for i, p in enumerate(pts)]
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                     + " ".join(f"{a:.1f},{b:.1f}" for a, b in coords) + '"/>')
        for (a, b), p in zip(coords, pts, strict=True):
            parts.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"><title>{escape(str(p["drill"]))}'
                         f' {escape(label)} {_pct(p[key])}</title></circle>')
    for mark, colour in ((open_mark, OPEN_COLOUR), (click_mark, CLICK_COLOUR)):
        _, y = xy(0, mark)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" stroke="{colour}" '
                     f'stroke-dasharray="4 3"/><text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" '
                     f'fill="{colour}">{_pct(mark)}</text>')
    for i, p in enumerate(pts):
        a, _ = xy(i, 0)
        parts.append(f'<text x="{a:.1f}" y="{top + h + 16}" text-anchor="middle">{escape(str(p["drill"]))[:24]}</text>')
    parts.append("</svg>")
    return "".join(parts)
