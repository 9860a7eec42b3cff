"""Reading the duplicate index: pair records for the command line, the API and the
article page, and a JSON Lines / CSV writer for them."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from sqlalchemy import Engine, select

from spinlens.duplicates.pairs import all_records, records_of
from spinlens.facets import article_stats

PAIR_FIELDS = ["a", "b", "kind", "similarity", "passages"]
KINDS = ("near-duplicate", "shared-passage")


def pair_records(engine: Engine, min_similarity: float = 0.0) -> Iterator[dict[str, Any]]:
    """Every pair at or above `min_similarity`, by (a, b): `a` the earlier article
    when both dates are known, passages as character offsets into each text."""
    with engine.connect() as conn:
        yield from all_records(conn, min_similarity)


def pairs_with(engine: Engine, article_id: str) -> list[dict[str, Any]]:
    """The pairs one article is part of, most similar first."""
    with engine.connect() as conn:
        found = records_of(conn, [article_id]).get(article_id, [])
    return sorted(found, key=lambda r: (-r["similarity"], r["a"], r["b"]))


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
