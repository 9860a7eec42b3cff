"""What the story index keeps of an article for its story's label: its content words
and their counts, saved with the article (`story_terms`), and in how many articles
each word occurs (`story_df`, kept up to date on save), so that labelling reads no
article text and no other article."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, String, Table, Text, delete, select

from spinlens.facets import day_of, index_metadata

WORD = re.compile(r"[^\W\d_]{3,}")
"""Content words: letters only, three or more."""
MAX_TERMS = 200
"""Most frequent words kept per article."""
CHUNK = 500

story_terms = Table(
    "story_terms",
    index_metadata,
    Column("article_id", String, primary_key=True),
    Column("day", String(10)),
    Column("terms", Text, nullable=False),
    Index("ix_story_terms_day", "day"),
)
story_df = Table(
    "story_df",
    index_metadata,
    Column("term", String, primary_key=True),
    Column("articles", Integer, nullable=False),
)


@cache
def stop_words() -> frozenset[str]:
    """spaCy's English stop words (imported when first needed: spaCy is slow to load)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def term_counts(text: str) -> dict[str, int]:
    """The article's MAX_TERMS most frequent content words (stop words left out),
    ties broken alphabetically."""
    counts = Counter(map(str.casefold, WORD.findall(text)))
    for word in stop_words() & counts.keys():
        del counts[word]
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:MAX_TERMS]
    return dict(ranked)


def word_cosine(a: dict[str, int], b: dict[str, int]) -> float:
    """Cosine of two articles' word counts, each weighted 1 + log(count) (no inverse
    document frequency: it would change with every article stored)."""
    weight_a = {t: 1 + math.log(c) for t, c in a.items()}
    weight_b = {t: 1 + math.log(c) for t, c in b.items()}
    dot = sum(w * weight_b[t] for t, w in weight_a.items() if t in weight_b)
    norms = math.hypot(*weight_a.values()) * math.hypot(*weight_b.values())
    return dot / norms if norms else 0.0


def update(conn: Connection, saved: Sequence[tuple[str, str, str | None]]) -> list[dict[str, Any]]:
    """Replace the story terms of freshly saved articles: (id, text, published).
    Returns the changes to `story_df` (term, articles: + or -) for the caller to add."""
    ids = [article_id for article_id, _, _ in saved]
    change: Counter[str] = Counter()
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        query = select(story_terms.c.terms).where(story_terms.c.article_id.in_(chunk))
        for old in conn.execute(query).scalars():
            change.subtract(json.loads(old).keys())
        conn.execute(delete(story_terms).where(story_terms.c.article_id.in_(chunk)))
    rows = []
    for article_id, text, published in saved:
        counts = term_counts(text)
        change.update(counts.keys())
        day = day_of(published)
        rows.append({"article_id": article_id, "day": day, "terms": json.dumps(counts)})
    if rows:
        conn.execute(story_terms.insert(), rows)
    return [{"term": term, "articles": n} for term, n in sorted(change.items()) if n]
