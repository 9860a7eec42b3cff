"""Which technique marks a reader sees: every mark is kept (JSON, store) with its
calibrated score; the reports show those scoring at least a minimum, by default the
model's display threshold (chosen so that the marks shown reach SI precision 0.50)."""

from __future__ import annotations

import dataclasses

from spinlens.model import Article, Span, Technique

STEPS = tuple(round(0.05 * k, 2) for k in range(19))
"""The minimum scores a report's score filter offers: 0, 0.05, …, 0.90."""


def default_min_score() -> float:
    """The shipped model's display threshold."""
    from spinlens.techniques.component import load_heads

    return load_heads()[0].display_threshold


def step_of(score: float) -> int:
    """The index of the highest step at or below `score`."""
    return max(i for i, step in enumerate(STEPS) if step <= score + 1e-9)


def above(article: Article, min_score: float) -> Article:
    """The article with the technique marks scoring below `min_score` left out."""
    if "techniques" not in article.layers:
        return article
    kept: list[Span] = [t for t in article.spans(Technique) if t.score >= min_score]
    return dataclasses.replace(article, layers={**article.layers, "techniques": kept})
