"""The store: analysed articles in SQL through SQLAlchemy Core.

SQLite by default (one file, no server; full-text search with FTS5). The same
code runs on PostgreSQL, where search falls back to case-insensitive matching.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
from sqlalchemy import (
    Column,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects import postgresql, sqlite

from spinlens.model import Article

metadata = MetaData()
articles = Table(
    "articles",
    metadata,
    Column("id", String, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("pipeline_version", String, nullable=False),
    Column("title", Text),
    Column("author", Text),
    Column("source", Text),
    Column("url", Text),
    Column("published", String),
    Column("language", String(16)),
    Column("text", Text, nullable=False),
    Column("result", Text, nullable=False),
    Column("n_sentences", Integer, nullable=False),
    Column("n_entities", Integer, nullable=False),
    Column("stored_at", String, nullable=False),
    Index("ix_articles_content", "sha256", "pipeline_version"),
    Index("ix_articles_source", "source"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_language", "language"),
)
FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    "id UNINDEXED, title, text, tokenize='unicode61 remove_diacritics 2')"
)
LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class Hit:
    """One full-text search result."""

    id: str
    title: str | None
    source: str | None
    snippet: str


def default_url() -> str:
    """A SQLite file in the user's data directory."""
    folder = Path(platformdirs.user_data_dir("spinlens"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'spinlens.db'}"


class Store:
    """Analysed articles, keyed by article id."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        self.engine: Engine = create_engine(self.url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        if self.is_sqlite:
            event.listen(self.engine, "connect", tune_sqlite)
        metadata.create_all(self.engine)
        if self.is_sqlite:
            with self.engine.begin() as conn:
                conn.execute(text(FTS_DDL))

    def close(self) -> None:
        self.engine.dispose()

    def stored(self, keys: Iterable[tuple[str, str, str]]) -> set[str]:
        """Ids among ``(id, sha256, pipeline_version)`` already stored unchanged."""
        keys = list(keys)
        found: set[str] = set()
        cols = tuple_(articles.c.id, articles.c.sha256, articles.c.pipeline_version)
        with self.engine.connect() as conn:
            for i in range(0, len(keys), LOOKUP_CHUNK):
                chunk = keys[i : i + LOOKUP_CHUNK]
                rows = conn.execute(select(articles.c.id).where(cols.in_(chunk)))
                found.update(row.id for row in rows)
        return found

    def save(self, batch: Sequence[Article]) -> None:
        """Insert or replace a batch of articles in one transaction (for an id given
        twice, the last one wins)."""
        if not batch:
            return
        rows = list({row["id"]: row for row in map(row_of, batch)}.values())
        insert = (sqlite if self.is_sqlite else postgresql).insert(articles)
        upsert = insert.on_conflict_do_update(
            index_elements=[articles.c.id],
            set_={c.name: insert.excluded[c.name] for c in articles.c if c.name != "id"},
        )
        with self.engine.begin() as conn:
            conn.execute(upsert, rows)
            if self.is_sqlite:
                ids = [{"id": row["id"]} for row in rows]
                conn.execute(text("DELETE FROM articles_fts WHERE id = :id"), ids)
                conn.execute(
                    text("INSERT INTO articles_fts (id, title, text) VALUES (:id, :title, :text)"),
                    [{"id": r["id"], "title": r["title"] or "", "text": r["text"]} for r in rows],
                )

    def get(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            result = conn.execute(
                select(articles.c.result).where(articles.c.id == article_id)
            ).scalar()
        return Article.from_dict(json.loads(result)) if result is not None else None

    def get_many(self, ids: Iterable[str]) -> dict[str, Article]:
        ids = list(ids)
        out: dict[str, Article] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), LOOKUP_CHUNK):
                query = select(articles.c.id, articles.c.result).where(
                    articles.c.id.in_(ids[i : i + LOOKUP_CHUNK])
                )
                for row in conn.execute(query):
                    out[row.id] = Article.from_dict(json.loads(row.result))
        return out

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar() or 0)

    def __iter__(self) -> Iterator[Article]:
        """Every stored article, streamed in id order."""
        query = select(articles.c.result).order_by(articles.c.id)
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=200).execute(query):
                yield Article.from_dict(json.loads(row.result))

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Full-text search over titles and texts, best matches first."""
        if not query.strip():
            raise ValueError("empty search query")
        if self.is_sqlite:
            sql = text(
                "SELECT f.id, a.title, a.source, "
                "snippet(articles_fts, 2, '[', ']', ' … ', 12) AS snippet "
                "FROM articles_fts f JOIN articles a ON a.id = f.id "
                "WHERE articles_fts MATCH :q ORDER BY bm25(articles_fts) LIMIT :n"
            )
            params = {"q": fts_query(query), "n": limit}
            with self.engine.connect() as conn:
                return [Hit(r.id, r.title, r.source, r.snippet) for r in conn.execute(sql, params)]
        pattern = f"%{query}%"
        stmt = (
            select(articles.c.id, articles.c.title, articles.c.source, articles.c.text)
            .where(or_(articles.c.title.ilike(pattern), articles.c.text.ilike(pattern)))
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [Hit(r.id, r.title, r.source, r.text[:160]) for r in conn.execute(stmt)]


def row_of(article: Article) -> dict[str, object]:
    result = article.to_dict()
    return {
        "id": article.id,
        "sha256": result["sha256"],
        "pipeline_version": article.pipeline.get("version", ""),
        "title": article.title,
        "author": article.author,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "language": article.language,
        "text": article.text,
        "result": json.dumps(result, ensure_ascii=False),
        "n_sentences": len(result.get("sentences", [])),
        "n_entities": len(result.get("entities", [])),
        "stored_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def fts_query(query: str) -> str:
    """Queries using FTS5 operators pass through; plain words are quoted, so that
    punctuation in them cannot break the query syntax."""
    if any(op in query for op in ('"', " AND ", " OR ", " NOT ", " NEAR(", "*")):
        return query
    words = [w.replace('"', "") for w in query.split()]
    return " ".join(f'"{w}"' for w in words if w)


def tune_sqlite(dbapi_connection: object, _record: object) -> None:
    """WAL journal: readers do not block the writer; a crash loses at most the
    open transaction."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
