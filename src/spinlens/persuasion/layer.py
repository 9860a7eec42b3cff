"""The opt-in `persuasion` layer: SemEval-2023 genre, frames and persuasion
techniques (research-only model; see its model card)."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spinlens.layers import Facet, FacetRow, LayerSpec, Panel
from spinlens.model import Article, Genre, Label, Persuasion
from spinlens.persuasion import FRAMES, GENRES, NAMES, TECHNIQUES, TITLES
from spinlens.render.marks import Mark, label_toggle_css, technique_marks
from spinlens.textspans import lines_within

TEMPLATES = Path(__file__).parent / "templates"


def colour(label: str) -> str:
    """A stable pastel colour per label."""
    hue = int(hashlib.sha256(label.encode()).hexdigest()[:4], 16) % 360
    return f"hsl({hue} 80% 85%)"


def persuasion_class(name: str) -> str:
    """A CSS class per SemEval-2023 technique."""
    return f"p{NAMES.index(name)}" if name in NAMES else "p-other"


def persuasion_css() -> str:
    """Colours of the SemEval-2023 techniques, and the legend's toggles."""
    lines = [(TEMPLATES / "persuasion.css").read_text(encoding="utf-8")]
    for name in NAMES:
        css = persuasion_class(name)
        lines += [
            f".{css} {{ --pc: {colour(name)}; }}",
            f"label.{css}, span.chip.{css} {{ background: {colour(name)}; }}",
            *label_toggle_css(css, "box-shadow: none;"),
        ]
    return "\n".join(lines)


def persuasion_facets(data: dict[str, Any]) -> Iterable[FacetRow]:
    genre = data.get("genre")
    if isinstance(genre, dict) and isinstance(genre.get("label"), str):
        yield "genre", genre["label"], None
    for frame in data.get("frames") or []:
        yield "frame", str(frame.get("label")), None
    for span in data.get("persuasion") or []:
        yield "persuasion", str(span.get("technique")), None


def persuasion_marks(article: Article) -> list[Mark]:
    spans = article.spans(Persuasion)
    classes = ("pers", "pers-lab")
    return technique_marks(
        "persuasion", spans, classes, persuasion_class, (TITLES, TECHNIQUES), ", SemEval-2023"
    )


@dataclass(frozen=True)
class PersuasionSummary:
    """The SemEval-2023 view of an article: genre, frames, techniques."""

    genre: Genre
    frames: list[Label]
    counts: list[tuple[str, int]]
    """Marked passages per technique, most frequent first."""
    paragraphs_with_technique: int
    paragraphs: int

    @property
    def chips(self) -> list[tuple[str, int, str, str]]:
        """Per technique found: name, count, CSS class, definition."""
        return [
            (TITLES.get(name, name), n, persuasion_class(name), TECHNIQUES.get(name, name))
            for name, n in self.counts
        ]


def persuasion_summary(article: Article) -> PersuasionSummary | None:
    """None when the SemEval-2023 model did not run on the article."""
    if article.genre is None:
        return None
    spans = article.spans(Persuasion)
    counts = Counter(s.technique for s in spans)
    starts = [start for start, _ in lines_within(article.text, 0, len(article.text))]
    hit = len({bisect_right(starts, s.start) - 1 for s in spans})  # a span stays in its paragraph
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return PersuasionSummary(article.genre, list(article.frames), ranked, hit, len(starts))


PERSUASION = LayerSpec(
    "persuasion",
    Persuasion,
    "Persuasion, SemEval-2023",
    optional=True,
    facets=(
        Facet("genre", "Genre", GENRES),
        Facet("frame", "Frame", FRAMES),
        Facet("persuasion", "Persuasion technique", NAMES, plural="persuasion"),
    ),
    facet_rows=persuasion_facets,
    marks=persuasion_marks,
    style="colour underline",
    definitions=TECHNIQUES,
    titles=TITLES,
    legend=tuple((name, persuasion_class(name)) for name in NAMES),
    css=persuasion_css(),
    panel=Panel("persuasion.html.j2", TEMPLATES, persuasion_summary, position=20),
    component="spinlens.persuasion.component:build",
    default=False,
    producers=("semeval23",),
)
LAYERS = (PERSUASION,)
