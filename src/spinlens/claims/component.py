"""The `claims` pipeline component: check-worthy sentences, ranked and attributed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinlens.claims.quantities import QUANTITIES_VERSION, quantities_in, reference_date
from spinlens.claims.scorer import ClaimScorer, load_scorer
from spinlens.encoder import Encoding
from spinlens.model import Article, Claim, Entity, Quote, Sentence, Speaker
from spinlens.pipeline import ComponentOptions
from spinlens.pipeline.language import ENGLISH
from spinlens.textspans import Intervals

NUMERIC = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})
"""spaCy entity labels that are quantities, listed under `quantities` instead."""
ATTRIBUTED = 0.4
"""Share of a sentence that an attribution's content must cover to give it its speaker."""


class ClaimFinder:
    """Adds the `claims` layer: sentences whose calibrated check-worthiness reaches
    the model's threshold, with speaker (from the `quotes` layer), quantities and
    entities. English articles only (those the shared encoder reads), like the
    model's training data."""

    name = "claims"
    requires = ("sentences", "entities", "encoding")
    uses = ("doc", "quotes")
    assigns = ("claims",)

    def __init__(self, scorer: ClaimScorer, version: str, threshold: float | None = None):
        self.scorer = scorer
        self.version = version
        self.threshold = scorer.head.threshold if threshold is None else threshold

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            encoding = article.encoding if article.language in ENGLISH else None
            claims = self.claims_of(article, encoding) if encoding is not None else []
            article.layers["claims"] = list(claims)

    def claims_of(self, article: Article, encoding: Encoding) -> list[Claim]:
        sentences = article.spans(Sentence)
        spans = [(s.start, s.end) for s in sentences]
        scores = self.scorer.head.probability(self.scorer.logits_in(encoding, spans))
        entities = [e for e in article.spans(Entity) if e.is_name]
        quotes = article.spans(Quote)
        reference = reference_date(article.published)
        counted = counted_nouns(article.doc)
        speakers = sentence_speakers(sentences, quotes)
        by_start = Intervals((e.start, e.end, e) for e in entities)
        claims = []
        for sentence, score, speaker in zip(sentences, scores, speakers, strict=True):
            if score < self.threshold:
                continue
            start, end = sentence.start, sentence.end
            near = [e for _, _, e in by_start.starting(start, end)]
            claims.append(
                Claim(
                    start,
                    end,
                    round(float(score), 4),
                    speaker,
                    quantities_in(article.text, start, end, near, reference, counted),
                    tuple(e for e in near if e.end <= end and e.label not in NUMERIC),
                )
            )
        return claims


def sentence_speakers(
    sentences: Sequence[Sentence], quotes: Sequence[Quote]
) -> list[Speaker | None]:
    """Who states each sentence, from the attributions: whom the article credits with
    a quote whose content covers much of the sentence or whose cue is in it; None
    otherwise (the article's own voice: a background sentence does not inherit the
    speaker of the quote before it). Quotes are looked up by position (a scan over
    all of them per sentence made long articles quadratic)."""
    contents = Intervals((q.content.start, q.content.end, q) for q in quotes)
    cues = Intervals((q.cue.start, q.cue.end, q) for q in quotes if q.cue is not None)
    found = (attribution_of(sentence, contents, cues) for sentence in sentences)
    return [quote.said_by if quote is not None else None for quote in found]


def attribution_of(
    sentence: Sentence, contents: Intervals[Quote], cues: Intervals[Quote]
) -> Quote | None:
    """The attribution that states this sentence, if any: the last of those whose
    content covers most of it (ATTRIBUTED at least), else the first whose cue is in
    it. `contents` and `cues`: the quotes by content and by cue."""
    best, covered = None, ATTRIBUTED * (sentence.end - sentence.start)
    for _, _, quote in contents.overlapping(sentence.start, sentence.end):
        content = quote.content
        overlap = min(sentence.end, content.end) - max(sentence.start, content.start)
        if overlap >= covered:
            best, covered = quote, overlap
    if best is not None:
        return best
    inside = cues.starting(sentence.start, sentence.end)
    return next((q for _, end, q in inside if end <= sentence.end), None)


def counted_nouns(doc: Any) -> dict[int, str]:
    """End offset of each number → the noun it counts ("8 fighters"), from the parse."""
    if doc is None:
        return {}
    return {
        tok.idx + len(tok): tok.head.text
        for tok in doc
        if tok.dep_ == "nummod" and tok.head.pos_ in ("NOUN", "PROPN")
    }


def build(options: ComponentOptions) -> ClaimFinder:
    """The component with the shipped claim model."""
    scorer, version = load_scorer(threads=options.threads)
    return ClaimFinder(scorer, f"{version}-{QUANTITIES_VERSION}")
