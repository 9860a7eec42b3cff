"""RSS and Atom feeds (feedparser): one article per entry."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import feedparser

from spinlens.model import Article
from spinlens.readers.base import DocumentRejected, Read, ReadError
from spinlens.readers.html import fragment_to_text, host_of
from spinlens.readers.jsonl import record_id
from spinlens.readers.text import article_from_text

WEB = ("http", "https")


def read_feed(data: bytes, name: str) -> Iterator[Read]:
    """Yield one Article per feed entry that has text."""
    feed = feedparser.parse(data)
    if not feed.entries:
        reason = getattr(feed, "bozo_exception", None) or "no entries"
        raise DocumentRejected(f"not a readable RSS/Atom feed ({reason})")
    source = feed.feed.get("title") or host_of(feed.feed.get("link"))
    for index, entry in enumerate(feed.entries, start=1):
        where = f"{name}#{index}"
        try:
            yield article_from_entry(entry, source)
        except DocumentRejected as exc:
            yield ReadError(where, str(exc))


def article_from_entry(entry: feedparser.FeedParserDict, source: str | None) -> Article:
    bodies = [c.get("value", "") for c in entry.get("content", [])]
    bodies.append(entry.get("summary", ""))
    text = next((t for t in map(fragment_to_text, bodies) if t), "")
    if not text:
        raise DocumentRejected("feed entry without text")
    url = entry.get("link") if urlsplit(entry.get("link") or "").scheme in WEB else None
    return article_from_text(
        text,
        record_id(entry.get("id") or url, text),
        title=entry.get("title"),
        author=entry.get("author"),
        url=url,
        source=source,
        published=iso_date(entry.get("published_parsed") or entry.get("updated_parsed"))
        or entry.get("published")
        or entry.get("updated"),
    )


def iso_date(parsed: time.struct_time | None) -> str | None:
    """A feed date (feedparser normalises it to UTC) as ISO 8601."""
    if parsed is None:
        return None
    return datetime(*parsed[:6], tzinfo=UTC).isoformat()
