"""The duplicate index in the store's own tables (`spinlens.duplicates.tables`),
updated in the transaction that saves the articles (SQLite and PostgreSQL alike; a
restart loses nothing).

Exact copies (the same text) form a group under one representative, which alone
holds keys and pairs; copies are never compared (`spinlens.duplicates.pairs` reads
their pairs off the group). A representative's keys are looked up before they are
written, then it is compared with its candidates (`spinlens.duplicates.candidates`:
a bounded number, whatever the store holds) from the two texts alone. The same
articles give the same pairs whatever the order, batches or workers, as long as no
key is shared by more than MAX_POSTINGS texts and no text has more than
MAX_COMPARED candidates.
"""

from __future__ import annotations

import json
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, bindparam, delete, or_, select, text
from sqlalchemy import update as update_rows

from spinlens.duplicates.align import compare
from spinlens.duplicates.candidates import candidate_docs, claim, postings
from spinlens.duplicates.fingerprint import Fingerprint, Shingled, fingerprint, hash64, shingled
from spinlens.duplicates.tables import dup_docs, dup_keys, dup_pairs
from spinlens.facets import day_of

CHUNK = 500
TEXTS = text("SELECT id, text, published FROM articles WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
PAIR_LOCK = 2222
"""PostgreSQL advisory lock held while a transaction indexes: two savers at once
would not see each other's keys."""


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


def content_key(text: str) -> int:
    """What exact copies share: a hash of the text exactly as read."""
    return hash64(text.encode("utf-8", "surrogatepass"))


def earlier_first(x: tuple[str, str | None], y: tuple[str, str | None]) -> bool:
    """Whether article x (id, published) is `a` of the pair: the earlier when both
    publication days are known and differ, else the smaller id."""
    day_x, day_y = day_of(x[1]), day_of(y[1])
    if day_x and day_y and day_x != day_y:
        return day_x < day_y
    return x[0] < y[0]


def update(conn: Connection, saved: Sequence[Indexed], is_sqlite: bool) -> None:
    """Index freshly saved articles: an exact copy of an indexed text joins its
    group; any other text becomes a representative, gets keys and is compared
    with its candidates among all representatives (this batch included)."""
    if not saved:
        return
    if not is_sqlite:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PAIR_LOCK})
    texts = {article.id: article.text for article in saved}
    ids = sorted(texts)
    docs, promoted = forget(conn, ids)
    contents = {i: content_key(texts[i]) for i in ids}
    existing = representatives(conn, sorted(set(contents.values())), set(ids))
    first: dict[int, str] = {}
    for i in ids:
        if contents[i] not in existing:
            first.setdefault(contents[i], i)
    reps = set(first.values())
    shingles = {i: shingled(texts[i]) for i in sorted(reps)}
    shingles |= {i: shingled(t) for i, t in stored_texts(conn, sorted(promoted)).items()}
    prints = {i: fingerprint(t) for i, t in shingles.items()}
    blobs = {i: packed(p.index_keys()) for i, p in prints.items()}
    rows = [
        {"article_id": i, "content": contents[i], "fingerprint": blobs.get(i, b"")} for i in ids
    ]
    if known := [row | {"d": docs[row["article_id"]]} for row in rows if row["article_id"] in docs]:
        conn.execute(
            update_rows(dup_docs)
            .where(dup_docs.c.doc == bindparam("d"))
            .values(
                content=bindparam("content"), copy_of=None, fingerprint=bindparam("fingerprint")
            ),
            known,
        )
    if fresh := [row for row in rows if row["article_id"] not in docs]:
        conn.execute(dup_docs.insert(), fresh)
        docs |= doc_column(
            conn, dup_docs.c.article_id, dup_docs.c.doc, [i for i in ids if i not in docs]
        )
    if promoted:
        new_keys = [{"d": promoted[i], "fingerprint": blobs[i]} for i in promoted]
        conn.execute(
            update_rows(dup_docs)
            .where(dup_docs.c.doc == bindparam("d"))
            .values(fingerprint=bindparam("fingerprint")),
            new_keys,
        )
    rep_docs = existing | {content: docs[i] for content, i in first.items()}
    if members := [{"d": docs[i], "rep": rep_docs[contents[i]]} for i in ids if i not in reps]:
        conn.execute(
            update_rows(dup_docs)
            .where(dup_docs.c.doc == bindparam("d"))
            .values(copy_of=bindparam("rep")),
            members,
        )
    index_representatives(conn, shingles, prints, docs | promoted)


def representatives(conn: Connection, contents: list[int], leaving: set[str]) -> dict[int, int]:
    """The doc of the representative of each of these texts already indexed (not
    among the articles `leaving` their groups)."""
    found: dict[int, int] = {}
    for i in range(0, len(contents), CHUNK):
        query = select(
            dup_docs.c.content, dup_docs.c.doc, dup_docs.c.article_id, dup_docs.c.copy_of
        ).where(dup_docs.c.content.in_(contents[i : i + CHUNK]))
        found.update(
            (row.content, row.doc)
            for row in conn.execute(query)  # copy_of tested here: its index would be scanned
            if row.copy_of is None and row.article_id not in leaving
        )
    return found


def index_representatives(
    conn: Connection,
    shingles: dict[str, Shingled],
    prints: dict[str, Fingerprint],
    docs: dict[str, int],
) -> None:
    """Write the keys of new representatives, then compare each with its candidates."""
    adding: dict[int, list[int]] = defaultdict(list)
    for i, print_ in prints.items():
        for key in print_.index_keys():
            adding[key].append(docs[i])
    found = postings(conn, sorted(adding))
    if rows := claim(found, adding):
        # the bulkiest write, given to the driver as tuples (no per-row processing)
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        conn.exec_driver_sql(f"INSERT INTO dup_keys (key, doc) VALUES ({mark}, {mark})", rows)
    pairs: set[tuple[int, int]] = set()
    for i in sorted(prints):
        for other in candidate_docs(prints[i], docs[i], found):
            pairs.add((min(docs[i], other), max(docs[i], other)))
    names = doc_column(
        conn, dup_docs.c.doc, dup_docs.c.article_id, sorted({doc for pair in pairs for doc in pair})
    )
    named = sorted((min(names[x], names[y]), max(names[x], names[y])) for x, y in pairs)
    write_pairs(conn, named, dict(shingles))


def forget(conn: Connection, ids: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Take these articles out of the index (their keys, pairs and groups): their doc
    numbers, where indexed, and those of the copies that now represent a group one
    of them represented (to be indexed anew)."""
    docs: dict[str, int] = {}
    leaving: list[int] = []
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        query = select(
            dup_docs.c.article_id, dup_docs.c.doc, dup_docs.c.copy_of, dup_docs.c.fingerprint
        )
        old = [row for row in conn.execute(query.where(dup_docs.c.article_id.in_(chunk)))]
        docs.update((row.article_id, row.doc) for row in old)
        leaving.extend(row.doc for row in old if row.copy_of is None)
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
    return docs, promote(conn, leaving, set(docs.values()))


def promote(conn: Connection, leaving: list[int], saved: set[int]) -> dict[str, int]:
    """For each group whose representative leaves, its first remaining copy becomes
    the representative of the others; their docs, by article id."""
    groups: dict[int, list[tuple[int, str]]] = {}
    for i in range(0, len(leaving), CHUNK):
        query = select(dup_docs.c.copy_of, dup_docs.c.doc, dup_docs.c.article_id).where(
            dup_docs.c.copy_of.in_(leaving[i : i + CHUNK])
        )
        for row in conn.execute(query):
            if row.doc not in saved:
                groups.setdefault(row.copy_of, []).append((row.doc, row.article_id))
    promoted: dict[str, int] = {}
    for old, copies in groups.items():
        doc, article_id = min(copies)
        promoted[article_id] = doc
        conn.execute(update_rows(dup_docs).where(dup_docs.c.doc == doc).values(copy_of=None))
        conn.execute(update_rows(dup_docs).where(dup_docs.c.copy_of == old).values(copy_of=doc))
    return promoted


def stored_texts(conn: Connection, ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for i in range(0, len(ids), CHUNK):
        found.update((row.id, row.text) for row in conn.execute(TEXTS, {"ids": ids[i : i + CHUNK]}))
    return found


def doc_column(
    conn: Connection, by: Column[Any], to: Column[Any], values: list[Any]
) -> dict[Any, Any]:
    """Column `to` of the dup_docs rows whose column `by` is one of the values, by value
    (doc numbers by article id, or the other way round)."""
    found: dict[Any, Any] = {}
    for i in range(0, len(values), CHUNK):
        rows = conn.execute(select(by, to).where(by.in_(values[i : i + CHUNK])))
        found.update((row[0], row[1]) for row in rows)
    return found


def candidates(conn: Connection, print_: Fingerprint, doc: int) -> list[str]:
    """The article ids of the representatives a fingerprint would be compared with."""
    found = candidate_docs(print_, doc, postings(conn, print_.index_keys()))
    return sorted(doc_column(conn, dup_docs.c.doc, dup_docs.c.article_id, found).values())


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
