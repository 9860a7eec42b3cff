"""WARC / WARC.GZ archives (warcio): one article per HTML response record."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from spinlens.model import short_hash
from spinlens.readers.base import DocumentRejected, Limits, Read, ReadError, check_document
from spinlens.readers.html import article_from_html

HTML_TYPES = ("text/html", "application/xhtml+xml")
TAIL_PROBE = 1 << 16


def read_warc(stream: BinaryIO, name: str, limits: Limits) -> Iterator[Read]:
    """Yield an Article or ReadError for every HTML response record, streaming.

    A truncated archive ends with a ReadError after the records read intact: gzip
    decompression fails on a cut member, and for plain WARC a record cut short or
    bytes left after the last whole record are detected.
    """
    compressed = stream.read(2) == b"\x1f\x8b"
    stream.seek(0)
    source = GzipChunks(stream) if compressed else stream
    iterator = ArchiveIterator(source)
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
        tail = b"".join(iter(lambda: source.read(TAIL_PROBE), b""))
    else:
        stream.seek(end)
        tail = stream.read(TAIL_PROBE)
    if tail.strip():
        raise DocumentRejected(f"truncated or corrupt archive after byte {end:,}")


class GzipChunks:
    """A gzip stream decompressed one buffer at a time: a read never spans the cut
    of a truncated archive, so the records before it are not lost with it."""

    def __init__(self, stream: BinaryIO):
        self.gzip = gzip.GzipFile(fileobj=stream)

    def read(self, size: int = -1) -> bytes:
        return self.gzip.read1(size if size > 0 else TAIL_PROBE)


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
        return article_from_html(payload, short_hash(url or record_id), url=url)
    except DocumentRejected as exc:
        return ReadError(f"{name}#{url or record_id}", str(exc))
