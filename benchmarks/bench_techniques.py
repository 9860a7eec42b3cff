"""Accuracy of the shipped technique model on the PTC dev fold, as `spinlens eval ptc`
reports it and as ../shared/eval/ptc_score.py scores it (they must agree).

    .venv/bin/python benchmarks/bench_techniques.py

The dev fold (fold 0 of 5 by hash of the article id) was held out from training and
used only to choose the epoch and thresholds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import REPO, require_shared

from spinlens.evaluation import fold_of
from spinlens.evaluation.ptc import format_labels, read_labels


def score_with_reference(mode: str, gold: Path, pred: Path) -> dict:
    scorer = REPO.parent / "shared" / "eval" / "ptc_score.py"
    out = subprocess.run(
        [sys.executable, str(scorer), mode, "--gold", str(gold), "--pred", str(pred)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ptc = require_shared("ptc")
    gold = [g for g in read_labels(ptc / "train-labels.tsv") if fold_of(g[0]) == 0]
    spinlens = str(Path(sys.executable).parent / "spinlens")
    with tempfile.TemporaryDirectory() as tmp:
        gold_path, pred_path, tc_path = (Path(tmp) / n for n in ("g.tsv", "p.tsv", "tc.tsv"))
        gold_path.write_text(format_labels(gold), encoding="utf-8")
        out = subprocess.run(
            [
                spinlens,
                "eval",
                "ptc",
                "--articles",
                str(ptc / "train"),
                "--labels",
                str(gold_path),
                "--pred-out",
                str(pred_path),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        ours = json.loads(out.stdout.strip().splitlines()[-1])
        subprocess.run(
            [
                spinlens,
                "techniques",
                "classify",
                "--articles",
                str(ptc / "train"),
                "--spans",
                str(gold_path),
                "-o",
                str(tc_path),
            ],
            check=True,
        )
        reference = {
            "si": score_with_reference("si", gold_path, pred_path)["f1"],
            "flc": score_with_reference("flc", gold_path, pred_path)["f1"],
            "tc": score_with_reference("tc", gold_path, tc_path)["micro_f1"],
        }
    print(f"PTC dev fold: {ours['articles']} articles, {len(gold)} gold spans")
    print("| metric | spinlens eval ptc | ../shared/eval/ptc_score.py |")
    print("|---|---|---|")
    print(f"| span identification F1 (SI) | {ours['si']['f1']:.4f} | {reference['si']:.4f} |")
    print(
        f"| technique classification micro-F1 (TC) | {ours['tc']['micro_f1']:.4f} | "
        f"{reference['tc']:.4f} |"
    )
    print(f"| span + technique F1 (FLC) | {ours['flc']['f1']:.4f} | {reference['flc']:.4f} |")
    print("\n| technique | gold spans | TC F1 | FLC F1 |")
    print("|---|---|---|---|")
    for name, tc in ours["tc"]["per_technique"].items():
        flc = ours["flc"]["per_technique"].get(name, {"f1": 0.0})
        print(f"| {name} | {tc['gold']} | {tc['f1']:.3f} | {flc['f1']:.3f} |")


if __name__ == "__main__":
    main()
