"""Server-side SVG charts: plain shapes with presentation attributes (no script, no
style attribute, so the strict Content-Security-Policy holds), every label escaped."""

from __future__ import annotations

from collections.abc import Sequence

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
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(label)}" {FONT}>'
        f"<title>{escape(label)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def empty(label: str, message: str, width: int = WIDTH) -> Markup:
    return svg(40, [f'<text x="8" y="24" fill="#666">{escape(message)}</text>'], label, width)


def hbars(
    items: Sequence[tuple[str, float]],
    label: str,
    unit: str = "",
    percent: bool = False,
    width: int = WIDTH,
    links: Sequence[str] | None = None,
) -> Markup:
    """Horizontal bars, one per (name, value), in the order given; with `links`, each
    bar leads to its page."""
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
        opening = f'<a href="{escape(links[i])}">' if links else ""
        body.append(
            f"{opening}<g><title>{tip}</title>"
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(short(name, chars))}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{ROW_H - 8}" '
            f'fill="{BAR_COLOUR}" rx="2"/>'
            f'<text x="{label_w + w + 5:.1f}" y="{y + 15}" fill="#333">{escape(shown)}</text></g>'
            + ("</a>" if links else "")
        )
    return svg(12 + len(items) * ROW_H, body, label, width)


def stacked_hbars(rows: Sequence[tuple[str, dict[str, float]]], label: str, unit: str) -> Markup:
    """One horizontal bar per row, split by technique (colours as in the article view)."""
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
            body.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW_H - 8}" '
                f'fill="{technique_colour(technique)}" stroke="#fff" stroke-width="0.5">'
                f"<title>{tip}</title></rect>"
            )
            x += w
        total = sum(parts.values())
        body.append(f'<text x="{x + 5:.1f}" y="{y + 15}" fill="#333">{total:.1f}</text>')
    return svg(12 + len(rows) * ROW_H, body, label)


def stacked_columns(cols: Sequence[tuple[str, dict[str, float]]], label: str, unit: str) -> Markup:
    """One column per period (oldest left), split by technique."""
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
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{technique_colour(technique)}" stroke="#fff" stroke-width="0.5">'
                f"<title>{tip}</title></rect>"
            )
        if len(cols) <= 12 or i % max(1, len(cols) // 12) == 0:
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{base + 16}" text-anchor="middle">'
                f"{escape(period)}</text>"
            )
    return svg(height, body, label)


def order(name: str) -> int:
    return NAMES.index(name) if name in NAMES else len(NAMES)
