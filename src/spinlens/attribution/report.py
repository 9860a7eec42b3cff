"""The "Who said what" figures of the reports."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from spinlens.model import Article, Quote, Span

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


def said_span(quote: Quote) -> Span:
    """What was said: the content; for an embedded attribution, all of it ("Everyone
    knows that …" is what the reporting speaker said)."""
    return quote if quote.reported_by else quote.content


def said(article: Article, quote: Quote) -> str:
    span = said_span(quote)
    return " ".join(article.text[span.start : span.end].split())


def who_said_what(article: Article) -> list[SaidRow]:
    """One row per attribution, in text order."""
    return [
        SaidRow(speaker_label(q), said(article, q), "direct" if q.kind == "direct" else "reported")
        for q in quotes_of(article)
    ]


def speaker_shares(article: Article) -> list[tuple[str, float]]:
    """Per speaker, the share of the article's characters in what they are reported
    as saying (most first; a character said twice, as in an embedded attribution
    and the one around it, counts once)."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for quote in quotes_of(article):
        span = said_span(quote)
        spans[speaker_label(quote)].append((span.start, span.end))
    chars = Counter({name: covered(ranges) for name, ranges in spans.items()})
    total = len(article.text)
    return [(name, n / total if total else 0.0) for name, n in chars.most_common()]


def covered(ranges: list[tuple[int, int]]) -> int:
    """Characters covered by the ranges, overlaps counted once."""
    count, reach = 0, 0
    for start, end in sorted(ranges):
        count += max(0, end - max(start, reach))
        reach = max(reach, end)
    return count
