"""Full-text search in the store. SQLite: the FTS5 table `articles_fts`. PostgreSQL:
a GIN index over the words of each article's title and text. Both match whole words,
in any case, without stemming, so a query finds the same articles on either."""

from __future__ import annotations

from sqlalchemy import Integer, TextClause, TextualSelect, text

FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    "id UNINDEXED, title, text, tokenize='unicode61 remove_diacritics 2')"
)
WORDS_DDL = (
    "ALTER TABLE articles ADD COLUMN IF NOT EXISTS words tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', coalesce(title, '') || ' ' || text)) STORED",
    "CREATE INDEX IF NOT EXISTS ix_articles_words ON articles USING GIN (words)",
)
"""PostgreSQL: each article's words, kept by the database whenever a row is written
(a stored column: a search matching most articles reads it instead of parsing every
text again), and their GIN index."""


def fts_query(query: str) -> str:
    """Queries using FTS5 operators pass through; plain words are quoted, so that
    punctuation in them cannot break the query syntax."""
    if any(op in query for op in ('"', " AND ", " OR ", " NOT ", " NEAR(", "*")):
        return query
    words = [w.replace('"', "") for w in query.split()]
    return " ".join(f'"{w}"' for w in words if w)


HOLDS_WORDS = "articles.words @@ websearch_to_tsquery('simple', {})"
"""On PostgreSQL, the condition that an `articles` row holds the query's words (web
search syntax: "quoted phrases", or, -excluded), answered by the index; `{}` is
where the query goes."""
FTS_MATCH = "SELECT rowid AS doc{} FROM articles_fts WHERE articles_fts MATCH {}"
"""The FTS5 rowids a query finds (with FTS5's rank when asked: lower is better)."""
FTS_ROWIDS = FTS_MATCH.format("", "?")
FTS_RANKS = FTS_MATCH.format(", rank", "?")
WORDS_IDS = f"SELECT id FROM articles WHERE {HOLDS_WORDS.format('%s')}"
"""What a search finds, for the driver's own cursor: FTS5 rowids (and ranks) on
SQLite, article ids on PostgreSQL."""


def words_match(query: str) -> TextClause:
    """`HOLDS_WORDS` for a SQLAlchemy query."""
    return text(HOLDS_WORDS.format(":words")).bindparams(words=query)


def fts_rowids(query: str) -> TextualSelect:
    """On SQLite, the rowids (`doc`) of the articles a query finds, unranked."""
    return text(FTS_MATCH.format("", ":q")).bindparams(q=fts_query(query)).columns(doc=Integer)
