"""The layers of the linguistic foundation: `sentences` and `entities` (spaCy's
sentences and named entities, linked within the article)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spinlens.layers import Facet, FacetRow, LayerSpec, Panel, facet_value
from spinlens.model import Article, Entity, Sentence
from spinlens.render.marks import Mark, describe

TEMPLATES = Path(__file__).parent / "templates"
NAMED_LABELS = frozenset(
    ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW")
)
"""Entity labels that name something (dates, numbers and amounts are not facets)."""
ENTITY_COLOURS = {
    "PERSON": "#a14f00",
    "NORP": "#8e24aa",
    "FAC": "#5e35b1",
    "ORG": "#2e7d32",
    "GPE": "#00737d",
    "LOC": "#1565c0",
    "PRODUCT": "#6a1b9a",
    "EVENT": "#7a5c00",
    "WORK_OF_ART": "#6a1b9a",
    "LAW": "#c62828",
    "LANGUAGE": "#1565c0",
    "DATE": "#6b6b6b",
    "TIME": "#6b6b6b",
    "MONEY": "#4e7a27",
    "PERCENT": "#7b5e57",
    "QUANTITY": "#7b5e57",
    "CARDINAL": "#7b5e57",
    "ORDINAL": "#7b5e57",
}
"""The dotted underline of each entity type (at least 4.5:1 on the text's background)."""
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
            target=True,
        )
        for s in article.spans(Entity)
    ]


def named_first(label: str, count: int, text: str = "") -> tuple[bool, int, str]:
    """Sort key: names (people, organisations, places…) before numbers and dates,
    then the most frequent first."""
    return label not in NAMED_LABELS, -count, text


def names(article: Article) -> list[Entity]:
    """The entity mentions that are names (not the pronouns and descriptions that
    attribution resolved to an entity)."""
    return [span for span in article.spans(Entity) if span.is_name]


def top_mentions(article: Article, limit: int = 25) -> list[tuple[str, str, int]]:
    """The most mentioned entity names, names before numbers and dates: (text, label,
    count)."""
    counts: Counter[tuple[str, str]] = Counter(
        (article.text[span.start : span.end], span.label) for span in names(article)
    )
    ranked = sorted(counts.items(), key=lambda kv: named_first(kv[0][1], kv[1], kv[0][0]))
    return [(text, label, n) for (text, label), n in ranked[:limit]]


def entity_panel(article: Article) -> dict[str, Any]:
    """Named mentions per entity type and the most mentioned entities: names, each
    with the entity's name as the entity facet has it (its page in the workspace),
    then numbers and dates apart (no name)."""
    labels = Counter(span.label for span in names(article))
    mentions = top_mentions(article, 30)
    entity: dict[tuple[str, str], str] = {}
    for span in names(article):
        value = facet_value(entity_value(span.to_dict(), article.text))
        entity.setdefault((article.text[span.start : span.end], span.label), value)
    return {
        "labels": sorted(labels.items(), key=lambda kv: named_first(*kv)),
        "named": [(*m, entity[m[:2]]) for m in mentions if m[1] in NAMED_LABELS],
        "other": [(*m, None) for m in mentions if m[1] not in NAMED_LABELS],
    }


SENTENCES = LayerSpec("sentences", Sentence, "Sentences", counted=True)
ENTITIES = LayerSpec(
    "entities",
    Entity,
    "Entities",
    counted=True,
    facets=(Facet("entity", "Entity", plural="entities"),),
    facet_rows=entity_facets,
    marks=entity_marks,
    style="dotted underline",
    visible=False,
    css=ENTITY_CSS,
    panel=Panel("entities.html.j2", TEMPLATES, entity_panel, position=90),
    component="spinlens.attribution.component:build_linker",
    producers=("entities",),
)
LAYERS = (SENTENCES, ENTITIES)
