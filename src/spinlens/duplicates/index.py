"""The duplicate index in the store's own tables, updated in the transaction that
saves the articles (SQLite and PostgreSQL alike; a restart loses nothing).

`dup_docs` numbers the indexed articles and keeps each one's keys (to drop them
when it is saved again); `dup_keys` holds one (key, doc) row per LSH band and
anchor, so finding candidates is one indexed query; `dup_pairs` holds the pairs
that share a passage, with the evidence. A pair is compared when the later of its
two articles is saved, from the two texts alone: the same articles give the same
pairs whatever the order, batches or workers.
"""

from __future__ import annotations

import json
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    bindparam,
    delete,
    or_,
    select,
    text,
)

from spinlens.duplicates.align import compare
from spinlens.duplicates.fingerprint import (
    MIN_ANCHORS,
    Fingerprint,
    Shingled,
    fingerprint,
    shingled,
)
from spinlens.facets import day_of, index_metadata

CHUNK = 500
TEXTS = text("SELECT id, text, published FROM articles WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
PAIR_LOCK = 2222
"""PostgreSQL advisory lock held while a transaction indexes: two savers at once
would not see each other's keys."""

dup_docs = Table(
    "dup_docs",
    index_metadata,
    Column("doc", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String, nullable=False, unique=True),
    Column("fingerprint", LargeBinary, nullable=False),
)
dup_keys = Table(
    "dup_keys",
    index_metadata,
    Column("key", BigInteger, primary_key=True),
    Column("doc", Integer, primary_key=True),
    sqlite_with_rowid=False,
)
dup_pairs = Table(
    "dup_pairs",
    index_metadata,
    Column("a", String, primary_key=True),
    Column("b", String, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("similarity", Float, nullable=False),
    Column("passages", Text, nullable=False),
    Index("ix_pairs_b", "b"),
    Index("ix_pairs_similarity", "similarity"),
)


@dataclass(frozen=True)
class Indexed:
    """One saved article as the duplicate index reads it."""

    id: str
    text: str
    published: str | None


def packed(keys: list[int]) -> bytes:
    return array("q", keys).tobytes()


def unpacked(blob: bytes) -> list[int]:
    keys = array("q")
    keys.frombytes(blob)
    return keys.tolist()


def earlier_first(x: tuple[str, str | None], y: tuple[str, str | None]) -> bool:
    """Whether article x (id, published) is `a` of the pair: the earlier when both
    publication days are known and differ, else the smaller id."""
    day_x, day_y = day_of(x[1]), day_of(y[1])
    if day_x and day_y and day_x != day_y:
        return day_x < day_y
    return x[0] < y[0]


def update(conn: Connection, saved: Sequence[Indexed], is_sqlite: bool) -> None:
    """Replace the keys and pairs of freshly saved articles, then compare each with
    its candidates among all indexed articles (this batch included)."""
    if not saved:
        return
    if not is_sqlite:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PAIR_LOCK})
    texts = {article.id: shingled(article.text) for article in saved}
    prints = {article_id: fingerprint(text) for article_id, text in texts.items()}
    ids = list(prints)
    docs = forget(conn, ids)
    blobs = {i: packed(prints[i].index_keys()) for i in ids}
    if known := [{"d": docs[i], "fingerprint": blobs[i]} for i in ids if i in docs]:
        conn.execute(dup_docs.update().where(dup_docs.c.doc == bindparam("d")), known)
    if fresh := [i for i in ids if i not in docs]:
        conn.execute(dup_docs.insert(), [{"article_id": i, "fingerprint": blobs[i]} for i in fresh])
        docs |= doc_numbers(conn, fresh)
    if keys := [{"key": key, "doc": docs[i]} for i in ids for key in prints[i].index_keys()]:
        conn.execute(dup_keys.insert(), keys)
    pairs: set[tuple[str, str]] = set()
    for article_id in sorted(ids):
        for other in candidates(conn, prints[article_id], docs[article_id]):
            pairs.add((min(article_id, other), max(article_id, other)))
    write_pairs(conn, sorted(pairs), texts)


def forget(conn: Connection, ids: list[str]) -> dict[str, int]:
    """Drop the keys and pairs of these articles; their doc numbers, where indexed."""
    docs: dict[str, int] = {}
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        query = select(dup_docs.c.article_id, dup_docs.c.doc, dup_docs.c.fingerprint)
        old = list(conn.execute(query.where(dup_docs.c.article_id.in_(chunk))))
        docs.update((row.article_id, row.doc) for row in old)
        stale = [{"k": key, "d": row.doc} for row in old for key in unpacked(row.fingerprint)]
        if stale:
            conn.execute(
                delete(dup_keys).where(
                    dup_keys.c.key == bindparam("k"), dup_keys.c.doc == bindparam("d")
                ),
                stale,
            )
        conn.execute(
            delete(dup_pairs).where(or_(dup_pairs.c.a.in_(chunk), dup_pairs.c.b.in_(chunk)))
        )
    return docs


def doc_numbers(conn: Connection, ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i in range(0, len(ids), CHUNK):
        query = select(dup_docs.c.article_id, dup_docs.c.doc)
        rows = conn.execute(query.where(dup_docs.c.article_id.in_(ids[i : i + CHUNK])))
        found.update((row.article_id, row.doc) for row in rows)
    return found


def candidate_docs(conn: Connection, print_: Fingerprint, doc: int) -> list[int]:
    """Indexed articles sharing an LSH band or MIN_ANCHORS anchors with a fingerprint."""
    bands = set(print_.bands)
    shared_bands: set[int] = set()
    shared_anchors: Counter[int] = Counter()
    keys = print_.index_keys()
    for i in range(0, len(keys), CHUNK):
        query = select(dup_keys.c.key, dup_keys.c.doc).where(
            dup_keys.c.key.in_(keys[i : i + CHUNK])
        )
        for key, other in conn.execute(query):
            if other == doc:
                continue
            if key in bands:
                shared_bands.add(other)
            else:
                shared_anchors[other] += 1
    return sorted(shared_bands | {d for d, n in shared_anchors.items() if n >= MIN_ANCHORS})


def candidates(conn: Connection, print_: Fingerprint, doc: int) -> list[str]:
    found = candidate_docs(conn, print_, doc)
    names: list[str] = []
    for i in range(0, len(found), CHUNK):
        query = select(dup_docs.c.article_id).where(dup_docs.c.doc.in_(found[i : i + CHUNK]))
        names.extend(conn.execute(query).scalars())
    return names


def write_pairs(conn: Connection, pairs: list[tuple[str, str]], texts: dict[str, Shingled]) -> None:
    """Compare each pair from the stored texts and keep those sharing a passage
    (`texts`: those already shingled, added to as others are read)."""
    rows = []
    for i in range(0, len(pairs), CHUNK):
        chunk = pairs[i : i + CHUNK]
        ids = sorted({x for pair in chunk for x in pair})
        published = {}
        for stored in conn.execute(TEXTS, {"ids": ids}):
            published[stored.id] = stored.published
            if stored.id not in texts:
                texts[stored.id] = shingled(stored.text)
        for x, y in chunk:
            if not earlier_first((x, published[x]), (y, published[y])):
                x, y = y, x
            if match := compare(texts[x], texts[y]):
                found = match.to_dict() | {"passages": json.dumps(match.passages)}
                rows.append({"a": x, "b": y, **found})
    if rows:
        conn.execute(dup_pairs.insert(), rows)
