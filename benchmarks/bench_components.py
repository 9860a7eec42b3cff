"""Where the full pipeline's time goes: each component on its own, in one process.

    .venv/bin/python benchmarks/bench_components.py [--repeat 2] [--batch 16] [--threads 1]

Runs the default pipeline's components one after another (spaCy and the encoder,
which `analyze` runs side by side, each alone) over the 165 texts of
../shared/data/ptc/unlabeled, and prints for each its wall time and its CPU time
summed over all its threads (core-seconds), medians over runs. The CPU total divided
by the number of cores is the least wall time any schedule of this work can reach on
this machine with these settings (CPU time grows with more ONNX Runtime threads per
model, so `--threads 1` gives the lowest total); from it follows the most articles/s
the pipeline can reach without doing less work. No store, no output, no error
isolation: only the analysis, as `Pipeline` runs it (the attribution tagger always
uses one thread).
"""

from __future__ import annotations

import argparse
import os
import time
from collections import defaultdict
from pathlib import Path

from _common import median, require_shared

from spinlens.model import Article
from spinlens.pipeline import Component
from spinlens.pipeline.factory import build_pipeline
from spinlens.readers import read_paths


def members(components: list[Component]) -> list[Component]:
    """The pipeline's components, with those run side by side listed one by one."""
    return [m for c in components for m in getattr(c, "components", [c])]


def read(folder: Path) -> list[Article]:
    """The folder's articles, freshly read (no layers yet)."""
    return [a for a in read_paths([str(folder)]) if isinstance(a, Article)]


def timed_run(
    steps: list[Component], texts: list[Article], batch: int
) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds of each step over all batches; like `Pipeline`, each batch
    drops its parse and token vectors when done."""
    wall: dict[str, float] = defaultdict(float)
    cpu: dict[str, float] = defaultdict(float)
    for start in range(0, len(texts), batch):
        articles = texts[start : start + batch]
        for step in steps:
            t0, c0 = time.perf_counter(), time.process_time()
            step(articles)
            wall[step.name] += time.perf_counter() - t0
            cpu[step.name] += time.process_time() - c0
        for article in articles:
            article.doc = None
            article.encoding = None
    return {name: (wall[name], cpu[name]) for name in wall}


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=positive, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument(
        "--threads", type=int, default=0, help="ONNX Runtime threads per model (0: one per core)"
    )
    args = parser.parse_args()
    corpus = require_shared("ptc/unlabeled")
    cores = len(os.sched_getaffinity(0))
    steps = members(build_pipeline(threads=args.threads).components)
    timed_run(steps, read(corpus)[:4], args.batch)  # warm-up: lazy loads, first calls
    runs, count = [], 0
    for _ in range(args.repeat):
        texts = read(corpus)
        count = len(texts)
        runs.append(timed_run(steps, texts, args.batch))
    threads = args.threads or "onnxruntime's default"
    print(
        f"{count} articles, {cores} cores, ONNX Runtime threads per model: {threads}, "
        f"batches of {args.batch}, medians of {args.repeat} runs"
    )
    print("| component | wall s | CPU core-s | share of CPU |")
    print("|---|---|---|---|")
    cpu = {name: median([r[name][1] for r in runs]) for name in runs[0]}
    total = sum(cpu.values())
    for name in runs[0]:
        wall = median([r[name][0] for r in runs])
        print(f"| {name} | {wall:.1f} | {cpu[name]:.1f} | {cpu[name] / total:.0%} |")
    floor = total / cores
    print(f"| total | | {total:.1f} | 100% |")
    print(
        f"least wall time on {cores} cores: {floor:.1f} s, "
        f"so at most {count / floor:.2f} articles/s"
    )


if __name__ == "__main__":
    main()
