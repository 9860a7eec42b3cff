"""The story index in the store's own tables, updated in the transaction that saves
the articles (a restart loses nothing; nothing is recomputed over the corpus).

`story_vectors` keeps each article's story vector with its day; `story_links` the
pairs linked (published within WINDOW_DAYS, with vectors at VECTOR_THRESHOLD or
above and words at WORDS_THRESHOLD or above; or near-duplicates of the duplicate
index); `story_members` the story of every article: the connected group of links
it belongs to, named after its first article. A link depends on its two articles
alone (their texts and days), and search within the window is exact, so the same
articles give the same links, stories and story ids whatever the order, batches or
workers they were saved in.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import (
    Column,
    CompoundSelect,
    Connection,
    Float,
    Index,
    LargeBinary,
    Select,
    String,
    Table,
    delete,
    or_,
    select,
    union_all,
)

from spinlens.batching import batched
from spinlens.duplicates.pairs import near_duplicates_of
from spinlens.facets import article_stats, day_of, index_metadata
from spinlens.stories.terms import story_terms, word_cosine
from spinlens.stories.vector import DTYPE, FIELD, decode

WINDOW_DAYS = 2
"""Most days between two linked articles (both dated; an undated article is compared
with every article)."""
VECTOR_THRESHOLD = 0.35
"""Least cosine of two linked articles' story vectors."""
WORDS_THRESHOLD = 0.19
"""Least cosine of two linked articles' word counts (`terms.word_cosine`); both
thresholds chosen by cross-validation on the PolNeAR story set (docs/benchmarks.md)."""
CHUNK = 500
MARGIN = 1e-3
"""Candidates come from a float32 product of the window; those within MARGIN of the
threshold are decided by an exact float64 product of the pair alone, so that a link
never depends on which other vectors shared the product."""

UNDATED = ""
"""The day of an undated article's vector."""

story_vectors = Table(
    "story_vectors",
    index_metadata,
    Column("day", String(10), primary_key=True),
    Column("article_id", String, primary_key=True),
    Column("vector", LargeBinary, nullable=False),
    Index("ix_story_vectors_article", "article_id"),
    sqlite_with_rowid=False,  # rows kept in (day, id) order: a window is one range read
)
story_links = Table(
    "story_links",
    index_metadata,
    Column("a", String, primary_key=True),
    Column("b", String, primary_key=True),
    Column("similarity", Float, nullable=False),
    Index("ix_story_links_b", "b"),
)
story_members = Table(
    "story_members",
    index_metadata,
    Column("article_id", String, primary_key=True),
    Column("story", String, nullable=False),
    Index("ix_story_members_story", "story"),
)


@dataclass(frozen=True)
class Saved:
    """A freshly saved article as the story index reads it."""

    id: str
    published: str | None
    vector: np.ndarray | None

    @classmethod
    def of(cls, result: dict[str, Any]) -> Saved:
        """From an article's JSON result."""
        return cls(str(result["id"]), result.get("published"), decode(result.get(FIELD)))


def story_id(first: str) -> str:
    """A stable id: from the story's first article."""
    return "s-" + hashlib.blake2b(first.encode(), digest_size=6).hexdigest()


def update(conn: Connection, saved: Sequence[Saved]) -> None:
    """Replace the vectors and links of freshly saved articles and name again the
    stories of every article they link to, or were linked to before."""
    ids = [a.id for a in saved]
    before = stories_of(conn, ids)
    for chunk in batched(ids, CHUNK):
        conn.execute(delete(story_vectors).where(story_vectors.c.article_id.in_(chunk)))
        conn.execute(
            delete(story_links).where(or_(story_links.c.a.in_(chunk), story_links.c.b.in_(chunk)))
        )
    rows = [
        {
            "day": day_of(a.published) or UNDATED,
            "article_id": a.id,
            "vector": a.vector.astype(DTYPE).tobytes(),
        }
        for a in saved
        if a.vector is not None
    ]
    if rows:
        conn.execute(story_vectors.insert(), rows)
    links = vector_links(conn, saved) | near_duplicates_of(conn, ids)
    if links:
        conn.execute(
            story_links.insert(),
            [{"a": a, "b": b, "similarity": s} for (a, b), s in sorted(links.items())],
        )
    regroup(conn, set(ids) | members(conn, before))


def vector_links(conn: Connection, saved: Sequence[Saved]) -> dict[tuple[str, str], float]:
    """Pairs (a < b) of a saved article and a stored one (saved ones included) at
    both thresholds, within the window: exact search over the window's vectors (of
    the same length: from the same encoder), then the words of the pairs found."""
    by_day: dict[tuple[str | None, int], list[tuple[str, np.ndarray]]] = defaultdict(list)
    for article in saved:
        if article.vector is not None:
            key = day_of(article.published), article.vector.nbytes
            by_day[key].append((article.id, article.vector))
    links: dict[tuple[str, str], float] = {}
    for (day, size), group in by_day.items():
        found = [(i, v) for i, v in conn.execute(window_query(day)).all() if len(v) == size]
        if not found:
            continue
        stored = np.frombuffer(b"".join(v for _, v in found), DTYPE).reshape(len(found), -1)
        queries = np.stack([vector for _, vector in group])
        rough = queries.astype(np.float32) @ stored.astype(np.float32).T
        for row, col in zip(*np.nonzero(rough >= VECTOR_THRESHOLD - MARGIN), strict=True):
            a, b = group[row][0], found[col][0]
            exact = float(np.dot(queries[row].astype(np.float64), stored[col].astype(np.float64)))
            if a != b and exact >= VECTOR_THRESHOLD:
                links[min(a, b), max(a, b)] = round(exact, 4)
    words = terms_of(conn, sorted({i for pair in links for i in pair}))
    return {
        pair: similarity
        for pair, similarity in links.items()
        if word_cosine(words.get(pair[0], {}), words.get(pair[1], {})) >= WORDS_THRESHOLD
    }


def terms_of(conn: Connection, ids: Sequence[str]) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for chunk in batched(ids, CHUNK):
        query = select(story_terms.c.article_id, story_terms.c.terms).where(
            story_terms.c.article_id.in_(chunk)
        )
        found.update((r.article_id, json.loads(r.terms)) for r in conn.execute(query))
    return found


def window_query(day: str | None) -> Select[Any] | CompoundSelect[Any]:
    """The stored vectors an article of `day` is compared with (of the same encoder
    when of the same length): those within WINDOW_DAYS and the undated ones (two
    indexed lookups, not a scan for an OR); every one for an undated article."""
    query = select(story_vectors.c.article_id, story_vectors.c.vector)
    if day is None:
        return query
    first = date.fromisoformat(day)
    lo, hi = first - timedelta(WINDOW_DAYS), first + timedelta(WINDOW_DAYS)
    window = story_vectors.c.day.between(lo.isoformat(), hi.isoformat())
    return union_all(query.where(window), query.where(story_vectors.c.day == UNDATED))


def stories_of(conn: Connection, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in batched(ids, CHUNK):
        query = select(story_members.c.story).where(story_members.c.article_id.in_(chunk))
        found.update(conn.execute(query).scalars())
    return found


def members(conn: Connection, stories: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in batched(sorted(stories), CHUNK):
        query = select(story_members.c.article_id).where(story_members.c.story.in_(chunk))
        found.update(conn.execute(query).scalars())
    return found


def regroup(conn: Connection, seeds: set[str]) -> None:
    """Follow the links from `seeds` to whole connected groups and store the story of
    each of their articles (its group's first article by day, then id)."""
    seen, frontier = set(seeds), sorted(seeds)
    edges: set[tuple[str, str]] = set()
    while frontier:
        reached: set[str] = set()
        for chunk in batched(frontier, CHUNK):
            query = select(story_links.c.a, story_links.c.b).where(
                or_(story_links.c.a.in_(chunk), story_links.c.b.in_(chunk))
            )
            for a, b in conn.execute(query):
                edges.add((a, b))
                reached.update((a, b))
        frontier = sorted(reached - seen)
        seen |= reached
    days: dict[str, str | None] = {}
    for chunk in batched(sorted(seen), CHUNK):
        query = select(article_stats.c.article_id, article_stats.c.day).where(
            article_stats.c.article_id.in_(chunk)
        )
        days.update((r.article_id, r.day) for r in conn.execute(query))
    nodes = sorted(days, key=lambda i: (days[i] is None, days[i] or "", i))
    row = {article_id: n for n, article_id in enumerate(nodes)}
    pairs = [(row[a], row[b]) for a, b in edges if a in row and b in row]
    for chunk in batched(nodes, CHUNK):
        conn.execute(delete(story_members).where(story_members.c.article_id.in_(chunk)))
    named = [
        {"article_id": nodes[i], "story": story_id(nodes[group[0]])}
        for group in groups(len(nodes), pairs)
        for i in group
    ]
    if named:
        conn.execute(story_members.insert(), named)


def groups(n: int, pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected groups of rows, each sorted, by their first row."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    found: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        found[root(i)].append(i)
    return sorted(found.values())
