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
    """Who says it: the reporting speaker of an embedded attribution, else its own."""
    speaker = quote.reported_by or quote.speaker
    return speaker.name if speaker else UNATTRIBUTED


def said(article: Article, quote: Quote) -> str:
    """What was said: the content; for an embedded attribution, all of it ("Everyone
    knows that …" is what the reporting speaker said)."""
    span = quote if quote.reported_by else quote.content
    return " ".join(article.text[span.start : span.end].split())


def who_said_what(article: Article) -> list[SaidRow]:
    """One row per attribution, in text order."""
    return [
        SaidRow(speaker_label(q), said(article, q), "direct" if q.kind == "direct" else "reported")
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
