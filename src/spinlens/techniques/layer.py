"""The `techniques` layer: PTC propaganda techniques (SemEval-2020 Task 11)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spinlens.layers import Facet, FacetRow, LayerSpec, Panel
from spinlens.model import Article, Sentence, Technique
from spinlens.render.marks import Mark, label_toggle_css, technique_marks
from spinlens.techniques import NAMES, TECHNIQUES, TITLES
from spinlens.techniques.display import STEPS

TEMPLATES = Path(__file__).parent / "templates"
COLOURS = (
    "#ffb3ba",
    "#ffdfba",
    "#fff3a3",
    "#baffc9",
    "#bae1ff",
    "#e0bbff",
    "#ffc8dd",
    "#c9f2e7",
    "#f7d6a0",
    "#d4e09b",
    "#a9def9",
    "#f3c4fb",
    "#fde2e4",
    "#cde7b0",
)
"""One background per PTC technique, in the order of `NAMES`."""


def technique_class(name: str) -> str:
    """A CSS class per technique (names hold commas, so an index is used)."""
    return f"t{NAMES.index(name)}" if name in NAMES else "t-other"


def technique_css() -> str:
    """Colours of the techniques, and the legend's toggles."""
    lines = [(TEMPLATES / "techniques.css").read_text(encoding="utf-8")]
    for name, shade in zip(NAMES, COLOURS, strict=True):
        css = technique_class(name)
        lines.append(f".{css} {{ background: {shade}; }}")
        lines += label_toggle_css(css, "background: none; box-shadow: none;")
    lines += score_filter_css()
    return "\n".join(lines)


def score_filter_css() -> list[str]:
    """Rules hiding the marks (and their names) scoring below the step ticked in the
    score filter ``#min-score-<k>``."""
    rules = []
    for k in range(1, len(STEPS)):
        below = ",".join(f".sb-{j}" for j in range(k))
        checked = f"body:has(#min-score-{k}:checked) .text"
        rules.append(f"{checked} span.tech:is({below}) {{ background: none; box-shadow: none; }}")
        rules.append(f"{checked} sub.tlab:is({below}) {{ display: none; }}")
    return rules


def technique_facets(data: dict[str, Any]) -> Iterable[FacetRow]:
    for span in data.get("techniques") or []:
        yield "technique", str(span.get("technique")), None


def layer_marks(article: Article) -> list[Mark]:
    spans = article.spans(Technique)
    return technique_marks(
        "techniques", spans, ("tech", "tlab"), technique_class, (TITLES, TECHNIQUES)
    )


@dataclass(frozen=True)
class LegendItem:
    name: str
    css: str
    definition: str
    count: int


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

    @property
    def legend(self) -> list[LegendItem]:
        """The techniques found, in taxonomy order (unknown names after)."""
        counted = dict(self.counts)
        order = [*NAMES, *sorted(set(counted) - set(NAMES))]
        return [
            LegendItem(
                TITLES.get(name, name),
                technique_class(name),
                TECHNIQUES.get(name, name),
                counted[name],
            )
            for name in order
            if name in counted
        ]


def technique_summary(article: Article) -> TechniqueSummary:
    spans = article.spans(Technique)
    counts = Counter(span.technique for span in spans)
    sentences = article.spans(Sentence)
    hit = sum(1 for s in sentences if any(t.start < s.end and s.start < t.end for t in spans))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return TechniqueSummary(ranked, hit, len(sentences))


TECHNIQUES_LAYER = LayerSpec(
    "techniques",
    Technique,
    "Techniques",
    counted=True,
    facets=(Facet("technique", "Technique", tuple(NAMES)),),
    facet_rows=technique_facets,
    marks=layer_marks,
    style="highlighted",
    definitions=TECHNIQUES,
    titles=TITLES,
    legend=tuple((name, technique_class(name)) for name in NAMES),
    css=technique_css(),
    panel=Panel("techniques.html.j2", TEMPLATES, technique_summary, position=10),
    component="spinlens.techniques.component:build",
    skippable=True,
    producers=("technique",),
)
LAYERS = (TECHNIQUES_LAYER,)
