"""Highlightable marks from an article's layers, and the text cut into segments
so that overlapping marks can be drawn (each segment knows every mark over it).

Each layer says how its spans become marks (`LayerSpec.marks`); this module only
collects them and cuts the text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from spinlens import layers as registry
from spinlens.model import Article
from spinlens.techniques.display import step_of


@dataclass(frozen=True)
class Mark:
    """One highlighted span: its layer, label, hover text and style classes; `tag`,
    a short label drawn where it ends (styled `tag_css`); `target`, whether the
    mark is a link target (``m-<layer>-<start>-<end>``) for the side panels."""

    start: int
    end: int
    layer: str
    label: str
    note: str
    css: str
    score: float | None = None
    tag: str = ""
    tag_css: str = ""
    target: bool = False

    @property
    def anchor(self) -> str:
        return anchor(self.layer, self)


class Spanned(Protocol):
    """Anything with character offsets (spans, marks)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def anchor(layer: str, span: Spanned) -> str:
    """The element id of a span's mark in the highlighted text, which the panels link to."""
    return f"m-{layer}-{span.start}-{span.end}"


@dataclass(frozen=True)
class Piece:
    text: str
    start: int
    marks: tuple[Mark, ...]

    @property
    def end(self) -> int:
        return self.start + len(self.text)


class TechniqueSpan(Spanned, Protocol):
    """A span naming a technique, with a confidence (`Technique`, `Persuasion`)."""

    @property
    def technique(self) -> str: ...
    @property
    def score(self) -> float: ...


def technique_marks(
    layer: str,
    spans: Iterable[TechniqueSpan],
    classes: tuple[str, str],
    css_of: Callable[[str], str],
    texts: tuple[dict[str, str], dict[str, str]],
    taxonomy: str = "",
) -> list[Mark]:
    """Marks of a technique layer (PTC or SemEval-2023): the technique's class on
    the span (`classes[0]`) and on its readable name drawn at the end (`classes[1]`);
    `texts`: the readable names and the definitions."""
    span_css, tag_css = classes
    titles, definitions = texts
    return [
        Mark(
            s.start,
            s.end,
            layer,
            s.technique,
            f"{titles.get(s.technique, s.technique)} ({s.score:.2f}{taxonomy}): "
            + definitions.get(s.technique, s.technique),
            f"{span_css} {css_of(s.technique)} sb-{step_of(s.score)}",
            s.score,
            tag=titles.get(s.technique, s.technique),
            tag_css=f"{tag_css} {css_of(s.technique)} sb-{step_of(s.score)}",
        )
        for s in spans
    ]


def label_toggle_css(css: str, hidden: str) -> list[str]:
    """Rules hiding a label's marks (`hidden`: the declarations that undo its
    style) and names when its legend checkbox ``#show-<css>`` is unticked."""
    return [
        f"body:has(#show-{css}:not(:checked)) .text span.{css} {{ {hidden} }}",
        f"body:has(#show-{css}:not(:checked)) .text sub.{css} {{ display: none; }}",
    ]


def describe(label: str) -> str:
    """A one-line definition of an annotation label (technique or entity type)."""
    found = registry.definition(label)
    if found:
        return found
    from spacy.glossary import GLOSSARY  # spacy.explain warns about any other label

    return GLOSSARY.get(label, label)


def shown_layers(layers: Iterable[str], taxonomy: str) -> tuple[str, ...]:
    """The layers a report draws for the chosen taxonomy."""
    hidden = {"ptc": "persuasion", "semeval23": "techniques"}.get(taxonomy)
    return tuple(layer for layer in layers if layer != hidden)


def report_layers(taxonomy: str = "all") -> tuple[str, ...]:
    """The layers the reports show (marks and panels) for the chosen taxonomy."""
    return shown_layers((s.name for s in registry.specs()), taxonomy)


def marks_of(article: Article, layers: Iterable[str] | None = None) -> list[Mark]:
    """Every mark of the given layers (default: all) in the article, in text order."""
    wanted = None if layers is None else set(layers)
    marks = [
        mark
        for spec in registry.specs()
        if spec.marks and (wanted is None or spec.name in wanted)
        for mark in spec.marks(article)
        if 0 <= mark.start < mark.end <= len(article.text)
    ]
    return sorted(marks, key=lambda m: (m.start, -m.end, m.layer))


def segments(text: str, marks: list[Mark]) -> list[Piece]:
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
        out.append(Piece(text[start:end], start, tuple(active)))
    return out
