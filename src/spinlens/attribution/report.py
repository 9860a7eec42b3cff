"""The "Who said what" figures of the reports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spinlens.model import Article, Quote

UNATTRIBUTED = "(unattributed)"


@dataclass(frozen=True)
class SaidRow:
    speaker: str
    said: str
    kind: str
    """"direct" or "reported" (indirect and mixed speech)."""


def quotes_of(article: Article) -> list[Quote]:
    return [q for q in article.layers.get("quotes", []) if isinstance(q, Quote)]


def speaker_label(quote: Quote) -> str:
    return quote.speaker.name if quote.speaker else UNATTRIBUTED


def who_said_what(article: Article) -> list[SaidRow]:
    """One row per attribution, in text order."""
    return [
        SaidRow(
            speaker_label(q),
            " ".join(article.text[q.content.start : q.content.end].split()),
            "direct" if q.kind == "direct" else "reported",
        )
        for q in quotes_of(article)
    ]


def speaker_shares(article: Article) -> list[tuple[str, float]]:
    """Per speaker, the share of the article's characters in what they are reported
    as saying (most first)."""
    chars: Counter[str] = Counter()
    for quote in quotes_of(article):
        chars[speaker_label(quote)] += quote.content.end - quote.content.start
    total = len(article.text)
    return [(name, n / total if total else 0.0) for name, n in chars.most_common()]
