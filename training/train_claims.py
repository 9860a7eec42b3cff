"""Train the check-worthiness model on ClaimBuster (../shared/data/checkworthy).

Fine-tunes all-MiniLM-L6-v2 with a linear head on the mean token vector of each
sentence. Five-fold stratified cross-validation on ClaimBuster gives out-of-fold
scores (with the int8 run-time model of each fold), which fit the Platt
calibration and the decision threshold and give the reported F1; each fold model
also ranks the CLEF 2019 debates, none of which it was trained on (ClaimBuster
sentences that also occur in CLEF are left out of the fold models' training).
The shipped model is then trained on all of ClaimBuster and written to
src/spinlens/models/claims/.

    .venv-train/bin/python training/train_claims.py [--folds 5] [--epochs 1]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from common import PACKAGE_MODELS, export_encoder, load_encoder, require_data, seed_everything
from common import write_json as save_json
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from torch import nn

from spinlens.claims.scorer import MAX_TOKENS, ClaimHead, ClaimScorer
from spinlens.evaluation.checkworthy import (
    Gold,
    classification,
    expected_calibration_error,
    ranking,
    read_claimbuster,
    read_clef,
)

torch.set_num_threads(2)


class ClaimNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.tokenizer, self.encoder = load_encoder()
        self.head = nn.Linear(self.encoder.config.hidden_size, 1)

    def forward(self, texts: list[str]) -> torch.Tensor:
        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        hidden = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return self.head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)


def fine_tune(texts: list[str], labels: np.ndarray, args: argparse.Namespace) -> ClaimNet:
    """AdamW, 10 % warm-up then linear decay, positives weighted by the class ratio."""
    seed_everything(args.seed)
    net = ClaimNet()
    steps = args.epochs * -(-len(texts) // args.batch_size)
    optimizer = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    loss_fn = nn.BCEWithLogitsLoss(
        pos_weight=torch.tensor(float((labels == 0).sum() / max((labels == 1).sum(), 1)))
    )
    started, step = time.time(), 0
    for epoch in range(args.epochs):
        net.train()
        order = np.random.permutation(len(texts))
        for first in range(0, len(order), args.batch_size):
            rows = order[first : first + args.batch_size]
            logits = net([texts[i] for i in rows])
            loss = loss_fn(logits, torch.tensor(labels[rows], dtype=torch.float))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            step += 1
            if step % 50 == 0:
                print(f"epoch {epoch} step {step}/{steps} {time.time() - started:.0f}s", flush=True)
    return net.eval()


def export(net: ClaimNet, out: Path) -> tuple[ClaimScorer, dict[str, float]]:
    """The int8 run-time model of `net` in `out`, and its fp32/int8 agreement."""
    agreement = export_encoder(net.encoder, out)
    head = ClaimHead(net.head.weight.detach().numpy()[0], float(net.head.bias.detach()[0]))
    head.save(out / "head.npz")
    return ClaimScorer(out, head), agreement


def run_logits(scorer: ClaimScorer, texts: list[str], chunk: int = 32) -> np.ndarray:
    """Uncalibrated scores in fixed chunks of consecutive sentences (as `claims score`)."""
    return np.concatenate(
        [scorer.logits(texts[i : i + chunk]) for i in range(0, len(texts), chunk)]
    )


def normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def platt(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    model = LogisticRegression(C=1e6).fit(logits.reshape(-1, 1), labels)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def best_threshold(probs: np.ndarray, labels: np.ndarray) -> float:
    grid = np.round(np.arange(0.2, 0.81, 0.02), 2)
    f1s = [classification(probs, (probs >= t).astype(int), labels)["f1"] for t in grid]
    return float(grid[int(np.argmax(f1s))])


def cross_validate(cb: Gold, clef: Gold, args: argparse.Namespace) -> dict:
    """Out-of-fold ClaimBuster scores and per-fold-model CLEF MAP."""
    in_clef = {normalised(t) for t in clef.texts}
    splits = StratifiedKFold(args.folds, shuffle=True, random_state=0).split(cb.texts, cb.labels)
    oof = np.zeros(len(cb.texts), np.float32)
    fold_of = np.zeros(len(cb.texts), int)
    clef_maps, clef_unseen_maps = [], []
    overlap = overlapping_debates(cb, clef)
    unseen = np.array([g not in overlap for g in clef.groups])
    unseen_groups = [g for g in clef.groups if g not in overlap]
    for fold, (train, test) in enumerate(splits):
        train = np.array([i for i in train if normalised(cb.texts[i]) not in in_clef])
        net = fine_tune([cb.texts[i] for i in train], cb.labels[train], args)
        with tempfile.TemporaryDirectory() as tmp:
            scorer, _ = export(net, Path(tmp))
            oof[test] = run_logits(scorer, [cb.texts[i] for i in test])
            clef_logits = run_logits(scorer, clef.texts)
        fold_of[test] = fold
        clef_maps.append(ranking(clef_logits, clef.labels, clef.groups)["map"])
        clef_unseen_maps.append(
            ranking(clef_logits[unseen], clef.labels[unseen], unseen_groups)["map"]
        )
        print(f"fold {fold}: CLEF MAP {clef_maps[-1]} ({clef_unseen_maps[-1]} unseen debates)")
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
        "clef2019_map_per_fold_model": clef_maps,
        "clef2019_map_median": float(np.median(clef_maps)),
        "clef2019_map_debates_not_in_claimbuster_median": float(np.median(clef_unseen_maps)),
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
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=PACKAGE_MODELS / "claims")
    parser.add_argument("--max-sentences", type=int, help="Use fewer sentences (smoke test).")
    args = parser.parse_args()
    cb = read_claimbuster(require_data("checkworthy/claimbuster/train.json"))
    clef = read_clef(require_data("checkworthy/clef2019/train.csv"))
    if args.max_sentences:
        cb, clef = sample(cb, args.max_sentences), sample(clef, args.max_sentences)
    started = time.time()
    cv = cross_validate(cb, clef, args)
    oof = cv.pop("oof_logits")
    net = fine_tune(cb.texts, cb.labels, args)
    scorer, agreement = export(net, args.out)
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
        | {"max_tokens": MAX_TOKENS},
        "calibration": {"platt_a": a, "platt_b": b, "threshold": threshold},
        "metrics": cv,
        "export": agreement,
        "train_seconds": round(time.time() - started),
    }
    save_json(args.out / "training.json", report)
    print(report)


if __name__ == "__main__":
    main()
