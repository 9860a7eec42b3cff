"""JSON Lines: one article an object, with `text` or `html` and optional metadata."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from spinlens.model import Article, short_hash
from spinlens.readers.base import (
    DocumentRejected,
    Limits,
    Read,
    ReadError,
    check_document,
    describe,
    one_line,
)
from spinlens.readers.html import article_from_html
from spinlens.readers.text import article_from_text

META_KEYS = ("title", "author", "url", "source", "published", "language")


def read_jsonl(lines: Iterable[bytes], name: str, limits: Limits) -> Iterator[Read]:
    """Yield an Article or a ReadError for every non-empty line: whatever a line
    holds, the error is that line's and the lines after it are read."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            check_document(line, limits)
            obj = json.loads(line)
            yield article_from_object(obj, limits)
        except json.JSONDecodeError as exc:
            yield ReadError(where, f"invalid JSON ({exc.msg}, column {exc.colno})")
        except RecursionError:
            yield ReadError(where, "invalid JSON (nested too deeply)")
        except (DocumentRejected, UnicodeDecodeError) as exc:
            yield ReadError(where, one_line(str(exc)))
        except Exception as exc:  # noqa: BLE001 - one bad line must not end the file
            yield ReadError(where, describe(exc))


def bounded_lines(stream: IO[bytes], max_bytes: int) -> Iterator[bytes]:
    """The lines of a stream, never holding more than `max_bytes + 1` bytes of one:
    a longer line is cut there (and so fails the size check) and the rest skipped."""
    while line := stream.readline(max_bytes + 1):
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
        yield line


def article_from_object(obj: Any, limits: Limits) -> Article:
    """An Article from one JSON object of the input contract."""
    if not isinstance(obj, dict):
        raise DocumentRejected("a line must hold a JSON object")
    meta = {key: as_text(obj.get(key), key) for key in META_KEYS}
    given_id = obj.get("id")
    if given_id in ("", None) or isinstance(given_id, bool):
        given_id = None
    text, html = obj.get("text"), obj.get("html")
    if isinstance(text, str) and text.strip():
        article_id = str(given_id) if given_id is not None else record_id(meta["url"], text)
        return article_from_text(text, article_id, **meta)
    if isinstance(html, str) and html.strip():
        article_id = str(given_id) if given_id is not None else record_id(meta["url"], html)
        url = meta.pop("url")
        return article_from_html(html, article_id, url=url, max_tags=limits.max_tags, **meta)
    raise DocumentRejected('no non-empty "text" or "html" field')


def as_text(value: Any, key: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise DocumentRejected(f'"{key}" must be a string')


def record_id(url: str | None, content: str) -> str:
    """Id of an article inside a multi-article input: hash of its URL, else content."""
    return short_hash(url) if url else short_hash(content)
