"""Small span helpers shared by components: lines inside a range, whole words."""

from __future__ import annotations

import re
from collections.abc import Iterator

LINE = re.compile(r"[^\s](?:[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*[^\s])?")
"""A line's content without surrounding white space (any Unicode line break ends it)."""


def lines_within(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The non-blank lines of `text[start:end]`, trimmed, as absolute ranges."""
    for line in LINE.finditer(text, start, end):
        yield line.start(), line.end()


def word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole words."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end
