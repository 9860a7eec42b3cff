"""The pipeline in worker processes: each loads the models once, batches go out
a few at a time and come back in input order.

Workers are started with "spawn" (a clean interpreter: no threads or locks
inherited from the parent), ignore Ctrl-C, which the parent handles, and end
when the parent dies, even by kill -9 (`spinlens.lifeline`).
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from multiprocessing import get_context
from types import TracebackType
from typing import Any

from spinlens.batch import Runner
from spinlens.constants import DEFAULT_MODEL
from spinlens.lifeline import exit_with_parent
from spinlens.model import Article
from spinlens.pipeline import Pipeline
from spinlens.pipeline.factory import build_pipeline


@dataclass(frozen=True)
class PipelineSpec:
    """What a worker needs to build the same pipeline as the parent would."""

    spacy_model: str = DEFAULT_MODEL
    without: tuple[str, ...] = ()
    threads: int = 0
    """ONNX Runtime threads per model (0: one per core)."""
    research_models: bool = False
    nice: int = 0
    """Added to the worker's niceness: a server's request threads come first."""

    def build(self) -> Pipeline:
        return build_pipeline(self.spacy_model, self.without, self.threads, self.research_models)


def cores() -> int:
    """CPU cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_pipeline: Pipeline | None = None


def _start(spec: PipelineSpec, parent: int) -> None:
    global _pipeline
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(parent)
    if spec.nice:
        os.nice(spec.nice)
    _pipeline = spec.build()


def _info() -> dict[str, Any]:
    assert _pipeline is not None
    return _pipeline.info


def _run(batch: Sequence[Article]) -> list[Article]:
    assert _pipeline is not None
    return _pipeline(batch)


def split(batch: Sequence[Article], parts: int) -> list[list[Article]]:
    """Consecutive, near-equal parts (fewer when the batch is short; one when empty)."""
    parts = max(1, min(parts, len(batch)))
    size, extra = divmod(len(batch), parts)
    bounds = [i * size + min(i, extra) for i in range(parts + 1)]
    return [list(batch[bounds[i] : bounds[i + 1]]) for i in range(parts)]


class ProcessRunner:
    """Runs batches in `workers` processes, about `ahead` batches' worth of work per
    worker in flight, so memory does not grow with the input."""

    def __init__(self, spec: PipelineSpec, workers: int, ahead: int = 2):
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, str(max(spec.threads, 1)))
        self.pool = ProcessPoolExecutor(
            workers,
            mp_context=get_context("spawn"),
            initializer=_start,
            initargs=(spec, os.getpid()),
        )
        self.workers = workers
        self.window = workers * ahead
        # One call per worker: the pool starts processes on demand, so this starts them
        # all now, loading their models side by side, instead of one after another.
        started = [self.pool.submit(_info) for _ in range(workers)]
        self.info: dict[str, Any] = [future.result() for future in started][0]

    @property
    def version(self) -> str:
        return str(self.info["version"])

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[list[Article]]:
        """Each batch is cut into one part per worker (so that a short last batch
        does not leave workers idle); results come back whole, in order."""
        pending: deque[list[Future[list[Article]]]] = deque()
        in_flight = 0
        for batch in batches:
            parts = [self.pool.submit(_run, part) for part in split(batch, self.workers)]
            pending.append(parts)
            in_flight += len(parts)
            while pending and in_flight >= self.window:
                done = pending.popleft()
                in_flight -= len(done)
                yield [article for part in done for article in part.result()]
        for done in pending:
            yield [article for part in done for article in part.result()]

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ProcessRunner:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


@contextmanager
def open_runner(spec: PipelineSpec, workers: int | None = None) -> Iterator[Runner]:
    """The pipeline in this process (one worker) or in `workers` processes (default:
    one per core), each with its share of the cores this process may use for ONNX
    Runtime (whose own default ignores CPU affinity)."""
    workers = workers or cores()
    threads = spec.threads or max(1, cores() // workers)
    spec = replace(spec, threads=threads)
    if workers == 1:
        yield spec.build()
        return
    with ProcessRunner(spec, workers) as runner:
        yield runner
