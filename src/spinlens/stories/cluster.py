"""Stories as the story index stored them when their articles were saved
(`spinlens.stories.index`), read for listing: each with its articles in order of
publication, a label of its most distinctive words, and how much it grew lately.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Select, func, select

from spinlens.batching import batched
from spinlens.facets import article_stats
from spinlens.stories.index import CHUNK, story_members
from spinlens.stories.terms import story_df, story_terms

LABEL_TERMS = 4
GROWTH_DAYS = 7
"""A story's growth: its articles published in the last GROWTH_DAYS days up to the
store's newest publication day (the corpus's "now", so that an archive of 2016
reads as it did then)."""
ORDERS = ("largest", "growing")
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
    growth: int
    """Articles published in the last GROWTH_DAYS days (see GROWTH_DAYS)."""

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


def stories(engine: Engine, min_articles: int = 2, order: str = "largest") -> list[Story]:
    """The stories of at least `min_articles` articles; "largest" first (then latest
    first seen), or fastest-"growing" first (then largest, latest)."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}: one of {', '.join(ORDERS)}")
    listed = (
        select(story_members.c.story)
        .group_by(story_members.c.story)
        .having(func.count() >= min_articles)
    )
    with engine.connect() as conn:
        found = read(conn, listed)
    found.sort(key=lambda s: s.articles[0].day or "", reverse=True)
    found.sort(key=lambda s: -len(s.articles))
    if order == "growing":
        found.sort(key=lambda s: -s.growth)
    return found


def story_of(engine: Engine, article_id: str) -> Story | None:
    """The story of one article (None when it is not in the story index)."""
    listed = select(story_members.c.story).where(story_members.c.article_id == article_id)
    with engine.connect() as conn:
        found = read(conn, listed)
    return found[0] if found else None


def read(conn: Connection, listed: Select[Any]) -> list[Story]:
    """The stories whose ids `listed` selects, labelled and with their growth."""
    query = (
        select(
            story_members.c.story,
            article_stats.c.article_id,
            article_stats.c.day,
            article_stats.c.title,
            article_stats.c.source,
            article_stats.c.published,
            story_terms.c.terms,
        )
        .join(article_stats, article_stats.c.article_id == story_members.c.article_id)
        .outerjoin(story_terms, story_terms.c.article_id == story_members.c.article_id)
        .where(story_members.c.story.in_(listed))
    )
    grouped: dict[str, list[Indexed]] = defaultdict(list)
    for r in conn.execute(query):
        terms = json.loads(r.terms) if r.terms else {}
        grouped[r.story].append(Indexed(r.article_id, r.day, r.title, r.source, r.published, terms))
    words = {t for group in grouped.values() for a in group for t in a.terms}
    idf = inverse_frequencies(conn, words)
    since = recent_since(conn)
    found = []
    for story, group in grouped.items():
        group.sort(key=lambda a: (a.day is None, a.day or "", a.id))
        growth = sum(1 for a in group if since and a.day and a.day >= since)
        found.append(Story(story, label(group, idf), group, growth))
    return found


def inverse_frequencies(conn: Connection, terms: set[str]) -> dict[str, float]:
    """log(articles / articles with the word), from the counts kept on save."""
    total = conn.execute(select(func.count()).select_from(story_terms)).scalar() or 0
    idf: dict[str, float] = {}
    for chunk in batched(sorted(terms), CHUNK):
        query = select(story_df.c.term, story_df.c.articles).where(story_df.c.term.in_(chunk))
        idf.update((term, math.log(total / n)) for term, n in conn.execute(query) if n > 0)
    return idf


def recent_since(conn: Connection) -> str | None:
    """The first day counted in a story's growth (None in an undated store)."""
    latest = conn.execute(select(func.max(article_stats.c.day))).scalar()
    if latest is None:
        return None
    return (date.fromisoformat(latest) - timedelta(GROWTH_DAYS - 1)).isoformat()


def label(articles: list[Indexed], idf: dict[str, float]) -> str:
    """The story's LABEL_TERMS words of most weight: TF-IDF over each article, each
    article's weights of unit length, summed over the story."""
    weights: dict[str, float] = defaultdict(float)
    for article in articles:
        own = {t: (1 + math.log(c)) * idf.get(t, 0.0) for t, c in article.terms.items()}
        norm = math.sqrt(sum(w * w for w in own.values())) or 1.0
        for term, weight in own.items():
            weights[term] += weight / norm
    top = sorted((t for t, w in weights.items() if w > 0), key=lambda t: (-weights[t], t))
    return ", ".join(top[:LABEL_TERMS])
