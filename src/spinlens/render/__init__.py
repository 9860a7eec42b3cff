"""Renderers: analysed Articles as JSON Lines, JSON, an HTML report, Markdown or PTC TSV.

Each writer is opened on a text stream, takes articles one at a time (memory does
not grow with the batch) and is closed at the end. The report writers are imported
when first asked for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Protocol, TextIO

from spinlens.constants import FORMATS, TAXONOMIES
from spinlens.model import Article, Technique

__all__ = ["FORMATS", "TAXONOMIES", "Writer", "open_writer"]


class Writer(Protocol):
    def write(self, article: Article) -> None: ...

    def close(self) -> None: ...


class JsonLinesWriter:
    """One JSON object per line: the machine contract (docs/output-format.md)."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, article: Article) -> None:
        self.stream.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.stream.flush()


class JsonWriter:
    """A JSON array of the same objects, indented for reading."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.count = 0

    def write(self, article: Article) -> None:
        self.stream.write("[\n" if self.count == 0 else ",\n")
        self.stream.write(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
        self.count += 1

    def close(self) -> None:
        self.stream.write("\n]\n" if self.count else "[]\n")
        self.stream.flush()


class PtcWriter:
    """The techniques layer as PTC / SemEval-2020 labels: ID, TECHNIQUE, START, END."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, article: Article) -> None:
        for span in sorted(article.spans(Technique), key=lambda s: (s.start, s.end)):
            self.stream.write(f"{article.id}\t{span.technique}\t{span.start}\t{span.end}\n")

    def close(self) -> None:
        self.stream.flush()


class ScoreFilter:
    """Passes articles on to a writer without the technique marks below a score."""

    def __init__(self, writer: Writer, min_score: float):
        self.writer = writer
        self.min_score = min_score

    def write(self, article: Article) -> None:
        from spinlens.techniques.display import above

        self.writer.write(above(article, self.min_score))

    def close(self) -> None:
        self.writer.close()


def open_writer(
    fmt: str, stream: TextIO, taxonomy: str = "all", min_score: float | None = None
) -> Writer:
    """A writer of format `fmt` (one of FORMATS) over `stream`; the reports (html,
    md) show the technique layers of `taxonomy` (one of TAXONOMIES). `min_score`:
    technique marks below it are left out; without it the data formats keep every
    mark and the reports start from the model's display threshold."""
    if fmt == "html":
        from spinlens.render.html import HtmlWriter

        return HtmlWriter(stream, taxonomy, min_score)
    if fmt == "md":
        from spinlens.render.markdown import MarkdownWriter

        return MarkdownWriter(stream, taxonomy, min_score)
    writers: dict[str, Callable[[TextIO], Writer]] = {
        "jsonl": JsonLinesWriter,
        "json": JsonWriter,
        "ptc": PtcWriter,
    }
    writer = writers[fmt](stream)
    return writer if min_score is None else ScoreFilter(writer, min_score)
