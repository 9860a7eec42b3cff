"""The `entities` and `quotes` pipeline components."""

from __future__ import annotations

from collections.abc import Sequence

from spinlens.attribution.embedded import with_reporters
from spinlens.attribution.entities import cluster_entities
from spinlens.attribution.rules import Tagged, find_attributions
from spinlens.attribution.speakers import SpeakerResolver
from spinlens.attribution.tagger import Segment, SequenceTagger, load_tagger
from spinlens.model import Article, Entity, Quote, Span
from spinlens.pipeline import ComponentOptions
from spinlens.pipeline.language import ENGLISH


class EntityLinker:
    """Gives every entity mention its article-level `entity_id` and `canonical` name."""

    name = "entities"
    version = "names-1"
    """Rules only: bump when they change what they link."""
    requires = ("entities",)
    assigns = ("entities",)

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            linked, _ = cluster_entities(article.spans(Entity))
            article.layers["entities"] = list(linked)


class AttributionTagger:
    """Adds the `quotes` layer: who said what, with speakers resolved to entities.
    `tagger`: the sequence tagger to use (default: the shipped one); the version is
    the tagger's (a digest of its weights)."""

    name = "quotes"
    requires = ("doc", "entities")
    uses = ("encoding",)
    assigns = ("quotes",)

    def __init__(self, tagger: SequenceTagger | None = None):
        self.tagger = tagger or load_tagger()
        self.version = self.tagger.version

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            english = article.doc is not None and article.language in ENGLISH
            article.layers["quotes"] = list(attributions(article, self.tagger)) if english else []


def build_linker(options: ComponentOptions) -> EntityLinker:
    """The entity linker (rules only: nothing to configure)."""
    return EntityLinker()


def build(options: ComponentOptions) -> AttributionTagger:
    """The component with the shipped tagger."""
    return AttributionTagger()


def attributions(article: Article, tagger: SequenceTagger) -> list[Quote]:
    """The attributions of one parsed article (`article.doc` must be set)."""
    doc = article.doc
    _, clusters = cluster_entities(article.spans(Entity))
    resolver = SpeakerResolver(doc, clusters)
    quotes = []
    for cand in find_attributions(doc, tagged(article, tagger)):
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
    return with_reporters(doc, quotes)


def tagged(article: Article, tagger: SequenceTagger) -> list[Tagged]:
    """The attributions the trained tagger finds on the article's encoder vectors
    (none without them: the encoder runs on English text only)."""
    if article.encoding is None:
        return []
    linked = tagger.attributions(article.text, article.encoding)
    return [(g.content, extent(g.cue), extent(g.source), g.score) for g in linked]


def extent(segment: Segment | None) -> tuple[int, int] | None:
    return (segment.start, segment.end) if segment is not None else None
