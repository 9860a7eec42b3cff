"""Batch analysis: read, skip what is stored, analyse, store, in input order."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from spinlens.batching import batched
from spinlens.constants import DEFAULT_BATCH_SIZE
from spinlens.model import Article
from spinlens.readers import Read, ReadError
from spinlens.readers.metadata import FIELDS
from spinlens.store import Store


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


class Runner(Protocol):
    """Runs the pipeline over batches, in order: a `Pipeline` (this process) or a
    `spinlens.workers.ProcessRunner` (worker processes)."""

    @property
    def version(self) -> str: ...

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[list[Article]]: ...


@dataclass
class Plan:
    """One input batch: the ids already stored, and the positions to analyse."""

    batch: tuple[Read, ...]
    known: set[str]
    fresh: list[int]


def analyze_stream(
    reads: Iterable[Read],
    runner: Runner,
    store: Store | None,
    summary: Summary,
    batch_size: int = DEFAULT_BATCH_SIZE,
    fail_fast: bool = False,
) -> Iterator[Article | ReadError]:
    """Yield, in input order, each analysed (or already stored) Article or error.

    Articles whose id, content hash and pipeline version are already in the
    store are not analysed again: their stored result is yielded (with any new
    metadata the input gives it), so re-running an interrupted command resumes
    it. Each batch is stored in one transaction before its results are yielded.
    Input is read lazily, a few batches ahead.
    """
    plans: deque[Plan] = deque()

    def fresh_batches() -> Iterator[list[Article]]:
        for batch in batched(reads, batch_size):
            articles = [r for r in batch if isinstance(r, Article)]
            keys = [(a.id, a.sha256, runner.version) for a in articles]
            known = store.stored(keys) if store else set()
            fresh = [i for i, r in enumerate(batch) if isinstance(r, Article) and r.id not in known]
            plans.append(Plan(batch, known, fresh))
            yield [batch[i] for i in fresh]  # type: ignore[misc]

    for analysed in runner.map(fresh_batches()):
        plan = plans.popleft()
        summary.read += len(plan.batch)
        if store:
            store.save([a for a in analysed if not a.errors])
        stored = store.get_many(plan.known) if store else {}
        if store and (changes := new_metadata(plan.batch, stored)):
            store.annotate(changes)
            stored |= store.get_many(changes)
        results: list[Read] = list(plan.batch)
        for i, article in zip(plan.fresh, analysed, strict=True):
            results[i] = article
        for item in results:
            result = outcome(item, stored, summary)
            if fail_fast and isinstance(result, ReadError):
                raise FailFast(result)
            yield result


def new_metadata(batch: Sequence[Read], stored: dict[str, Article]) -> dict[str, dict[str, str]]:
    """Metadata read now that a stored, unchanged article lacks or holds otherwise
    (given to it without analysing it again)."""
    changes = {}
    for read in batch:
        if isinstance(read, Article) and (was := stored.get(read.id)) is not None:
            given = {
                name: value
                for name in FIELDS
                if (value := getattr(read, name)) is not None and value != getattr(was, name)
            }
            if given:
                changes[read.id] = given
    return changes


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
