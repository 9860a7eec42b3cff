"""The `quotes` layer: who said what (attributions with resolved speakers)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spinlens.attribution.report import who_said_what
from spinlens.layers import Facet, FacetRow, LayerSpec, Panel
from spinlens.model import UNRESOLVED, Article, Quote
from spinlens.render.marks import Mark

TEMPLATES = Path(__file__).parent / "templates"
CSS = (TEMPLATES / "quotes.css").read_text(encoding="utf-8")


def speaker_facets(data: dict[str, Any]) -> Iterable[FacetRow]:
    """One "speaker" mention per attribution, credited as the reports credit it, with
    its type as the label ("unresolved" for a generic or unresolved source, so that
    the top-speakers chart shows those apart)."""
    for item in data.get("quotes") or []:
        try:
            speaker = Quote.from_dict(item).said_by
        except (AttributeError, KeyError, TypeError, ValueError):
            continue  # a shape this version does not model
        if speaker is not None:
            kind = speaker.type or (None if speaker.resolved else UNRESOLVED)
            yield "speaker", speaker.name, kind


def quote_marks(article: Article) -> list[Mark]:
    """Reported speech: the content, the speech verb (cue) and the speaker mention."""
    marks = []
    for quote in article.spans(Quote):
        speaker = quote.said_by.name if quote.said_by else "unattributed"
        parts = (
            (quote.content, "quote", f"{quote.kind} quote ({quote.score:.2f}): said by {speaker}"),
            (quote.cue, "qcue", f"speech verb of a quote by {speaker}"),
            (quote.source, "qsrc", f"speaker: {speaker}"),
        )
        for span, css, note in parts:
            if span is not None:
                target = css == "quote"
                marks.append(
                    Mark(
                        span.start,
                        span.end,
                        "quotes",
                        quote.kind,
                        note,
                        css,
                        quote.score,
                        target=target,
                    )
                )
    return marks


QUOTES = LayerSpec(
    "quotes",
    Quote,
    "Quotes",
    counted=True,
    facets=(Facet("speaker", "Speaker"),),
    facet_rows=speaker_facets,
    marks=quote_marks,
    style="overlined",
    css=CSS,
    panel=Panel("quotes.html.j2", TEMPLATES, who_said_what, position=30),
    component="spinlens.attribution.component:build",
    skippable=True,
    producers=("quote", "attribution"),
)
LAYERS = (QUOTES,)
