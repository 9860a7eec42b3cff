"""Small text and span helpers: lines inside a range, one-line excerpts, whole words,
and an index of intervals."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

LINE = re.compile(r"[^\s](?:[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*[^\s])?")
"""A line's content without surrounding white space (any Unicode line break ends it)."""
T = TypeVar("T")


def lines_within(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The non-blank lines of `text[start:end]`, trimmed, as absolute ranges."""
    for line in LINE.finditer(text, start, end):
        yield line.start(), line.end()


def excerpt(text: str, limit: int = 280) -> str:
    """The text on one line, cut at `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def word_bounds(text: str, start: int, end: int, joiners: str = "") -> tuple[int, int]:
    """Widen a span to whole words; a character of `joiners` between two letters or
    digits is inside a word ("anti-Semitism", "don't" with joiners "-'")."""
    while start > 0 and _inside_word(text, start, joiners):
        start -= 1
    while end < len(text) and _inside_word(text, end, joiners):
        end += 1
    return start, end


def _inside_word(text: str, at: int, joiners: str) -> bool:
    """Whether the boundary before `text[at]` lies inside a word."""
    before, after = text[at - 1], text[at]
    if before.isalnum() and after.isalnum():
        return True
    if not joiners:
        return False
    if before.isalnum() and after in joiners:
        return at + 1 < len(text) and text[at + 1].isalnum()
    return before in joiners and after.isalnum() and at >= 2 and text[at - 2].isalnum()


class Intervals(Generic[T]):
    """Items on character intervals [start, end), sorted by start, for finding those
    around an offset without scanning them all (issue #16: per-item scans made long
    articles quadratic). Queries return items in the order they were given."""

    def __init__(self, items: Iterable[tuple[int, int, T]] = ()):
        given = [(start, end, n, item) for n, (start, end, item) in enumerate(items)]
        self.entries = sorted(given, key=lambda entry: (entry[0], entry[2]))
        self.starts = [entry[0] for entry in self.entries]
        self.longest = max((end - start for start, end, _, _ in given), default=0)

    def add(self, start: int, end: int, item: T) -> None:
        """Insert an item (the order of insertion breaks ties between equal starts)."""
        at = bisect_right(self.starts, start)
        self.starts.insert(at, start)
        self.entries.insert(at, (start, end, len(self.entries), item))
        self.longest = max(self.longest, end - start)

    def starting(self, lo: int, hi: int) -> list[tuple[int, int, T]]:
        """The items starting in [lo, hi], in the order they were given."""
        first, last = bisect_left(self.starts, lo), bisect_right(self.starts, hi)
        found = sorted(self.entries[first:last], key=lambda entry: entry[2])
        return [(start, end, item) for start, end, _, item in found]

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, T]]:
        """The items with s < end and start < e (an empty item strictly inside counts)."""
        near = self.starting(start - self.longest, end - 1)
        return [(s, e, item) for s, e, item in near if s < end and start < e]

    def containing(self, offset: int) -> list[tuple[int, int, T]]:
        """The items with s <= offset <= e."""
        near = self.starting(offset - self.longest, offset)
        return [(s, e, item) for s, e, item in near if offset <= e]
