"""Server-side SVG charts: plain shapes with presentation attributes (no script, no
style attribute, so the strict Content-Security-Policy holds), every label escaped."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup, escape

from spinlens.techniques import NAMES
from spinlens.techniques.layer import COLOURS as TECHNIQUE_COLOURS

WIDTH = 760
NARROW = 420
LABEL_W = 200
ROW_H = 24
BAR_COLOUR = "#5b7db1"
OTHER_COLOUR = "#cccccc"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def technique_colour(name: str) -> str:
    return TECHNIQUE_COLOURS[NAMES.index(name)] if name in NAMES else OTHER_COLOUR


def short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def svg(height: int, body: list[str], label: str, width: int = WIDTH) -> Markup:
    role = "group" if any(part.startswith("<a ") for part in body) else "img"  # links inside
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="{role}" aria-label="{escape(label)}" {FONT}>'
        f"<title>{escape(label)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def linked(href: str | None, body: str) -> str:
    """`body` as a link to `href` (as is without one)."""
    return f'<a href="{escape(href)}">{body}</a>' if href else body


def empty(label: str, message: str, width: int = WIDTH) -> Markup:
    return svg(40, [f'<text x="8" y="24" fill="#666">{escape(message)}</text>'], label, width)


def hbars(
    items: Sequence[tuple[str, float]],
    label: str,
    unit: str = "",
    percent: bool = False,
    width: int = WIDTH,
    link: Callable[[str], str | None] | None = None,
) -> Markup:
    """Horizontal bars, one per (name, value), in the order given; with `link`,
    each bar leads to the page it gives for the bar's name."""
    if not items:
        return empty(label, "nothing to show yet", width)
    top = max(v for _, v in items) or 1.0
    label_w, chars = (LABEL_W, 26) if width >= WIDTH else (140, 18)
    span = width - label_w - 80
    body = []
    for i, (name, value) in enumerate(items):
        y = 6 + i * ROW_H
        w = max(1.0, span * value / top) if value else 0.0
        one = unit[:-1] if value == 1 and unit.endswith("s") else unit
        shown = f"{100 * value:.1f} %" if percent else f"{value:,.0f}{one}"
        tip = escape(f"{name}: {shown}")
        bar = (
            f"<g><title>{tip}</title>"
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(short(name, chars))}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{ROW_H - 8}" '
            f'fill="{BAR_COLOUR}" rx="2"/>'
            f'<text x="{label_w + w + 5:.1f}" y="{y + 15}" fill="#333">{escape(shown)}</text></g>'
        )
        body.append(linked(link(name) if link else None, bar))
    return svg(12 + len(items) * ROW_H, body, label, width)


def stacked_hbars(
    rows: Sequence[tuple[str, dict[str, float]]],
    label: str,
    unit: str,
    link: Callable[[str, str], str | None] | None = None,
) -> Markup:
    """One horizontal bar per row, split by technique (colours as in the article
    view); with `link`, each part leads to the page it gives for (row, technique)."""
    rows = [(name, parts) for name, parts in rows]
    if not rows or not any(sum(p.values()) for _, p in rows):
        return empty(label, "no technique spans stored yet")
    top = max(sum(p.values()) for _, p in rows) or 1.0
    span = WIDTH - LABEL_W - 70
    body = []
    for i, (name, parts) in enumerate(rows):
        y = 6 + i * ROW_H
        x = float(LABEL_W)
        body.append(
            f'<text x="{LABEL_W - 6}" y="{y + 15}" text-anchor="end">{escape(short(name))}</text>'
        )
        for technique, value in sorted(parts.items(), key=lambda kv: order(kv[0])):
            w = span * value / top
            tip = escape(f"{name} · {technique}: {value:.2f}{unit}")
            part = (
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW_H - 8}" '
                f'fill="{technique_colour(technique)}" stroke="#fff" stroke-width="0.5">'
                f"<title>{tip}</title></rect>"
            )
            body.append(linked(link(name, technique) if link else None, part))
            x += w
        total = sum(parts.values())
        body.append(f'<text x="{x + 5:.1f}" y="{y + 15}" fill="#333">{total:.1f}</text>')
    return svg(12 + len(rows) * ROW_H, body, label)


def stacked_columns(
    cols: Sequence[tuple[str, dict[str, float]]],
    label: str,
    unit: str,
    link: Callable[[str, str], str | None] | None = None,
) -> Markup:
    """One column per period (oldest left), split by technique; with `link`, each
    part leads to the page it gives for (period, technique)."""
    if not cols or not any(sum(p.values()) for _, p in cols):
        return empty(label, "no dated articles with technique spans yet")
    height, base, left = 240, 210, 44
    top = max(sum(p.values()) for _, p in cols) or 1.0
    step = (WIDTH - left - 10) / len(cols)
    bar = max(4.0, step * 0.7)
    body = [
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - 6}" y2="{base}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{base - 180 + 4}" text-anchor="end">{top:.1f}</text>',
        f'<text x="{left - 6}" y="{base + 4}" text-anchor="end">0</text>',
    ]
    for i, (period, parts) in enumerate(cols):
        x = left + i * step + (step - bar) / 2
        y = float(base)
        for technique, value in sorted(parts.items(), key=lambda kv: order(kv[0])):
            h = 180 * value / top
            y -= h
            tip = escape(f"{period} · {technique}: {value:.2f}{unit}")
            part = (
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{technique_colour(technique)}" stroke="#fff" stroke-width="0.5">'
                f"<title>{tip}</title></rect>"
            )
            body.append(linked(link(period, technique) if link else None, part))
        if len(cols) <= 12 or i % max(1, len(cols) // 12) == 0:
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{base + 16}" text-anchor="middle">'
                f"{escape(period)}</text>"
            )
    return svg(height, body, label)


def order(name: str) -> int:
    return NAMES.index(name) if name in NAMES else len(NAMES)


PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#ad494a",
]
"""One colour per outlet's line (the 12 largest outlets)."""
Point = dict[str, Any]


def period_axis(periods: Sequence[str], left: int, base: int) -> tuple[dict[str, float], list[str]]:
    """Each period's x position and the axis labels (at most 8 shown)."""
    step = (WIDTH - left - 10) / max(len(periods), 1)
    xs = {p: left + step * (i + 0.5) for i, p in enumerate(periods)}
    every = max(1, -(-len(periods) // 8))  # at most 8 labels: they do not overlap
    body = [
        f'<text x="{xs[p]:.1f}" y="{base + 16}" text-anchor="middle">{escape(p)}</text>'
        for i, p in enumerate(periods)
        if i % every == 0
    ]
    return xs, body


def lines(
    series: Sequence[tuple[str, Sequence[Point]]],
    label: str,
    link: Callable[[str, Point], str | None] | None = None,
) -> Markup:
    """One line per named series of points (``period``, ``per_1000_words``,
    ``articles``), a dot per point; each dot's title gives its value and the
    number of articles behind it, and with `link` it leads to its articles."""
    periods = sorted({p["period"] for _, points in series for p in points})
    if not periods:
        return empty(label, "no dated articles yet")
    height, base, left = 260, 200, 44
    top = max(p["per_1000_words"] for _, points in series for p in points) or 1.0
    xs, body = period_axis(periods, left, base)
    body += [
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - 6}" y2="{base}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{base - 180 + 4}" text-anchor="end">{top:.1f}</text>',
        f'<text x="{left - 6}" y="{base + 4}" text-anchor="end">0</text>',
    ]
    for i, (name, points) in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        at = [(xs[p["period"]], base - 180 * p["per_1000_words"] / top, p) for p in points]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in at)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
        for x, y, p in at:
            one = "article" if p["articles"] == 1 else "articles"
            tip = f"{name} · {p['period']}: {p['per_1000_words']:.2f} per 1,000 words"
            dot = (
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(tip)} ({p['articles']:,} {one})</title></circle>"
            )
            body.append(linked(link(name, p) if link else None, dot))
        key_y = base + 36 + 14 * (i // 4)
        key_x = left + (i % 4) * 170
        body.append(
            f'<rect x="{key_x}" y="{key_y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{key_x + 14}" y="{key_y}">{escape(short(name, 22))}</text>'
        )
    return svg(height + 14 * ((len(series) - 1) // 4), body, label)


def columns(
    points: Sequence[Point], label: str, link: Callable[[Point], str | None] | None = None
) -> Markup:
    """Articles per period, one column each (oldest left); each leads to its
    articles with `link`."""
    if not points:
        return empty(label, "no dated articles yet")
    height, base, left = 230, 200, 44
    top = max(p["articles"] for p in points) or 1
    xs, body = period_axis([p["period"] for p in points], left, base)
    bar = max(2.0, 0.7 * (WIDTH - left - 10) / len(points))
    body += [
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - 6}" y2="{base}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{base - 180 + 4}" text-anchor="end">{top:,}</text>',
    ]
    for p in points:
        h = 180 * p["articles"] / top
        one = "article" if p["articles"] == 1 else "articles"
        column = (
            f'<rect x="{xs[p["period"]] - bar / 2:.1f}" y="{base - h:.1f}" width="{bar:.1f}" '
            f'height="{h:.1f}" fill="{BAR_COLOUR}">'
            f"<title>{escape(p['period'])}: {p['articles']:,} {one}</title></rect>"
        )
        body.append(linked(link(p) if link else None, column))
    return svg(height, body, label)
