"""WARC / WARC.GZ archives (warcio): one article per HTML response record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from spinlens.model import short_hash
from spinlens.readers.base import DocumentRejected, Limits, Read, ReadError, check_document
from spinlens.readers.html import article_from_html

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream: BinaryIO, name: str, limits: Limits) -> Iterator[Read]:
    """Yield an Article or ReadError for every HTML response record, streaming."""
    for record in ArchiveIterator(stream):
        if record.rec_type != "response" or record.http_headers is None:
            continue
        if record.http_headers.get_statuscode() != "200":
            continue
        content_type = (record.http_headers.get_header("Content-Type") or "").lower()
        if not content_type.startswith(HTML_TYPES):
            continue
        url = record.rec_headers.get_header("WARC-Target-URI")
        record_id = record.rec_headers.get_header("WARC-Record-ID") or url or ""
        where = f"{name}#{url or record_id}"
        try:
            payload = record.content_stream().read(limits.max_bytes + 1)
            check_document(payload, limits)
            yield article_from_html(
                payload,
                short_hash(url or record_id),
                url=url,
            )
        except DocumentRejected as exc:
            yield ReadError(where, str(exc))
