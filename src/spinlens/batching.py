"""Cutting a stream into batches (Python 3.11 has no `itertools.batched`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[tuple[T, ...]]:
    """Consecutive tuples of `size` items (the last may be shorter), lazily."""
    iterator = iter(items)
    while chunk := tuple(islice(iterator, size)):
        yield chunk
