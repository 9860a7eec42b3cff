"""What the article page shows, prepared from a stored Article (no HTML here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    TechniqueSummary,
    label_counts,
    technique_summary,
    top_mentions,
)
from spinlens.techniques import NAMES

EXCERPT = 280
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
class ClaimItem:
    anchor: str | None
    text: str
    score: float | None
    speaker: str | None
    quantities: list[str]
    entities: list[str]


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


def excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def anchor(layer: str, span: dict[str, Any]) -> str:
    """The element id of a highlighted span (see the article template)."""
    return f"m-{layer}-{span['start']}-{span['end']}"


def score_of(item: dict[str, Any]) -> float | None:
    score = item.get("score")
    return float(score) if isinstance(score, int | float) and not isinstance(score, bool) else None


def as_text(item: Any, text: str) -> str:
    """A claim's quantity or entity, shown as text whatever its shape."""
    if isinstance(item, dict):
        if isinstance(item.get("text"), str):
            return excerpt(item["text"], 80)
        if valid_span(item, len(text)):
            return excerpt(text[item["start"] : item["end"]], 80)
        for key in ("name", "canonical", "value"):
            if isinstance(item.get(key), str | int | float):
                return excerpt(str(item[key]), 80)
    return excerpt(str(item), 80)


def who_said_what(article: Article) -> list[Speaker]:
    """Quotes grouped by speaker, most quoted first (unattributed last)."""
    speakers: dict[str, Speaker] = {}
    for quote in layer_items(article, "quotes"):
        content = quote.get("content")
        if not valid_span(content, len(article.text)):
            continue
        cue = quote.get("cue")
        name = speaker_name(quote.get("speaker")) or ""
        speakers.setdefault(name, Speaker(name)).quotes.append(
            QuoteItem(
                anchor("quotes", content),
                excerpt(article.text[content["start"] : content["end"]]),
                str(quote.get("kind") or "quote"),
                article.text[cue["start"] : cue["end"]]
                if valid_span(cue, len(article.text))
                else None,
                score_of(quote),
            )
        )
    return sorted(speakers.values(), key=lambda s: (s.name == "", -len(s.quotes), s.name))


def claims_to_check(article: Article) -> list[ClaimItem]:
    """Check-worthy claims, most check-worthy first."""
    out = []
    for claim in layer_items(article, "claims"):
        if not valid_span(claim, len(article.text)):
            continue
        out.append(
            ClaimItem(
                anchor("claims", claim),
                excerpt(article.text[claim["start"] : claim["end"]]),
                score_of(claim),
                speaker_name(claim.get("speaker")),
                [as_text(q, article.text) for q in claim.get("quantities") or []][:8],
                [as_text(e, article.text) for e in claim.get("entities") or []][:8],
            )
        )
    return sorted(out, key=lambda c: -(c.score or 0.0))


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
    )
