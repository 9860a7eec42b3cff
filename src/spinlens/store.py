"""The store: analysed articles in SQL through SQLAlchemy Core.

SQLite by default (one file, no server; full-text search with FTS5). The same
code runs on PostgreSQL, where search falls back to case-insensitive matching.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    delete,
    func,
    literal_column,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects import postgresql, sqlite

from spinlens.claims import index as claim_index
from spinlens.duplicates import index as duplicate_index
from spinlens.facets import (
    IndexRows,
    article_facets,
    article_stats,
    facet_totals,
    index_metadata,
    index_rows,
    layer_counts,
    rollup_changes,
    schema_fingerprint,
    spinlens_meta,
    technique_rollup,
)
from spinlens.model import Article
from spinlens.speakers import index as speaker_index
from spinlens.store_open import open_engine, require_current, with_retries
from spinlens.store_search import (
    FTS_DDL,
    Hit,
    article_words,
    index_words,
    search_hits,
    words_metadata,
)
from spinlens.stories import index as story_index
from spinlens.stories import terms as story_terms

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
LOOKUP_CHUNK = 500
SCHEMA_VERSION = 7
"""2: corpus index tables (`spinlens.facets`) filled; FTS rowids equal `articles` rowids.
3: span counts in `layer_counts`, one row per counted layer of the registry.
4: the duplicate index (`spinlens.duplicates.index`) and the story terms
(`spinlens.stories.terms`).
5: the claims index (`spinlens.claims.index`).
6: exact copies grouped in the duplicate index (`dup_docs.content`, `copy_of`); the
story index (`spinlens.stories.index`: vectors, links, stories) and the story words'
article counts; the speaker tables (`spinlens.speakers.index`: names merged across
articles).
7: on PostgreSQL, the search words in `article_words`, numbered by the `doc` of the
corpus index (`spinlens.store_search`)."""


def default_url() -> str:
    """A SQLite file in the user's data directory."""
    folder = Path(platformdirs.user_data_dir("spinlens"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'spinlens.db'}"


class Store:
    """Analysed articles, keyed by article id."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        self.engine: Engine
        self.engine, self.read_only = open_engine(self.url, tune_sqlite)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        if self.read_only:
            require_current(self.engine, spinlens_meta, current_schema())
        else:
            with_retries(self.create_schema)

    def create_schema(self) -> None:
        """Create what is missing, then migrate (both do nothing on a current store)."""
        metadata.create_all(self.engine)
        spinlens_meta.create(self.engine, checkfirst=True)
        if self.is_sqlite:
            with self.engine.begin() as conn:
                conn.execute(text(FTS_DDL))
        else:
            words_metadata.create_all(self.engine)
            claim_index.add_trigrams(self.engine)
        self.migrate()

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
        latest = {article.id: article.to_dict() for article in batch}
        rows = [row_of(result, article_id) for article_id, result in latest.items()]
        with self.engine.begin() as conn:
            conn.execute(self.upsert(articles, articles.c.id), rows)
            self.write_index(conn, rows, list(latest.values()))

    def annotate(self, changes: Mapping[str, Mapping[str, str]]) -> list[str]:
        """Give stored articles new metadata (`changes`: values by field, by id)
        without analysing them again: their JSON result and row change and their
        index rows are rebuilt; text, offsets, layers, content hash and time stored
        stay. Returns the ids found (the others are not stored)."""
        ids = list(changes)
        with self.engine.begin() as conn:
            rows: list[dict[str, Any]] = []
            results: list[dict[str, Any]] = []
            for i in range(0, len(ids), LOOKUP_CHUNK):
                query = select(articles.c.id, articles.c.result, articles.c.stored_at).where(
                    articles.c.id.in_(ids[i : i + LOOKUP_CHUNK])
                )
                for found in conn.execute(query):
                    result = json.loads(found.result) | dict(changes[found.id])
                    rows.append(row_of(result, found.id) | {"stored_at": found.stored_at})
                    results.append(result)
            if rows:
                conn.execute(self.upsert(articles, articles.c.id), rows)
                self.write_index(conn, rows, results)
        return [row["id"] for row in rows]

    def upsert(self, table: Table, key: Column) -> Any:
        insert = (sqlite if self.is_sqlite else postgresql).insert(table)
        return insert.on_conflict_do_update(
            index_elements=[key],
            set_={c.name: insert.excluded[c.name] for c in table.c if c.name != key.name},
        )

    def write_index(
        self,
        conn: Connection,
        rows: list[dict[str, Any]],
        results: list[dict[str, Any]] | None = None,
    ) -> None:
        """Replace the corpus index rows (and on SQLite the full-text rows) of
        freshly saved `articles` rows, bring the store-wide totals up to date and
        compare the articles with their candidate copies (the duplicate index),
        keep their words and vectors and link them into stories, list their claims and
        merge their speakers' names with the corpus's.
        `results` are the rows' parsed JSON results, when the caller has them."""
        ids = [row["id"] for row in rows]
        parsed = results or [json.loads(row["result"]) for row in rows]
        new = [
            index_rows(result, row["stored_at"]) for row, result in zip(rows, parsed, strict=True)
        ]
        rowid: dict[str, int] = {}
        if self.is_sqlite:  # stats and FTS rows carry the article's rowid
            for i in range(0, len(ids), LOOKUP_CHUNK):
                query = select(literal_column("rowid"), articles.c.id).where(
                    articles.c.id.in_(ids[i : i + LOOKUP_CHUNK])
                )
                rowid.update((r.id, r.rowid) for r in conn.execute(query))
        else:  # the words' table numbers them
            rowid = index_words(conn, ids)
        for stats, _, _ in new:
            stats["doc"] = rowid[stats["article_id"]]
        old = self.index_of(conn, ids)
        for i in range(0, len(ids), LOOKUP_CHUNK):
            chunk = ids[i : i + LOOKUP_CHUNK]
            for table in (article_facets, layer_counts):
                conn.execute(delete(table).where(table.c.article_id.in_(chunk)))
        conn.execute(self.upsert(article_stats, article_stats.c.article_id), [r.stats for r in new])
        if facets := [f for r in new for f in r.facets]:
            conn.execute(article_facets.insert(), facets)
        counts = [
            {"layer": layer, "article_id": r.stats["article_id"], "n": n}
            for r in new
            for layer, n in r.counts.items()
        ]
        if counts:
            conn.execute(layer_counts.insert(), counts)
        totals, rollup = rollup_changes(old, new)
        self.add_up(conn, facet_totals, totals, ("articles", "mentions"))
        self.add_up(conn, technique_rollup, rollup, ("articles", "spans"))
        if self.is_sqlite:  # replacing an FTS row by its rowid is a lookup, not a scan
            fts = [
                {
                    "rowid": rowid[r["id"]],
                    "id": r["id"],
                    "title": r["title"] or "",
                    "text": r["text"],
                }
                for r in rows
            ]
            conn.execute(text("DELETE FROM articles_fts WHERE rowid = :rowid"), fts)
            conn.execute(
                text(
                    "INSERT INTO articles_fts (rowid, id, title, text) "
                    "VALUES (:rowid, :id, :title, :text)"
                ),
                fts,
            )
        saved = [
            duplicate_index.Indexed(row["id"], row["text"], result.get("published"))
            for row, result in zip(rows, parsed, strict=True)
        ]
        duplicate_index.update(conn, saved, self.is_sqlite)
        claim_index.update(conn, parsed)
        speaker_index.update(conn, parsed, self.add_up)
        terms = story_terms.update(conn, [(a.id, a.text, a.published) for a in saved])
        self.add_up(conn, story_terms.story_df, terms, ("articles",))
        story_index.update(conn, [story_index.Saved.of(result) for result in parsed])

    def index_of(self, conn: Connection, ids: list[str]) -> list[IndexRows]:
        """The index rows (stats, facets) stored now for these articles."""
        found: dict[str, IndexRows] = {}
        for i in range(0, len(ids), LOOKUP_CHUNK):
            chunk = ids[i : i + LOOKUP_CHUNK]
            query = select(article_stats).where(article_stats.c.article_id.in_(chunk))
            for row in conn.execute(query):
                found[row.article_id] = IndexRows(dict(row._mapping), [], {})
            query = select(article_facets).where(article_facets.c.article_id.in_(chunk))
            for row in conn.execute(query):
                found[row.article_id][1].append(dict(row._mapping))
        return list(found.values())

    def add_up(
        self, conn: Connection, table: Table, rows: list[dict[str, Any]], counts: tuple[str, ...]
    ) -> None:
        """Add the rows' counts to a totals table; drop rows whose first count falls
        to zero."""
        if not rows:
            return
        keys = list(table.primary_key.columns)
        insert = (sqlite if self.is_sqlite else postgresql).insert(table)
        upsert = insert.on_conflict_do_update(
            index_elements=keys,
            set_={name: table.c[name] + insert.excluded[name] for name in counts},
        )
        conn.execute(upsert, rows)
        if shrunk := [{k.name: r[k.name] for k in keys} for r in rows if r[counts[0]] < 0]:
            match = [k == bindparam(k.name) for k in keys]
            conn.execute(delete(table).where(*match, table.c[counts[0]] <= 0), shrunk)

    def migrate(self) -> None:
        """Bring the derived tables up to this version and layer registry: when the
        stored schema (`SCHEMA_VERSION` and the registry's counted layers and facets)
        differs, drop and re-create the corpus index tables and rebuild the full-text
        and index rows of every stored article from its JSON result (once). The
        articles themselves are never touched."""
        schema = current_schema()
        with self.engine.begin() as conn:
            if self.is_sqlite:  # check and rebuild under the write lock: runs starting
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # together see one rebuild
            found = conn.execute(
                select(spinlens_meta.c.value).where(spinlens_meta.c.key == "schema")
            ).scalar()
            if found == schema:
                return
            derived = [t for t in index_metadata.sorted_tables if t is not spinlens_meta]
            index_metadata.drop_all(conn, tables=derived)
            index_metadata.create_all(conn, tables=derived)
            if self.is_sqlite:
                conn.execute(text("DELETE FROM articles_fts"))
            else:  # versions before 7 kept the words in the articles row
                conn.execute(text("ALTER TABLE articles DROP COLUMN IF EXISTS words"))
                conn.execute(article_words.delete())
            ids = list(conn.execute(select(articles.c.id)).scalars())
            for i in range(0, len(ids), LOOKUP_CHUNK):
                query = select(
                    articles.c.id,
                    articles.c.title,
                    articles.c.text,
                    articles.c.result,
                    articles.c.stored_at,
                ).where(articles.c.id.in_(ids[i : i + LOOKUP_CHUNK]))
                self.write_index(conn, [dict(r._mapping) for r in conn.execute(query)])
            version = {"key": "schema", "value": schema}
            conn.execute(self.upsert(spinlens_meta, spinlens_meta.c.key), [version])

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
        with self.engine.connect() as conn:
            return search_hits(conn, self.is_sqlite, query, limit)


def current_schema() -> str:
    """The schema this version and layer registry index with (see `Store.migrate`)."""
    return f"{SCHEMA_VERSION}:{schema_fingerprint()}"


def row_of(result: dict[str, Any], article_id: str) -> dict[str, object]:
    """The `articles` row of one article's JSON result."""
    return {
        "id": article_id,
        "sha256": result["sha256"],
        "pipeline_version": result["pipeline"].get("version", ""),
        "title": result["title"],
        "author": result["author"],
        "source": result["source"],
        "url": result["url"],
        "published": result["published"],
        "language": result["language"],
        "text": result["text"],
        "result": json.dumps(result, ensure_ascii=False),
        "n_sentences": len(result.get("sentences", [])),
        "n_entities": len(result.get("entities", [])),
        "stored_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def tune_sqlite(dbapi_connection: object, _record: object) -> None:
    """WAL journal: readers do not block the writer; a crash loses at most the
    open transaction. The file is read through a memory map and up to 64 MiB of
    pages are cached per connection (the duplicate index reads and writes random
    pages of a large table)."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA mmap_size=4294967296")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()
