"""Analysis inside the web app: the runner (by default one worker process, so that
the models' CPU work never competes with request threads for the interpreter) and
the inputs of background jobs, kept in a folder per job until the job ends."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from spinlens.batch import Runner, Summary, analyze_stream
from spinlens.config import Settings
from spinlens.model import Article
from spinlens.readers import FileIds, Limits, Read, ReadError, format_of, read_bytes, read_path
from spinlens.readers.jsonl import read_jsonl
from spinlens.store import Store
from spinlens.workers import PipelineSpec, ProcessRunner, cores

BATCH_FILE = "batch.jsonl"
FOLDER_PREFIX = "spinlens-upload-"
WORKER_NICENESS = 10
"""The analysis process yields the CPU to the server's request threads."""


def process_runner(settings: Settings) -> Callable[[], Runner]:
    """One worker process with the settings' pipeline, leaving a core to the server."""

    def start() -> Runner:
        spec = PipelineSpec(
            settings.spacy_model,
            threads=max(1, cores() - 1),
            research_models=settings.research_models,
            nice=WORKER_NICENESS,
        )
        return ProcessRunner(spec, workers=1)

    return start


class Analyzer:
    """Reads, analyses and stores articles; starts the runner on first use. Called
    from one thread only (the job queue's)."""

    def __init__(
        self,
        store: Store,
        factory: Callable[[], Runner],
        limits: Limits,
        batch_size: int,
        on_change: Callable[[], None] = lambda: None,
    ):
        self.store = store
        self.factory = factory
        self.limits = limits
        self.batch_size = batch_size
        self.on_change = on_change
        self._runner: Runner | None = None

    @property
    def runner(self) -> Runner:
        if self._runner is None:
            self._runner = self.factory()
        return self._runner

    def analyze_object(self, obj: dict[str, Any]) -> Article | ReadError:
        """Analyse and store one article given as a JSON Lines object."""
        line = json.dumps(obj).encode()  # ASCII: a lone surrogate reaches the reader
        reads = read_bytes(line, "request", "request", self.limits, fmt="jsonl")
        results = self.run(reads, Summary())
        return results[0] if results else ReadError("request", "nothing to analyse")

    def run(
        self, reads: Iterator[Read], summary: Summary, each: Callable[[Any], None] | None = None
    ) -> list[Article | ReadError]:
        out = []
        try:
            for result in analyze_stream(reads, self.runner, self.store, summary, self.batch_size):
                if each is None:
                    out.append(result)
                else:
                    each(result)
        except BrokenProcessPool:
            self.close()  # the worker died (out of memory?): the next analysis starts another
            raise
        finally:
            self.on_change()
        return out

    def close(self) -> None:
        runner, self._runner = self._runner, None
        if isinstance(runner, ProcessRunner):
            runner.close()


def new_folder() -> Path:
    """A private folder for one job's inputs."""
    return Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))


def remove(folder: str | Path | None) -> None:
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def save_batch(objects: list[dict[str, Any]], folder: Path) -> None:
    """A batch's articles as one JSON Lines file in the job's folder."""
    with (folder / BATCH_FILE).open("w", encoding="utf-8") as out:
        for obj in objects:
            out.write(json.dumps(obj) + "\n")


def uploaded(folder: Path) -> list[Path]:
    """The files of an upload (`folder/N/<name>`), in upload order."""
    parts = sorted((p for p in folder.iterdir() if p.name.isdigit()), key=lambda p: int(p.name))
    return [f for part in parts for f in part.iterdir()]


def count_documents(path: Path) -> int | None:
    """Documents in an uploaded file where that is cheap to know (None: unknown)."""
    fmt = format_of(path)
    if fmt in ("text", "html"):
        return 1
    if fmt == "jsonl":
        with path.open("rb") as stream:
            return sum(1 for line in stream if line.strip())
    return None


def expected(kind: str, folder: Path) -> int | None:
    """Documents a job's inputs hold, where known."""
    if kind == "batch":
        return count_documents(folder / BATCH_FILE)
    counts = [count_documents(p) for p in uploaded(folder)]
    return None if None in counts else sum(c or 0 for c in counts)


def job_reads(kind: str, folder: Path, limits: Limits) -> Iterator[Read]:
    """The documents of a job's inputs, read lazily."""
    if kind == "batch":
        with (folder / BATCH_FILE).open("rb") as lines:
            yield from read_jsonl(lines, "batch", limits)
        return
    ids = FileIds()
    for path in uploaded(folder):
        yield from read_path(path, limits, ids, folder)
