"""The `claims` layer: check-worthy sentences, ranked, with who states them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spinlens.layers import LayerSpec, Panel
from spinlens.model import Article, Claim
from spinlens.render.marks import Mark, anchor
from spinlens.textspans import excerpt

TEMPLATES = Path(__file__).parent / "templates"
CSS = (TEMPLATES / "claims.css").read_text(encoding="utf-8")


def claim_marks(article: Article) -> list[Mark]:
    marks = []
    for claim in article.spans(Claim):
        by = f", by {claim.speaker.name}" if claim.speaker else ""
        note = f"claim worth checking ({claim.score:.2f}){by}"
        marks.append(
            Mark(claim.start, claim.end, "claims", "claim", note, "claim", claim.score, target=True)
        )
    return marks


@dataclass(frozen=True)
class ClaimItem:
    start: int
    anchor: str
    text: str
    score: float
    speaker: str | None
    quantities: list[str]
    entities: list[str]


def claims_to_check(article: Article) -> list[ClaimItem]:
    """Check-worthy claims, most check-worthy first."""
    items = [
        ClaimItem(
            claim.start,
            anchor("claims", claim),
            excerpt(article.text[claim.start : claim.end]),
            claim.score,
            claim.speaker.name if claim.speaker else None,
            [excerpt(q.text, 80) for q in claim.quantities][:8],
            [excerpt(e.text, 80) for e in claim.entities][:8],
        )
        for claim in article.spans(Claim)
    ]
    return sorted(items, key=lambda c: -c.score)


CLAIMS = LayerSpec(
    "claims",
    Claim,
    "Claims",
    counted=True,
    marks=claim_marks,
    style="wavy underline",
    visible=False,
    css=CSS,
    panel=Panel("claims.html.j2", TEMPLATES, claims_to_check, position=40),
    component="spinlens.claims.component:build",
    skippable=True,
    producers=("claim",),
)
LAYERS = (CLAIMS,)
