"""Highlightable marks from an article's layers, and the text cut into segments
so that overlapping marks can be drawn (each segment knows every mark over it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeGuard

import spacy
from spacy.glossary import GLOSSARY

from spinlens.model import Article, Entity, Persuasion, Technique
from spinlens.persuasion import NAMES as PERSUASION_NAMES
from spinlens.persuasion import TECHNIQUES as PERSUASION
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
    known = label in GLOSSARY  # spacy.explain warns about any other label
    return (
        TECHNIQUES.get(label)
        or PERSUASION.get(label)
        or (spacy.explain(label) if known else None)
        or label
    )


def technique_class(name: str) -> str:
    """A CSS class per technique (names hold commas, so an index is used)."""
    return f"t{NAMES.index(name)}" if name in NAMES else "t-other"


def persuasion_class(name: str) -> str:
    """A CSS class per SemEval-2023 technique."""
    return f"p{PERSUASION_NAMES.index(name)}" if name in PERSUASION_NAMES else "p-other"


REPORT_LAYERS = ("entities", "techniques", "persuasion")
ALL_LAYERS = ("entities", "techniques", "persuasion", "quotes", "claims")


def shown_layers(layers: tuple[str, ...], taxonomy: str) -> tuple[str, ...]:
    """The layers a report draws for the chosen taxonomy."""
    hidden = {"ptc": "persuasion", "semeval23": "techniques"}.get(taxonomy)
    return tuple(layer for layer in layers if layer != hidden)


def marks_of(article: Article, layers: tuple[str, ...] = REPORT_LAYERS) -> list[Mark]:
    """Every mark of the given layers to highlight in the article, in text order."""
    marks = [
        Mark(s.start, s.end, "entities", s.label, f"{s.label}: {describe(s.label)}", "ent")
        for s in article.layers.get("entities", [])
        if isinstance(s, Entity) and "entities" in layers
    ]
    if "quotes" in layers:
        marks += quote_marks(article)
    if "claims" in layers:
        marks += claim_marks(article)
    if "techniques" in layers:
        marks += technique_marks(article, "techniques", Technique, "", technique_class)
    if "persuasion" in layers:
        marks += technique_marks(
            article, "persuasion", Persuasion, ", SemEval-2023", persuasion_class
        )
    return sorted(marks, key=lambda m: (m.start, -m.end, m.layer))


def technique_marks(
    article: Article,
    layer: str,
    kind: type[Technique] | type[Persuasion],
    taxonomy: str,
    css_of: Callable[[str], str],
) -> list[Mark]:
    """Marks of a technique layer (PTC `techniques` or SemEval-2023 `persuasion`)."""
    return [
        Mark(
            s.start,
            s.end,
            layer,
            s.technique,
            f"{s.technique} ({s.score:.2f}{taxonomy}): {describe(s.technique)}",
            f"{'tech' if layer == 'techniques' else 'pers'} {css_of(s.technique)}",
            s.score,
        )
        for s in article.layers.get(layer, [])
        if isinstance(s, kind)
    ]


def layer_items(article: Article, name: str) -> list[dict[str, Any]]:
    """A layer's spans as JSON objects, whether this version models the layer
    (`article.layers`) or only carries it along (`article.extra`)."""
    if name in article.layers:
        return [span.to_dict() for span in article.layers[name]]
    items = article.extra.get(name)
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def valid_span(span: Any, length: int) -> TypeGuard[dict[str, Any]]:
    return (
        isinstance(span, dict)
        and isinstance(span.get("start"), int)
        and isinstance(span.get("end"), int)
        and 0 <= span["start"] < span["end"] <= length
    )


def speaker_name(speaker: Any) -> str | None:
    """A speaker's name from ``{"name": …}`` or a plain string."""
    name = speaker.get("name") if isinstance(speaker, dict) else speaker
    return name if isinstance(name, str) and name.strip() else None


def quote_marks(article: Article) -> list[Mark]:
    """Reported speech: the quoted content, the speech verb (cue) and the speaker mention."""
    marks = []
    for quote in layer_items(article, "quotes"):
        kind = str(quote.get("kind") or "quote")
        speaker = speaker_name(quote.get("speaker")) or "unattributed"
        score = quote.get("score") if isinstance(quote.get("score"), int | float) else None
        conf = f" ({score:.2f})" if score is not None else ""
        parts = (
            ("content", "quote", f"{kind} quote{conf}: said by {speaker}"),
            ("cue", "qcue", f"speech verb of a quote by {speaker}"),
            ("source", "qsrc", f"speaker: {speaker}"),
        )
        for part, css, note in parts:
            span = quote.get(part)
            if valid_span(span, len(article.text)):
                marks.append(Mark(span["start"], span["end"], "quotes", kind, note, css, score))
    return marks


def claim_marks(article: Article) -> list[Mark]:
    """Check-worthy claims."""
    marks = []
    for claim in layer_items(article, "claims"):
        if not valid_span(claim, len(article.text)):
            continue
        score = claim.get("score") if isinstance(claim.get("score"), int | float) else None
        conf = f" ({score:.2f})" if score is not None else ""
        speaker = speaker_name(claim.get("speaker"))
        note = f"claim worth checking{conf}" + (f", by {speaker}" if speaker else "")
        marks.append(Mark(claim["start"], claim["end"], "claims", "claim", note, "claim", score))
    return marks


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
