"""WARC / WARC.GZ archives (warcio): one article per HTML response record."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.recordloader import ArcWarcRecord

from spinlens.model import short_hash
from spinlens.readers.base import DocumentRejected, Limits, Read, ReadError, check_document
from spinlens.readers.html import article_from_html

HTML_TYPES = ("text/html", "application/xhtml+xml")
TAIL_PROBE = 1 << 16
MAX_LINE = 1 << 20
"""Longest line read as a WARC or HTTP header line (a real one is a few kB)."""


def read_warc(stream: IO[bytes], name: str, limits: Limits) -> Iterator[Read]:
    """Yield an Article or ReadError for every HTML response record, streaming.

    A truncated archive ends with a ReadError after the records read intact: gzip
    decompression fails on a cut member, and for plain WARC a record cut short or
    bytes left after the last whole record are detected.
    """
    compressed = stream.read(2) == b"\x1f\x8b"
    stream.seek(0)
    source = GzipChunks(stream) if compressed else stream
    iterator = BoundedArchiveIterator(source)
    end = 0
    for record in iterator:
        wanted = is_article(record)
        payload = record.content_stream().read(limits.max_bytes + 1) if wanted else b""
        while record.raw_stream.read(TAIL_PROBE):
            pass
        if getattr(record.raw_stream, "limit", 0) > 0:
            raise DocumentRejected(
                f"truncated archive: record at byte {iterator.get_record_offset():,} is cut short"
            )
        end = iterator.get_record_offset() + iterator.get_record_length()
        if wanted:
            yield article_of(record, payload, name, limits)
    if compressed:
        trailing = any(chunk.strip() for chunk in iter(lambda: source.read(TAIL_PROBE), b""))
    else:
        stream.seek(end)
        trailing = bool(stream.read(TAIL_PROBE).strip())
    if trailing:
        raise DocumentRejected(f"truncated or corrupt archive after byte {end:,}")


class GzipChunks:
    """A gzip stream decompressed one buffer at a time: a read never spans the cut
    of a truncated archive, so the records before it are not lost with it."""

    def __init__(self, stream: IO[bytes]):
        self.gzip = gzip.GzipFile(fileobj=stream, mode="rb")

    def read(self, size: int = -1) -> bytes:
        return self.gzip.read1(size if size > 0 else TAIL_PROBE)


class BoundedArchiveIterator(ArchiveIterator):
    """warcio's iterator over a reader whose lines are bounded (see `LineReader`)."""

    def __init__(self, source: IO[bytes] | GzipChunks):
        super().__init__(source)
        self.reader = LineReader(self.fh)


class LineReader(DecompressingBufferedReader):
    """warcio's reader, with a `readline` linear in the line's length and refusing a
    line over `MAX_LINE` bytes: warcio's own joins a long line piece by piece, in
    time that grows with the square of its length, and without limit (a small gzip
    of zeros is one line of gigabytes)."""

    def readline(self, length: int | None = None) -> bytes:
        if length == 0:
            return b""
        parts: list[bytes] = []
        size = 0
        while True:
            self._fillbuff()
            if self.empty():
                break
            part = self.buff.readline(length - size if length else -1)
            parts.append(part)
            size += len(part)
            if part.endswith(b"\n") or (length and size >= length):
                break
            if size > MAX_LINE:
                raise DocumentRejected(
                    f"not a WARC archive: a header line longer than {MAX_LINE:,} bytes"
                )
        return b"".join(parts)


def is_article(record: ArcWarcRecord) -> bool:
    """An HTTP 200 response with an HTML body."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return record.http_headers.get_statuscode() == "200" and content_type.startswith(HTML_TYPES)


def article_of(record: ArcWarcRecord, payload: bytes, name: str, limits: Limits) -> Read:
    url = record.rec_headers.get_header("WARC-Target-URI")
    record_id = record.rec_headers.get_header("WARC-Record-ID") or url or ""
    try:
        check_document(payload, limits)
        article = article_from_html(
            payload, short_hash(url or record_id), url=url, max_tags=limits.max_tags
        )
    except DocumentRejected as exc:
        return ReadError(f"{name}#{url or record_id}", str(exc))
    if article.published is None:  # the page gives no date: when it was captured
        article.published = record.rec_headers.get_header("WARC-Date")
    return article
