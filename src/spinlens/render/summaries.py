"""Per-article figures shown by the reports (and the workspace)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spinlens.model import Article


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
