"""Full-text search in the store. SQLite: the FTS5 table `articles_fts`, whose rowids
are the articles' rowids. PostgreSQL: the table `article_words`, each article's words
with a GIN index, numbered by its own `doc` key. Both match whole words, in any case,
without stemming, so a query finds the same articles on either, and both number the
articles they find with the `doc` of the corpus index (`article_stats.doc`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Identity,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    TextualSelect,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR

FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    "id UNINDEXED, title, text, tokenize='unicode61 remove_diacritics 2')"
)
words_metadata = MetaData()
article_words = Table(
    "article_words",
    words_metadata,
    Column("doc", Integer, Identity(), primary_key=True),
    Column("article_id", String, nullable=False, unique=True),
    Column("words", TSVECTOR, nullable=False),
    Index("ix_article_words", "words", postgresql_using="gin"),
)
"""PostgreSQL: each article's words, in a narrow table of their own, so that a search
matching most articles scans little more than the words (versions before 7 kept them
in the `articles` row, beside the text and the JSON result: three times the pages)."""
WORDS_OF = "to_tsvector('simple', coalesce(title, '') || ' ' || text)"
WORDS_UPSERT = (
    f"INSERT INTO article_words (article_id, words) SELECT id, {WORDS_OF} FROM articles "
    "WHERE id = ANY(:ids) ON CONFLICT (article_id) DO UPDATE SET words = EXCLUDED.words "
    "RETURNING article_id, doc"
)


def fts_query(query: str) -> str:
    """Queries using FTS5 operators pass through; plain words are quoted, so that
    punctuation in them cannot break the query syntax."""
    if any(op in query for op in ('"', " AND ", " OR ", " NOT ", " NEAR(", "*")):
        return query
    words = [w.replace('"', "") for w in query.split()]
    return " ".join(f'"{w}"' for w in words if w)


HOLDS_WORDS = "article_words.words @@ websearch_to_tsquery('simple', {})"
"""On PostgreSQL, the condition that an `article_words` row holds the query's words
(web search syntax: "quoted phrases", or, -excluded), answered by the index; `{}` is
where the query goes."""
FTS_MATCH = "SELECT rowid AS doc{} FROM articles_fts WHERE articles_fts MATCH {}"
"""The FTS5 rowids a query finds (with FTS5's rank when asked: lower is better)."""
FTS_ROWIDS = FTS_MATCH.format("", "?")
FTS_RANKS = FTS_MATCH.format(", rank", "?")
WORDS_DOCS = f"SELECT array_agg(doc) FROM article_words WHERE {HOLDS_WORDS.format('%s')}"
"""What a search finds, for the driver's own cursor: FTS5 rowids (and ranks) on
SQLite; on PostgreSQL one array of `doc`s, which the driver reads whole."""


def found_docs(is_sqlite: bool, query: str) -> TextualSelect | Select[Any]:
    """The `doc`s of the articles a query finds, unranked."""
    if is_sqlite:
        found = text(FTS_MATCH.format("", ":q")).bindparams(q=fts_query(query))
        return found.columns(doc=Integer)
    holds = text(HOLDS_WORDS.format(":words")).bindparams(words=query)
    return select(article_words.c.doc).where(holds)


def index_words(conn: Connection, ids: list[str]) -> dict[str, int]:
    """On PostgreSQL, keep the words of these stored articles (replacing any they
    had) and return each one's `doc`, which stays the same when it is saved again."""
    rows = conn.execute(text(WORDS_UPSERT), {"ids": ids})
    return {row.article_id: row.doc for row in rows}


@dataclass(frozen=True)
class Hit:
    """One full-text search result."""

    id: str
    title: str | None
    source: str | None
    snippet: str


SEARCH_SQLITE = (
    "SELECT f.id, a.title, a.source, snippet(articles_fts, 2, '[', ']', ' … ', 12) AS snippet "
    "FROM articles_fts f JOIN articles a ON a.id = f.id "
    "WHERE articles_fts MATCH :q ORDER BY bm25(articles_fts) LIMIT :n"
)
SEARCH_WORDS = (
    "SELECT a.id, a.title, a.source, left(a.text, 160) AS snippet "
    "FROM article_words JOIN articles a ON a.id = article_words.article_id "
    f"WHERE {HOLDS_WORDS.format(':q')} LIMIT :n"
)


def search_hits(conn: Connection, is_sqlite: bool, query: str, limit: int) -> list[Hit]:
    """The first `limit` articles a query finds: best matches first on SQLite (BM25,
    with a snippet around the words), in no set order on PostgreSQL."""
    sql, q = (SEARCH_SQLITE, fts_query(query)) if is_sqlite else (SEARCH_WORDS, query)
    rows = conn.execute(text(sql), {"q": q, "n": limit})
    return [Hit(r.id, r.title, r.source, r.snippet) for r in rows]
