"""The corpus index: one narrow row per stored article, and its facets.

`article_stats` holds what a corpus listing shows and sorts by (metadata, word
count, spans per layer) without touching the wide `articles` rows; `article_facets`
holds one row per (article, technique / named entity / speaker) so that filters
and the dashboard's aggregates are index lookups, not JSON scans. Both are filled
by `Store.save` from the article's JSON object.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text

from spinlens import layers as registry

index_metadata = MetaData()

Caseless = String().with_variant(String(collation="NOCASE"), "sqlite")
"""Text compared case-insensitively on SQLite (PostgreSQL: as is)."""


article_stats = Table(
    "article_stats",
    index_metadata,
    Column("article_id", String, primary_key=True),
    Column("doc", Integer),
    Column("title", Caseless),
    Column("source", Caseless),
    Column("published", String),
    Column("day", String(10)),
    Column("month", String(7)),
    Column("language", String(16)),
    Column("words", Integer, nullable=False),
    Column("chars", Integer, nullable=False),
    Column("quote_chars", Integer, nullable=False),
    Column("stored_at", String, nullable=False),
    Index("ix_stats_day", "day", "article_id"),
    Index("ix_stats_source", "source", "day"),
    Index("ix_stats_language", "language", "day"),
    Index("ix_stats_month", "month", "words"),
    Index("ix_stats_doc", "doc"),
    Index("ix_stats_title", "title", "article_id"),
    Index("ix_stats_words", "words", "article_id"),
)
layer_counts = Table(
    "layer_counts",
    index_metadata,
    Column("layer", String(32), primary_key=True),
    Column("article_id", String, primary_key=True),
    Column("n", Integer, nullable=False),
    Index("ix_counts_n", "layer", "n", "article_id"),
    Index("ix_counts_article", "article_id"),
)
"""Spans per article of every counted layer (`LayerSpec.counted`): one row per
(layer, article), so a new layer needs no new column and sorts by an index."""
article_facets = Table(
    "article_facets",
    index_metadata,
    Column("kind", String(16), primary_key=True),
    Column("value", Caseless, primary_key=True),
    Column("article_id", String, primary_key=True),
    Column("label", String(32)),
    Column("n", Integer, nullable=False),
    Index("ix_facets_article", "article_id"),
)
facet_totals = Table(
    "facet_totals",
    index_metadata,
    Column("kind", String(16), primary_key=True),
    Column("value", Caseless, primary_key=True),
    Column("label", String(32)),
    Column("articles", Integer, nullable=False),
    Column("mentions", Integer, nullable=False),
    Index("ix_totals_mentions", "kind", "mentions"),
    Index("ix_totals_articles", "kind", "articles"),
)
"""Per technique, entity and speaker over the whole store: articles and mentions
(kept up to date by every save, so the dashboard's top lists are index reads)."""
technique_rollup = Table(
    "technique_rollup",
    index_metadata,
    Column("source", Caseless, primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("technique", String, primary_key=True),
    Column("articles", Integer, nullable=False),
    Column("spans", Integer, nullable=False),
    Index("ix_rollup_month", "month"),
)
"""Technique spans per source and month of publication ('' where unknown)."""
spinlens_meta = Table(
    "spinlens_meta",
    index_metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)


class IndexRows(NamedTuple):
    """What the corpus index holds of one article."""

    stats: dict[str, Any]
    facets: list[dict[str, Any]]
    counts: dict[str, int]


def schema_fingerprint() -> str:
    """What the index is derived with: the counted layers and facet kinds of the
    registry (the derived tables are rebuilt when it changes)."""
    return ",".join(registry.counted()) + ";" + ",".join(registry.facet_kinds())


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day_of(published: str | None) -> str | None:
    """The publication day as ``YYYY-MM-DD`` when the date can be read (ISO 8601 or
    RFC 2822), else None."""
    if not published:
        return None
    value = published.strip()
    if ISO_DAY.match(value):
        try:
            return date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def span_length(span: Any) -> int:
    if isinstance(span, dict) and isinstance(span.get("start"), int):
        return max(0, int(span.get("end", 0)) - int(span["start"]))
    return 0


def index_rows(data: dict[str, Any], stored_at: str) -> IndexRows:
    """The `article_stats` row, the `article_facets` rows and the span counts of
    one article, from its JSON object (see docs/output-format.md)."""
    text = data.get("text") or ""
    quotes = [q for q in data.get("quotes") or [] if isinstance(q, dict)]
    stats: dict[str, Any] = {
        "article_id": data["id"],
        "doc": None,
        "title": data.get("title"),
        "source": data.get("source"),
        "published": data.get("published"),
        "day": day_of(data.get("published")),
        "month": None,
        "language": data.get("language"),
        "words": len(text.split()),
        "chars": len(text),
        "quote_chars": min(len(text), sum(span_length(q.get("content")) for q in quotes)),
        "stored_at": stored_at,
    }
    stats["month"] = stats["day"][:7] if stats["day"] else None
    counts = {
        spec.name: len(data.get(spec.name) or []) for spec in registry.specs() if spec.counted
    }
    facets: dict[tuple[str, str], dict[str, Any]] = {}
    for spec in registry.specs():
        for kind, given, label in spec.facet_rows(data) if spec.facet_rows else ():
            if not (value := registry.facet_value(given)):
                continue
            # one row per value whatever its case (the column compares case-insensitively)
            row = facets.setdefault(
                (kind, value.casefold()),
                {
                    "article_id": data["id"],
                    "kind": kind,
                    "value": value,
                    "n": 0,
                    "labels": Counter(),
                },
            )
            row["n"] += 1
            if label:
                row["labels"][label] += 1
    rows = []
    for row in facets.values():
        labels = row.pop("labels")
        row["label"] = labels.most_common(1)[0][0] if labels else None
        rows.append(row)
    return IndexRows(stats, rows, counts)


Key = tuple[str, ...]


def rollup_changes(
    old: list[IndexRows], new: list[IndexRows]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Increments of `facet_totals` and `technique_rollup` when the articles' index
    rows `old` (stats, facets) are replaced by `new` (negative counts take away)."""
    totals: dict[Key, list[Any]] = {}
    rollup: dict[Key, list[int]] = {}
    for sign, rows in ((-1, old), (1, new)):
        for stats, facets, _ in rows:
            source, month = stats.get("source") or "", stats.get("month") or ""
            for f in facets:
                total = totals.setdefault((f["kind"], f["value"]), [0, 0, f.get("label")])
                total[0] += sign
                total[1] += sign * f["n"]
                if f["kind"] == "technique":
                    cell = rollup.setdefault((source, month, f["value"]), [0, 0])
                    cell[0] += sign
                    cell[1] += sign * f["n"]
    return (
        [
            {"kind": k, "value": v, "label": t[2], "articles": t[0], "mentions": t[1]}
            for (k, v), t in totals.items()
            if t[0] or t[1]
        ],
        [
            {"source": s, "month": m, "technique": t, "articles": c[0], "spans": c[1]}
            for (s, m, t), c in rollup.items()
            if c[0] or c[1]
        ],
    )
