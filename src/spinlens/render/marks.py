"""Highlightable marks from an article's layers, and the text cut into segments
so that overlapping marks can be drawn (each segment knows every mark over it)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import spacy

from spinlens.model import Article, Entity, Technique
from spinlens.techniques import NAMES, TECHNIQUES


@dataclass(frozen=True)
class Mark:
    """One highlighted span: its layer, label, hover text and style class."""

    start: int
    end: int
    layer: str
    label: str
    note: str
    css: str
    score: float | None = None


@dataclass(frozen=True)
class Segment:
    text: str
    start: int
    marks: tuple[Mark, ...]


def describe(label: str) -> str:
    """A one-line definition of an annotation label (technique or entity type)."""
    return TECHNIQUES.get(label) or spacy.explain(label) or label


def technique_class(name: str) -> str:
    """A CSS class per technique (names hold commas, so an index is used)."""
    return f"t{NAMES.index(name)}" if name in NAMES else "t-other"


def marks_of(article: Article) -> list[Mark]:
    """Every mark to highlight in the article, in text order."""
    marks = [
        Mark(s.start, s.end, "entities", s.label, f"{s.label}: {describe(s.label)}", "ent")
        for s in article.layers.get("entities", [])
        if isinstance(s, Entity)
    ]
    marks += [
        Mark(
            s.start,
            s.end,
            "techniques",
            s.technique,
            f"{s.technique} ({s.score:.2f}): {describe(s.technique)}",
            f"tech {technique_class(s.technique)}",
            s.score,
        )
        for s in article.layers.get("techniques", [])
        if isinstance(s, Technique)
    ]
    return sorted(marks, key=lambda m: (m.start, -m.end, m.layer))


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """Cut `text` at every mark boundary; each piece lists the marks covering it
    (outermost first)."""
    starting: dict[int, list[Mark]] = defaultdict(list)
    for mark in marks:
        starting[mark.start].append(mark)
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    active: list[Mark] = []
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        active = [m for m in active if m.end > start] + starting.get(start, [])
        out.append(Segment(text[start:end], start, tuple(active)))
    return out
