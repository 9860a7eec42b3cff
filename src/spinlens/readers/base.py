"""What every reader shares: limits, the per-document error, decoding and sniffing."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from spinlens.constants import DEFAULT_MAX_BYTES
from spinlens.model import Article

DEFAULT_MAX_TAGS = 100_000
BINARY_PROBE_BYTES = 8192
MAX_REASON = 300
"""Characters of a reason kept: a reason quoting its input stays one short line."""
SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate: JSON can escape one, UTF-8 cannot hold it, Python keeps it (a
pair escaped in JSON is decoded to the one character it stands for)."""


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
    max_tags: int = DEFAULT_MAX_TAGS
    """Largest number of `<` in an HTML page parsed (markup costs far more than text)."""


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


def sound_article(article_id: str, text: str, **meta: str | None) -> Article:
    """An Article that UTF-8 can hold: lone surrogates in the id and metadata become
    U+FFFD; text with one is rejected, since offsets index the text exactly as read."""
    reject_lone_surrogate(text, "text")
    fields = {key: repaired(value) for key, value in meta.items()}
    return Article.create(repaired(article_id) or "", text, **fields)


def reject_lone_surrogate(value: str, what: str) -> None:
    if found := SURROGATE.search(value):
        raise DocumentRejected(
            f"{what} holds a lone surrogate (U+{ord(found.group()):04X} at character "
            f"{found.start():,}), not valid Unicode"
        )


def repaired(value: str | None) -> str | None:
    """`value` with each lone surrogate replaced by U+FFFD."""
    return SURROGATE.sub("\ufffd", value) if value else value


def printable(name: str) -> str:
    """A path as text UTF-8 can hold: bytes that are not UTF-8 (kept by Python as
    surrogate escapes) are shown as `\\xNN`."""
    if not SURROGATE.search(name):
        return name
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return repaired(name) or ""
    return raw.decode("utf-8", "backslashreplace")


def describe(exc: BaseException) -> str:
    """A reason for an unexpected failure: its type and first line, kept short."""
    return one_line(f"{type(exc).__name__}: {exc}")


def one_line(reason: str) -> str:
    """The first line of a reason, at most `MAX_REASON` characters."""
    line = (reason.strip().splitlines() or [""])[0]
    line = repaired(line) or ""
    return line if len(line) <= MAX_REASON else line[: MAX_REASON - 1] + "…"


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
        yield ReadError(source, one_line(str(exc)))
    except (EOFError, zlib.error) as exc:
        yield ReadError(source, one_line(f"truncated or corrupt compressed data ({exc})"))
    except Exception as exc:  # noqa: BLE001 - a reader must never stop the batch
        yield ReadError(source, describe(exc))
