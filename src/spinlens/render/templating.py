"""The one Jinja set-up of the reports and the workspace, and what both draw of an
article from the layer registry: marks, layer toggles, panels, styles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2

from spinlens import layers as registry
from spinlens.model import Article
from spinlens.render.marks import Piece, describe, marks_of, segments

TEMPLATES = Path(__file__).parent / "templates"


def safe_url(url: str | None) -> str | None:
    """The URL if it may become a link (http/https only), else None."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


def path_quote(value: str) -> str:
    """A value as one URL path segment."""
    return quote(value, safe="")


def environment(*folders: Path) -> jinja2.Environment:
    """Templates from `folders`, the shared ones (text, layer toggles) and every
    registered layer's panel; autoescaped, strict about undefined names."""
    panels = [s.panel.folder for s in registry.panels() if s.panel]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*folders, TEMPLATES, *dict.fromkeys(panels)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(describe=describe, safe_url=safe_url, title=registry.title, q=path_quote)
    return env


def layer_css() -> str:
    """The rules every mark shares (focus, details on focus), then each layer's."""
    shared = (TEMPLATES / "marks.css").read_text(encoding="utf-8")
    return "\n".join([shared, *(s.css for s in registry.specs() if s.css)]) + "\n"


@dataclass(frozen=True)
class Toggle:
    """A checkbox showing or hiding one layer's marks; `on`: ticked when the page opens."""

    name: str
    title: str
    style: str
    count: int | None
    on: bool


@dataclass(frozen=True)
class ScoreFilterView:
    """The technique marks' minimum-score filter: radio buttons over `steps`, the
    `checked`-th ticked."""

    steps: tuple[float, ...]
    checked: int


def score_filter(min_score: float | None = None) -> ScoreFilterView:
    """The filter starting at `min_score` (default: the model's display threshold)."""
    from spinlens.techniques.display import STEPS, default_min_score, step_of

    start = default_min_score() if min_score is None else min_score
    return ScoreFilterView(STEPS, step_of(start))


@dataclass(frozen=True)
class PanelView:
    name: str
    template: str
    data: Any


@dataclass(frozen=True)
class ArticleView:
    """What a report section or the workspace's article page draws."""

    article: Article
    segments: list[Piece]
    toggles: list[Toggle]
    panels: list[PanelView]
    analysed: set[str]
    """Layers the pipeline that produced this result ran (found or not)."""


def analysed_layers(article: Article) -> set[str]:
    """Layers with spans, or whose producing component ran, or carried along."""
    components = " ".join(article.pipeline.get("components") or []).lower()
    return {
        s.name
        for s in registry.specs()
        if article.layers.get(s.name)
        or any(word in components for word in s.producers)
        or s.name in article.extra
    }


def toggles(layers: tuple[str, ...], article: Article | None = None) -> list[Toggle]:
    """A toggle per shown layer with marks (with its span count for one article)."""
    return [
        Toggle(
            s.name,
            s.title,
            s.style,
            len(article.layers.get(s.name, [])) if article else None,
            s.visible,
        )
        for s in registry.specs()
        if s.marks and s.name in layers
    ]


def article_view(article: Article, layers: tuple[str, ...] | None = None) -> ArticleView:
    """The article's marks, toggles and panels for the `layers` shown (default all)."""
    shown = tuple(s.name for s in registry.specs()) if layers is None else layers
    panels = [
        PanelView(s.name, s.panel.template, s.panel.data(article))
        for s in registry.panels()
        if s.panel and s.name in shown
    ]
    analysed = analysed_layers(article)
    return ArticleView(
        article,
        segments(article.text, marks_of(article, shown)),
        toggles(tuple(name for name in shown if name in analysed), article),
        panels,
        analysed,
    )
