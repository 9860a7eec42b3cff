"""Would the shared encoder's vectors make the pronoun ranker good enough for #17's GAP
bar? Compares the shipped linear ranker (src/spinlens/models/coref, 21 FEATURES) with
one-hidden-layer networks that also read the encoder's vectors of the pronoun and of
each candidate's nearest mention (projected on their first principal components, with
their product and cosine). Trained like the shipped ranker on GAP development + GUM
train; measured on GAP validation (F1 over the A and B decisions, as the benchmark
scores them) and GUM dev (he/she pronouns given their referent, or a wrong person),
each at its best GAP threshold and at the best one that gives a wrong person to at
most MAX_WRONG of GUM dev's pronouns (the shipped ranker's rule). GAP and GUM test
are not read. numpy only; docs/decisions.md (#17) gives the outcome.

    .venv/bin/python training/probe_coref_vectors.py [--cache DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from coref_pairs import Group, cached, gap_groups, gum_groups
from train_coref import softmax_push

from spinlens.attribution.ranking import FEATURES, load_ranker
from spinlens.encoder import load_encoder
from spinlens.pipeline.linguistic import DEFAULT_MODEL, load_spacy

ROOT = Path(__file__).resolve().parents[1]
COREF = ROOT.parent / "shared" / "data" / "coref"
CACHE = ROOT / "training" / "checkpoints" / "coref"
NETWORKS = [(0, 16, 1e-2), (4, 16, 1e-2), (16, 16, 1e-2), (64, 16, 1e-2)]
"""(principal components, hidden units, L2) of the networks tried."""
STEPS = 300
RATE = 3e-3
SEED = 17
MAX_WRONG = 0.05
THRESHOLDS = [round(t, 3) for t in np.arange(0.05, 0.96, 0.025)]

Scorer = Callable[[np.ndarray], np.ndarray]


def pair_rows(inputs: np.ndarray, mean: np.ndarray, project: np.ndarray) -> np.ndarray:
    """What a network reads of a row [pronoun vector, mention vector, FEATURES]: both
    vectors projected (centred by `mean`, times `project`), their product and cosine,
    and the FEATURES."""
    dim = len(mean)
    said, named, features = inputs[:, :dim], inputs[:, dim : 2 * dim], inputs[:, 2 * dim :]
    norms = np.linalg.norm(said, axis=1) * np.linalg.norm(named, axis=1) + 1e-6
    cosine = (said * named).sum(axis=1) / norms
    a, b = (said - mean) @ project, (named - mean) @ project
    return np.hstack([a, b, a * b, cosine[:, None], features])


@dataclass(frozen=True)
class Network:
    """A score per candidate: `pair_rows`, standardised, a ReLU layer, a sum; and the
    score of "no one here"."""

    mean: np.ndarray
    project: np.ndarray
    center: np.ndarray
    scale: np.ndarray
    hidden: np.ndarray
    bias: np.ndarray
    out: np.ndarray
    none: float

    def scores(self, inputs: np.ndarray) -> np.ndarray:
        rows = (pair_rows(inputs, self.mean, self.project) - self.center) / self.scale
        return np.asarray(np.maximum(rows @ self.hidden + self.bias, 0.0) @ self.out)


def fit(groups: list[Group], components: int, hidden: int, l2: float) -> Network:
    """The projection (principal components of the training vectors) and the
    network, by full-batch Adam from a seeded start."""
    kept = [g for g in groups if len(g.labels)]
    raw = np.concatenate([g.inputs for g in kept]).astype(np.float32)
    y = np.concatenate([g.labels for g in kept])
    index = np.repeat(np.arange(len(kept)), [len(g.labels) for g in kept])
    dim = (raw.shape[1] - len(FEATURES)) // 2
    vectors = np.concatenate([raw[:, :dim], raw[:, dim : 2 * dim]])
    mean = vectors.mean(axis=0)
    project = np.linalg.svd(vectors - mean, full_matrices=False)[2][:components].T
    x = pair_rows(raw, mean, project).astype(np.float32)
    center, scale = x.mean(axis=0), x.std(axis=0) + 1e-3
    x = (x - center) / scale
    rng = np.random.default_rng(SEED)
    params = [
        rng.normal(0, np.sqrt(2 / x.shape[1]), (x.shape[1], hidden)).astype(np.float32),
        np.zeros(hidden, np.float32),
        rng.normal(0, np.sqrt(1 / hidden), hidden).astype(np.float32),
        np.zeros(1, np.float32),
    ]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    for step in range(1, STEPS + 1):
        weights, bias, out, none = params
        layer = np.maximum(x @ weights + bias, 0.0)
        push, none_grad = softmax_push(layer @ out, y, index, float(none[0]))
        push = push.astype(np.float32)
        back = np.outer(push, out) * (layer > 0)
        grads = [
            x.T @ back + l2 * weights,
            back.sum(axis=0),
            layer.T @ push + l2 * out,
            np.array([none_grad], np.float32),
        ]
        for p, g, (m, v) in zip(params, grads, moments, strict=True):
            m[:] = 0.9 * m + 0.1 * g
            v[:] = 0.999 * v + 0.001 * g * g
            p -= RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    weights, bias, out, none = params
    return Network(mean, project, center, scale, weights, bias, out, float(none[0]))


Pick = tuple[float, int | None]
"""A pronoun's best candidate's probability and its index (None: no one within reach)."""


def picks(scores: Scorer, none: float, groups: list[Group]) -> list[Pick]:
    """Each pronoun's best candidate and its softmax share against "no one here"."""
    out: list[Pick] = []
    for group in groups:
        if not len(group.labels):
            out.append((0.0, None))
            continue
        s = scores(group.inputs)
        top = max(float(s.max()), none)
        shares = np.exp(s - top)
        best = int(np.argmax(s))
        out.append((float(shares[best] / (shares.sum() + np.exp(none - top))), best))
    return out


def gap_f1(groups: list[Group], picked: list[Pick], t: float) -> float:
    """GAP's F1 over the A and B decisions: a pick at `t` or above is right when it is
    a referent, wrong when it is the other one of A and B; a referent not picked is
    missed."""
    tp = fp = fn = 0
    for group, (probability, pick) in zip(groups, picked, strict=True):
        hit = pick is not None and probability >= t and bool(group.labels[pick])
        tp += hit
        fp += pick is not None and probability >= t and not hit and bool(group.scored[pick])
        fn += group.gold and not hit
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def gum_rates(groups: list[Group], picked: list[Pick], t: float) -> tuple[float, float]:
    """Shares of GUM pronouns resolved to their referent, and to someone else."""
    said = [
        bool(g.labels[i])
        for g, (p, i) in zip(groups, picked, strict=True)
        if i is not None and p >= t
    ]
    return sum(said) / len(groups), (len(said) - sum(said)) / len(groups)


def report(name: str, val: list[Group], dev: list[Group], scores: Scorer, none: float) -> None:
    """One line per operating point: GAP validation F1, GUM dev right and wrong."""
    on_val, on_dev = picks(scores, none, val), picks(scores, none, dev)
    best = max(THRESHOLDS, key=lambda t: gap_f1(val, on_val, t))
    safe = [t for t in THRESHOLDS if gum_rates(dev, on_dev, t)[1] <= MAX_WRONG]
    chosen = max(safe or THRESHOLDS[-1:], key=lambda t: gap_f1(val, on_val, t))
    for label, t in (("best GAP threshold", best), ("GUM-safe threshold", chosen)):
        right, wrong = gum_rates(dev, on_dev, t)
        print(
            f"{name:30} {label:18} {t:5.3f}  GAP val F1 {gap_f1(val, on_val, t):.3f}  "
            f"GUM dev right {right:.3f} wrong {wrong:.3f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE, help="Parsed examples kept here.")
    args = parser.parse_args()
    if not (COREF / "gum").is_dir() or not (COREF / "gap").is_dir():
        print(f"skipped: {COREF} not found")
        return 0
    nlp = load_spacy(DEFAULT_MODEL)
    encoder, _ = load_encoder(threads=1)
    gap = COREF / "gap"
    train = cached(
        args.cache, "gap-development", lambda: gap_groups(nlp, encoder, gap / "gap-development.tsv")
    )
    train += cached(
        args.cache, "gum-train", lambda: gum_groups(nlp, encoder, COREF / "gum", "train")
    )
    val = cached(
        args.cache, "gap-validation", lambda: gap_groups(nlp, encoder, gap / "gap-validation.tsv")
    )
    dev = cached(args.cache, "gum-dev", lambda: gum_groups(nlp, encoder, COREF / "gum", "dev"))
    shipped = load_ranker()
    width = len(FEATURES)
    report(
        "shipped ranker (linear)",
        val,
        dev,
        lambda x: x[:, -width:] @ shipped.weights,
        shipped.none,
    )
    for setting in NETWORKS:
        network = fit(train, *setting)
        name = "network ({} comp., {} hidden, L2 {})".format(*setting)
        report(name, val, dev, network.scores, network.none)
    return 0


if __name__ == "__main__":
    sys.exit(main())
