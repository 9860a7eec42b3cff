"""Readers turn files, folders and standard input into Articles (or ReadErrors).

Formats are chosen by file suffix, else sniffed from the first bytes:
plain text, HTML, JSON Lines, RSS/Atom feeds and WARC archives.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from spinlens.readers.base import (
    DocumentRejected,
    Limits,
    Read,
    ReadError,
    check_document,
    decode_utf8,
    guarded,
    sniff_format,
)
from spinlens.readers.feed import read_feed
from spinlens.readers.html import article_from_html
from spinlens.readers.jsonl import bounded_lines, read_jsonl
from spinlens.readers.text import article_from_text
from spinlens.readers.warc import read_warc

__all__ = [
    "Limits",
    "Read",
    "ReadError",
    "count_documents",
    "read_bytes",
    "read_paths",
    "read_path",
]

SUFFIX_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".warc": "warc",
    ".arc": "warc",
}
STREAMED_FORMATS = ("jsonl", "warc")
"""Container formats read as a stream: the size limit applies per record."""


def read_paths(paths: Iterable[str], limits: Limits | None = None) -> Iterator[Read]:
    """Read every given file, folder (recursively, sorted) or ``-`` (stdin)."""
    limits = limits or Limits()
    for given in paths:
        if given == "-":
            yield from read_bytes(sys.stdin.buffer.read(), "<stdin>", "stdin", limits)
            continue
        path = Path(given)
        if path.is_dir():
            for child in files_in(path):
                yield from read_path(child, limits)
        elif path.is_file():
            yield from read_path(path, limits)
        else:
            yield ReadError(given, "no such file or folder")


def files_in(folder: Path) -> list[Path]:
    """The files under a folder, recursively, in name order; hidden ones left out."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def count_documents(paths: Iterable[str]) -> int | None:
    """How many documents `read_paths` will yield, when every input is a file of one
    document (text, HTML); None when a container format or stdin makes it unknown."""
    total = 0
    for given in paths:
        path = Path(given)
        files = files_in(path) if path.is_dir() else [path]
        if given == "-" or any(
            SUFFIX_FORMATS.get(f.suffix.lower()) not in ("text", "html") for f in files
        ):
            return None
        total += len(files)
    return total


def read_path(path: Path, limits: Limits) -> Iterator[Read]:
    """Read one file in whatever format it holds."""
    name = str(path)
    try:
        fmt = format_of(path)
        if fmt in STREAMED_FORMATS:
            with path.open("rb") as stream:
                yield from guarded(name, read_stream(stream, fmt, name, limits))
            return
        size = path.stat().st_size
        if size > limits.max_bytes:
            yield ReadError(name, f"too large ({size:,} bytes; limit {limits.max_bytes:,})")
            return
        yield from read_bytes(path.read_bytes(), name, path.stem, limits, fmt)
    except OSError as exc:
        yield ReadError(name, f"cannot read file ({exc.strerror or exc})")


def read_bytes(
    data: bytes, name: str, article_id: str, limits: Limits, fmt: str | None = None
) -> Iterator[Read]:
    """Read one in-memory document; `article_id` names a single-article input."""
    fmt = fmt or sniff_format(data[:1024])
    if fmt in STREAMED_FORMATS:
        yield from guarded(name, read_stream(io.BytesIO(data), fmt, name, limits))
    else:
        yield from guarded(name, read_whole(data, fmt, name, article_id, limits))


def read_stream(stream: BinaryIO, fmt: str, name: str, limits: Limits) -> Iterator[Read]:
    head = stream.read(1024)
    if not head.strip():
        raise DocumentRejected("empty document")
    stream.seek(0)
    if fmt == "warc":
        yield from read_warc(stream, name, limits)
    else:
        yield from read_jsonl(bounded_lines(stream, limits.max_bytes), name, limits)


def read_whole(data: bytes, fmt: str, name: str, article_id: str, limits: Limits) -> Iterator[Read]:
    check_document(data, limits)
    if fmt == "html":
        yield article_from_html(data, article_id)
    elif fmt == "feed":
        yield from read_feed(data, name)
    else:
        yield article_from_text(decode_utf8(data), article_id)


def format_of(path: Path) -> str:
    """Input format by suffix (``.warc.gz`` included), else by content."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz" and ".warc" in suffixes:
        return "warc"
    fmt = SUFFIX_FORMATS.get(suffixes[-1] if suffixes else "")
    if fmt is not None:
        return fmt
    with path.open("rb") as stream:
        return sniff_format(stream.read(1024))
