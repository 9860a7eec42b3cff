"""Calibrate the technique marks' scores and choose the default display threshold.

A mark's span probability (mean token probability of its run) and technique
probability are mapped, per technique, to the share of its passage that annotators
mark: logistic regression on their logits (Platt scaling with two inputs), each
technique's weights drawn towards the pooled fit (rare techniques have few marks). So
the mean score of a set of marks estimates its SI precision.

The display threshold is chosen by 5-fold cross-validation over the articles of the PTC
dev fold: calibrated on four folds, scored on the fifth, the smallest threshold whose
out-of-fold SI precision reaches TARGET_PRECISION. The final calibration is fitted on
the whole dev fold. Writes heads.npz, training.json and the model card.

    .venv/bin/python training/calibrate_techniques.py
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from spinlens.evaluation import fold_of
from spinlens.evaluation.ptc import Label, merge, read_labels, span_scores
from spinlens.techniques import NAMES
from spinlens.techniques.component import load_model
from spinlens.techniques.display import STEPS
from spinlens.techniques.predict import raw_marks

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "src" / "spinlens" / "models" / "techniques"
PTC = REPO.parent / "shared" / "data" / "ptc"
TARGET_PRECISION = 0.52
"""Out-of-fold SI precision asked of the default display (0.50 and a margin)."""
THRESHOLDS = STEPS[1:]
"""The display threshold is one of the report's score-filter steps."""
SHRINK = 20.0
"""Marks' worth of weight pulling each technique's fit towards the pooled one."""

Mark = tuple[str, int, int, int, float, float, float]
"""(article, start, end, technique index, span probability, technique probability,
share inside gold spans)."""


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def platt(x: np.ndarray, y: np.ndarray, prior: np.ndarray, strength: float) -> np.ndarray:
    """Weights of sigmoid(x·w) fitted to soft targets y by Newton's method, with a
    Gaussian pull of `strength` towards `prior`."""
    theta = prior.astype(np.float64).copy()
    for _ in range(200):
        p = 1 / (1 + np.exp(-np.clip(x @ theta, -30, 30)))
        grad = x.T @ (p - y) + strength * (theta - prior)
        hess = (x * (p * (1 - p))[:, None]).T @ x + (strength + 1e-9) * np.eye(len(theta))
        step = np.linalg.solve(hess, grad)
        step *= min(1.0, 1.0 / max(np.abs(step).max(), 1e-12))  # damped: no overshoot
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    return theta


def inputs(marks: list[Mark]) -> np.ndarray:
    """Per mark: logit of the span probability, of the technique probability, 1."""
    span = logit(np.array([m[4] for m in marks]))
    named = logit(np.array([m[5] for m in marks]))
    return np.stack([span, named, np.ones_like(span)], axis=1)


def fit(marks: list[Mark]) -> np.ndarray:
    """Per technique weights, shrunk towards the pooled fit."""
    x, y = inputs(marks), np.array([m[6] for m in marks])
    tech = np.array([m[3] for m in marks])
    pooled = platt(x, y, np.array([1.0, 1.0, 0.0]), 1.0)
    return np.array(
        [
            platt(x[tech == t], y[tech == t], pooled, SHRINK) if (tech == t).any() else pooled
            for t in range(len(NAMES))
        ],
        np.float32,
    )


def apply(calibration: np.ndarray, marks: list[Mark]) -> np.ndarray:
    weights = calibration[[m[3] for m in marks]]
    return 1 / (1 + np.exp(-(inputs(marks) * weights).sum(1)))


def inside_share(spans: list[tuple[int, int]], start: int, end: int) -> float:
    inside = sum(max(0, min(end, e) - max(start, s)) for s, e in spans)
    return inside / max(end - start, 1)


def shown(marks: list[Mark], scores: np.ndarray, threshold: float) -> list[Label]:
    pairs = zip(marks, scores, strict=True)
    return [(m[0], NAMES[m[3]], m[1], m[2]) for m, s in pairs if s >= threshold]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    args = parser.parse_args()
    if not PTC.exists():
        raise SystemExit(f"training data not found: {PTC} (needs ../shared/data)")
    gold = [g for g in read_labels(PTC / "train-labels.tsv") if fold_of(g[0]) == 0]
    ids = sorted({g[0] for g in gold})
    texts = {a: (PTC / "train" / f"article{a}.txt").read_text(encoding="utf-8") for a in ids}
    encoder, heads, _version = load_model(args.model)
    marks: list[Mark] = []
    for aid, encoding in zip(ids, encoder.encode([texts[a] for a in ids]), strict=True):
        spans = merge([(g[2], g[3]) for g in gold if g[0] == aid])
        for m in raw_marks(heads, texts[aid], encoding):
            share = inside_share(spans, m.start, m.end)
            probabilities = (m.span_probability, m.technique_probability)
            marks.append((aid, m.start, m.end, m.technique, *probabilities, share))
    folds = np.array([fold_of(m[0] + "/calibration", 5) for m in marks])
    out_of_fold = np.zeros(len(marks))
    for k in range(5):
        train = [m for m, f in zip(marks, folds, strict=True) if f != k]
        test = [m for m, f in zip(marks, folds, strict=True) if f == k]
        if test:
            out_of_fold[folds == k] = apply(fit(train), test)
    curve = []
    for threshold in THRESHOLDS:
        si = span_scores(shown(marks, out_of_fold, threshold), gold, by_technique=False)
        curve.append((float(threshold), si["precision"], si["recall"], si["f1"]))
        print(f"threshold {threshold:.2f}: out-of-fold SI P {si['precision']:.4f} "
              f"R {si['recall']:.4f} F1 {si['f1']:.4f}", flush=True)  # fmt: skip
    chosen = next((c for c in curve if c[1] >= TARGET_PRECISION), curve[-1])
    calibration = fit(marks)
    final = replace(heads, calibration=calibration, display_threshold=chosen[0])
    final.save(args.model / "heads.npz")
    every = span_scores(shown(marks, np.zeros(len(marks)), 0.0), gold, by_technique=False)
    info_path = args.model / "training.json"
    info = json.loads(info_path.read_text(encoding="utf-8"))
    info["calibration"] = {
        "marks": len(marks),
        "target_out_of_fold_si_precision": TARGET_PRECISION,
        "display_threshold": chosen[0],
        "out_of_fold_at_threshold": {"precision": chosen[1], "recall": chosen[2], "f1": chosen[3]},
        "every_mark": {k: every[k] for k in ("precision", "recall", "f1")},
    }
    info_path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(info["calibration"], indent=2))


if __name__ == "__main__":
    main()
