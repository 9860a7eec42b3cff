"""Plain-text articles: the text is the file's content exactly as decoded."""

from __future__ import annotations

from spinlens.model import Article
from spinlens.readers.base import sound_article


def title_of(text: str) -> str | None:
    """The first line, when an empty line follows it ("title, blank line, body")."""
    lines = text.lstrip("\ufeff").split("\n", 2)
    if len(lines) >= 2 and lines[0].strip() and not lines[1].strip():
        return lines[0].strip()
    return None


def article_from_text(text: str, article_id: str, **meta: str | None) -> Article:
    """An Article over `text`, with the title taken from its first line if set off."""
    meta.setdefault("title", None)
    if meta["title"] is None:
        meta["title"] = title_of(text)
    return sound_article(article_id, text, **meta)
