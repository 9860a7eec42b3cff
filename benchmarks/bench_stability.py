"""Stability of a layer's marks (techniques by default; `--layer quotes` or `claims`):
the same passage gets the same marks whatever else the article, the batch or the run
holds. On the PTC dev fold (needs ../shared/data; exits cleanly without it):

- side-neutral edits elsewhere in an article — a sentence appended, the last "said"
  made "says", the last weekday changed, the last digit changed — and the share of
  exact marks (start, end, technique; for quotes the content's start, end and kind;
  for claims the sentence's start and end) more than `--near` characters from the edit
  that stay the same (those after it shifted by the edit's length change);
- the articles analysed one per batch and all in one batch: identical marks;
- with `--workers`, `spinlens analyze --workers 1` and `--workers 2`: identical output.

    .venv/bin/python benchmarks/bench_stability.py [--layer L] [--near 300] [--workers] [--record]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from _common import MARKS, Mark, layer_pipeline, record, require_shared

from spinlens.evaluation import fold_of
from spinlens.evaluation.ptc import read_labels
from spinlens.model import Article

Edit = tuple[str, int, int]
"""(new text, position of the edit, change of length)."""
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def append_sentence(text: str) -> Edit | None:
    return text + "\nHe said so.", len(text), 0


def replace_last(pattern: str, new: Callable[[re.Match[str]], str]) -> Callable[[str], Edit | None]:
    def edit(text: str) -> Edit | None:
        found = list(re.finditer(pattern, text))
        if not found:
            return None
        m = found[-1]
        replacement = new(m)
        return (
            text[: m.start()] + replacement + text[m.end() :],
            m.start(),
            len(replacement) - (m.end() - m.start()),
        )

    return edit


EDITS: dict[str, Callable[[str], Edit | None]] = {
    "sentence appended": append_sentence,
    "said -> says": replace_last(r"\bsaid\b", lambda m: "says"),
    "weekday changed": replace_last(
        r"\b(?:" + "|".join(WEEKDAYS) + r")\b",
        lambda m: WEEKDAYS[(WEEKDAYS.index(m.group()) + 1) % 7],
    ),
    "digit changed": replace_last(r"\d", lambda m: str((int(m.group()) + 1) % 10)),
}


def kept(before: set[Mark], after: set[Mark], at: int, delta: int, near: int) -> tuple[int, int]:
    """(marks far from the edit, of which unchanged)."""
    far = [m for m in before if m[1] < at - near or m[0] > at + near]
    moved = {(s + delta, e + delta, t) if s > at else (s, e, t) for s, e, t in far}
    return len(far), len(moved & after)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layer", choices=sorted(MARKS), default="techniques")
    parser.add_argument("--near", type=int, default=300, help="Characters around the edit.")
    parser.add_argument("--workers", action="store_true", help="Also compare --workers 1 and 2.")
    parser.add_argument(
        "--record", action="store_true", help="Keep the table in the layer's model's training.json."
    )
    args = parser.parse_args()
    ptc = require_shared("ptc")
    ids = sorted({g[0] for g in read_labels(ptc / "train-labels.tsv") if fold_of(g[0]) == 0})
    texts = {i: (ptc / "train" / f"article{i}.txt").read_text(encoding="utf-8") for i in ids}
    pipeline, marks = layer_pipeline(args.layer), MARKS[args.layer]

    def analyse(items: dict[str, str]) -> dict[str, set[Mark]]:
        done = pipeline([Article.create(k, v, language="en") for k, v in items.items()])
        return {a.id: marks(a) for a in done}

    alone = {i: analyse({i: texts[i]})[i] for i in ids}
    together = analyse(texts)
    same = sum(alone[i] == together[i] for i in ids)
    count = sum(map(len, alone.values()))
    lines = [
        f"PTC dev fold, layer {args.layer}: {len(ids)} articles, {count} marks; marks within "
        f"{args.near} characters of the edit left out.",
        f"Batch of 1 vs one batch of {len(ids)}: {same}/{len(ids)} articles identical.",
        "",
        "| edit elsewhere | articles | marks far from it | unchanged | share |",
        "|---|---:|---:|---:|---:|",
    ]
    print("\n".join(lines), flush=True)
    total = [0, 0]
    for name, edit in EDITS.items():
        edited = {i: e for i in ids if (e := edit(texts[i])) is not None}
        after = analyse({i: e[0] for i, e in edited.items()})
        counts = [
            kept(alone[i], after[i], at, delta, args.near) for i, (_, at, delta) in edited.items()
        ]
        far, unchanged = sum(c[0] for c in counts), sum(c[1] for c in counts)
        total[0] += far
        total[1] += unchanged
        row = f"| {name} | {len(edited)} | {far} | {unchanged} | {unchanged / max(far, 1):.4f} |"
        lines.append(row)
        print(row, flush=True)
    lines.append(f"| all | | {total[0]} | {total[1]} | {total[1] / max(total[0], 1):.4f} |")
    print(lines[-1])
    if args.workers:
        lines += [
            "",
            f"--workers 1 vs 2: {'identical' if same_across_workers(texts) else 'DIFFERENT'}",
        ]
        print(lines[-1])
    if args.record:
        command = f"`benchmarks/bench_stability.py --layer {args.layer}`: side-neutral edits"
        record(
            args.layer, "stability", [command, "elsewhere in PTC dev-fold articles.", "", *lines]
        )


def same_across_workers(texts: dict[str, str]) -> bool:
    """The JSON Lines of `analyze --workers 1` and `--workers 2`, pipeline aside."""
    spinlens = str(Path(sys.executable).parent / "spinlens")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for key, text in texts.items():
            (folder / f"article{key}.txt").write_text(text, encoding="utf-8")
        outputs = []
        for workers in ("1", "2"):
            out = Path(tmp) / f"w{workers}.jsonl"
            command = [spinlens, "analyze", str(folder), "--no-store", "-o", str(out)]
            subprocess.run([*command, "--workers", workers], check=True, capture_output=True)
            rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
            outputs.append([{k: v for k, v in r.items() if k != "pipeline"} for r in rows])
    return outputs[0] == outputs[1]


if __name__ == "__main__":
    main()
