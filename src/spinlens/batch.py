"""Batch analysis: read, skip what is stored, analyse, store, in input order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

from spinlens.model import Article
from spinlens.pipeline import Pipeline
from spinlens.readers import Read, ReadError
from spinlens.store import Store

DEFAULT_BATCH_SIZE = 32
T = TypeVar("T")


@dataclass
class Summary:
    """What a batch run did, for the closing report."""

    read: int = 0
    analysed: int = 0
    duplicates: int = 0
    failures: list[ReadError] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)


class FailFast(Exception):
    """Raised by `analyze_stream` on the first failure when asked to stop there."""

    def __init__(self, error: ReadError):
        super().__init__(str(error))
        self.error = error


def analyze_stream(
    reads: Iterable[Read],
    pipeline: Pipeline,
    store: Store | None,
    summary: Summary,
    batch_size: int = DEFAULT_BATCH_SIZE,
    fail_fast: bool = False,
) -> Iterator[Article | ReadError]:
    """Yield, in input order, each analysed (or already stored) Article or error.

    Articles whose id, content hash and pipeline version are already in the
    store are not analysed again: their stored result is yielded. Each batch
    is stored in one transaction before its results are yielded.
    """
    for batch in batched(reads, batch_size):
        summary.read += len(batch)
        articles = [r for r in batch if isinstance(r, Article)]
        keys = [(a.id, a.sha256, pipeline.version) for a in articles]
        known = store.stored(keys) if store else set()
        fresh = [a for a in articles if a.id not in known]
        pipeline(fresh)
        if store:
            store.save([a for a in fresh if not a.errors])
        stored = store.get_many(known) if store else {}
        for item in batch:
            result = outcome(item, stored, summary)
            if fail_fast and isinstance(result, ReadError):
                raise FailFast(result)
            yield result


def outcome(item: Read, stored: dict[str, Article], summary: Summary) -> Article | ReadError:
    """Count one input document in the summary and say what became of it."""
    if isinstance(item, ReadError):
        summary.failures.append(item)
        return item
    if item.errors:
        error = ReadError(item.id, "; ".join(item.errors))
        summary.failures.append(error)
        return error
    if item.id in stored:
        summary.duplicates += 1
        return stored[item.id]
    summary.analysed += 1
    return item


def batched(items: Iterable[T], size: int) -> Iterator[tuple[T, ...]]:
    """Consecutive tuples of `size` items (the last may be shorter), lazily."""
    iterator = iter(items)
    while chunk := tuple(islice(iterator, size)):
        yield chunk
