"""The `entities` and `quotes` pipeline components."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc

from spinlens.attribution.boundaries import BOUNDARIES_VERSION, fitted
from spinlens.attribution.embedded import with_reporters
from spinlens.attribution.entities import cluster_entities
from spinlens.attribution.ranking import load_ranker
from spinlens.attribution.rules import Candidate, Tagged, find_attributions
from spinlens.attribution.sources import headline_cue, not_an_attribution
from spinlens.attribution.speakers import RESOLVER_VERSION, SpeakerResolver
from spinlens.attribution.tagger import DECODING_VERSION, Segment, SequenceTagger, load_tagger
from spinlens.model import Article, Entity, Quote, Span
from spinlens.pipeline import ComponentOptions
from spinlens.pipeline.language import ENGLISH
from spinlens.readers.text import title_of


class EntityLinker:
    """Gives every entity mention its article-level `entity_id` and `canonical` name."""

    name = "entities"
    version = "names-4"
    """Rules only: bump when they change what they link."""
    requires = ("entities",)
    assigns = ("entities",)

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            linked, _ = cluster_entities(article.spans(Entity))
            article.layers["entities"] = [replace(e, mention="name") for e in linked]


class AttributionTagger:
    """Adds the `quotes` layer: who said what, with speakers resolved to entities; the
    pronoun and description sources it resolves join the `entities` layer.
    `tagger`: the sequence tagger to use (default: the shipped one); the version is
    the tagger's (a digest of its weights), its decoding's, the resolver's, the
    boundary rules' and the pronoun ranker's."""

    name = "quotes"
    requires = ("doc", "entities")
    uses = ("encoding",)
    assigns = ("quotes", "entities")

    def __init__(self, tagger: SequenceTagger | None = None):
        self.tagger = tagger or load_tagger()
        rules = f"{RESOLVER_VERSION}+{BOUNDARIES_VERSION}"
        tagging = f"{self.tagger.version}+{DECODING_VERSION}"
        self.version = f"{tagging}+{rules}+{load_ranker().version}"

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            english = article.doc is not None and article.language in ENGLISH
            found = tagged(article, self.tagger) if english else []
            quotes, joined = attributions(article, found) if english else ([], [])
            article.layers["quotes"] = list(quotes)
            if joined:
                names = article.spans(Entity)
                article.layers["entities"] = sorted([*names, *joined], key=lambda e: e.start)


def build_linker(options: ComponentOptions) -> EntityLinker:
    """The entity linker (rules only: nothing to configure)."""
    return EntityLinker()


def build(options: ComponentOptions) -> AttributionTagger:
    """The component with the shipped tagger."""
    return AttributionTagger()


def attributions(article: Article, found: Sequence[Tagged]) -> tuple[list[Quote], list[Entity]]:
    """The attributions of one parsed article (`article.doc` must be set), given those
    the tagger `found` in it, and the pronoun and description mentions their sources
    add to entities."""
    doc = article.doc
    names = [e for e in article.spans(Entity) if e.is_name]
    _, clusters = cluster_entities(names)
    resolver = SpeakerResolver(doc, clusters)
    quotes = []
    for cand in find_attributions(doc, found):
        if not speaks(doc, article.text, cand):
            continue
        speaker = resolver.resolve(cand)
        cand = fitted(article.text, cand)
        parts = [r for r in (cand.content, cand.cue, cand.source) if r is not None]
        quotes.append(
            Quote(
                min(s for s, _ in parts),
                max(e for _, e in parts),
                Span(*cand.content),
                Span(*cand.cue) if cand.cue else None,
                Span(*cand.source) if cand.source else None,
                speaker,
                cand.kind,
                round(cand.score, 2),
                content_parts=tuple(Span(*p) for p in cand.content_parts),
            )
        )
    return with_reporters(doc, quotes), resolver.joined


def speaks(doc: Doc, text: str, cand: Candidate) -> bool:
    """Whether a candidate is an attribution: not a citation or page furniture, and
    in the headline (`title_of`) or a subheading only as "Name: statement" or with a
    speech verb."""
    source = text[cand.source[0] : cand.source[1]] if cand.source else ""
    if not_an_attribution(source, text[cand.content[0] : cand.content[1]]):
        return False
    in_title = title_of(text) is not None and cand.content[0] < text.find("\n")
    if not in_title and not in_subheading(text, cand.content[0]):
        return True
    cue = doc.char_span(*cand.cue, alignment_mode="expand") if cand.cue else None
    return cue is not None and headline_cue(cue)


HEADING_WORDS = 20
"""Words in a subheading at most."""


def line_at(text: str, offset: int) -> tuple[int, int]:
    """[start, end) of the line holding `offset`, line break left out."""
    end = text.find("\n", offset)
    return text.rfind("\n", 0, offset) + 1, len(text) if end < 0 else end


def in_subheading(text: str, offset: int) -> bool:
    """Whether `offset` lies in a subheading: a short line set off by blank lines (or
    the text's ends) that does not end as a sentence does ("America prevents Iraq
    from acquiring advanced defense systems")."""
    start, end = line_at(text, offset)
    line = text[start:end].strip()
    before = text[slice(*line_at(text, start - 1))] if start else ""
    after = text[slice(*line_at(text, end + 1))] if end < len(text) else ""
    return (
        not before.strip()
        and not after.strip()
        and 0 < len(line.split()) <= HEADING_WORDS
        and not line.endswith(tuple(".!?\"”’'…:;"))
    )


def tagged(article: Article, tagger: SequenceTagger) -> list[Tagged]:
    """The attributions the trained tagger finds on the article's encoder vectors
    (none without them: the encoder runs on English text only)."""
    if article.encoding is None:
        return []
    linked = tagger.attributions(article.text, article.encoding)
    return [(g.content, extent(g.cue), extent(g.source), g.score) for g in linked]


def extent(segment: Segment | None) -> tuple[int, int] | None:
    return (segment.start, segment.end) if segment is not None else None
