"""Reading the duplicate index: pair records for the command line, the API and the
article page, and a JSON Lines / CSV writer for them."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from sqlalchemy import Engine, or_, select

from spinlens.duplicates.index import dup_pairs
from spinlens.facets import article_stats

PAIR_FIELDS = ["a", "b", "kind", "similarity", "passages"]
KINDS = ("near-duplicate", "shared-passage")


def record(row: Any) -> dict[str, Any]:
    """One pair as `spinlens duplicates` writes it: `a` the earlier article when
    both dates are known, passages as character offsets into each text."""
    return {
        "a": row.a,
        "b": row.b,
        "kind": row.kind,
        "similarity": row.similarity,
        "passages": json.loads(row.passages),
    }


def pair_records(engine: Engine, min_similarity: float = 0.0) -> Iterator[dict[str, Any]]:
    """Every pair at or above `min_similarity`, by (a, b)."""
    query = (
        select(dup_pairs)
        .where(dup_pairs.c.similarity >= min_similarity)
        .order_by(dup_pairs.c.a, dup_pairs.c.b)
    )
    with engine.connect() as conn:
        for row in conn.execution_options(yield_per=500).execute(query):
            yield record(row)


def pairs_with(engine: Engine, article_id: str) -> list[dict[str, Any]]:
    """The pairs one article is part of, most similar first."""
    query = (
        select(dup_pairs)
        .where(or_(dup_pairs.c.a == article_id, dup_pairs.c.b == article_id))
        .order_by(dup_pairs.c.similarity.desc(), dup_pairs.c.a, dup_pairs.c.b)
    )
    with engine.connect() as conn:
        return [record(row) for row in conn.execute(query)]


def copies_of(engine: Engine, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """For the article page, by kind: each other article (title, source, published),
    whether it came first, the similarity, and the passages as ``this`` / ``other``
    spans."""
    pairs = pairs_with(engine, article_id)
    others = [p["b"] if p["a"] == article_id else p["a"] for p in pairs]
    query = select(
        article_stats.c.article_id,
        article_stats.c.title,
        article_stats.c.source,
        article_stats.c.published,
    ).where(article_stats.c.article_id.in_(others))
    with engine.connect() as conn:
        meta = {row.article_id: row for row in conn.execute(query)}
    found: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    for pair, other in zip(pairs, others, strict=True):
        mine, theirs = ("a", "b") if pair["a"] == article_id else ("b", "a")
        row = meta.get(other)
        found[pair["kind"]].append(
            {
                "id": other,
                "title": row.title if row else None,
                "source": row.source if row else None,
                "published": row.published if row else None,
                "earlier": theirs == "a",
                "similarity": pair["similarity"],
                "passages": [{"this": p[mine], "other": p[theirs]} for p in pair["passages"]],
            }
        )
    return found


def write_records(
    records: Iterable[dict[str, Any]], fmt: str, stream: TextIO, fields: list[str]
) -> int:
    """JSON Lines, or CSV with lists and objects as JSON cells; returns the count."""
    from spinlens.export import inert

    table = None
    if fmt == "csv":
        table = csv.DictWriter(stream, fieldnames=fields, lineterminator="\n")
        table.writeheader()
    count = 0
    for item in records:
        if table is None:
            stream.write(json.dumps(item, ensure_ascii=False) + "\n")
        else:
            table.writerow(
                {
                    k: inert(json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v)
                    for k, v in item.items()
                }
            )
        count += 1
    return count
