"""Trains the pronoun ranker (src/spinlens/models/coref/ranker.json): a logistic
regression over `spinlens.attribution.ranking.FEATURES`, one row per (he/she
pronoun, person named within reach), on GUM train (all its genres here) and GAP
development. Precision first: the threshold is the one with the best GAP F1 on GAP
validation among those that give a wrong name to at most MAX_WRONG of GUM dev's
he/she pronouns. GUM and GAP test are not read (benchmarks/bench_coref.py measures
them). numpy only.

    .venv/bin/python training/train_coref.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from spinlens.attribution.entities import cluster_entities
from spinlens.attribution.ranking import FEATURES, Ranker, candidates
from spinlens.attribution.sources import pronoun_gender
from spinlens.attribution.speakers import SpeakerResolver
from spinlens.evaluation.coref import (
    GapExample,
    entities_with_names,
    read_gap,
    read_gum,
    split_documents,
)
from spinlens.pipeline.linguistic import DEFAULT_MODEL, load_spacy

ROOT = Path(__file__).resolve().parents[1]
COREF = ROOT.parent / "shared" / "data" / "coref"
OUT = ROOT / "src" / "spinlens" / "models" / "coref"
L2 = 1e-2
STEPS = 3000
RATE = 0.5
MAX_WRONG = 0.05

Group = tuple[np.ndarray, np.ndarray]
"""One pronoun's candidates: their feature rows and whether each is its referent."""


def gum_groups(nlp: Language, split: str) -> list[Group]:
    """Every he/she pronoun of a person in GUM `split`, against the people the parse names."""
    groups = []
    for name in split_documents(COREF / "gum", split):
        gum = read_gum(COREF / "gum", name)
        doc = nlp(gum.text)
        _, clusters = cluster_entities(entities_with_names(doc, []))
        resolver = SpeakerResolver(doc, clusters)
        for token in doc:
            gender = pronoun_gender(token.text)
            gold = gum.entity_at(token.idx, token.idx + len(token)) if gender else None
            if gold is None or gum.types.get(gold) != "person":
                continue
            spans = gum.spans_of(gold)
            found = candidates(resolver, token, gender).features
            if found:
                labels = [
                    any(s < m.end and m.start < e for m in cluster.mentions for s, e in spans)
                    for cluster in (resolver.by_id[i] for i in found)
                ]
                groups.append((np.array(list(found.values())), np.array(labels, dtype=float)))
    return groups


def gap_group(doc: Doc, example: GapExample) -> Group | None:
    """A GAP example's candidates: the cluster of A is the referent when A is, same for B."""
    linked, clusters = cluster_entities(entities_with_names(doc, example.names))
    resolver = SpeakerResolver(doc, clusters)
    pronoun = next(t for t in doc if t.idx <= example.offset < t.idx + len(t))
    found = candidates(resolver, pronoun, pronoun_gender(pronoun.text)).features
    if not found:
        return None
    refers = {
        e.entity_id
        for (start, end), yes in zip(example.names, example.refers, strict=True)
        if yes
        for e in linked
        if e.start < end and start < e.end
    }
    labels = np.array([i in refers for i in found], dtype=float)
    return np.array(list(found.values())), labels


def gap_groups(nlp: Language, name: str) -> list[tuple[GapExample, Group | None]]:
    examples = list(read_gap(COREF / "gap" / name))
    docs = nlp.pipe(e.text for e in examples)
    return [(e, gap_group(doc, e)) for e, doc in zip(examples, docs, strict=True)]


def softmax_push(
    scores: np.ndarray, labels: np.ndarray, index: np.ndarray, none: float
) -> tuple[np.ndarray, float]:
    """Gradients of the mean cross-entropy of each pronoun's softmax over its
    candidates and "no one" (the gold: its referents, or "no one" when none is a
    candidate), with respect to the candidates' scores (`index`: each one's pronoun)
    and to the "no one" score."""
    n = int(index[-1]) + 1
    found = np.bincount(index, weights=labels, minlength=n) > 0
    top = np.full(n, none)
    np.maximum.at(top, index, scores)
    shares = np.exp(scores - top[index])
    none_share = np.exp(none - top)
    total = np.bincount(index, weights=shares, minlength=n) + none_share
    gold = np.bincount(index, weights=shares * labels, minlength=n)
    gold = np.where(found, gold, none_share)
    push = shares / total[index] - np.where(found[index], shares * labels / gold[index], 0.0)
    return push / n, float(np.mean(none_share / total - (~found)))


def fit(groups: list[Group]) -> tuple[np.ndarray, float]:
    """Weights and the "no one here" score minimising `softmax_push`'s cross-entropy,
    by full-batch gradient descent with L2."""
    x = np.concatenate([g[0] for g in groups])
    y = np.concatenate([g[1] for g in groups])
    index = np.repeat(np.arange(len(groups)), [len(g[1]) for g in groups])
    weights, none = np.zeros(x.shape[1]), 0.0
    for _ in range(STEPS):
        push, none_grad = softmax_push(x @ weights, y, index, none)
        weights -= RATE * (x.T @ push + L2 * weights)
        none -= RATE * none_grad
    return weights, none


def chosen(group: Group, weights: np.ndarray, none: float, threshold: float) -> int | None:
    """The candidate the ranker picks, if its share reaches `threshold`."""
    ranker = Ranker(weights, none, threshold, "training")
    pick = ranker.choose({str(i): list(row) for i, row in enumerate(group[0])})
    return int(pick[0]) if pick is not None else None


def gap_f1(
    scored: list[tuple[GapExample, Group | None]], weights: np.ndarray, none: float, t: float
) -> float:
    """GAP's F1 over A and B decisions (a pick names A or B when its label says it)."""
    tp = fp = fn = 0
    for example, group in scored:
        pick = chosen(group, weights, none, t) if group is not None else None
        hit = pick is not None and group is not None and group[1][pick] > 0
        gold = any(example.refers)
        tp += hit
        fp += pick is not None and not hit
        fn += gold and not hit
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def gum_rates(groups: list[Group], weights: np.ndarray, none: float, t: float) -> dict:
    """Shares of GUM pronouns resolved to their referent, and to someone else."""
    picks = [(g, chosen(g, weights, none, t)) for g in groups]
    right = sum(1 for g, c in picks if c is not None and g[1][c])
    wrong = sum(1 for g, c in picks if c is not None and not g[1][c])
    return {"right": round(right / len(groups), 4), "wrong": round(wrong / len(groups), 4)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not (COREF / "gum").is_dir() or not (COREF / "gap").is_dir():
        print(f"skipped: {COREF} not found")
        return 0
    nlp = load_spacy(DEFAULT_MODEL)
    train = gum_groups(nlp, "train")
    train += [g for _, g in gap_groups(nlp, "gap-development.tsv") if g is not None]
    weights, none = fit(train)
    validation = gap_groups(nlp, "gap-validation.tsv")
    dev = gum_groups(nlp, "dev")
    thresholds = [round(t, 2) for t in np.arange(0.05, 0.96, 0.05)]
    scores = {t: gap_f1(validation, weights, none, t) for t in thresholds}
    safe = [t for t in thresholds if gum_rates(dev, weights, none, t)["wrong"] <= MAX_WRONG]
    threshold = max(safe or thresholds[-1:], key=lambda t: (scores[t], -t))
    report = {
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in weights],
        "none": round(none, 6),
        "threshold": threshold,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "ranker.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    summary = {
        "training_pronouns": len(train),
        "gap_validation_f1": round(scores[threshold], 4),
        "gum_dev_pronouns": len(dev),
        "gum_dev": gum_rates(dev, weights, none, threshold),
        "threshold": threshold,
        "l2": L2,
        "steps": STEPS,
    }
    (args.out / "training.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
