"""The layers of the linguistic foundation: `sentences` and `entities` (spaCy's
sentences and named entities, linked within the article)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spinlens.layers import Facet, FacetRow, LayerSpec, Panel
from spinlens.model import Article, Entity, Sentence
from spinlens.render.marks import Mark, describe

TEMPLATES = Path(__file__).parent / "templates"
NAMED_LABELS = frozenset(
    ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW")
)
"""Entity labels that name something (dates, numbers and amounts are not facets)."""
ENTITY_COLOURS = {
    "PERSON": "#ffd6a5",
    "ORG": "#caffbf",
    "GPE": "#9bf6ff",
    "LOC": "#a0c4ff",
    "NORP": "#ffc6ff",
    "FAC": "#bdb2ff",
    "EVENT": "#fdffb6",
    "DATE": "#e5e5e5",
    "TIME": "#e5e5e5",
    "CARDINAL": "#f1e3d3",
    "QUANTITY": "#f1e3d3",
    "MONEY": "#d8f3dc",
    "PERCENT": "#f1e3d3",
    "ORDINAL": "#f1e3d3",
    "LAW": "#ffadad",
    "PRODUCT": "#cdb4db",
    "WORK_OF_ART": "#cdb4db",
    "LANGUAGE": "#bde0fe",
}
ENTITY_CSS = "\n".join(
    [
        (TEMPLATES / "entities.css").read_text(encoding="utf-8"),
        *(f".e-{label} {{ --ent: {shade}; }}" for label, shade in ENTITY_COLOURS.items()),
    ]
)


def entity_value(entity: dict[str, Any], text: str) -> str:
    """The facet value of an entity mention: its canonical name when linked."""
    return str(
        entity.get("canonical") or entity.get("text") or text[entity["start"] : entity["end"]]
    )


def entity_facets(data: dict[str, Any]) -> Iterable[FacetRow]:
    text = data.get("text") or ""
    for span in data.get("entities") or []:
        if span.get("label") in NAMED_LABELS:
            yield "entity", entity_value(span, text), span["label"]


def entity_marks(article: Article) -> list[Mark]:
    return [
        Mark(
            s.start,
            s.end,
            "entities",
            s.label,
            f"{s.label}: {describe(s.label)}",
            f"ent e-{s.label}",
        )
        for s in article.spans(Entity)
    ]


def names(article: Article) -> list[Entity]:
    """The entity mentions that are names (not the pronouns and descriptions that
    attribution resolved to an entity)."""
    return [span for span in article.spans(Entity) if span.is_name]


def top_mentions(article: Article, limit: int = 25) -> list[tuple[str, str, int]]:
    """The most mentioned entity names: (text, label, count)."""
    counts: Counter[tuple[str, str]] = Counter(
        (article.text[span.start : span.end], span.label) for span in names(article)
    )
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(text, label, n) for (text, label), n in ranked[:limit]]


def entity_panel(article: Article) -> dict[str, Any]:
    """Named mentions per entity type and the most mentioned entities."""
    labels = Counter(span.label for span in names(article))
    return {"labels": labels.most_common(), "top": top_mentions(article, 30)}


SENTENCES = LayerSpec("sentences", Sentence, "Sentences", counted=True)
ENTITIES = LayerSpec(
    "entities",
    Entity,
    "Entities",
    counted=True,
    facets=(Facet("entity", "Entity", plural="entities"),),
    facet_rows=entity_facets,
    marks=entity_marks,
    style="underlined",
    css=ENTITY_CSS,
    panel=Panel("entities.html.j2", TEMPLATES, entity_panel, position=90),
    component="spinlens.attribution.component:build_linker",
    producers=("entities",),
)
LAYERS = (SENTENCES, ENTITIES)
