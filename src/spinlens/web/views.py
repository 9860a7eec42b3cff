"""What the article page shows, prepared from a stored Article (no HTML here)."""

from __future__ import annotations

from dataclasses import dataclass, field

from spinlens.model import Article
from spinlens.render.marks import (
    ALL_LAYERS,
    Segment,
    describe,
    layer_items,
    marks_of,
    segments,
    speaker_name,
    technique_class,
    valid_span,
)
from spinlens.render.summaries import (
    ClaimItem,
    PersuasionSummary,
    TechniqueSummary,
    anchor,
    claims_to_check,
    excerpt,
    label_counts,
    persuasion_summary,
    score_of,
    technique_summary,
    top_mentions,
)
from spinlens.techniques import NAMES

PRODUCERS = {
    "techniques": ("technique",),
    "quotes": ("quote", "attribution"),
    "claims": ("claim",),
}
"""Words in a pipeline component's name that show it produces a layer."""


@dataclass(frozen=True)
class LegendItem:
    name: str
    css: str
    definition: str
    count: int


@dataclass(frozen=True)
class QuoteItem:
    anchor: str | None
    text: str
    kind: str
    cue: str | None
    score: float | None


@dataclass
class Speaker:
    name: str
    quotes: list[QuoteItem] = field(default_factory=list)


@dataclass(frozen=True)
class ArticleView:
    article: Article
    segments: list[Segment]
    techniques: TechniqueSummary
    legend: list[LegendItem]
    analysed: dict[str, bool]
    """Per optional layer: did the pipeline that stored this article produce it?"""
    speakers: list[Speaker]
    claims: list[ClaimItem]
    entity_counts: list[tuple[str, int]]
    top_entities: list[tuple[str, str, int]]
    counts: dict[str, int]
    persuasion: PersuasionSummary | None = None
    """Genre, frames and persuasion techniques, where the SemEval-2023 model ran."""


def who_said_what(article: Article) -> list[Speaker]:
    """Quotes grouped by speaker (the reporting one for an attribution embedded in
    someone's speech, with all its words), most quoted first (unattributed last)."""
    speakers: dict[str, Speaker] = {}
    for quote in layer_items(article, "quotes"):
        content = quote.get("content")
        if not valid_span(content, len(article.text)):
            continue
        cue = quote.get("cue")
        reporter = speaker_name(quote.get("reported_by"))
        name = reporter or speaker_name(quote.get("speaker")) or ""
        said = quote if reporter and valid_span(quote, len(article.text)) else content
        speakers.setdefault(name, Speaker(name)).quotes.append(
            QuoteItem(
                anchor("quotes", content),
                excerpt(article.text[said["start"] : said["end"]]),
                str(quote.get("kind") or "quote"),
                article.text[cue["start"] : cue["end"]]
                if valid_span(cue, len(article.text))
                else None,
                score_of(quote),
            )
        )
    return sorted(speakers.values(), key=lambda s: (s.name == "", -len(s.quotes), s.name))


def article_view(article: Article) -> ArticleView:
    summary = technique_summary(article)
    counted = dict(summary.counts)
    legend = [
        LegendItem(name, technique_class(name), describe(name), counted.get(name, 0))
        for name in NAMES
    ]
    legend += [
        LegendItem(name, technique_class(name), describe(name), n)
        for name, n in summary.counts
        if name not in NAMES
    ]
    speakers = who_said_what(article)
    claims = claims_to_check(article)
    components = " ".join(article.pipeline.get("components") or []).lower()
    analysed = {
        layer: found
        or any(word in components for word in PRODUCERS[layer])
        or (layer not in Article.layer_types and layer in article.extra)
        for layer, found in (
            ("techniques", bool(summary.counts)),
            ("quotes", bool(speakers)),
            ("claims", bool(claims)),
        )
    }
    return ArticleView(
        article=article,
        segments=segments(article.text, marks_of(article, ALL_LAYERS)),
        techniques=summary,
        legend=legend,
        analysed=analysed,
        speakers=speakers,
        claims=claims,
        entity_counts=label_counts(article, "entities").most_common(),
        top_entities=top_mentions(article, 30),
        counts={
            "words": len(article.text.split()),
            "sentences": len(article.layers.get("sentences", [])),
            "entities": len(article.layers.get("entities", [])),
            "techniques": sum(counted.values()),
            "quotes": sum(len(s.quotes) for s in speakers),
            "claims": len(claims),
        },
        persuasion=persuasion_summary(article),
    )
