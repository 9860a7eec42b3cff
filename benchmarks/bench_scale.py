"""Corpus scale: throughput of `analyze --workers 1` vs `--workers 2` vs
`--engine ray`, and peak memory (summed over the process tree) for a small and a
large corpus made by replicating the 165 PTC unlabeled texts with distinct ids.

Needs ../shared/data/ptc/unlabeled. Usage:

    .venv/bin/python benchmarks/bench_scale.py throughput [--repeat 3] [--copies 2]
    .venv/bin/python benchmarks/bench_scale.py memory [--sizes 1000 20000] [--without ...]

Every run is a whole process (start-up and model loads included); medians.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from _common import median, require_shared, run_tree

SPINLENS = str(Path(sys.executable).parent / "spinlens")


def replicate(corpus: Path, size: int, out: Path) -> Path:
    """A JSON Lines corpus of `size` articles: the texts over and over, distinct ids."""
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(corpus.glob("*.txt"))]
    with out.open("w", encoding="utf-8") as f:
        for n in range(size):
            stem, text = texts[n % len(texts)]
            record = {"id": f"{stem}-copy{n // len(texts)}", "text": text, "language": "en"}
            f.write(json.dumps(record) + "\n")
    return out


def analyze(inputs: Path, db: str, *options: str, prefix: tuple[str, ...] = ()) -> list[str]:
    return [*prefix, SPINLENS, "analyze", str(inputs), "--db", db, "-o", "/dev/null", *options]


ONE_CORE = ("taskset", "-c", "0")
"""One worker on one core: what each of N workers gets when N = cores."""


def throughput(corpus: Path, repeat: int, only: list[str], copies: int) -> None:
    """`copies` > 1: the texts that many times over (distinct ids), so that start-up
    weighs less against steady work, as in a long run."""
    count = len(list(corpus.glob("*.txt"))) * copies
    variants = {
        "--workers 1": ((), ["--workers", "1"]),
        "--workers 1, one core (taskset -c 0)": (ONE_CORE, ["--workers", "1"]),
        "--workers 2": ((), ["--workers", "2"]),
        "--engine ray --workers 2": ((), ["--engine", "ray", "--workers", "2"]),
    }
    variants = {k: v for k, v in variants.items() if not only or any(o in k for o in only)}
    runs: dict[str, list] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory() as tmp:
        inputs = corpus if copies == 1 else replicate(corpus, count, Path(tmp) / "corpus.jsonl")
        for i in range(repeat):
            for k, (name, (prefix, options)) in enumerate(variants.items()):
                db = f"sqlite:///{tmp}/t{i}-{k}.db"
                runs[name].append(run_tree(analyze(inputs, db, *options, prefix=prefix)))
    one = median([r.seconds for r in next(iter(runs.values()))])
    print(f"corpus: {inputs} ({count} articles), full pipeline, {repeat} runs each, medians")
    print(
        "| engine | seconds | articles/s | peak RSS, all processes (MB) | speed-up over 1 worker |"
    )
    print("|---|---|---|---|---|")
    for name, rs in runs.items():
        secs = median([r.seconds for r in rs])
        rss = median([r.peak_rss_mb for r in rs])
        print(f"| `{name}` | {secs:.1f} | {count / secs:.2f} | {rss:.0f} | {one / secs:.2f} |")


def memory(corpus: Path, sizes: list[int], without: list[str], workers: str) -> None:
    skip = [arg for component in without for arg in ("--without", component)]
    print(f"replicated {corpus}, --workers {workers} {' '.join(skip)}")
    print("| articles | seconds | articles/s | peak RSS, all processes (MB) |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            inputs = replicate(corpus, size, Path(tmp) / f"corpus-{size}.jsonl")
            db = f"sqlite:///{tmp}/m{size}.db"
            run = run_tree(analyze(inputs, db, "--workers", workers, *skip))
            rate = size / run.seconds
            print(f"| {size:,} | {run.seconds:.0f} | {rate:.2f} | {run.peak_rss_mb:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    speed = sub.add_parser("throughput")
    speed.add_argument("--repeat", type=int, default=3)
    speed.add_argument("--only", nargs="*", default=[], help="Variants whose name holds this.")
    speed.add_argument("--copies", type=int, default=1, help="Replicate the texts this often.")
    mem = sub.add_parser("memory")
    mem.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    mem.add_argument("--without", action="append", default=[])
    mem.add_argument("--workers", default="2")
    args = parser.parse_args()
    corpus = require_shared("ptc/unlabeled")
    if args.what == "throughput":
        throughput(corpus, args.repeat, args.only, args.copies)
    else:
        memory(corpus, args.sizes, args.without, args.workers)


if __name__ == "__main__":
    main()
