"""SemEval-2023 Task 3 metrics, computed as `../shared/eval/semeval23_score.py` does.

- genre: macro-F1 over the labels present in gold or predictions;
- framing, techniques: micro-F1 over (item, label) pairs.

A split folder holds `articles/article<ID>.txt` and any of `genre.tsv`,
`framing.tsv` and `techniques-paragraphs.tsv` (see ../shared/data/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

Key = tuple[str, ...]
Labels = dict[Key, set[str]]
GOLD_FILES = {
    "genre": "genre.tsv",
    "framing": "framing.tsv",
    "techniques": "techniques-paragraphs.tsv",
}
KEY_COLUMNS = {"genre": 1, "framing": 1, "techniques": 2}
MISSPELT = {"Appeal_to_Fear-Prejudi-čce": "Appeal_to_Fear-Prejudice"}
"""A label misspelt in the English training release, read as meant."""


def read_labels(path: Path, key_columns: int) -> Labels:
    """KEY… <TAB> LABEL,LABEL,… lines (the label column may be empty or absent)."""
    out: Labels = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            columns = line.split("\t")
            if len(columns) < key_columns:
                raise ValueError(f"{path}:{number}: expected {key_columns} key column(s)")
            key = tuple(c.strip() for c in columns[:key_columns])
            labels = columns[key_columns] if len(columns) > key_columns else ""
            out[key] = {MISSPELT.get(x.strip(), x.strip()) for x in labels.split(",") if x.strip()}
    return out


def write_labels(path: Path, labels: Mapping[Key, Iterable[str]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for key, values in labels.items():
            handle.write("\t".join([*key, ",".join(values)]) + "\n")


def score(task: str, gold: Labels, predicted: Labels) -> dict[str, Any]:
    """Micro- and macro-F1 over the gold items (each must have a prediction); the
    primary figure is macro-F1 for genre, micro-F1 otherwise."""
    missing = [key for key in gold if key not in predicted]
    if missing:
        raise ValueError(f"{len(missing)} gold items have no prediction, e.g. {missing[0]}")
    labels = sorted({x for v in gold.values() for x in v} | {x for k in gold for x in predicted[k]})
    per: dict[str, dict[str, float]] = {}
    total_tp = total_fp = total_fn = 0
    for label in labels:
        tp = sum(1 for k in gold if label in gold[k] and label in predicted[k])
        fp = sum(1 for k in gold if label not in gold[k] and label in predicted[k])
        fn = sum(1 for k in gold if label in gold[k] and label not in predicted[k])
        total_tp, total_fp, total_fn = total_tp + tp, total_fp + fp, total_fn + fn
        p, r, f = prf(tp, fp, fn)
        per[label] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "gold": tp + fn,
        }
    p, r, f = prf(total_tp, total_fp, total_fn)
    in_gold = [label for label in labels if per[label]["gold"]]
    macro = sum(per[label]["f1"] for label in in_gold) / len(in_gold) if in_gold else 0.0
    result: dict[str, Any] = {
        "task": task,
        "items": len(gold),
        "micro_f1": round(f, 4),
        "micro_precision": round(p, 4),
        "micro_recall": round(r, 4),
        "macro_f1": round(macro, 4),
        "per_label": per,
    }
    result["primary"] = result["macro_f1"] if task == "genre" else result["micro_f1"]
    return result


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p and r else 0.0)


def paragraph_number(text: str, offset: int) -> int:
    """The 1-based line of the file an offset is on (the task's paragraph number)."""
    return text.count("\n", 0, offset) + 1
