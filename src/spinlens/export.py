"""Corpus export from the store: JSON Lines, CSV or Parquet, streamed; one row per
article, or with `claims=True` one row per check-worthy claim."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from spinlens import layers as registry
from spinlens.batching import batched
from spinlens.claims.rows import CLAIM_COLUMNS, claim_records
from spinlens.model import META_FIELDS, Article
from spinlens.render import JsonLinesWriter
from spinlens.techniques.display import above

PARQUET_ROWS = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def layer_names() -> list[str]:
    return [spec.name for spec in registry.specs()]


def columns() -> list[str]:
    """Flat columns: metadata, hashes, the genre and frames (JSON) where the opt-in
    SemEval-2023 model ran, per layer a count and its spans as JSON."""
    layers = list(layer_names())
    return [
        *META_FIELDS,
        "sha256",
        "pipeline_version",
        "genre",
        "frames",
        *(f"n_{name}" for name in layers),
        *layers,
        "text",
    ]


def flat_row(article: Article) -> dict[str, Any]:
    data = article.to_dict()
    row: dict[str, Any] = {name: data.get(name) for name in META_FIELDS}
    row["sha256"] = data["sha256"]
    row["pipeline_version"] = article.pipeline.get("version")
    row["genre"] = article.genre.label if article.genre else None
    row["frames"] = json.dumps(data["frames"], ensure_ascii=False) if article.genre else None
    for name in layer_names():
        row[f"n_{name}"] = len(data.get(name, []))
        row[name] = json.dumps(data.get(name, []), ensure_ascii=False)
    row["text"] = article.text
    return row


def claim_rows(articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
    """Every claim of every article, most check-worthy first within an article."""
    for article in articles:
        yield from claim_records(article.to_dict())


def export(
    articles: Iterable[Article],
    fmt: str,
    path: str,
    claims: bool = False,
    min_score: float | None = None,
) -> int:
    """Write every article (or every claim) to `path` in `fmt`; returns how many
    rows were written. `min_score`: technique marks below it are left out."""
    if min_score is not None:
        articles = (above(article, min_score) for article in articles)
    rows, names = (claim_rows(articles), CLAIM_COLUMNS) if claims else (None, columns())
    if fmt == "parquet":
        return write_parquet(rows or map(flat_row, articles), path, names)
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as stream:
        if fmt == "jsonl":
            if rows is not None:
                for row in rows:
                    stream.write(json.dumps(row, ensure_ascii=False) + "\n")
                    count += 1
                return count
            writer = JsonLinesWriter(stream)
            for article in articles:
                writer.write(article)
                count += 1
        else:
            table = csv.DictWriter(stream, fieldnames=names)
            table.writeheader()
            for row in rows or map(flat_row, articles):
                table.writerow({name: inert(value) for name, value in row.items()})
                count += 1
    return count


def inert(value: Any) -> Any:
    """A CSV cell no spreadsheet runs as a formula: text starting with =, +, -, @, a
    tab or a carriage return gets a leading single quote (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_parquet(rows: Iterator[dict[str, Any]], path: str, names: list[str]) -> int:
    integers = {f"n_{name}" for name in layer_names()} | {"start", "end"}
    schema = pa.schema(
        [
            (
                name,
                pa.int64()
                if name in integers
                else pa.float64()
                if name == "score"
                else pa.string(),
            )
            for name in names
        ]
    )
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        for chunk in batched(rows, PARQUET_ROWS):
            writer.write_table(pa.Table.from_pylist(list(chunk), schema=schema))
            count += len(chunk)
    return count
