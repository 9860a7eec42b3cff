"""The dashboard's figures, computed in SQL over the corpus index tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from spinlens.constants import MIN_SOURCE_WORDS
from spinlens.facets import article_stats as stats
from spinlens.facets import facet_totals as totals
from spinlens.facets import technique_rollup as rollup
from spinlens.model import UNRESOLVED
from spinlens.speakers.tables import speaker_totals
from spinlens.store import Store

TOP_SOURCES = 12
MIN_WORDS = MIN_SOURCE_WORDS
TOP_NAMES = 15
MONTHS = 24
NO_SOURCE = "(no source)"


def aggregates(store: Store, min_words: int = MIN_WORDS) -> dict[str, Any]:
    """Everything the dashboard draws (the `Aggregates` schema of the API); sources
    with fewer than `min_words` words are left out of the per-source figures."""
    with store.engine.connect() as conn:
        totals = conn.execute(select(func.count(), func.coalesce(func.sum(stats.c.words), 0))).one()
        sources = top_sources(conn, min_words)
        return {
            "articles": int(totals[0]),
            "words": int(totals[1]),
            "techniques_per_source": techniques_per_source(conn, sources),
            "techniques_over_time": techniques_over_time(conn),
            "top_speakers": top_speakers(conn),
            "unresolved_speakers": top_names(conn, "speaker", UNRESOLVED, keep=True),
            "top_entities": top_names(conn, "entity"),
            "reported_speech": reported_speech(conn, sources),
            "languages": [
                {"name": r[0] or "unknown", "count": int(r[1])}
                for r in conn.execute(
                    select(stats.c.language, func.count().label("n"))
                    .group_by(stats.c.language)
                    .order_by(func.count().desc())
                    .limit(TOP_NAMES)
                )
            ],
        }


def top_sources(conn: Connection, min_words: int) -> list[dict[str, Any]]:
    """The sources with most articles (and at least `min_words` words): name, articles,
    words, quoted and all characters."""
    n = func.count().label("n")
    query = (
        select(
            stats.c.source,
            n,
            func.sum(stats.c.words),
            func.sum(stats.c.quote_chars),
            func.sum(stats.c.chars),
        )
        .group_by(stats.c.source)
        .having(func.sum(stats.c.words) >= min_words)
        .order_by(n.desc(), stats.c.source)
        .limit(TOP_SOURCES)
    )
    return [
        {"source": r[0], "articles": int(r[1]), "words": int(r[2] or 0)}
        | {"quote_chars": int(r[3] or 0), "chars": int(r[4] or 0)}
        for r in conn.execute(query)
    ]


def label(source: str | None) -> str:
    return source if source else NO_SOURCE


def techniques_per_source(conn: Connection, sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Technique spans per 1,000 words, by source (the largest sources)."""
    keys = [s["source"] or "" for s in sources]
    query = (
        select(rollup.c.source, rollup.c.technique, func.sum(rollup.c.spans))
        .where(rollup.c.source.in_(keys))
        .group_by(rollup.c.source, rollup.c.technique)
    )
    spans: dict[str, dict[str, int]] = {}
    for row in conn.execute(query):
        spans.setdefault(row[0].casefold(), {})[row[1]] = int(row[2])
    out = []
    for s in sources:
        words = max(s["words"], 1)
        counted = spans.get((s["source"] or "").casefold(), {})
        rates = {k: round(1000 * v / words, 3) for k, v in sorted(counted.items())}
        out.append(
            {
                "source": label(s["source"]),
                "articles": s["articles"],
                "words": s["words"],
                "per_1000_words": rates,
                "total_per_1000_words": round(sum(rates.values()), 3),
            }
        )
    return out


def techniques_over_time(conn: Connection) -> list[dict[str, Any]]:
    """Technique spans per month of publication (the latest months with dated articles)."""
    month = stats.c.month
    per_month = (
        select(month, func.count(), func.coalesce(func.sum(stats.c.words), 0))
        .where(month.is_not(None))
        .group_by(month)
        .order_by(month.desc())
        .limit(MONTHS)
    )
    months: dict[str, dict[str, Any]] = {
        r[0]: {"month": r[0], "articles": int(r[1]), "words": int(r[2]), "counts": {}}
        for r in conn.execute(per_month)
    }
    if not months:
        return []
    query = (
        select(rollup.c.month, rollup.c.technique, func.sum(rollup.c.spans))
        .where(rollup.c.month >= min(months))
        .group_by(rollup.c.month, rollup.c.technique)
    )
    for row in conn.execute(query):
        if row[0] in months:
            months[row[0]]["counts"][row[1]] = int(row[2])
    return [months[m] for m in sorted(months)]


def top_names(
    conn: Connection, kind: str, label: str | None = None, keep: bool = True
) -> list[dict[str, Any]]:
    """The most frequent speakers (quotes) or named entities (mentions); with
    `label`, only those with it (`keep`) or only the others."""
    chosen = totals.c.kind == kind
    if label is not None:
        same = totals.c.label == label
        chosen &= same if keep else (~same | totals.c.label.is_(None))
    query = (
        select(totals.c.value, totals.c.mentions, totals.c.label)
        .where(chosen)
        .order_by(totals.c.mentions.desc(), totals.c.value)
        .limit(TOP_NAMES)
    )
    return [{"name": r[0], "count": int(r[1]), "label": r[2]} for r in conn.execute(query)]


def top_speakers(conn: Connection) -> list[dict[str, Any]]:
    """The most quoted speakers, names merged across articles (`spinlens.speakers`),
    each with its `key` (its page: /speakers/KEY)."""
    t = speaker_totals.c
    query = (
        select(t.speaker, t.name, t.quotes, t.kind)
        .where(t.quotes > 0)
        .order_by(t.quotes.desc(), t.speaker)
        .limit(TOP_NAMES)
    )
    return [
        {"name": r.name, "count": int(r.quotes), "label": r.kind, "key": r.speaker}
        for r in conn.execute(query)
    ]


def reported_speech(conn: Connection, sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Share of each source's text inside quotes."""
    return [
        {
            "source": label(s["source"]),
            "articles": s["articles"],
            "share": round(s["quote_chars"] / s["chars"], 4) if s["chars"] else 0.0,
        }
        for s in sources
    ]
