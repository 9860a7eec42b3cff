"""The dashboard's figures, computed in SQL over the corpus index tables, for the
articles the filter bar chooses (`Filters`); with no filter the store-wide
roll-ups answer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from spinlens.constants import MIN_SOURCE_WORDS
from spinlens.facets import article_facets as facets
from spinlens.facets import article_stats as stats
from spinlens.facets import facet_totals as totals
from spinlens.facets import technique_rollup as rollup
from spinlens.model import UNRESOLVED
from spinlens.store import Store
from spinlens.web.filters import Filters, conditions_of
from spinlens.web.timeline import over_time

TOP_SOURCES = 12
MIN_WORDS = MIN_SOURCE_WORDS
TOP_NAMES = 15
MONTHS = 24
NO_SOURCE = "(no source)"


def aggregates(
    store: Store, filters: Filters | None = None, period: str = "", min_words: int = MIN_WORDS
) -> dict[str, Any]:
    """Everything the dashboard draws (the `Aggregates` schema of the API) for the
    articles matching `filters`; sources with fewer than `min_words` words are left
    out of the per-source figures; `period` (day, week, month; default: by the
    dates' range) groups the figures over time."""
    where = conditions_of(store, (filters or Filters()).checked())
    with store.engine.connect() as conn:
        counted = select(func.count(), func.coalesce(func.sum(stats.c.words), 0)).where(*where)
        articles, words = conn.execute(counted).one()
        sources = top_sources(conn, where, min_words)
        return {
            "articles": int(articles),
            "words": int(words),
            "techniques_per_source": techniques_per_source(conn, where, sources),
            "techniques_over_time": techniques_by_month(conn, where),
            "over_time": over_time(conn, where, period, [s["source"] for s in sources]),
            "top_speakers": top_names(conn, where, "speaker", UNRESOLVED, keep=False),
            "unresolved_speakers": top_names(conn, where, "speaker", UNRESOLVED),
            "top_entities": top_names(conn, where, "entity"),
            "reported_speech": reported_speech(sources),
            "languages": [
                {"name": r[0] or "unknown", "count": int(r[1])}
                for r in conn.execute(
                    select(stats.c.language, func.count().label("n"))
                    .where(*where)
                    .group_by(stats.c.language)
                    .order_by(func.count().desc())
                    .limit(TOP_NAMES)
                )
            ],
        }


def top_sources(conn: Connection, where: list[Any], min_words: int) -> list[dict[str, Any]]:
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
        .where(*where)
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


def technique_spans(where: list[Any], *keys: Any) -> Any:
    """Technique spans grouped by `keys` (article_stats columns) and technique: the
    store-wide roll-up's rows when nothing is filtered, else the chosen articles'
    facet rows."""
    if not where:
        columns = [rollup.c[key.name] for key in keys]
        return select(*columns, rollup.c.technique, func.sum(rollup.c.spans)).group_by(
            *columns, rollup.c.technique
        )
    return (
        select(*keys, facets.c.value, func.sum(facets.c.n))
        .join(facets, facets.c.article_id == stats.c.article_id)
        .where(facets.c.kind == "technique", *where)
        .group_by(*keys, facets.c.value)
    )


def techniques_per_source(
    conn: Connection, where: list[Any], sources: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Technique spans per 1,000 words, by source (the largest sources)."""
    spans: dict[str, dict[str, int]] = {}
    for row in conn.execute(technique_spans(where, stats.c.source)):
        spans.setdefault((row[0] or "").casefold(), {})[row[1]] = int(row[2])
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


def techniques_by_month(conn: Connection, where: list[Any]) -> list[dict[str, Any]]:
    """Technique spans per month of publication (the latest months with dated articles)."""
    month = stats.c.month
    per_month = (
        select(month, func.count(), func.coalesce(func.sum(stats.c.words), 0))
        .where(month.is_not(None), *where)
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
    for row in conn.execute(technique_spans(where, month)):
        if row[0] in months:
            months[row[0]]["counts"][row[1]] = int(row[2])
    return [months[m] for m in sorted(months)]


def top_names(
    conn: Connection, where: list[Any], kind: str, label: str | None = None, keep: bool = True
) -> list[dict[str, Any]]:
    """The most frequent speakers (quotes) or named entities (mentions) of the
    chosen articles; with `label`, only those with it (`keep`) or only the others."""
    table = totals if not where else facets
    chosen = table.c.kind == kind
    if label is not None:
        same = table.c.label == label
        chosen &= same if keep else (~same | table.c.label.is_(None))
    mentions: Any
    if not where:
        mentions = totals.c.mentions
        query = select(totals.c.value, mentions, totals.c.label).where(chosen)
    else:
        mentions = func.sum(facets.c.n).label("mentions")
        articles = select(stats.c.article_id).where(*where)
        query = (
            select(facets.c.value, mentions, func.max(facets.c.label))
            .where(chosen, facets.c.article_id.in_(articles))
            .group_by(facets.c.value)
        )
    query = query.order_by(mentions.desc(), table.c.value).limit(TOP_NAMES)
    return [{"name": r[0], "count": int(r[1]), "label": r[2]} for r in conn.execute(query)]


def reported_speech(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Share of each source's text inside quotes."""
    return [
        {
            "source": label(s["source"]),
            "articles": s["articles"],
            "share": round(s["quote_chars"] / s["chars"], 4) if s["chars"] else 0.0,
        }
        for s in sources
    ]
