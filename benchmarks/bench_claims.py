"""Claims: the shipped model's cross-validated scores (recorded by the training
script), its CLEF 2019 MAP through `spinlens eval claims` and the reference scorer,
scoring speed, and the ranked claims of the reference sample. Exits cleanly when
../shared is missing.

    .venv/bin/python benchmarks/bench_claims.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, median, require_shared

from spinlens.claims.scorer import MODEL_DIR, load_scorer
from spinlens.evaluation.checkworthy import read_clef
from spinlens.model import Article
from spinlens.pipeline.factory import build_pipeline

SHARED = REPO.parent / "shared"
SAMPLE = SHARED / "samples" / "asaib-ahl-al-haq-statement.txt"


def cross_validated() -> None:
    info = json.loads((MODEL_DIR / "training.json").read_text(encoding="utf-8"))
    m = info["metrics"]
    cv = m["claimbuster_cv"]
    print(f"ClaimBuster {info['settings']['folds']}-fold CV (training/train_claims.py):")
    print(
        f"  F1 {cv['f1']:.4f} (P {cv['precision']:.4f} R {cv['recall']:.4f}),",
        f"AUC {cv['roc_auc']:.4f}",
    )
    print(f"  F1 per fold {m['claimbuster_cv_f1_per_fold']}")
    print(f"  ECE {m['ece_raw']:.4f} raw -> {m['ece_calibrated']:.4f} calibrated")
    print(f"  CLEF 2019 MAP of the fold models {m['clef2019_map_per_fold_model']}")
    print(f"  median {m['clef2019_map_median']:.4f}")


def clef_shipped(clef: Path) -> None:
    """The shipped model (trained on all ClaimBuster, which holds 3 of the 19 debates)."""
    spinlens = str(Path(sys.executable).parent / "spinlens")
    with tempfile.TemporaryDirectory() as tmp:
        pred = f"{tmp}/pred.tsv"
        ours = subprocess.run(
            [spinlens, "eval", "claims", "--clef", str(clef), "--pred-out", pred],
            capture_output=True,
            text=True,
            check=True,
        )
        scorer = SHARED / "eval" / "checkworthy_score.py"
        reference = subprocess.run(
            [sys.executable, str(scorer), "--clef", str(clef), "--pred", pred],
            capture_output=True,
            text=True,
            check=True,
        )
    print("CLEF 2019, shipped model (`spinlens eval claims --clef` | reference scorer):")
    print("  ours     ", ours.stdout.strip().splitlines()[-1])
    print("  reference", reference.stdout.strip().splitlines()[-1])


def speed(clef: Path, repeat: int = 3) -> None:
    texts = read_clef(clef).texts[:2000]
    scorer, _ = load_scorer()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for i in range(0, len(texts), 32):
            scorer.probabilities(texts[i : i + 32])
        times.append(time.perf_counter() - start)
    print(f"scoring speed: {len(texts) / median(times):.0f} sentences/s ({repeat} runs, median)")


def sample() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    [article] = build_pipeline()([Article.create("sample", text)])
    claims = sorted(article.layers["claims"], key=lambda c: -c.score)
    print(f"{SAMPLE.name}: {len(claims)} claims of {len(article.layers['sentences'])} sentences")
    print("| # | score | speaker | claim | quantities |")
    print("|---|---|---|---|---|")
    for rank, c in enumerate(claims, 1):
        speaker = c.speaker.name if c.speaker else ""
        said = " ".join(text[c.start : c.end].split())
        said = said if len(said) < 140 else said[:139] + "…"
        quantities = ", ".join(f"{q.text} = {q.value}" for q in c.quantities)
        print(f"| {rank} | {c.score:.2f} | {speaker} | {said} | {quantities} |")


def main() -> None:
    clef = require_shared("checkworthy/clef2019/train.csv")
    cross_validated()
    clef_shipped(clef)
    speed(clef)
    if SAMPLE.exists():
        sample()


if __name__ == "__main__":
    main()
