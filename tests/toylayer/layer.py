"""The `hedges` layer: one span type, one component, one spec."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spinlens.layers import Facet, FacetRow, LayerSpec, Panel
from spinlens.model import Article, Span
from spinlens.pipeline import ComponentOptions
from spinlens.render.marks import Mark

HEDGE = re.compile(r"\b(reportedly|allegedly|apparently)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Hedge(Span):
    """A hedging word."""

    word: str


class HedgeFinder:
    name = "hedges"
    version = "toy-1"
    requires = ("language",)
    assigns = ("hedges",)

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            article.layers["hedges"] = [
                Hedge(m.start(), m.end(), m.group().lower()) for m in HEDGE.finditer(article.text)
            ]


def build(options: ComponentOptions) -> HedgeFinder:
    return HedgeFinder()


def hedge_facets(data: dict[str, Any]) -> Iterable[FacetRow]:
    for item in data.get("hedges") or []:
        yield "hedge", str(item["word"]), None


def hedge_marks(article: Article) -> list[Mark]:
    return [
        Mark(h.start, h.end, "hedges", h.word, f"hedge: {h.word}", "hedge")
        for h in article.spans(Hedge)
    ]


SPEC = LayerSpec(
    "hedges",
    Hedge,
    "Hedges",
    counted=True,
    facets=(Facet("hedge", "Hedge"),),
    facet_rows=hedge_facets,
    marks=hedge_marks,
    style="dotted",
    css=".text span.hedge { border-bottom: 2px dotted #555; }",
    panel=Panel("hedges.html.j2", Path(__file__).parent, lambda a: a.spans(Hedge), 60),
    component="toylayer.layer:build",
    producers=("hedges",),
)
