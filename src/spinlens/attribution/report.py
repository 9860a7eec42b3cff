"""Who said what: the article's attributions grouped by the speaker the article
credits (`Quote.said_by`), for the reports, the workspace and the benchmarks."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spinlens.model import Article, Quote
from spinlens.render.marks import anchor
from spinlens.textspans import excerpt

UNATTRIBUTED = "(unattributed)"


def speaker_label(quote: Quote) -> str:
    """Whom the article credits with the quote, or UNATTRIBUTED."""
    speaker = quote.said_by
    return speaker.name if speaker else UNATTRIBUTED


@dataclass(frozen=True)
class Said:
    """One attribution as a reader sees it."""

    anchor: str
    """Element id of its content in the highlighted text."""
    text: str
    kind: str
    """"direct" or "reported" (indirect and mixed speech)."""
    cue: str | None
    score: float


@dataclass
class SpeakerQuotes:
    name: str
    resolved: bool = True
    """False for a generic or unresolved source ("a senior official") and for the
    unattributed: shown apart, after the speakers the article names."""
    quotes: list[Said] = field(default_factory=list)
    share: float = 0.0
    """Share of the article's characters in what they are reported as saying."""

    @property
    def shown(self) -> str:
        """The name as a report writes it: an unresolved source marked so."""
        apart = not self.resolved and self.name != UNATTRIBUTED
        return f"{self.name} (unresolved source)" if apart else self.name


def who_said_what(article: Article) -> list[SpeakerQuotes]:
    """The attributions grouped by speaker, in text order within each: the resolved
    speakers first, most quoted first; then unresolved sources; unattributed last."""
    groups: dict[str, SpeakerQuotes] = {}
    for quote in article.spans(Quote):
        said, cue = quote.said, quote.cue
        name = speaker_label(quote)
        resolved = quote.said_by is not None and quote.said_by.resolved
        groups.setdefault(name, SpeakerQuotes(name, resolved)).quotes.append(
            Said(
                anchor("quotes", quote.content),
                excerpt(article.text[said.start : said.end]),
                "direct" if quote.kind == "direct" else "reported",
                article.text[cue.start : cue.end] if cue else None,
                quote.score,
            )
        )
    shares = dict(speaker_shares(article))
    for group in groups.values():
        group.share = shares.get(group.name, 0.0)
    return sorted(
        groups.values(),
        key=lambda g: (g.name == UNATTRIBUTED, not g.resolved, -len(g.quotes), g.name),
    )


def speaker_shares(article: Article) -> list[tuple[str, float]]:
    """Per speaker, the share of the article's characters in what they are reported
    as saying (most first; a character said twice, as in an embedded attribution
    and the one around it, counts once)."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for quote in article.spans(Quote):
        said = quote.said
        spans[speaker_label(quote)].append((said.start, said.end))
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
