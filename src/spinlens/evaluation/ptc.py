"""PTC (SemEval-2020 Task 11) label files and metrics.

Definitions as in SemEval-2020 Task 11 / NLP4IF-2019 and `../shared/eval/ptc_score.py`:
- SI: techniques ignored, overlapping spans merged on both sides; every overlapping
  pair (s, t) adds |s∩t|/|s| to precision and |s∩t|/|t| to recall.
- FLC: the same per technique (spans merged per technique; only equal techniques count).
- TC: given the gold spans, micro-F1 of the predicted technique(s) per span.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

Label = tuple[str, str, int, int]
"""(article id, technique, start, end)"""


def read_labels(path: str | Path) -> list[Label]:
    """Read `ID <TAB> TECHNIQUE <TAB> START <TAB> END` lines (blank lines skipped);
    3-column lines (`ID START END`) get the technique "?"."""
    labels = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) == 3:
            cols.insert(1, "?")
        try:
            aid, tech, start, end = cols[0].strip(), cols[1].strip(), int(cols[2]), int(cols[3])
        except (ValueError, IndexError):
            raise ValueError(f"{path}:{number}: expected ID, TECHNIQUE, START, END") from None
        if not 0 <= start < end:
            raise ValueError(f"{path}:{number}: bad span {start}-{end}")
        labels.append((aid, tech, start, end))
    return labels


def read_articles(folder: str | Path, ids: Iterable[str]) -> dict[str, str]:
    """PTC article texts `FOLDER/article<ID>.txt`, decoded as UTF-8 (BOM kept)."""
    texts = {}
    for aid in ids:
        path = Path(folder) / f"article{aid}.txt"
        if not path.exists():
            raise ValueError(f"article file not found: {path}")
        texts[aid] = path.read_bytes().decode("utf-8")
    return texts


def format_labels(labels: Iterable[Label]) -> str:
    return "".join(f"{a}\t{t}\t{s}\t{e}\n" for a, t, s, e in labels)


def merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of overlapping spans (touching spans stay apart)."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def prf(p_num: float, p_den: float, r_num: float, r_den: float) -> dict[str, float]:
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    f = 2 * p * r / (p + r) if p > 0 and r > 0 else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def span_scores(pred: Iterable[Label], gold: Iterable[Label], by_technique: bool) -> dict:
    """SI (by_technique=False) or FLC (True) soft precision, recall and F1."""
    groups: dict[tuple[str, str], tuple[list, list]] = defaultdict(lambda: ([], []))
    for side, labels in ((0, pred), (1, gold)):
        for aid, tech, start, end in labels:
            groups[(aid, tech if by_technique else "propaganda")][side].append((start, end))
    totals = [0.0, 0.0, 0.0, 0.0]
    per: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for (_aid, tech), (p_spans, g_spans) in groups.items():
        ps, gs = merge(p_spans), merge(g_spans)
        counts = [0.0, float(len(ps)), 0.0, float(len(gs))]
        for ps_, pe in ps:
            for gs_, ge in gs:
                inter = min(pe, ge) - max(ps_, gs_)
                if inter > 0:
                    counts[0] += inter / (pe - ps_)
                    counts[2] += inter / (ge - gs_)
        for i in range(4):
            totals[i] += counts[i]
            per[tech][i] += counts[i]
    result: dict = prf(*totals) | {"pred_spans": int(totals[1]), "gold_spans": int(totals[3])}
    if by_technique:
        result["per_technique"] = {t: prf(*v) | {"gold": int(v[3])} for t, v in sorted(per.items())}
    return result


def tc_scores(pred: Iterable[Label], gold: Iterable[Label]) -> dict:
    """Technique classification on gold spans: micro-F1 (accuracy) and per technique."""
    gold_at: dict[tuple, Counter] = defaultdict(Counter)
    pred_at: dict[tuple, Counter] = defaultdict(Counter)
    for aid, tech, start, end in gold:
        gold_at[(aid, start, end)][tech] += 1
    for aid, tech, start, end in pred:
        pred_at[(aid, start, end)][tech] += 1
    if set(pred_at) - set(gold_at):
        raise ValueError("predicted spans that are not gold spans")
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    for key, g in gold_at.items():
        p = pred_at.get(key, Counter())
        tp.update(g & p)
        fp.update(p - g)
        fn.update(g - p)
    total = sum(c.total() for c in gold_at.values())
    per = {}
    for tech in sorted(set(tp) | set(fp) | set(fn)):
        per[tech] = prf(tp[tech], tp[tech] + fp[tech], tp[tech], tp[tech] + fn[tech])
        per[tech]["gold"] = tp[tech] + fn[tech]
    macro = sum(v["f1"] for v in per.values()) / len(per) if per else 0.0
    return {
        "micro_f1": round(tp.total() / total, 4) if total else 0.0,
        "macro_f1": round(macro, 4),
        "spans": total,
        "per_technique": per,
    }
