"""Long articles (issue #16): time and peak memory of the full pipeline on one
synthetic news article of 50, 100 and 200 KB (and 1 MB with --with-1mb), and how
the time grows from 50 to 200 KB.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_long.py [--repeat 3] [--with-1mb]

Each run is `spinlens analyze FILE --no-store --workers 1` in a fresh process
(start-up and model loads included; the first row, a 1 KB article, shows them);
wall time and peak resident memory are medians over `--repeat` runs. The articles
come from tests/long_articles.py (news paragraphs with quotes, titles, pronouns and
numbers, new people in every paragraph), so no shared data is needed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _common import REPO, Run, median, run_child

sys.path.insert(0, str(REPO / "tests"))
from long_articles import long_article  # noqa: E402

SIZES = {"1 KB": 1_000, "50 KB": 50_000, "100 KB": 100_000, "200 KB": 200_000}
LARGEST = {"1 MB": 1_000_000}
ANALYZE = "from spinlens.cli import main; main()"


def analyse(path: Path) -> Run:
    """One `analyze` run over one file."""
    argv = [sys.executable, "-c", ANALYZE, "analyze", str(path), "--no-store", "--workers", "1"]
    return run_child([*argv, "-o", "/dev/null"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--with-1mb", action="store_true", help="also the 1 MB article")
    args = parser.parse_args()
    sizes = {**SIZES, **(LARGEST if args.with_1mb else {})}
    print(f"full pipeline, --workers 1, medians of {args.repeat} runs")
    print("| article | characters | wall s | peak RSS MB |")
    print("|---|---|---|---|")
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, chars in sizes.items():
            path = Path(tmp) / f"long-{chars}.txt"
            path.write_text(long_article(chars), encoding="utf-8")
            runs = [analyse(path) for _ in range(args.repeat)]
            seconds[name] = median([r.seconds for r in runs])
            rss = median([r.peak_rss_mb for r in runs])
            print(f"| {name} | {chars:,} | {seconds[name]:.1f} | {rss:.0f} |", flush=True)
    print(f"200 KB / 50 KB time: {seconds['200 KB'] / seconds['50 KB']:.2f}x")


if __name__ == "__main__":
    main()
