"""Corpus queries over the store's index tables: filtered, sorted, paginated
listings, filter options and the dashboard's aggregates."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Float, Integer, Select, func, select, text
from sqlalchemy.exc import OperationalError

from spinlens import layers as registry
from spinlens.facets import article_stats as stats
from spinlens.facets import facet_totals as totals
from spinlens.facets import layer_counts
from spinlens.model import UNRESOLVED
from spinlens.speakers.views import merged_speakers
from spinlens.store import Store
from spinlens.store_search import FTS_MATCH, found_docs, fts_query
from spinlens.web.filters import Filters, QueryError, conditions_of

BASE_SORTS = {
    "date": stats.c.day,
    "title": stats.c.title,
    "source": stats.c.source,
    "language": stats.c.language,
    "words": stats.c.words,
}
PER_PAGE = 50
MAX_PER_PAGE = 500
T = TypeVar("T")


def sorts() -> tuple[str, ...]:
    """Every sort key: relevance, the metadata columns and each counted layer."""
    return ("relevance", *BASE_SORTS, *registry.counted())


@dataclass(frozen=True)
class Listing:
    total: int
    page: int
    per_page: int
    sort: str
    order: str
    rows: list[dict[str, Any]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_articles(
    store: Store,
    filters: Filters,
    sort: str = "",
    order: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Listing:
    """One page of stored articles matching `filters` (raises QueryError)."""
    filters.checked()
    sort, order = listing_order(store, filters, sort, order)
    page, per_page = max(1, page), max(1, min(per_page, MAX_PER_PAGE))
    conditions = conditions_of(store, filters, joined=sort == "relevance")
    offset = (page - 1) * per_page
    query = select(stats).where(*conditions)
    if sort == "relevance" and not conditions:
        # search alone: FTS5 ranks and pages by itself (ORDER BY rank LIMIT is fast)
        rank = fts_matches(filters.q, order, per_page, offset)
        query = query.join(rank, rank.c.doc == stats.c.doc).order_by(
            rank.c.rank if order == "desc" else rank.c.rank.desc()
        )
        counted: Select[Any] = select(func.count()).select_from(
            found_docs(store.is_sqlite, filters.q).subquery()
        )
        offset = 0
    elif sort == "relevance":
        rank = fts_matches(filters.q)
        query = query.join(rank, rank.c.doc == stats.c.doc).order_by(
            rank.c.rank if order == "desc" else rank.c.rank.desc(), stats.c.article_id
        )
        counted = (
            select(func.count())
            .select_from(stats.join(rank, rank.c.doc == stats.c.doc))
            .where(*conditions)
        )
    else:
        keys: tuple[Any, ...]
        if sort in BASE_SORTS:
            keys = (BASE_SORTS[sort], stats.c.article_id)
        else:  # a counted layer: its rows in `layer_counts` (none: 0)
            n = layer_counts.alias("sorted")
            query = query.outerjoin(n, (n.c.article_id == stats.c.article_id) & (n.c.layer == sort))
            keys = (func.coalesce(n.c.n, 0), stats.c.article_id)
        query = query.order_by(*(k.desc() if order == "desc" else k.asc() for k in keys))
        counted = select(func.count()).select_from(stats).where(*conditions)
        active = filters.active()
        alone = next(iter(active)) if len(active) == 1 else ""
        if alone in registry.facet_kinds() and alone != "speaker":
            # one facet filter alone: the store-wide totals know the count
            counted = select(func.coalesce(func.max(totals.c.articles), 0)).where(
                totals.c.kind == alone, totals.c.value == active[alone]
            )
    query = query.limit(per_page).offset(offset)
    try:
        with store.engine.connect() as conn:
            total = int(conn.execute(counted).scalar() or 0)
            rows = [dict(r._mapping) for r in conn.execute(query)]
            add_counts(conn, rows)
    except OperationalError as exc:
        raise QueryError(f"search failed: {str(exc.orig).splitlines()[0]}") from exc
    return Listing(total, page, per_page, sort, order, rows)


def listing_order(store: Store, filters: Filters, sort: str, order: str) -> tuple[str, str]:
    """The sort and order a listing uses: newest first unless given, a search too
    (alike on both stores; best match first on request, where FTS5 ranks: SQLite);
    names and titles A-Z."""
    sort = sort if sort in sorts() else "date"
    if sort == "relevance" and not (filters.q and store.is_sqlite):
        sort = "date"  # ranking needs a query and SQLite's FTS5
    if order not in ("asc", "desc"):
        order = "asc" if sort in ("title", "source") else "desc"
    return sort, order


def page_rows(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """The index rows of these articles, in this order, with their `counts`."""
    with store.engine.connect() as conn:
        found = {
            r.article_id: dict(r._mapping)
            for r in conn.execute(select(stats).where(stats.c.article_id.in_(ids)))
        }
        rows = [found[i] for i in ids if i in found]
        add_counts(conn, rows)
    return rows


def fts_matches(query: str, order: str = "", limit: int = -1, offset: int = 0) -> Any:
    """(doc, rank) of full-text matches, best first when `order` is "desc" (FTS5's
    rank: lower is better), else all of them; `doc` is the article's rowid."""
    direction = {"desc": "ORDER BY rank", "asc": "ORDER BY rank DESC"}.get(order, "")
    sql = text(f"{FTS_MATCH.format(', rank', ':q')} {direction} LIMIT :limit OFFSET :offset")
    params = {"q": fts_query(query), "limit": limit, "offset": offset}
    return sql.bindparams(**params).columns(doc=Integer, rank=Float).subquery()


def add_counts(conn: Any, rows: list[dict[str, Any]]) -> None:
    """Give each listed row its `counts`: spans per counted layer (0 where none)."""
    names = registry.counted()
    for row in rows:
        row["counts"] = dict.fromkeys(names, 0)
    by_id = {row["article_id"]: row for row in rows}
    if not by_id:
        return
    query = select(layer_counts).where(layer_counts.c.article_id.in_(list(by_id)))
    for found in conn.execute(query):
        if found.layer in by_id[found.article_id]["counts"]:
            by_id[found.article_id]["counts"][found.layer] = found.n


class TimedCache:
    """Computed values kept for `ttl` seconds (or until cleared), one lock per cache."""

    def __init__(self, ttl: float):
        self.ttl = ttl
        self.values: dict[str, tuple[float, Any]] = {}
        self.lock = threading.RLock()

    def get(self, key: str, compute: Callable[[], T], ttl: float | None = None) -> T:
        """The value kept under `key`, computed when missing or older than `ttl`
        (default: the cache's)."""
        with self.lock:
            hit = self.values.get(key)
            if hit is not None and time.monotonic() - hit[0] < (ttl or self.ttl):
                return hit[1]
            value = compute()
            self.values[key] = (time.monotonic(), value)
            return value

    def clear(self) -> None:
        with self.lock:
            self.values.clear()

    def drop(self, key: str) -> None:
        with self.lock:
            self.values.pop(key, None)


def filter_options(store: Store) -> dict[str, list[tuple[str, int]]]:
    """Values offered by the corpus filters, with article counts: "sources",
    "languages", and each facet of the layer registry (under `Facet.options`)."""
    with store.engine.connect() as conn:

        def grouped(column: Any, limit: int) -> list[tuple[str, int]]:
            n = func.count().label("n")
            query = select(column, n).where(column.is_not(None)).group_by(column).order_by(n.desc())
            return [(r[0], int(r[1])) for r in conn.execute(query.limit(limit))]

        out = {"sources": grouped(stats.c.source, 500), "languages": grouped(stats.c.language, 100)}
        for facet in registry.facets():
            query = (
                select(totals.c.value, totals.c.articles)
                .where(totals.c.kind == facet.kind)
                .order_by(totals.c.articles.desc(), totals.c.value)
                .limit(300)
            )
            if facet.kind == "speaker":  # merged names first, then generic sources
                query = query.where(totals.c.label == UNRESOLVED)
                out[facet.options] = merged_speakers(conn)
            out.setdefault(facet.options, []).extend((r[0], int(r[1])) for r in conn.execute(query))
    return out


def titles(store: Store, ids: list[str]) -> dict[str, str | None]:
    """The title of each stored article of `ids` (from the index), by id."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(stats.c.article_id, stats.c.title).where(stats.c.article_id.in_(ids))
        )
        return {row.article_id: row.title for row in rows}
