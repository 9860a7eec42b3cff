"""The corpus index in memory: one entry per stored article (metadata, words,
technique spans, claims), its facet rows and its speakers' name rows, as numpy
arrays, so that every view
under any filter is a mask and a few `bincount`s instead of SQL group-bys over the
whole store. Loaded from the index tables once per store change (see
docs/decisions.md, "#21 filter bar")."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import func, select

from spinlens import layers as registry
from spinlens.claims.index import claim_index
from spinlens.facets import article_facets, article_stats, layer_counts
from spinlens.speakers.tables import speaker_names
from spinlens.speakers.views import speaker_articles
from spinlens.store import Store
from spinlens.store_search import FTS_RANKS, FTS_ROWIDS, WORDS_DOCS, fts_query
from spinlens.web.filters import Filters, QueryError

EPOCH = date(1970, 1, 1).toordinal()


class Codes:
    """Distinct values and each one's code, compared case-insensitively (as the
    index's columns); the first spelling seen is shown."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self.by_key: dict[Any, int] = {}

    def code(self, value: Any) -> int:
        key = value.casefold() if isinstance(value, str) else value
        found = self.by_key.get(key)
        if found is None:
            found = self.by_key[key] = len(self.values)
            self.values.append(value)
        return found

    def find(self, value: str) -> int:
        """The value's code, -1 when unknown."""
        return self.by_key.get(value.casefold(), -1)


@dataclass
class FacetRows:
    """One facet kind's rows: article (position), value (code), count, and each
    value's most frequent label."""

    article: np.ndarray
    value: np.ndarray
    n: np.ndarray
    values: Codes
    labels: list[str | None]


@dataclass
class NameRows:
    """The speaker tables' rows (`speaker_names`): article (position), name key
    (code), the quotes credited to it and its mentions there."""

    article: np.ndarray
    key: np.ndarray
    quotes: np.ndarray
    mentions: np.ndarray
    keys: Codes


@dataclass
class Cube:
    """Every stored article's index row, one array per column (positions agree)."""

    mark: int
    ids: list[str]
    position: dict[str, int]
    doc: np.ndarray
    source: np.ndarray
    sources: Codes
    day: np.ndarray
    """Days since 0001-01-01 (date.toordinal); 0 where undated."""
    month: np.ndarray
    """Months since 1970-01 (-1 where undated)."""
    language: np.ndarray
    languages: Codes
    words: np.ndarray
    chars: np.ndarray
    quote_chars: np.ndarray
    spans: np.ndarray
    """Technique spans."""
    claims: np.ndarray
    best_claim: np.ndarray
    """The article's highest claim score (-1: no claim)."""
    facets: dict[str, FacetRows]
    names: NameRows
    """The speaker tables' name rows (a merged speaker's articles)."""

    def __len__(self) -> int:
        return len(self.ids)

    def mask(self, store: Store, filters: Filters) -> np.ndarray:
        """Which articles the filters choose."""
        chosen = np.ones(len(self), dtype=bool)
        if filters.source:
            chosen &= np.isin(self.source, [self.sources.find(s) for s in filters.source])
        if filters.language:
            chosen &= self.language == self.languages.find(filters.language)
        if filters.date_from:
            chosen &= self.day >= date.fromisoformat(filters.date_from).toordinal()
        if filters.date_to:
            chosen &= (self.day > 0) & (self.day <= date.fromisoformat(filters.date_to).toordinal())
        if (score := filters.score) is not None:
            chosen &= self.best_claim >= score
        for kind, value in filters.facets:
            rows = self.facets.get(kind)
            having = np.zeros(len(self), dtype=bool)
            if rows is not None:
                having[rows.article[rows.value == rows.values.find(value)]] = True
            if kind == "speaker":  # a merged speaker's name stands for all of its names
                having |= self.among(store, speaker_articles(value))
            chosen &= having
        if filters.q:
            chosen &= self.found(store, filters.q)
        return chosen

    def among(self, store: Store, ids: Any) -> np.ndarray:
        """Which articles a query of article ids lists."""
        with store.engine.connect() as conn:
            listed = [self.position[i] for i in conn.execute(ids).scalars() if i in self.position]
        having = np.zeros(len(self), dtype=bool)
        having[listed] = True
        return having

    def found(self, store: Store, query: str) -> np.ndarray:
        """Which articles a full-text query finds, by their `doc`
        (`spinlens.store_search`)."""
        if store.is_sqlite:
            docs = [row[0] for row in driver_rows(store, FTS_ROWIDS, query)]
        else:
            docs = driver_rows(store, WORDS_DOCS, query)[0][0] or []
        return np.isin(self.doc, np.asarray(docs, dtype=np.int64))

    def listed(self, store: Store, filters: Filters, sort: str, order: str) -> np.ndarray:
        """The positions of the filters' articles in a listing's order, as the
        store's `ORDER BY` gives them: relevance (FTS5's rank, SQLite only), day or
        words, ties by article id (the cube's order) in the same direction, except
        under relevance (ascending)."""
        if sort == "relevance":
            chosen = self.mask(store, replace(filters, q=""))
            rows = driver_rows(store, FTS_RANKS, filters.q)
            docs = np.array([row[0] for row in rows], dtype=np.int64)
            rank = np.array([row[1] for row in rows], dtype=np.float64)
            by_doc = np.argsort(self.doc)
            at = np.searchsorted(self.doc, docs, sorter=by_doc)
            inside = at < len(self)
            docs, rank, positions = docs[inside], rank[inside], by_doc[at[inside]]
            kept = (self.doc[positions] == docs) & chosen[positions]
            positions, rank = positions[kept], rank[kept]
            return positions[np.lexsort((positions, rank if order == "desc" else -rank))]
        chosen = np.flatnonzero(self.mask(store, filters))
        if sort == "words":
            key = self.words[chosen]
        else:  # undated: first when ascending on SQLite (NULL is least), last elsewhere
            key = self.day[chosen]
            if not store.is_sqlite:
                key = np.where(key > 0, key, np.iinfo(key.dtype).max)
        ordered = chosen[np.argsort(key, kind="stable")]
        return ordered[::-1] if order == "desc" else ordered


def driver_rows(store: Store, sql: str, query: str) -> list[Any]:
    """The rows of one of `store_search`'s queries for `query` (FTS5 syntax made
    safe on SQLite), read through the driver's own cursor: no result row is built
    per match (raises QueryError for a query FTS5 refuses)."""
    with store.engine.connect() as conn:
        cursor = conn.connection.cursor()
        try:
            cursor.execute(sql, (fts_query(query) if store.is_sqlite else query,))
            return list(cursor.fetchall())
        except sqlite3.OperationalError as exc:
            raise QueryError(f"search failed: {str(exc).splitlines()[0]}") from exc
        finally:
            cursor.close()


def month_name(month: int) -> str:
    """``YYYY-MM`` of a month counted from 1970-01."""
    return f"{1970 + month // 12}-{1 + month % 12:02d}"


def mark_of(store: Store) -> int:
    """What tells cheaply that articles were added: on SQLite the highest rowid
    indexed (an index lookup; the store never deletes), elsewhere the count."""
    column = func.max(article_stats.c.doc) if store.is_sqlite else func.count()
    with store.engine.connect() as conn:
        top = conn.execute(select(column).select_from(article_stats)).scalar()
    return int(top or 0)


def load(store: Store) -> Cube:
    """The cube of the store's index tables as they are now."""
    s = article_stats.c
    with store.engine.connect() as conn:
        mark = mark_of(store)
        rows = conn.execute(
            select(s.article_id, s.doc, s.source, s.day, s.language)
            .add_columns(s.words, s.chars, s.quote_chars)
            .order_by(s.article_id)
        ).all()
        position = {r[0]: i for i, r in enumerate(rows)}
        sources, languages = Codes(), Codes()
        cube = Cube(
            mark=mark,
            ids=[r[0] for r in rows],
            position=position,
            doc=np.array([r[1] or 0 for r in rows], dtype=np.int64),
            source=np.array([sources.code(r[2]) for r in rows], dtype=np.int32),
            sources=sources,
            day=np.array(
                [date.fromisoformat(r[3]).toordinal() if r[3] else 0 for r in rows], dtype=np.int32
            ),
            month=np.full(len(rows), -1, dtype=np.int64),
            language=np.array([languages.code(r[4]) for r in rows], dtype=np.int32),
            languages=languages,
            words=np.array([r[5] for r in rows], dtype=np.int64),
            chars=np.array([r[6] for r in rows], dtype=np.int64),
            quote_chars=np.array([r[7] for r in rows], dtype=np.int64),
            spans=np.zeros(len(rows), dtype=np.int64),
            claims=np.zeros(len(rows), dtype=np.int64),
            best_claim=np.full(len(rows), -1.0),
            facets={},
            names=name_rows(conn, position),
        )
        dated = cube.day > 0
        epoch = (cube.day[dated] - EPOCH).astype("datetime64[D]")
        cube.month[dated] = epoch.astype("datetime64[M]").astype(np.int64)
        counted = select(layer_counts.c.layer, layer_counts.c.article_id, layer_counts.c.n)
        for layer, article_id, n in conn.execute(
            counted.where(layer_counts.c.layer.in_(("techniques", "claims")))
        ):
            if (i := position.get(article_id)) is not None:
                (cube.spans if layer == "techniques" else cube.claims)[i] = n
        best = select(claim_index.c.article_id, func.max(claim_index.c.score)).group_by(
            claim_index.c.article_id
        )
        for article_id, score in conn.execute(best):
            if (i := position.get(article_id)) is not None:
                cube.best_claim[i] = score
        for kind in registry.facet_kinds():
            cube.facets[kind] = facet_rows(conn, kind, position)
    return cube


def name_rows(conn: Any, position: dict[str, int]) -> NameRows:
    n = speaker_names.c
    keys = Codes()
    query = select(n.article_id, n.key, n.quotes, n.mentions)
    found = [
        (i, keys.code(key), quotes, mentions)
        for article_id, key, quotes, mentions in conn.execute(query)
        if (i := position.get(article_id)) is not None
    ]
    table = np.array(found, dtype=np.int64).reshape(-1, 4)
    return NameRows(table[:, 0], table[:, 1], table[:, 2], table[:, 3], keys)


def facet_rows(conn: Any, kind: str, position: dict[str, int]) -> FacetRows:
    f = article_facets.c
    values = Codes()
    labels: dict[int, dict[str, int]] = {}
    found = []
    query = select(f.article_id, f.value, f.n, f.label).where(f.kind == kind)
    for article_id, value, n, label in conn.execute(query).all():
        if (i := position.get(article_id)) is None:
            continue
        code = values.code(value)
        found.append((i, code, n))
        if label:
            counts = labels.setdefault(code, {})
            counts[label] = counts.get(label, 0) + 1
    table = np.array(found, dtype=np.int64).reshape(-1, 3)
    return FacetRows(
        article=table[:, 0],
        value=table[:, 1],
        n=table[:, 2],
        values=values,
        labels=[
            max(labels[c], key=labels[c].__getitem__) if c in labels else None
            for c in range(len(values.values))
        ],
    )
