"""Highlightable marks from an article's layers, and the text cut into segments
so that overlapping marks can be drawn (each segment knows every mark over it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import spacy

from spinlens.model import Article, Entity


@dataclass(frozen=True)
class Mark:
    """One highlighted span: which layer, which label, and a hover text."""

    start: int
    end: int
    layer: str
    label: str
    note: str


@dataclass(frozen=True)
class Segment:
    text: str
    start: int
    marks: tuple[Mark, ...]


def describe(label: str) -> str:
    """A one-line definition of an annotation label."""
    return spacy.explain(label) or label


def marks_of(article: Article) -> list[Mark]:
    """Every mark to highlight in the article, in text order."""
    marks = [
        Mark(span.start, span.end, "entities", span.label, f"{span.label}: {describe(span.label)}")
        for span in article.layers.get("entities", [])
        if isinstance(span, Entity)
    ]
    return sorted(marks, key=lambda m: (m.start, -m.end))


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """Cut `text` at every mark boundary; each piece lists the marks covering it."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        over = tuple(m for m in marks if m.start <= start and end <= m.end)
        out.append(Segment(text[start:end], start, over))
    return out


def label_counts(article: Article, layer: str) -> Counter[str]:
    """How many spans of each label a layer holds."""
    return Counter(getattr(span, "label", "") for span in article.layers.get(layer, []))
