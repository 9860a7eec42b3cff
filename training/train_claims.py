"""Train the check-worthiness model on ClaimBuster (../shared/data/checkworthy).

The claim model reads the shared encoder's pass: a sentence's token vectors at the
encoder's branch point (after its first BRANCH_LAYERS layers; the shipped techniques
encoder, int8, exactly as at run time) run through copies of the encoder's remaining
layers, fine-tuned here with a linear head on the mean of their output. Five-fold
stratified cross-validation on ClaimBuster gives out-of-fold scores (with the int8
run-time top layers of each fold), which fit the Platt calibration and the decision
threshold and give the reported F1; each fold model also ranks the CLEF 2019
debates, none of which it was trained on (ClaimBuster sentences that also occur in
CLEF are left out of the fold models' training), two ways: each sentence read alone
(as `spinlens eval claims` reads it) and each debate read as one article (as the
pipeline reads news). The shipped model is then trained on all of ClaimBuster and
written to src/spinlens/models/claims/. The branch vectors are cached in
build/claims-branch-HASH.npz (git-ignored; HASH names the encoder's weights).

    .venv-train/bin/python training/train_claims.py [--folds 5] [--epochs 3]

Retrain it whenever the techniques encoder changes: the top layers read its vectors.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from common import (
    PACKAGE_MODELS,
    REPO,
    base_model_dir,
    export_quantized,
    require_data,
    seed_everything,
)
from common import write_json as save_json
from reexport_encoder import fp32_state
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from torch import nn
from transformers import BertModel

from spinlens.claims.scorer import MAX_TOKENS, ClaimHead, ClaimScorer
from spinlens.encoder import BRANCH_LAYERS, MODEL_DIR, Encoder, branch_of
from spinlens.evaluation.checkworthy import (
    Gold,
    classification,
    expected_calibration_error,
    ranking,
    read_claimbuster,
    read_clef,
)
from spinlens.weights import weights_digest

torch.set_num_threads(2)
Vectors = list[np.ndarray]
"""Branch vectors (float16) of each sentence's first MAX_TOKENS tokens."""


def alone(encoder: Encoder, texts: Sequence[str]) -> Vectors:
    """Each sentence read alone, as its own text."""
    return [
        branch_of(e)[:MAX_TOKENS].astype(np.float16)
        for first in range(0, len(texts), 256)
        for e in encoder.encode(texts[first : first + 256])
    ]


def in_context(encoder: Encoder, gold: Gold) -> Vectors:
    """Each debate read as one article (a line per sentence), each sentence's vectors
    taken from it, as the pipeline takes them."""
    out: Vectors = [np.zeros((0, 0), np.float16)] * len(gold.texts)
    debates: dict[str, list[int]] = {}
    for i, group in enumerate(gold.groups):
        debates.setdefault(group, []).append(i)
    for rows in debates.values():
        text = "".join(gold.texts[i] + "\n" for i in rows)
        (encoding,) = encoder.encode([text])
        start = 0
        for i in rows:
            first, last = encoding.token_range(start, start + len(gold.texts[i]))
            out[i] = branch_of(encoding)[first : min(last, first + MAX_TOKENS)].astype(np.float16)
            start += len(gold.texts[i]) + 1
    return out


def branch_vectors(encoder: Encoder, cb: Gold, clef: Gold) -> dict[str, Vectors]:
    """ClaimBuster alone, CLEF alone and CLEF in context; cached under build/."""
    digest = weights_digest(MODEL_DIR / "encoder.onnx", "shared encoder")
    size = f"{len(cb.texts)}-{len(clef.texts)}"
    cache = REPO / "build" / f"claims-branch-{digest}-{size}.npz"
    parts = ("claimbuster", "clef_alone", "clef_in_context")
    if not cache.exists():
        found = {
            "claimbuster": alone(encoder, cb.texts),
            "clef_alone": alone(encoder, clef.texts),
            "clef_in_context": in_context(encoder, clef),
        }
        cache.parent.mkdir(exist_ok=True)
        np.savez(cache, **{f"{p}/{i}": v for p in parts for i, v in enumerate(found[p])})
    data = np.load(cache)
    sizes = dict(zip(parts, (len(cb.texts), len(clef.texts), len(clef.texts)), strict=True))
    return {p: [data[f"{p}/{i}"] for i in range(sizes[p])] for p in parts}


class TopNet(nn.Module):
    """The techniques encoder's layers above the branch point (its own weights to
    start from) and a linear head on the mean of their output."""

    def __init__(self) -> None:
        super().__init__()
        bert = BertModel.from_pretrained(
            base_model_dir(),
            add_pooling_layer=False,
            attn_implementation="eager",
            attention_probs_dropout_prob=0.0,
        )
        bert.load_state_dict(fp32_state(MODEL_DIR / "encoder.onnx"), strict=False)
        self.layers = nn.ModuleList(bert.encoder.layer[BRANCH_LAYERS:])
        self.head = nn.Linear(bert.config.hidden_size, 1)

    def top(self, hidden: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        extended = None if mask is None else (1.0 - mask[:, None, None, :]) * -1e4
        for layer in self.layers:
            out = layer(hidden, attention_mask=extended)
            hidden = out[0] if isinstance(out, tuple) else out
        return hidden

    def forward(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        m = mask.unsqueeze(-1)
        pooled = (self.top(hidden, mask) * m).sum(1) / m.sum(1)
        return self.head(pooled).squeeze(-1)


class TopOnly(nn.Module):
    """The top layers alone, for export: one sentence's branch vectors in, theirs out."""

    def __init__(self, net: TopNet):
        super().__init__()
        self.net = net

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.net.top(hidden)


def padded(vectors: Vectors, rows: Sequence[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """A batch of sentences' vectors, zero-padded, and its mask (an empty sentence
    keeps one zero vector)."""
    longest = max(max(len(vectors[i]), 1) for i in rows)
    hidden = np.zeros((len(rows), longest, vectors[rows[0]].shape[1]), np.float32)
    mask = np.zeros((len(rows), longest), np.float32)
    for r, i in enumerate(rows):
        hidden[r, : len(vectors[i])] = vectors[i]
        mask[r, : max(len(vectors[i]), 1)] = 1
    return torch.from_numpy(hidden), torch.from_numpy(mask)


def fine_tune(vectors: Vectors, labels: np.ndarray, args: argparse.Namespace) -> TopNet:
    """AdamW, 10 % warm-up then linear decay, positives weighted by the class ratio."""
    seed_everything(args.seed)
    net = TopNet()
    steps = args.epochs * -(-len(vectors) // args.batch_size)
    optimizer = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    loss_fn = nn.BCEWithLogitsLoss(
        pos_weight=torch.tensor(float((labels == 0).sum() / max((labels == 1).sum(), 1)))
    )
    started = time.time()
    for epoch in range(args.epochs):
        net.train()
        order = np.random.permutation(len(vectors))
        for first in range(0, len(order), args.batch_size):
            rows = order[first : first + args.batch_size]
            logits = net(*padded(vectors, rows))
            loss = loss_fn(logits, torch.tensor(labels[rows], dtype=torch.float))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            schedule.step()
        print(f"epoch {epoch} {time.time() - started:.0f}s", flush=True)
    return net.eval()


def export(
    net: TopNet, out: Path, sample: Vectors, encoder: Encoder
) -> tuple[ClaimScorer, dict[str, float]]:
    """The int8 run-time model of `net` in `out` (top.onnx, head.npz) and the
    agreement of its pooled vectors with fp32 ones on `sample` sentences."""
    out.mkdir(parents=True, exist_ok=True)
    example = torch.from_numpy(sample[0][None].astype(np.float32))
    names = ("hidden", "top_hidden_state")
    export_quantized(TopOnly(net.eval()), example, out / "top.onnx", names, per_channel=True)
    head = ClaimHead(net.head.weight.detach().numpy()[0], float(net.head.bias.detach()[0]))
    head.save(out / "head.npz")
    scorer = ClaimScorer(out, encoder, head)
    cos = []
    with torch.no_grad():
        for v in sample:
            ref = net.top(torch.from_numpy(v[None].astype(np.float32)))[0].mean(0).numpy()
            got = scorer.session.run(None, {"hidden": v[None].astype(np.float32)})[0][0].mean(0)
            cos.append(float(ref @ got / (np.linalg.norm(ref) * np.linalg.norm(got))))
    return scorer, {"int8_fp32_pooled_cosine_mean": round(float(np.mean(cos)), 4)}


def run_logits(scorer: ClaimScorer, vectors: Vectors) -> np.ndarray:
    """Uncalibrated scores through the run-time top layers."""
    return np.array([scorer.logit(v) for v in vectors], np.float32)


def normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def platt(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    model = LogisticRegression(C=1e6).fit(logits.reshape(-1, 1), labels)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def best_threshold(probs: np.ndarray, labels: np.ndarray) -> float:
    grid = np.round(np.arange(0.2, 0.81, 0.02), 2)
    f1s = [classification(probs, (probs >= t).astype(int), labels)["f1"] for t in grid]
    return float(grid[int(np.argmax(f1s))])


def cross_validate(
    cb: Gold, clef: Gold, vectors: dict[str, Vectors], encoder: Encoder, args: argparse.Namespace
) -> dict:
    """Out-of-fold ClaimBuster scores and per-fold-model CLEF MAP (sentences alone and
    debates in context)."""
    in_clef = {normalised(t) for t in clef.texts}
    splits = StratifiedKFold(args.folds, shuffle=True, random_state=0).split(cb.texts, cb.labels)
    oof = np.zeros(len(cb.texts), np.float32)
    fold_of = np.zeros(len(cb.texts), int)
    maps: dict[str, list[float]] = {"alone": [], "in_context": [], "unseen": []}
    overlap = overlapping_debates(cb, clef)
    unseen = np.array([g not in overlap for g in clef.groups])
    unseen_groups = [g for g in clef.groups if g not in overlap]
    cbv = vectors["claimbuster"]
    for fold, (train, test) in enumerate(splits):
        train = np.array([i for i in train if normalised(cb.texts[i]) not in in_clef])
        net = fine_tune([cbv[i] for i in train], cb.labels[train], args)
        with tempfile.TemporaryDirectory() as tmp:
            scorer, _ = export(net, Path(tmp), cbv[:50], encoder)
            oof[test] = run_logits(scorer, [cbv[i] for i in test])
            clef_alone = run_logits(scorer, vectors["clef_alone"])
            clef_context = run_logits(scorer, vectors["clef_in_context"])
        fold_of[test] = fold
        maps["alone"].append(ranking(clef_alone, clef.labels, clef.groups)["map"])
        maps["in_context"].append(ranking(clef_context, clef.labels, clef.groups)["map"])
        maps["unseen"].append(
            ranking(clef_alone[unseen], clef.labels[unseen], unseen_groups)["map"]
        )
        print(f"fold {fold}: CLEF MAP {maps['alone'][-1]} (in context {maps['in_context'][-1]})")
    # Cross-fitted calibration and threshold: each fold's are fitted on the other folds.
    probs = np.zeros_like(oof)
    predicted = np.zeros(len(oof), int)
    for fold in range(args.folds):
        rest, this = fold_of != fold, fold_of == fold
        head = ClaimHead(np.zeros(1), 0.0, *platt(oof[rest], cb.labels[rest]))
        probs[this] = head.probability(oof[this])
        threshold = best_threshold(head.probability(oof[rest]), cb.labels[rest])
        predicted[this] = probs[this] >= threshold
    raw = 1.0 / (1.0 + np.exp(-oof))
    per_fold = [
        classification(probs[fold_of == f], predicted[fold_of == f], cb.labels[fold_of == f])["f1"]
        for f in range(args.folds)
    ]
    return {
        "claimbuster_cv": classification(probs, predicted, cb.labels),
        "claimbuster_cv_f1_per_fold": per_fold,
        "claimbuster_cv_f1_at_raw_0.5": classification(raw, (raw >= 0.5).astype(int), cb.labels)[
            "f1"
        ],
        "ece_raw": expected_calibration_error(raw, cb.labels),
        "ece_calibrated": expected_calibration_error(probs, cb.labels),
        "clef2019_map_per_fold_model": maps["alone"],
        "clef2019_map_median": float(np.median(maps["alone"])),
        "clef2019_in_context_map_per_fold_model": maps["in_context"],
        "clef2019_in_context_map_median": float(np.median(maps["in_context"])),
        "clef2019_map_debates_not_in_claimbuster_median": float(np.median(maps["unseen"])),
        "oof_logits": oof,
    }


def overlapping_debates(cb: Gold, clef: Gold) -> set[str]:
    """CLEF debates with at least 20 sentences also in ClaimBuster."""
    in_cb = {normalised(t) for t in cb.texts if len(t.split()) > 5}
    counts: dict[str, int] = {}
    for text, group in zip(clef.texts, clef.groups, strict=True):
        counts[group] = counts.get(group, 0) + (normalised(text) in in_cb)
    return {g for g, c in counts.items() if c >= 20}


def sample(gold: Gold, size: int) -> Gold:
    """A random subset of `size` sentences, in their original order."""
    rows = sorted(np.random.default_rng(0).choice(len(gold.texts), size, replace=False))
    return Gold(
        [gold.keys[i] for i in rows],
        [gold.texts[i] for i in rows],
        gold.labels[rows],
        [gold.groups[i] for i in rows],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=PACKAGE_MODELS / "claims")
    parser.add_argument("--max-sentences", type=int, help="Use fewer sentences (smoke test).")
    args = parser.parse_args()
    cb = read_claimbuster(require_data("checkworthy/claimbuster/train.json"))
    clef = read_clef(require_data("checkworthy/clef2019/train.csv"))
    if args.max_sentences:
        cb, clef = sample(cb, args.max_sentences), sample(clef, args.max_sentences)
    started = time.time()
    encoder = Encoder(MODEL_DIR, threads=2)
    vectors = branch_vectors(encoder, cb, clef)
    cv = cross_validate(cb, clef, vectors, encoder, args)
    oof = cv.pop("oof_logits")
    net = fine_tune(vectors["claimbuster"], cb.labels, args)
    scorer, agreement = export(net, args.out, vectors["claimbuster"][:200], encoder)
    a, b = platt(oof, cb.labels)
    probs = ClaimHead(np.zeros(1), 0.0, a, b).probability(oof)
    threshold = best_threshold(probs, cb.labels)
    ClaimHead(scorer.head.weight, scorer.head.bias, a, b, threshold).save(args.out / "head.npz")
    report = {
        "data": {
            "claimbuster_sentences": len(cb.texts),
            "clef2019_sentences": len(clef.texts),
            "overlapping_debates": sorted(overlapping_debates(cb, clef)),
        },
        "settings": {k: v for k, v in vars(args).items() if k != "out"}
        | {"max_tokens": MAX_TOKENS, "branch_layers": BRANCH_LAYERS},
        "calibration": {"platt_a": a, "platt_b": b, "threshold": threshold},
        "metrics": cv,
        "export": agreement,
        "train_seconds": round(time.time() - started),
    }
    save_json(args.out / "training.json", report)
    print(report)


if __name__ == "__main__":
    main()
