"""Corpus export from the store: JSON Lines, CSV or Parquet, streamed."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from spinlens.batch import batched
from spinlens.model import META_FIELDS, Article
from spinlens.render import JsonLinesWriter

EXPORT_FORMATS = ("jsonl", "csv", "parquet")
PARQUET_ROWS = 1000


def columns() -> list[str]:
    """Flat columns: metadata, hashes, per layer a count and its spans as JSON."""
    layers = list(Article.layer_types)
    return [
        *META_FIELDS,
        "sha256",
        "pipeline_version",
        *(f"n_{name}" for name in layers),
        *layers,
        "text",
    ]


def flat_row(article: Article) -> dict[str, Any]:
    data = article.to_dict()
    row: dict[str, Any] = {name: data.get(name) for name in META_FIELDS}
    row["sha256"] = data["sha256"]
    row["pipeline_version"] = article.pipeline.get("version")
    for name in Article.layer_types:
        row[f"n_{name}"] = len(data.get(name, []))
        row[name] = json.dumps(data.get(name, []), ensure_ascii=False)
    row["text"] = article.text
    return row


def export(articles: Iterable[Article], fmt: str, path: str) -> int:
    """Write every article to `path` in `fmt`; returns how many were written."""
    if fmt == "parquet":
        return write_parquet(map(flat_row, articles), path)
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as stream:
        if fmt == "jsonl":
            writer = JsonLinesWriter(stream)
            for article in articles:
                writer.write(article)
                count += 1
        else:
            table = csv.DictWriter(stream, fieldnames=columns())
            table.writeheader()
            for article in articles:
                table.writerow(flat_row(article))
                count += 1
    return count


def write_parquet(rows: Iterator[dict[str, Any]], path: str) -> int:
    counts = {f"n_{name}" for name in Article.layer_types}
    schema = pa.schema(
        [(name, pa.int64() if name in counts else pa.string()) for name in columns()]
    )
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        for chunk in batched(rows, PARQUET_ROWS):
            writer.write_table(pa.Table.from_pylist(list(chunk), schema=schema))
            count += len(chunk)
    return count
