"""Reading pairs off the duplicate index: the stored pairs of representatives,
given to each exact copy of either side, and the pairs among the copies of one
text (all of the text shared), each oriented by its own two articles' dates."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CompoundSelect, Connection, Row, Select, bindparam, or_, select, text, union

from spinlens.duplicates.align import identical
from spinlens.duplicates.fingerprint import shingled
from spinlens.duplicates.index import CHUNK, earlier_first
from spinlens.duplicates.tables import dup_docs, dup_pairs

PUBLISHED = text("SELECT id, published FROM articles WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
REP_TEXTS = text("SELECT id, text FROM articles WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


@dataclass(frozen=True)
class Groups:
    """Exact copies: each article's representative, and each representative's
    group (itself first)."""

    rep: dict[str, str]
    members: dict[str, list[str]]


def groups_of(conn: Connection, ids: list[str]) -> Groups:
    """The groups these articles (indexed or not) belong to."""
    rep_doc: dict[str, int] = {}
    for i in range(0, len(ids), CHUNK):
        query = select(dup_docs.c.article_id, dup_docs.c.doc, dup_docs.c.copy_of)
        for row in conn.execute(query.where(dup_docs.c.article_id.in_(ids[i : i + CHUNK]))):
            rep_doc[row.article_id] = row.copy_of or row.doc
    docs = sorted(set(rep_doc.values()))
    names: dict[int, str] = {}
    members: dict[int, list[str]] = defaultdict(list)
    for i in range(0, len(docs), CHUNK):
        chunk = docs[i : i + CHUNK]
        query = select(dup_docs.c.article_id, dup_docs.c.doc, dup_docs.c.copy_of).where(
            or_(dup_docs.c.doc.in_(chunk), dup_docs.c.copy_of.in_(chunk))
        )
        for row in conn.execute(query.order_by(dup_docs.c.article_id)):
            if row.copy_of is None:
                names[row.doc] = row.article_id
            else:
                members[row.copy_of].append(row.article_id)
    return Groups(
        {i: names[doc] for i, doc in rep_doc.items()},
        {names[doc]: [names[doc], *members[doc]] for doc in docs},
    )


def oriented(
    x: str, y: str, match: dict[str, Any], published: dict[str, str | None]
) -> dict[str, Any]:
    """A pair record of x and y from a match whose passages are keyed "x" and "y"."""
    if not earlier_first((x, published.get(x)), (y, published.get(y))):
        x, y = y, x
        match = match | {"passages": [{"x": p["y"], "y": p["x"]} for p in match["passages"]]}
    passages = [{"a": p["x"], "b": p["y"]} for p in match["passages"]]
    return {
        "a": x,
        "b": y,
        "kind": match["kind"],
        "similarity": match["similarity"],
        "passages": passages,
    }


def neighbourhood(
    conn: Connection, ids: list[str], pairs: Select[Any]
) -> tuple[Groups, list[Row[Any]], dict[str, list[str]]]:
    """These articles' groups, the stored pairs (of the `pairs` query) of their
    representatives, and the members of every group on either side of them."""
    own = groups_of(conn, ids)
    reps = sorted(set(own.rep.values()))
    stored: list[Row[Any]] = []
    for i in range(0, len(reps), CHUNK):
        chunk = reps[i : i + CHUNK]
        query = pairs.where(or_(dup_pairs.c.a.in_(chunk), dup_pairs.c.b.in_(chunk)))
        stored.extend(conn.execute(query))
    other = groups_of(conn, sorted({x for row in stored for x in (row.a, row.b)} - set(reps)))
    return own, stored, own.members | other.members


def records_of(conn: Connection, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Every pair each of these articles is part of (`a` the earlier when both dates
    are known), unsorted."""
    own, stored, members = neighbourhood(conn, ids, select(dup_pairs))
    reps = sorted(set(own.rep.values()))
    everyone = sorted({x for group in members.values() for x in group})
    published: dict[str, str | None] = {}
    for i in range(0, len(everyone), CHUNK):
        rows = conn.execute(PUBLISHED, {"ids": everyone[i : i + CHUNK]})
        published.update((row.id, row.published) for row in rows)
    within = same_text_matches(conn, [r for r in reps if len(members[r]) > 1])
    by_rep: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for row in stored:
        passages = json.loads(row.passages)
        match = {"kind": row.kind, "similarity": row.similarity}
        by_rep[row.a].append(
            (row.b, match | {"passages": [{"x": p["a"], "y": p["b"]} for p in passages]})
        )
        by_rep[row.b].append(
            (row.a, match | {"passages": [{"x": p["b"], "y": p["a"]} for p in passages]})
        )
    found: dict[str, list[dict[str, Any]]] = {}
    for article_id in ids:
        rep = own.rep.get(article_id)
        if rep is None:
            continue
        records = [
            oriented(article_id, copy, within[rep], published)
            for copy in members[rep]
            if copy != article_id and rep in within
        ]
        for other_rep, match in by_rep[rep]:
            records.extend(oriented(article_id, y, match, published) for y in members[other_rep])
        found[article_id] = records
    return found


def same_text_matches(conn: Connection, reps: list[str]) -> dict[str, dict[str, Any]]:
    """What the copies of each representative's text share (all of it), keyed "x"
    and "y"; texts too short to share a passage are left out."""
    found = {}
    for i in range(0, len(reps), CHUNK):
        for row in conn.execute(REP_TEXTS, {"ids": reps[i : i + CHUNK]}):
            if match := identical(shingled(row.text)):
                passages = [{"x": p["a"], "y": p["b"]} for p in match.passages]
                found[row.id] = match.to_dict() | {"passages": passages}
    return found


def in_pairs() -> CompoundSelect:
    """The ids of the articles in any pair: the exact copies, the representatives of
    copies and those in stored pairs."""
    copies = select(dup_docs.c.article_id).where(dup_docs.c.copy_of.is_not(None))
    grouped = select(dup_docs.c.article_id).where(
        dup_docs.c.doc.in_(select(dup_docs.c.copy_of).where(dup_docs.c.copy_of.is_not(None)))
    )
    return union(copies, grouped, select(dup_pairs.c.a), select(dup_pairs.c.b))


def paired_ids(conn: Connection) -> list[str]:
    """`in_pairs`, in id order."""
    return sorted(conn.execute(in_pairs()).scalars())


def all_records(conn: Connection, min_similarity: float) -> Iterator[dict[str, Any]]:
    """Every pair at or above `min_similarity`, by (a, b)."""
    ids = paired_ids(conn)
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        found = records_of(conn, chunk)
        for article_id in chunk:
            mine = [
                r
                for r in found.get(article_id, [])
                if r["a"] == article_id and r["similarity"] >= min_similarity
            ]
            yield from sorted(mine, key=lambda r: r["b"])


def near_duplicates_of(conn: Connection, ids: list[str]) -> dict[tuple[str, str], float]:
    """The near-duplicate pairs (a < b) touching these articles, with their
    similarity: the copies of each one's text (1.0), and the stored pairs of its
    representative, given to every copy of the other side."""
    near = select(dup_pairs).where(dup_pairs.c.kind == "near-duplicate")
    own, stored, members = neighbourhood(conn, ids, near)
    links: dict[tuple[str, str], float] = {}
    for article_id in ids:
        rep = own.rep.get(article_id)
        if rep is None:
            continue
        found = [(copy, 1.0) for copy in members[rep]]
        for row in stored:
            if rep in (row.a, row.b):
                other_rep = row.b if row.a == rep else row.a
                found.extend((y, float(row.similarity)) for y in members[other_rep])
        for y, similarity in found:
            if y != article_id:
                links[min(article_id, y), max(article_id, y)] = round(similarity, 4)
    return links
