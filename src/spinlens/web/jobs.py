"""The analysis queue of the web app: one thread takes single articles and
background jobs in order from a bounded queue, apart from the request threads
(a full queue answers 503 with Retry-After). Jobs are rows of the store's `jobs`
table, their inputs a folder each: a restarted server resumes the jobs it had not
finished, and a job's folder is removed when it ends."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from secrets import token_hex
from typing import Any

from fastapi import HTTPException
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, delete, select
from sqlalchemy.exc import DBAPIError, OperationalError

from spinlens.batch import Summary
from spinlens.model import Article
from spinlens.readers import ReadError
from spinlens.store_errors import StoreError, describe
from spinlens.store_open import with_retries
from spinlens.web.analysis import Analyzer, expected, job_reads, new_folder, remove, save_batch

MAX_QUEUE = 64
"""Most analyses (single articles and jobs) waiting at once."""
RETRY_AFTER = 10
KEEP_JOBS = 200
KEEP_IDS = 200
KEEP_ERRORS = 50
SAVE_EVERY = 1.0
"""Seconds between progress writes of a running job."""
MAX_ATTEMPTS = 2
"""Starts of a job interrupted by restarts before it is given up."""

jobs_metadata = MetaData()
jobs_table = Table(
    "jobs",
    jobs_metadata,
    Column("id", String, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("total", Integer),
    Column("done", Integer, nullable=False),
    Column("analysed", Integer, nullable=False),
    Column("duplicates", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("errors", Text, nullable=False),
    Column("article_ids", Text, nullable=False),
    Column("message", Text),
    Column("created", String, nullable=False),
    Column("finished", String),
    Column("folder", Text),
    Column("attempts", Integer, nullable=False),
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
    created: str = field(default_factory=now)
    finished: str | None = None
    folder: str | None = None
    attempts: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The job as the API shows it (where its inputs are is private)."""
        data = asdict(self)
        del data["folder"], data["attempts"]
        return data

    def row(self) -> dict[str, Any]:
        data = asdict(self)
        data["errors"], data["article_ids"] = json.dumps(self.errors), json.dumps(self.article_ids)
        return data

    @classmethod
    def of_row(cls, row: Any) -> Job:
        data = dict(row._mapping)
        data["errors"], data["article_ids"] = (
            json.loads(data["errors"]),
            json.loads(data["article_ids"]),
        )
        return cls(**data)


@dataclass
class Single:
    """One article analysed for a waiting request."""

    obj: dict[str, Any]
    result: Future[Article | ReadError] = field(default_factory=Future)


class Jobs:
    """The queue and its one analysis thread."""

    def __init__(self, analyzer: Analyzer, max_queue: int = MAX_QUEUE):
        self.analyzer = analyzer
        self.store = analyzer.store
        self.max_queue = max_queue
        self.waiting: deque[Single | str] = deque()
        self.ready = threading.Condition()
        self.current: Job | None = None
        self.stopping = False
        if not self.store.read_only:
            with_retries(lambda: jobs_metadata.create_all(self.store.engine))
            self.resume()
        self.thread = threading.Thread(target=self.serve, name="spinlens-analysis", daemon=True)
        self.thread.start()

    def enqueue(self, item: Single | str, check: bool = True) -> None:
        with self.ready:
            if check:
                self.refuse_when_full()
            self.waiting.append(item)
            self.ready.notify()

    def refuse_when_full(self) -> None:
        if len(self.waiting) >= self.max_queue:
            raise HTTPException(
                503,
                f"the analysis queue is full ({self.max_queue} waiting): retry later",
                headers={"Retry-After": str(RETRY_AFTER)},
            )

    def check_room(self) -> None:
        """Refuse work early (before files are saved) when it could not be queued."""
        if self.store.read_only:
            raise HTTPException(503, "the store is read-only: nothing can be analysed")
        with self.ready:
            self.refuse_when_full()

    async def analyze(self, obj: dict[str, Any]) -> Article | ReadError:
        """Analyse and store one article, waiting for its turn without a thread."""
        self.check_room()
        single = Single(obj)
        self.enqueue(single)
        try:
            return await asyncio.wrap_future(single.result)
        except (StoreError, DBAPIError) as exc:
            raise HTTPException(503, f"the store failed: {describe(exc)}") from exc

    def submit(self, kind: str, folder: Path) -> Job:
        """Queue the analysis of a job's inputs (saved in `folder`, which the job
        removes when it ends)."""
        try:
            self.check_room()
            job = Job(id=token_hex(8), kind=kind, total=expected(kind, folder), folder=str(folder))
            self.save(job, insert=True)
            self.enqueue(job.id)
        except BaseException:
            remove(folder)
            raise
        return job

    def submit_batch(self, objects: list[dict[str, Any]]) -> Job:
        """Queue the analysis of JSON Lines objects."""
        self.check_room()
        folder = new_folder()
        try:
            save_batch(objects, folder)
        except BaseException:
            remove(folder)
            raise
        return self.submit("batch", folder)

    def get(self, job_id: str) -> Job | None:
        current = self.current
        if current is not None and current.id == job_id:
            return current
        try:
            with self.store.engine.connect() as conn:
                row = conn.execute(select(jobs_table).where(jobs_table.c.id == job_id)).first()
        except OperationalError:  # a read-only store without a jobs table
            return None
        return Job.of_row(row) if row else None

    def save(self, job: Job, insert: bool = False) -> None:
        with self.store.engine.begin() as conn:
            if insert:
                conn.execute(jobs_table.insert(), [job.row()])
            else:
                where = jobs_table.c.id == job.id
                conn.execute(jobs_table.update().where(where).values(**job.row()))

    def resume(self) -> None:
        """Queue again the jobs a stopped server left queued or running; fail those
        whose inputs are gone or that were interrupted too often."""
        unfinished = jobs_table.c.state.in_(("queued", "running"))
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(jobs_table).where(unfinished).order_by(jobs_table.c.created))
            jobs = [Job.of_row(row) for row in rows]
        for job in jobs:
            if not job.folder or not Path(job.folder).is_dir():
                self.finish(job, "failed", "its inputs were lost when the server stopped")
            elif job.attempts >= MAX_ATTEMPTS:
                self.finish(job, "failed", f"the server stopped during it {job.attempts} times")
            else:
                job.state = "queued"
                self.save(job)
                self.enqueue(job.id, check=False)

    def serve(self) -> None:
        """The analysis thread: one item after another until shut down."""
        while True:
            with self.ready:
                while not self.waiting and not self.stopping:
                    self.ready.wait()
                if self.stopping:
                    break
                item = self.waiting.popleft()
            if isinstance(item, Single):
                self.run_single(item)
            else:
                self.run_job(item)
        self.analyzer.close()

    def run_single(self, single: Single) -> None:
        if not single.result.set_running_or_notify_cancel():
            return
        try:
            single.result.set_result(self.analyzer.analyze_object(single.obj))
        except Exception as exc:  # noqa: BLE001 - handed to the waiting request
            single.result.set_exception(exc)

    def run_job(self, job_id: str) -> None:
        job = self.get(job_id)
        if job is None or job.state != "queued" or not job.folder:
            return
        job.state, job.attempts = "running", job.attempts + 1
        job.done = job.analysed = job.duplicates = job.failed = 0
        job.errors, job.article_ids = [], []
        self.current = job
        summary = Summary()
        saved = [time.monotonic()]

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
            if time.monotonic() - saved[0] > SAVE_EVERY:
                self.save(job)
                saved[0] = time.monotonic()

        try:
            self.save(job)
            reads = job_reads(job.kind, Path(job.folder), self.analyzer.limits)
            self.analyzer.run(reads, summary, each)
            self.finish(job, "done")
        except (StoreError, DBAPIError) as exc:
            self.finish(job, "failed", f"the store failed: {describe(exc)}")
        except Exception as exc:  # noqa: BLE001 - reported on the job, never lost
            self.finish(job, "failed", f"{type(exc).__name__}: {exc}")
        finally:
            self.current = None

    def finish(self, job: Job, state: str, message: str | None = None) -> None:
        """End a job: its state, its folder removed, old finished jobs forgotten."""
        job.state, job.message, job.finished = state, message, now()
        remove(job.folder)
        job.folder = None
        self.save(job)
        with self.store.engine.begin() as conn:
            finished = jobs_table.c.state.in_(("done", "failed"))
            keep = select(jobs_table.c.id).where(finished).order_by(jobs_table.c.created.desc())
            old = conn.execute(keep.offset(KEEP_JOBS)).scalars().all()
            if old:
                conn.execute(delete(jobs_table).where(jobs_table.c.id.in_(old)))

    def shutdown(self) -> None:
        """Stop after the item in hand; what is still queued resumes at the next start."""
        with self.ready:
            self.stopping = True
            for item in self.waiting:
                if isinstance(item, Single):
                    item.result.cancel()
            self.ready.notify()
