"""Story clusters over the stored articles: TF-IDF vectors of their content words
(from `story_terms`), linked when similar enough and published within a few days
of each other, or when the duplicate index calls them copies; a story is a
connected group of links. Exact search, block by block of days, from the index
as stored: the same store gives the same stories whatever the order it was filled in.
"""

from __future__ import annotations

import hashlib
import json
import math
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import scipy.sparse as sp
from sqlalchemy import Engine, select

from spinlens.duplicates.pairs import near_duplicate_links
from spinlens.facets import article_stats
from spinlens.stories.terms import story_terms

WINDOW_DAYS = 2
"""Most days between two linked articles (both dated)."""
THRESHOLD = 0.10
"""Least cosine similarity of linked articles (B-cubed F best on the PolNeAR
story set, docs/benchmarks.md)."""
LABEL_TERMS = 4
STORY_FIELDS = ["story", "label", "articles", "sources", "first_seen"]


@dataclass(frozen=True)
class Indexed:
    """One article as the story index holds it."""

    id: str
    day: str | None
    title: str | None
    source: str | None
    published: str | None
    terms: dict[str, int]


@dataclass(frozen=True)
class Story:
    id: str
    label: str
    articles: list[Indexed]

    def to_dict(self) -> dict[str, Any]:
        first = self.articles[0]
        return {
            "story": self.id,
            "label": self.label,
            "articles": [a.id for a in self.articles],
            "sources": sorted({a.source for a in self.articles if a.source}),
            "first_seen": {
                "article": first.id,
                "source": first.source,
                "published": first.published,
            },
        }


def indexed(engine: Engine) -> list[Indexed]:
    """Every article of the story index, by (day, id); undated ones last."""
    query = select(
        story_terms.c.article_id,
        story_terms.c.day,
        story_terms.c.terms,
        article_stats.c.title,
        article_stats.c.source,
        article_stats.c.published,
    ).join(article_stats, article_stats.c.article_id == story_terms.c.article_id)
    with engine.connect() as conn:
        found = [
            Indexed(r.article_id, r.day, r.title, r.source, r.published, json.loads(r.terms))
            for r in conn.execute(query)
        ]
    return sorted(found, key=lambda a: (a.day is None, a.day or "", a.id))


def tfidf(articles: list[Indexed]) -> sp.csr_matrix:
    """Rows of unit length: (1 + log count) times log(articles / articles with the word)."""
    df: dict[str, int] = defaultdict(int)
    for article in articles:
        for term in article.terms:
            df[term] += 1
    column = {term: i for i, term in enumerate(sorted(df))}
    rows, cols, values = [], [], []
    for row, article in enumerate(articles):
        for term, count in article.terms.items():
            rows.append(row)
            cols.append(column[term])
            values.append((1 + math.log(count)) * math.log(len(articles) / df[term]))
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(len(articles), len(column)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1 / norms) @ matrix)


def similar_pairs(articles: list[Indexed], vectors: sp.csr_matrix) -> list[tuple[int, int]]:
    """Row pairs (i < j) at THRESHOLD or above, both dated within WINDOW_DAYS, or
    one undated (compared with every article)."""
    days = [date.fromisoformat(a.day).toordinal() for a in articles if a.day]
    dated = len(days)
    pairs = []
    start = 0
    while start < dated:
        end = bisect_right(days, days[start])
        reach = bisect_right(days, days[start] + WINDOW_DAYS)
        pairs.extend(linked(vectors, start, end, start, reach))
        start = end
    if dated < len(articles):
        pairs.extend(linked(vectors, dated, len(articles), 0, len(articles)))
    return pairs


def linked(
    vectors: sp.csr_matrix, lo: int, hi: int, first: int, last: int
) -> list[tuple[int, int]]:
    """Pairs of rows [lo, hi) x [first, last) at THRESHOLD or above, i < j."""
    block = (vectors[lo:hi] @ vectors[first:last].T).tocoo()
    keep = block.data >= THRESHOLD
    rows, cols = block.row[keep] + lo, block.col[keep] + first
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if i < j or j < lo]


def copies(engine: Engine, rows: dict[str, int]) -> list[tuple[int, int]]:
    """Near-duplicate pairs of the duplicate index, as rows."""
    with engine.connect() as conn:
        links = near_duplicate_links(conn)
        return [(rows[a], rows[b]) for a, b in links if a in rows and b in rows]


def groups(n: int, pairs: list[tuple[int, int]]) -> list[list[int]]:
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


def label(vectors: sp.csr_matrix, rows: list[int], vocabulary: list[str]) -> str:
    weights = np.asarray(vectors[rows].sum(axis=0)).ravel()
    top = sorted(np.flatnonzero(weights), key=lambda c: (-weights[c], vocabulary[c]))
    return ", ".join(vocabulary[c] for c in top[:LABEL_TERMS])


def story_id(first: str) -> str:
    """A stable id: from the story's first article."""
    return "s-" + hashlib.blake2b(first.encode(), digest_size=6).hexdigest()


def stories(engine: Engine, min_articles: int = 2) -> list[Story]:
    """The stories of at least `min_articles` articles, largest first, then latest
    first seen; each story's articles in order of publication."""
    articles = indexed(engine)
    vectors = tfidf(articles)
    vocabulary = sorted({term for a in articles for term in a.terms})
    rows = {a.id: i for i, a in enumerate(articles)}
    pairs = similar_pairs(articles, vectors) + copies(engine, rows)
    found = [
        Story(story_id(articles[g[0]].id), label(vectors, g, vocabulary), [articles[i] for i in g])
        for g in groups(len(articles), pairs)
        if len(g) >= min_articles
    ]
    found.sort(key=lambda s: s.articles[0].day or "", reverse=True)
    return sorted(found, key=lambda s: -len(s.articles))
