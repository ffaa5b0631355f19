"""Small inline SVG charts drawn in Python: grouped bars, lines, horizontal bars.

Every function returns an ``<svg>`` element as text, with a ``<title>`` and ``role="img"`` for
screen readers, and colours as presentation attributes (no ``style`` attributes, so a page
under a strict Content-Security-Policy shows them). Every label is escaped.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 28, 44
PALETTE = ("#1f4e79", "#7fb3d5", "#b4232a", "#e39b3a")


@dataclass(frozen=True)
class Series:
    """One named row of values; None is a gap (a day without answers)."""

    name: str
    values: tuple[float | None, ...]
    colour: str


def axis(value: float) -> tuple[float, int]:
    """The top of an axis reaching ``value`` and its number of grid steps: the steps are the
    smallest 1, 2 or 5 × 10ⁿ that cover ``value`` in at most five (0–4 for nothing)."""
    if value <= 0:
        return 4.0, 4
    power = 10.0 ** (math.floor(math.log10(value)) - 1)
    while True:
        for step in (1, 2, 5):
            steps = math.ceil(value / (step * power) - 1e-9)
            if steps <= 5:
                return step * power * steps, max(steps, 1)
        power *= 10


def fit(label: str, width: int = 34) -> str:
    """``label`` cut to ``width`` half-width columns (a CJK character takes two), with …."""
    used, kept = 0, list[str]()
    for ch in label:
        used += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used > width:
            return "".join(kept[:-1]) + "…"
        kept.append(ch)
    return label


def _number(value: float) -> str:
    return f"{value:g}" if value < 1e6 else f"{value:.3g}"


def _frame(title: str, top: float, steps: int, fmt: Callable[[float], str],
           labels: Sequence[str], legend: Sequence[Series]) -> list[str]:
    """The title, the horizontal grid with its values, the x labels and the legend."""
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-label="{escape(title)}" class="chart">',
             f"<title>{escape(title)}</title>"]
    for i in range(steps + 1):
        y = TOP + plot_h * (1 - i / steps)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#e5e7eb" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#57606a">{escape(fmt(top * i / steps))}</text>')
    step = max(1, math.ceil(len(labels) / 12))  # at most a dozen x labels
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    for i, label in enumerate(labels):
        if i % step == 0:
            x = LEFT + slot * (i + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                         f'font-size="11" fill="#57606a">{escape(label)}</text>')
    x = LEFT
    for series in legend:
        parts.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{escape(series.colour)}"/>')
        parts.append(f'<text x="{x + 16}" y="18" font-size="12" fill="#1f2328">'
                     f"{escape(series.name)}</text>")
        x += 28 + 13 * len(series.name)
    return parts


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series],
              fmt: Callable[[float], str] = _number) -> str:
    """Grouped vertical bars: one group per label, one bar per series."""
    top, steps = axis(max((v or 0.0 for s in series for v in s.values), default=0.0))
    parts = _frame(title, top, steps, fmt, labels, series)
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    bar = slot * 0.8 / max(len(series), 1)
    for k, s in enumerate(series):
        for i, value in enumerate(s.values):
            if not value:
                continue
            h = plot_h * value / top
            x = LEFT + slot * i + slot * 0.1 + bar * k
            parts.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}" fill="{escape(s.colour)}"><title>'
                         f"{escape(labels[i])} {escape(s.name)}：{escape(fmt(value))}"
                         "</title></rect>")
    parts.append("</svg>")
    return "".join(parts)


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series],
               fmt: Callable[[float], str] = _number, top: float | None = None) -> str:
    """Lines over the labels, broken where a value is None, with a dot at every value;
    ``top`` fixes the top of the axis (100 for a percentage)."""
    highest = max((v for s in series for v in s.values if v is not None), default=0.0)
    top, steps = (top, 4) if top else axis(highest)
    parts = _frame(title, top, steps, fmt, labels, series)
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    for s in series:
        run: list[str] = []
        for i, value in enumerate((*s.values, None)):
            if value is None:
                if len(run) > 1:
                    parts.append(f'<polyline points="{" ".join(run)}" fill="none" '
                                 f'stroke="{escape(s.colour)}" stroke-width="2"/>')
                run = []
                continue
            x, y = LEFT + slot * (i + 0.5), TOP + plot_h * (1 - value / top)
            run.append(f"{x:.1f},{y:.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{escape(s.colour)}">'
                         f"<title>{escape(labels[i])} {escape(s.name)}：{escape(fmt(value))}"
                         "</title></circle>")
    parts.append("</svg>")
    return "".join(parts)


def hbar_chart(title: str, items: Sequence[tuple[str, float]], colour: str = PALETTE[0],
               fmt: Callable[[float], str] = _number) -> str:
    """Horizontal bars, one per (label, value), in the given order; long labels are cut."""
    row, label_w = 24, 220
    height = TOP + row * max(len(items), 1) + 8
    top, _ = axis(max((v for _, v in items), default=0.0))
    plot_w = WIDTH - label_w - RIGHT - 48
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
             f'role="img" aria-label="{escape(title)}" class="chart">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(items):
        y = TOP + row * i
        shown = fit(label)
        w = plot_w * value / top
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12" '
                     f'fill="#1f2328">{escape(shown)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" '
                     f'fill="{escape(colour)}"><title>{escape(label)}：{escape(fmt(value))}'
                     "</title></rect>")
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="12" '
                     f'fill="#57606a">{escape(fmt(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)
