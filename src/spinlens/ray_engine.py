"""`analyze --engine ray`: the pipeline as Ray Data batch inference.

The driver reads the input, skips what is stored and writes results, exactly as
the local engine does (`spinlens.batch.analyze_stream`); the analysis runs in a
pool of Ray actors, each loading the models once. Batches travel in chunks: each
chunk is one Ray Data dataset, mapped by the actor pool with order preserved.
Ray is imported only here, so the rest of spinlens never needs it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import numpy as np

from spinlens.batch import Runner
from spinlens.batching import batched
from spinlens.model import Article
from spinlens.pipeline import Pipeline
from spinlens.workers import PipelineSpec

CHUNK_BATCHES_PER_ACTOR = 16
"""Batches per actor in one dataset: the models load once per actor and dataset."""


class Analyser:
    """A Ray Data actor: the pipeline, built once, over batches of JSON articles."""

    def __init__(self, spec: PipelineSpec):
        self.pipeline: Pipeline = spec.build()

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        articles = [Article.from_dict(json.loads(item)) for item in batch["json"]]
        self.pipeline(articles)
        analysed = [json.dumps(a.to_dict(), ensure_ascii=False) for a in articles]
        return {"batch": batch["batch"], "json": np.array(analysed, dtype=object)}


def pipeline_info(spec: PipelineSpec) -> dict[str, Any]:
    return spec.build().info


class RayRunner:
    """Runs batches on a Ray cluster (a local one when `address` is None)."""

    def __init__(self, spec: PipelineSpec, workers: int | None, address: str | None = None):
        import ray

        if not ray.is_initialized():
            ray.init(address=address, include_dashboard=False, log_to_driver=False)
        self.ray = ray
        self.workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.spec = spec
        self.info: dict[str, Any] = ray.get(ray.remote(pipeline_info).remote(spec))
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False

    @property
    def version(self) -> str:
        return str(self.info["version"])

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[list[Article]]:
        for chunk in batched(batches, self.workers * CHUNK_BATCHES_PER_ACTOR):
            yield from self.run_chunk(chunk)

    def run_chunk(self, chunk: Sequence[Sequence[Article]]) -> list[list[Article]]:
        results: list[list[Article]] = [[] for _ in chunk]
        rows = [
            {"batch": i, "json": json.dumps(a.to_dict(), ensure_ascii=False)}
            for i, batch in enumerate(chunk)
            for a in batch
        ]
        if not rows:
            return results
        size = max(1, -(-max(len(batch) for batch in chunk) // self.workers))
        dataset = self.ray.data.from_items(rows).map_batches(
            Analyser,
            fn_constructor_args=(self.spec,),
            compute=self.ray.data.ActorPoolStrategy(size=min(self.workers, len(rows))),
            batch_size=size,
            batch_format="numpy",
            num_cpus=1,
        )
        for row in dataset.iter_rows():
            results[int(row["batch"])].append(Article.from_dict(json.loads(row["json"])))
        return results

    def close(self) -> None:
        self.ray.shutdown()


@contextmanager
def open_ray_runner(
    spec: PipelineSpec, workers: int | None, address: str | None
) -> Iterator[Runner]:
    """A Ray runner; each actor gets ONNX Runtime threads for one core."""
    runner = RayRunner(replace(spec, threads=spec.threads or 1), workers, address)
    try:
        yield runner
    finally:
        runner.close()
