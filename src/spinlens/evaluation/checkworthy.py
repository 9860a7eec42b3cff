"""Check-worthiness metrics, computed as `../shared/eval/checkworthy_score.py` does.

- CLEF CheckThat! 2019 Task 1: sentences ranked by score within each debate
  (stable order on ties), average precision per debate, then the mean (MAP).
- ClaimBuster: precision, recall and F1 of the check-worthy class, accuracy, ROC AUC.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Gold:
    """Gold sentences: the key the scorer uses, text, label, and debate (CLEF only)."""

    keys: list[str]
    texts: list[str]
    labels: np.ndarray
    groups: list[str]


def read_claimbuster(path: Path) -> Gold:
    """ClaimBuster JSON: a list of {"sentence_id", "label", "text"}."""
    items = json.loads(path.read_text(encoding="utf-8"))
    return Gold(
        [str(i["sentence_id"]) for i in items],
        [str(i["text"]) for i in items],
        np.array([int(i["label"]) for i in items]),
        ["" for _ in items],
    )


def read_clef(path: Path) -> Gold:
    """CLEF 2019 CSV: line_number,speaker,text,label,file_name (key file_name:line_number)."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return Gold(
        [f"{r['file_name']}:{r['line_number']}" for r in rows],
        [r["text"] for r in rows],
        np.array([int(r["label"]) for r in rows]),
        [r["file_name"] for r in rows],
    )


def average_precision(ranked: Sequence[int]) -> float:
    hits, total = 0, 0.0
    for i, y in enumerate(ranked, 1):
        if y:
            hits += 1
            total += hits / i
    return total / hits if hits else 0.0


def ranking(scores: np.ndarray, labels: np.ndarray, groups: Sequence[str]) -> dict:
    """Per group (debate) ranked by descending score: MAP, mean R-precision, P@5/10/20."""
    by_group: dict[str, list[int]] = {}
    for i, group in enumerate(groups):
        by_group.setdefault(group, []).append(i)
    aps: list[float] = []
    rps: list[float] = []
    p_at: dict[int, list[float]] = {5: [], 10: [], 20: []}
    for rows in by_group.values():
        ranked = [int(labels[i]) for i in sorted(rows, key=lambda i: -scores[i])]
        aps.append(average_precision(ranked))
        relevant = sum(ranked)
        rps.append(sum(ranked[:relevant]) / relevant if relevant else 0.0)
        for k, values in p_at.items():
            values.append(sum(ranked[:k]) / k)

    def mean(xs: list[float]) -> float:
        return round(sum(xs) / len(xs), 4) if xs else 0.0

    return {
        "map": mean(aps),
        "r_precision": mean(rps),
        **{f"p@{k}": mean(v) for k, v in p_at.items()},
        "debates": len(by_group),
    }


def classification(scores: np.ndarray, predicted: np.ndarray, labels: np.ndarray) -> dict:
    """Precision/recall/F1 of class 1 from hard labels, accuracy, ROC AUC from scores."""
    tp = int(((predicted == 1) & (labels == 1)).sum())
    fp = int(((predicted == 1) & (labels == 0)).sum())
    fn = int(((predicted == 0) & (labels == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p and r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f1, 4),
        "accuracy": round(float((predicted == labels).mean()), 4) if len(labels) else 0.0,
        "roc_auc": round(roc_auc(scores, labels), 4),
        "sentences": len(labels),
    }


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a positive outscores a negative (ties count half)."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    if not len(pos) or not len(neg):
        return 0.0
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    values = np.concatenate([pos, neg])[order]
    ranks_sorted = np.arange(1, len(order) + 1, dtype=float)
    _, first, counts = np.unique(values, return_index=True, return_counts=True)
    for f, c in zip(first, counts, strict=True):
        ranks_sorted[f : f + c] = f + (c + 1) / 2
    ranks[order] = ranks_sorted
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    """Mean |accuracy - confidence| over equal-width probability bins, weighted by size."""
    edges = np.minimum((probs * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        inside = edges == b
        if inside.any():
            total += inside.sum() * abs(labels[inside].mean() - probs[inside].mean())
    return round(float(total / max(len(probs), 1)), 4)
