"""The store's claims index: one row per claim of every stored article, with the
article's metadata beside it, so the corpus claims view filters and ranks by index
reads. Filled by `Store.save` (and `Store.annotate`), rebuilt by `Store.migrate`."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Dialect,
    Engine,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError

from spinlens.claims.rows import CLAIM_COLUMNS, claim_records
from spinlens.facets import Caseless, day_of, index_metadata

log = logging.getLogger(__name__)
CHUNK = 500
MAX_KEY = 500
"""Characters of a claim's normalised text kept as its grouping key."""
WORD = re.compile(r"\w+")

claim_index = Table(
    "claim_index",
    index_metadata,
    Column("article_id", String, primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, primary_key=True),
    Column("score", Float, nullable=False),
    Column("speaker", Caseless),
    Column("speaker_entity_id", String),
    Column("claim", Text, nullable=False),
    Column("key", String, nullable=False),
    Column("title", Text),
    Column("source", Caseless),
    Column("published", String),
    Column("day", String(10)),
    Column("url", Text),
    Column("quantities", Text),
    Column("entities", Text),
    Index("ix_claims_score", "score", "article_id", "start"),
    Index("ix_claims_source", "source", "score"),
    Index("ix_claims_day", "day", "score"),
    Index("ix_claims_speaker", "speaker", "score"),
    Index("ix_claims_key", "key", "score"),
)


def has_trigrams(
    ddl: Any,
    target: Any,
    bind: Connection | None,
    tables: Any = None,
    state: Any = None,
    *,
    dialect: Dialect,
    compiler: Any = None,
    checkfirst: bool = False,
) -> bool:
    """Whether the database indexes parts of words (PostgreSQL with pg_trgm), so that
    the claims view's `ILIKE '%word%'` is answered by an index."""
    if bind is None or dialect.name != "postgresql":
        return False
    found = bind.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
    return found.first() is not None


Index(
    "ix_claims_words",
    claim_index.c.claim,
    postgresql_using="gin",
    postgresql_ops={"claim": "gin_trgm_ops"},
).ddl_if(callable_=has_trigrams)


def add_trigrams(engine: Engine) -> None:
    """On PostgreSQL, add the pg_trgm extension (trusted: a database owner may) for
    `ix_claims_words`; without it a claims search scans every claim (200 ms at
    300,000), which is slower but the same."""
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except DBAPIError as exc:
        log.warning("no pg_trgm: claims searches scan the claims (%s)", str(exc).splitlines()[0])


def claim_key(sentence: str) -> str:
    """What makes two claims the same: their words, case-folded, in order."""
    return " ".join(WORD.findall(sentence.casefold()))[:MAX_KEY]


def update(conn: Connection, results: Sequence[Mapping[str, Any]]) -> None:
    """Replace the claims rows of freshly saved articles (their JSON results)."""
    ids = [result["id"] for result in results]
    for i in range(0, len(ids), CHUNK):
        conn.execute(delete(claim_index).where(claim_index.c.article_id.in_(ids[i : i + CHUNK])))
    rows = [
        record | {"key": claim_key(record["claim"]), "day": day_of(record["published"])}
        for result in results
        for record in claim_records(result)
    ]
    if rows:
        conn.execute(claim_index.insert(), rows)


@dataclass(frozen=True)
class ClaimPage:
    """One page of claims, best first; grouped, each row stands for every claim with
    its words (`claim_key`) and carries `articles` (how many) and `occurrences`."""

    total: int
    page: int
    per_page: int
    grouped: bool
    rows: list[dict[str, Any]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_dict(self) -> dict[str, Any]:
        """The page as `GET /api/claims` answers it."""
        shown = ("total", "page", "per_page", "pages", "grouped")
        return {name: getattr(self, name) for name in shown} | {"items": self.rows}


def list_claims(
    engine: Engine, where: Sequence[Any], page: int, per_page: int, grouped: bool = False
) -> ClaimPage:
    """One page of the corpus's claims matching the conditions `where` (on
    `claim_index`, see `web.filters.claim_conditions`), highest score first."""
    c = claim_index.c
    columns = [c[name] for name in CLAIM_COLUMNS]
    offset = (page - 1) * per_page
    with engine.connect() as conn:
        if not grouped:
            total = conn.execute(select(func.count()).select_from(claim_index).where(*where))
            query = (
                select(*columns)
                .where(*where)
                .order_by(c.score.desc(), c.article_id, c.start)
                .limit(per_page)
                .offset(offset)
            )
            rows = [dict(r._mapping) for r in conn.execute(query)]
            return ClaimPage(int(total.scalar() or 0), page, per_page, False, rows)
        total = conn.execute(select(func.count(c.key.distinct())).where(*where))
        best = func.max(c.score).label("best")
        keys = [
            r.key
            for r in conn.execute(
                select(c.key, best)
                .where(*where)
                .group_by(c.key)
                .order_by(best.desc(), c.key)
                .limit(per_page)
                .offset(offset)
            )
        ]
        members = conn.execute(
            select(*columns, c.key)
            .where(*where, c.key.in_(keys))
            .order_by(c.score.desc(), c.article_id, c.start)
        )
        groups: dict[str, dict[str, Any]] = {}
        for member in members:
            row = dict(member._mapping)
            group = groups.setdefault(row.pop("key"), row | {"occurrences": []})
            group["occurrences"].append(
                {k: row[k] for k in ("article_id", "title", "source", "published", "start", "end")}
            )
        rows = [groups[key] for key in keys]
        for row in rows:
            row["articles"] = len({o["article_id"] for o in row["occurrences"]})
        return ClaimPage(int(total.scalar() or 0), page, per_page, True, rows)
