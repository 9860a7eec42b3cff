"""Readers turn files, folders and standard input into Articles (or ReadErrors).

Formats are chosen by file suffix, else sniffed from the first bytes:
plain text, HTML, JSON Lines, RSS/Atom feeds and WARC archives.
"""

from __future__ import annotations

import io
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, BinaryIO

from spinlens.readers.base import (
    DocumentRejected,
    Limits,
    Read,
    ReadError,
    check_document,
    decode_utf8,
    guarded,
    printable,
    sniff_format,
)
from spinlens.readers.feed import read_feed
from spinlens.readers.files import FileIds, cannot, special_kind, walk
from spinlens.readers.html import article_from_html, check_markup
from spinlens.readers.jsonl import bounded_lines, read_jsonl
from spinlens.readers.metadata import Metadata, dated_by_name
from spinlens.readers.text import article_from_text
from spinlens.readers.warc import read_warc

__all__ = [
    "FileIds",
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
STDIN = "<stdin>"
STDIN_CHUNK = 1 << 16
SPOOL_IN_MEMORY = 1 << 22
"""Bytes of a JSON Lines or WARC stream on stdin kept in memory before spilling to disk."""


def read_paths(
    paths: Iterable[str],
    limits: Limits | None = None,
    ids: FileIds | None = None,
    metadata: Metadata | None = None,
) -> Iterator[Read]:
    """Read every given file, folder (recursively, sorted) or ``-`` (stdin); `ids`
    names the single-article files (see `FileIds`); `metadata` is given to every
    article read (see `spinlens.readers.metadata` for what wins)."""
    limits = limits or Limits()
    ids = ids or FileIds()
    metadata = metadata or Metadata()
    for given in paths:
        if given == "-":
            yield from (metadata.apply(r, None) for r in read_stdin(sys.stdin.buffer, limits))
            continue
        path = Path(given)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            yield ReadError(printable(given), "no such file or folder")
            continue
        except OSError as exc:
            yield ReadError(printable(given), cannot("read file", exc))
            continue
        if stat.S_ISDIR(mode):
            for entry in walk(path):
                if isinstance(entry, ReadError):
                    yield entry
                elif not metadata.is_own_file(entry):
                    yield from read_path(entry, limits, ids, path, metadata)
        elif stat.S_ISREG(mode):
            yield from read_path(path, limits, ids, None, metadata)
        else:
            yield ReadError(printable(given), f"not a regular file: {special_kind(mode)}")


def count_documents(paths: Iterable[str], metadata: Metadata | None = None) -> int | None:
    """How many documents `read_paths` will yield, when every input is a file of one
    document (text, HTML); None when a container format or stdin makes it unknown."""
    total = 0
    metadata = metadata or Metadata()
    for given in paths:
        path = Path(given)
        entries = walk(path) if path.is_dir() else [path]
        entries = [e for e in entries if not (isinstance(e, Path) and metadata.is_own_file(e))]
        if given == "-" or any(
            isinstance(e, Path) and SUFFIX_FORMATS.get(e.suffix.lower()) not in ("text", "html")
            for e in entries
        ):
            return None
        total += len(entries)
    return total


def read_path(
    path: Path,
    limits: Limits,
    ids: FileIds | None = None,
    folder: Path | None = None,
    metadata: Metadata | None = None,
) -> Iterator[Read]:
    """Read one file in whatever format it holds; a single-article file gets its id
    from `ids` (its stem when none is given), inside `folder` if found there. An
    article without a date takes an ISO date in the file's name, then `metadata`."""
    metadata = metadata or Metadata()
    for read in read_file(path, limits, ids, folder):
        yield metadata.apply(dated_by_name(read, path), path)


def read_file(
    path: Path, limits: Limits, ids: FileIds | None, folder: Path | None
) -> Iterator[Read]:
    name = printable(str(path))
    if name != str(path):
        yield ReadError(name, "file name is not valid UTF-8 (rename the file to read it)")
        return
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
        article_id = (ids or FileIds()).of(path, folder)
        yield from read_bytes(path.read_bytes(), name, article_id, limits, fmt)
    except OSError as exc:
        yield ReadError(name, cannot("read file", exc))


def read_stdin(stream: BinaryIO, limits: Limits) -> Iterator[Read]:
    """Standard input, never held whole: a single document is read in chunks up to
    the size limit; JSON Lines and WARC are copied in chunks to a temporary file
    (kept in memory while small) and read from there record by record."""
    head = stream.read(STDIN_CHUNK)
    fmt = sniff_format(head[:1024])
    if fmt in STREAMED_FORMATS:
        with tempfile.SpooledTemporaryFile(SPOOL_IN_MEMORY) as spool:
            spool.write(head)
            shutil.copyfileobj(stream, spool, STDIN_CHUNK)
            spool.seek(0)
            yield from guarded(STDIN, read_stream(spool, fmt, STDIN, limits))
        return
    chunks, size = [head], len(head)
    while size <= limits.max_bytes and (chunk := stream.read(STDIN_CHUNK)):
        chunks.append(chunk)
        size += len(chunk)
    if size > limits.max_bytes:
        yield ReadError(STDIN, f"too large (over {limits.max_bytes:,} bytes, the limit)")
        return
    yield from read_bytes(b"".join(chunks), STDIN, "stdin", limits, fmt)


def read_bytes(
    data: bytes, name: str, article_id: str, limits: Limits, fmt: str | None = None
) -> Iterator[Read]:
    """Read one in-memory document; `article_id` names a single-article input."""
    fmt = fmt or sniff_format(data[:1024])
    if fmt in STREAMED_FORMATS:
        yield from guarded(name, read_stream(io.BytesIO(data), fmt, name, limits))
    else:
        yield from guarded(name, read_whole(data, fmt, name, article_id, limits))


def read_stream(stream: IO[bytes], fmt: str, name: str, limits: Limits) -> Iterator[Read]:
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
        yield article_from_html(data, article_id, max_tags=limits.max_tags)
    elif fmt == "feed":
        check_markup(data, limits.max_tags)
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
