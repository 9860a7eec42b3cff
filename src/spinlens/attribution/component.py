"""The `entities` and `quotes` pipeline components."""

from __future__ import annotations

from collections.abc import Sequence

from spinlens.attribution.entities import cluster_entities
from spinlens.attribution.rules import find_attributions
from spinlens.attribution.speakers import SpeakerResolver
from spinlens.model import Article, Entity, Quote, Span
from spinlens.pipeline.language import ENGLISH

VERSION = "rules-1"


def entities_of(article: Article) -> list[Entity]:
    return [e for e in article.layers.get("entities", []) if isinstance(e, Entity)]


class EntityLinker:
    """Gives every entity mention its article-level `entity_id` and `canonical` name."""

    name = "entities"
    version = VERSION

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            linked, _ = cluster_entities(entities_of(article))
            article.layers["entities"] = list(linked)


class AttributionTagger:
    """Adds the `quotes` layer: who said what, with speakers resolved to entities."""

    name = "quotes"
    version = VERSION

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            english = article.doc is not None and article.language in ENGLISH
            article.layers["quotes"] = list(attributions(article)) if english else []


def attributions(article: Article) -> list[Quote]:
    """The attributions of one parsed article (`article.doc` must be set)."""
    doc = article.doc
    _, clusters = cluster_entities(entities_of(article))
    resolver = SpeakerResolver(doc, clusters)
    quotes = []
    for cand in find_attributions(doc):
        parts = [r for r in (cand.content, cand.cue, cand.source) if r is not None]
        quotes.append(
            Quote(
                min(s for s, _ in parts),
                max(e for _, e in parts),
                Span(*cand.content),
                Span(*cand.cue) if cand.cue else None,
                Span(*cand.source) if cand.source else None,
                resolver.resolve(cand),
                cand.kind,
                round(cand.score, 2),
            )
        )
    return quotes
