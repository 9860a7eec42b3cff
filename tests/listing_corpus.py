"""A small corpus whose article list has ties, undated articles and searches that
rank, and the check that the corpus cube lists it as the store does (used on SQLite
in test_web_listing.py and on PostgreSQL in test_postgres.py)."""

from __future__ import annotations

import itertools
import random
from typing import Any

from spinlens.model import Article, Entity, Sentence, Technique
from spinlens.web.corpus import CUBE_SORTS, Paging, list_corpus
from spinlens.web.filters import Filters
from spinlens.web.queries import list_articles

WORDS = ["harbour", "strike", "port", "minister", "wages", "union", "talks", "ferry"]
FILTERS: list[dict[str, str]] = [
    {},
    {"q": "harbour"},
    {"q": "harbour strike"},
    {"q": "ferry OR wages"},
    {"source": "Wire"},
    {"language": "de"},
    {"date_from": "2026-03-02", "date_to": "2026-03-04"},
    {"technique": "Doubt"},
    {"entity": "Veldhaven"},
    {"q": "harbour", "source": "Gazette", "technique": "Doubt"},
    {"q": "port", "date_from": "2026-03-03", "language": "en"},
    {"q": "nowhere-to-be-found"},
]


def corpus_article(n: int, rng: random.Random) -> Article:
    """A small article: few days (ties), some undated, repeated words (ranks that
    differ and some that tie), techniques and entities for the facets."""
    text = " ".join(rng.choices(WORDS, k=rng.randrange(3, 12))) + " in Veldhaven."
    day = rng.choice([None, "2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"])
    article = Article.create(
        f"a-{rng.randrange(10**6):06d}-{n}",
        text,
        title=f"Report {n % 7}",
        source=rng.choice(["Wire", "Gazette", "Herald"]),
        published=day,
        language=rng.choice(["en", "en", "de"]),
    )
    article.layers["sentences"] = [Sentence(0, len(text))]
    place = text.index("Veldhaven")
    article.layers["entities"] = (
        [Entity(place, place + 9, label="GPE", text="Veldhaven")] if n % 3 else []
    )
    article.layers["techniques"] = [
        Technique(0, 4, technique=rng.choice(["Doubt", "Loaded_Language"]), score=0.8)
        for _ in range(rng.randrange(3))
    ]
    return article


def listing_corpus(n: int = 60) -> list[Article]:
    rng = random.Random(7)
    return [corpus_article(i, rng) for i in range(n)]


def page(listing: Any) -> tuple[int, list[str]]:
    return listing.total, [r["article_id"] for r in listing.rows]


def assert_cube_lists_as_store(ws: Any, params: Any) -> None:
    """Every sort the cube orders by, both orders, three pages of 7 (`params`: the
    URL's query parameters)."""
    filters = Filters.of(params)
    for sort, order, number in itertools.product(CUBE_SORTS, ("asc", "desc"), (1, 2, 5)):
        expected = list_articles(ws.store, filters, sort, order, number, 7)
        listed = list_corpus(ws, filters, Paging(sort, order, number, 7))
        assert (listed.sort, listed.order) == (expected.sort, expected.order)
        assert page(listed) == page(expected), (params, sort, order, number)
        assert listed.rows == expected.rows
