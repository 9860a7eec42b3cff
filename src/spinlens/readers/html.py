"""HTML pages and fragments: main text and metadata through trafilatura."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import lxml.html
import trafilatura

from spinlens.model import Article
from spinlens.readers.base import (
    DEFAULT_MAX_TAGS,
    DocumentRejected,
    reject_lone_surrogate,
    sound_article,
)

BLOCK_TAGS = frozenset(
    ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")
    + ("tr", "article", "section", "header", "footer")
)


def article_from_html(
    page: bytes | str,
    article_id: str,
    url: str | None = None,
    max_tags: int = DEFAULT_MAX_TAGS,
    **meta: str | None,
) -> Article:
    """Extract the main text, title, author, date and site name of a web page."""
    check_markup(page, max_tags)
    extracted = trafilatura.bare_extraction(
        page, url=url, with_metadata=True, include_comments=False
    )
    doc = extracted.as_dict() if extracted is not None and not isinstance(extracted, dict) else {}
    if not (doc.get("text") or "").strip():
        raise DocumentRejected("no article text found in the HTML")
    text = doc["text"]
    found = {
        "title": doc.get("title"),
        "author": doc.get("author"),
        "source": doc.get("sitename") or doc.get("hostname") or host_of(url),
        "published": doc.get("date"),
        "url": url or doc.get("url"),
    }
    for key, value in found.items():
        if meta.get(key) is None:
            meta[key] = value
    return sound_article(article_id, text, **meta)


def check_markup(page: bytes | str, max_tags: int) -> None:
    """Reject a page (or feed) the parsers cannot read in bounded time and memory: one
    with more tags than `max_tags` (each `<` counted: a cheap upper bound), or, given
    as text, with a lone surrogate."""
    tags = page.count(b"<") if isinstance(page, bytes) else page.count("<")
    if tags > max_tags:
        raise DocumentRejected(f"too much markup ({tags:,} tags; limit {max_tags:,})")
    if isinstance(page, str):
        reject_lone_surrogate(page, "HTML")


def fragment_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment (a feed summary), one block a line."""
    if "<" not in fragment:
        return html.unescape(fragment).strip()
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    for block in root.iter(*BLOCK_TAGS):
        block.tail = "\n" + (block.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def host_of(url: str | None) -> str | None:
    """The host name of a URL, without a leading ``www.``."""
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None
