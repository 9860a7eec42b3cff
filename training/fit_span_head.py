"""Refit the technique model's span head on the shipped encoder's vectors.

The span head names the technique of a span from its mean and max token vectors and a
few span features. When those features or the way the encoder reads an article change
(and the encoder's weights do not), the head is refitted on the training folds of PTC
as the run-time code reads them (int8 ONNX, side-neutral view, chunks), starting from
the shipped head; the weight decay is chosen by TC micro-F1 on the dev fold. The token
head and the encoder stay as they are. Then run tune_techniques.py.

    .venv-train/bin/python training/fit_span_head.py [--epochs 400]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from common import PACKAGE_MODELS, require_data, write_json
from train_techniques import load_ptc

from spinlens.encoder import Encoding
from spinlens.evaluation import fold_of
from spinlens.evaluation.ptc import Label, tc_scores
from spinlens.techniques import NAMES
from spinlens.techniques.component import load_model
from spinlens.techniques.features import span_features
from spinlens.techniques.predict import predict_techniques_for

DECAYS = (1e-4, 1e-3, 1e-2)


def span_rows(encodings: dict[str, Encoding], labels: list[Label]) -> tuple[np.ndarray, np.ndarray]:
    """One row per gold span: the span head's input, and its techniques (multi-hot)."""
    targets: dict[tuple[str, int, int], np.ndarray] = defaultdict(
        lambda: np.zeros(len(NAMES), np.float32)
    )
    for aid, tech, start, end in labels:
        targets[(aid, start, end)][NAMES.index(tech)] = 1.0
    rows, ys = [], []
    for (aid, start, end), target in targets.items():
        encoding = encodings[aid]
        first, last = encoding.token_range(start, end)
        if last <= first:
            continue
        vectors = encoding.vectors[first:last]
        feats = span_features(encoding.view, start, end, last - first)
        rows.append(np.concatenate([vectors.mean(0), vectors.max(0), feats]))
        ys.append(target)
    return np.asarray(rows, np.float32), np.asarray(ys, np.float32)


def fit(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, b: np.ndarray, decay: float, epochs: int
) -> tuple[np.ndarray, np.ndarray]:
    """Logistic regression per technique (full batch, Adam), from the given weights."""
    torch.manual_seed(0)
    weight = torch.tensor(w, requires_grad=True)
    bias = torch.tensor(b, requires_grad=True)
    optimizer = torch.optim.AdamW([weight, bias], lr=3e-3, weight_decay=decay)
    inputs, targets = torch.tensor(x), torch.tensor(y)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(inputs @ weight + bias, targets)
        loss.backward()
        optimizer.step()
    return weight.detach().numpy(), bias.detach().numpy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=PACKAGE_MODELS / "techniques")
    parser.add_argument("--epochs", type=int, default=400)
    args = parser.parse_args()
    texts, labels = load_ptc(require_data("ptc"))
    encoder, heads, _version = load_model(args.model)
    ids = sorted(texts)
    encodings = dict(zip(ids, encoder.encode([texts[a] for a in ids]), strict=True))
    train = [g for g in labels if fold_of(g[0]) != 0]
    dev = [g for g in labels if fold_of(g[0]) == 0]
    x, y = span_rows(encodings, train)
    print(f"{len(x)} training spans", flush=True)
    best = None
    for decay in DECAYS:
        w, b = fit(x, y, heads.span_w, heads.span_b, decay, args.epochs)
        candidate = replace(heads, span_w=w, span_b=b)
        tc = tc_scores(predict_techniques_for(candidate, encodings, dev), dev)["micro_f1"]
        print(f"weight decay {decay}: dev TC micro-F1 {tc:.4f}", flush=True)
        if best is None or tc > best[0]:
            best = (tc, decay, candidate)
    assert best is not None
    tc, decay, chosen = best
    chosen.save(args.model / "heads.npz")
    info_path = args.model / "training.json"
    info = json.loads(info_path.read_text(encoding="utf-8"))
    info["span_head_refit"] = {
        "why": "span features read in the side-neutral view; headline flag replaces position",
        "training_spans": len(x),
        "epochs": args.epochs,
        "weight_decay": decay,
        "dev_tc_micro_f1": tc,
    }
    write_json(info_path, info)
    print(f"wrote {args.model / 'heads.npz'} (weight decay {decay}, dev TC {tc:.4f})")


if __name__ == "__main__":
    main()
