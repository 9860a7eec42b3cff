"""Per-article figures shown by the reports (and the workspace)."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import Any

from spinlens.model import Article, Genre, Label, Persuasion
from spinlens.render.marks import layer_items, speaker_name, valid_span
from spinlens.textspans import lines_within

EXCERPT = 280


@dataclass(frozen=True)
class TechniqueSummary:
    counts: list[tuple[str, int]]
    """Spans per technique, most frequent first."""
    sentences_with_technique: int
    sentences: int

    @property
    def share(self) -> float:
        """Share of sentences overlapping at least one technique span."""
        return self.sentences_with_technique / self.sentences if self.sentences else 0.0


def technique_summary(article: Article) -> TechniqueSummary:
    spans = article.layers.get("techniques", [])
    counts = Counter(getattr(span, "technique", "") for span in spans)
    sentences = article.layers.get("sentences", [])
    hit = sum(1 for s in sentences if any(t.start < s.end and s.start < t.end for t in spans))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return TechniqueSummary(ranked, hit, len(sentences))


def top_mentions(article: Article, limit: int = 25) -> list[tuple[str, str, int]]:
    """The most mentioned entity strings: (text, label, count)."""
    counts: Counter[tuple[str, str]] = Counter(
        (article.text[span.start : span.end], getattr(span, "label", ""))
        for span in article.layers.get("entities", [])
    )
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(text, label, n) for (text, label), n in ranked[:limit]]


def label_counts(article: Article, layer: str) -> Counter[str]:
    """How many spans of each label a layer holds."""
    return Counter(getattr(span, "label", "") for span in article.layers.get(layer, []))


@dataclass(frozen=True)
class ClaimItem:
    start: int
    anchor: str | None
    text: str
    score: float | None
    speaker: str | None
    quantities: list[str]
    entities: list[str]


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


def claims_to_check(article: Article) -> list[ClaimItem]:
    """Check-worthy claims, most check-worthy first."""
    out = []
    for claim in layer_items(article, "claims"):
        if not valid_span(claim, len(article.text)):
            continue
        out.append(
            ClaimItem(
                claim["start"],
                anchor("claims", claim),
                excerpt(article.text[claim["start"] : claim["end"]]),
                score_of(claim),
                speaker_name(claim.get("speaker")),
                [as_text(q, article.text) for q in claim.get("quantities") or []][:8],
                [as_text(e, article.text) for e in claim.get("entities") or []][:8],
            )
        )
    return sorted(out, key=lambda c: -(c.score or 0.0))


@dataclass(frozen=True)
class PersuasionSummary:
    """The SemEval-2023 view of an article: genre, frames, techniques."""

    genre: Genre
    frames: list[Label]
    counts: list[tuple[str, int]]
    """Marked passages per technique, most frequent first."""
    paragraphs_with_technique: int
    paragraphs: int


def persuasion_summary(article: Article) -> PersuasionSummary | None:
    """None when the SemEval-2023 model did not run on the article."""
    if article.genre is None:
        return None
    spans = [s for s in article.layers.get("persuasion", []) if isinstance(s, Persuasion)]
    counts = Counter(s.technique for s in spans)
    starts = [start for start, _ in lines_within(article.text, 0, len(article.text))]
    hit = len({bisect_right(starts, s.start) - 1 for s in spans})  # a span stays in its paragraph
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return PersuasionSummary(article.genre, list(article.frames), ranked, hit, len(starts))
