"""What the story index keeps of an article: its content words and their counts,
saved with the article (`story_terms`), so that clustering reads no article text."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

from sqlalchemy import Column, Connection, Index, String, Table, Text, delete

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


def update(conn: Connection, saved: Sequence[tuple[str, str, str | None]]) -> None:
    """Replace the story terms of freshly saved articles: (id, text, published)."""
    ids = [article_id for article_id, _, _ in saved]
    for i in range(0, len(ids), CHUNK):
        conn.execute(delete(story_terms).where(story_terms.c.article_id.in_(ids[i : i + CHUNK])))
    rows = [
        {"article_id": i, "day": day_of(published), "terms": json.dumps(term_counts(text))}
        for i, text, published in saved
    ]
    if rows:
        conn.execute(story_terms.insert(), rows)
