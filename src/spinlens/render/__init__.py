"""Renderers: write analysed Articles as JSON Lines, JSON, an HTML report or Markdown.

Each writer is opened on a text stream, takes articles one at a time (memory does
not grow with the batch) and is closed at the end.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Protocol, TextIO

from spinlens.model import Article
from spinlens.render.html import HtmlWriter
from spinlens.render.markdown import MarkdownWriter

FORMATS = ("jsonl", "json", "html", "md")


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


def open_writer(fmt: str, stream: TextIO) -> Writer:
    """A writer of format `fmt` (one of FORMATS) over `stream`."""
    writers: dict[str, Callable[[TextIO], Writer]] = {
        "jsonl": JsonLinesWriter,
        "json": JsonWriter,
        "html": HtmlWriter,
        "md": MarkdownWriter,
    }
    return writers[fmt](stream)
