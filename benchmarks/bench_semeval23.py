"""What the opt-in SemEval-2023 layers (genre, frames, persuasion) add to the
pipeline's time per article, on English and on every language of the release.

1. In one process: each component of `build_pipeline(research_models=True)` timed on
   batches of 16 articles — the PTC unlabeled texts (English) and the SemEval-2023
   unlabeled test articles of nine languages; the semeval23 component's time against
   the rest of the pipeline's.
2. Whole runs of `spinlens analyze --workers 1` on the PTC texts, with and without
   `--research-models` (start-up and model loads included), alternately, medians.

Needs ../shared/data. Usage:

    .venv/bin/python benchmarks/bench_semeval23.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from _common import median, require_shared, run_child

from spinlens.model import Article
from spinlens.pipeline.factory import build_pipeline

BATCH = 16


def component_seconds(texts: list[tuple[str, str, str | None]]) -> dict[str, float]:
    """Seconds each pipeline component spends on the articles, in batches."""
    pipeline = build_pipeline(research_models=True)
    spent: dict[str, float] = defaultdict(float)
    for i in range(0, len(texts), BATCH):
        batch = [Article.create(k, t, language=lang) for k, t, lang in texts[i : i + BATCH]]
        for component in pipeline.components:
            started = time.perf_counter()
            component(batch)
            spent[component.name] += time.perf_counter() - started
    return dict(spent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ptc = require_shared("ptc/unlabeled")
    semeval = require_shared("semeval2023")
    english = [(p.stem, p.read_text(encoding="utf-8"), None) for p in sorted(ptc.glob("*.txt"))]
    languages = {
        folder.parent.parent.name: sorted(folder.glob("*.txt"))
        for folder in sorted(semeval.glob("*/test-unlabeled/articles"))
    }
    print(
        "| corpus | articles | rest of the pipeline (s/article) | semeval23 (s/article) | added |"
    )
    print("|---|---|---|---|---|")
    corpora = {"PTC unlabeled (en)": english}
    corpora |= {
        f"SemEval-2023 test, {lang}": [(p.stem, p.read_text(encoding="utf-8"), None) for p in paths]
        for lang, paths in languages.items()
    }
    for name, texts in corpora.items():
        spent = component_seconds(texts)
        own = spent.pop("semeval23")
        rest = sum(spent.values())
        n = len(texts)
        print(f"| {name} | {n} | {rest / n:.3f} | {own / n:.4f} | {100 * own / rest:.1f} % |")
    spinlens = str(Path(sys.executable).parent / "spinlens")
    runs: dict[str, list[float]] = {"default": [], "--research-models": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            for name in runs:
                extra = ["--research-models"] if name != "default" else []
                argv = [spinlens, "analyze", str(ptc), "--workers", "1", "--no-store"]
                argv += ["-o", f"{tmp}/{i}.jsonl", *extra]
                runs[name].append(run_child(argv).seconds)
    base = median(runs["default"])
    opted = median(runs["--research-models"])
    count = len(english)
    print(f"\nspinlens analyze --workers 1 on {count} PTC texts, {args.repeat} runs each, medians")
    print("| run | seconds | articles/s | time / default |")
    print("|---|---|---|---|")
    for name, secs in (("default", base), ("--research-models", opted)):
        print(f"| {name} | {secs:.1f} | {count / secs:.2f} | {secs / base:.2f} |")


if __name__ == "__main__":
    main()
