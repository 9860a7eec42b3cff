"""Analysis inside the web app: one lazily built pipeline shared by requests, and
background jobs (batches, uploads) with their progress."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from secrets import token_hex
from typing import Any

from spinlens.batch import Summary, analyze_stream
from spinlens.model import Article
from spinlens.pipeline import Pipeline
from spinlens.readers import Limits, Read, ReadError, read_bytes
from spinlens.store import Store

KEEP_JOBS = 200
KEEP_IDS = 200
KEEP_ERRORS = 50


class LockedPipeline(Pipeline):
    """A pipeline whose batches run one at a time (requests and jobs share it)."""

    def __init__(self, inner: Pipeline, lock: threading.Lock):
        super().__init__(inner.components)
        self.info = inner.info
        self.lock = lock

    def __call__(self, articles: Any) -> list[Article]:
        with self.lock:
            return super().__call__(articles)


class Analyzer:
    """Reads, analyses and stores articles for the app; builds the pipeline on first use."""

    def __init__(
        self,
        store: Store,
        factory: Callable[[], Pipeline],
        limits: Limits,
        batch_size: int,
        on_change: Callable[[], None] = lambda: None,
    ):
        self.store = store
        self.factory = factory
        self.limits = limits
        self.batch_size = batch_size
        self.on_change = on_change
        self._pipeline: Pipeline | None = None
        self._build = threading.Lock()
        self._run = threading.Lock()

    @property
    def pipeline(self) -> Pipeline:
        with self._build:
            if self._pipeline is None:
                self._pipeline = LockedPipeline(self.factory(), self._run)
            return self._pipeline

    def analyze_object(self, obj: dict[str, Any]) -> Article | ReadError:
        """Analyse and store one article given as a JSON Lines object."""
        line = json.dumps(obj).encode()  # ASCII escapes carry lone surrogates to the reader
        reads = read_bytes(line, "request", "request", self.limits, fmt="jsonl")
        results = self.run(reads, Summary())
        return results[0] if results else ReadError("request", "nothing to analyse")

    def run(
        self, reads: Iterator[Read], summary: Summary, each: Callable[[Any], None] | None = None
    ) -> list[Article | ReadError]:
        out = []
        try:
            for result in analyze_stream(
                reads, self.pipeline, self.store, summary, self.batch_size
            ):
                if each is None:
                    out.append(result)
                else:
                    each(result)
        finally:
            self.on_change()
        return out


@dataclass
class Job:
    id: str
    kind: str
    total: int | None
    state: str = "queued"
    done: int = 0
    analysed: int = 0
    duplicates: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    message: str | None = None
    created: str = field(default_factory=lambda: now())
    finished: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["errors"] = list(self.errors)
        data["article_ids"] = list(self.article_ids)
        return data


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Jobs:
    """Background analyses, one at a time, in submission order."""

    def __init__(self, analyzer: Analyzer):
        self.analyzer = analyzer
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spinlens-job")

    def submit(
        self,
        kind: str,
        reads: Callable[[], Iterator[Read]],
        total: int | None,
        cleanup: Callable[[], None] = lambda: None,
    ) -> Job:
        job = Job(id=token_hex(8), kind=kind, total=total)
        with self.lock:
            self.jobs[job.id] = job
            while len(self.jobs) > KEEP_JOBS:
                oldest = next(iter(self.jobs))
                if self.jobs[oldest].state in ("queued", "running"):
                    break
                del self.jobs[oldest]
        self.executor.submit(self.execute, job, reads, cleanup)
        return job

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def execute(
        self, job: Job, reads: Callable[[], Iterator[Read]], cleanup: Callable[[], None]
    ) -> None:
        summary = Summary()
        job.state = "running"

        def each(result: Article | ReadError) -> None:
            job.done += 1
            job.analysed, job.duplicates, job.failed = (
                summary.analysed,
                summary.duplicates,
                summary.failed,
            )
            if isinstance(result, Article):
                if len(job.article_ids) < KEEP_IDS:
                    job.article_ids.append(result.id)
            elif len(job.errors) < KEEP_ERRORS:
                job.errors.append(str(result))

        try:
            self.analyzer.run(reads(), summary, each)
            job.state = "done"
        except Exception as exc:  # noqa: BLE001 - reported on the job, never lost
            job.state, job.message = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            job.finished = now()
            cleanup()

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
