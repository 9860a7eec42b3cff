"""What every reader shares: limits, the per-document error, decoding and sniffing."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from spinlens.constants import DEFAULT_MAX_BYTES
from spinlens.model import Article

BINARY_PROBE_BYTES = 8192


@dataclass(frozen=True)
class ReadError:
    """One input document that could not be read, and why (one line)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


Read = Article | ReadError
"""What a reader yields for each document it meets."""


@dataclass(frozen=True)
class Limits:
    """Guards applied to every document before it is parsed."""

    max_bytes: int = DEFAULT_MAX_BYTES


class DocumentRejected(ValueError):
    """Raised inside a reader for a document that must become a `ReadError`."""


def check_document(data: bytes, limits: Limits) -> None:
    """Reject empty, oversized and binary documents before parsing them."""
    if len(data) > limits.max_bytes:
        raise DocumentRejected(f"too large ({len(data):,} bytes; limit {limits.max_bytes:,})")
    if not data.strip():
        raise DocumentRejected("empty document")
    if b"\x00" in data[:BINARY_PROBE_BYTES]:
        raise DocumentRejected("binary content (NUL bytes), not a text document")


def decode_utf8(data: bytes) -> str:
    """Decode strictly as UTF-8 (a byte-order mark is kept: offsets count it)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentRejected(f"invalid UTF-8 at byte {exc.start}") from exc


def sniff_format(head: bytes) -> str:
    """Guess the input format of a document from its first bytes."""
    if head[:2] == b"\x1f\x8b" or head.startswith((b"WARC/", b"warc/")):
        return "warc"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"<?xml") or start.startswith((b"<rss", b"<feed", b"<rdf")):
        return "html" if b"<html" in start else "feed"
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")):
        return "html"
    return "text"


def guarded(source: str, produce: Iterator[Read]) -> Iterator[Read]:
    """Turn any failure while producing documents into a `ReadError` for `source`.

    Documents produced before the failure are kept (e.g. the intact records of a
    truncated archive).
    """
    try:
        yield from produce
    except DocumentRejected as exc:
        yield ReadError(source, str(exc))
    except (EOFError, zlib.error) as exc:
        yield ReadError(source, f"truncated or corrupt compressed data ({exc})")
    except Exception as exc:  # noqa: BLE001 - a reader must never stop the batch
        yield ReadError(source, f"{type(exc).__name__}: {exc}".strip().splitlines()[0])
