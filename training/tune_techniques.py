"""Tune the decision thresholds of the exported technique model on the PTC dev fold.

Runs the shipped int8 ONNX encoder through the run-time code (no torch), chooses the
token threshold and the gap joining nearby runs by SI F1 + FLC F1 (long joined spans
raise SI a little but blur the technique), then the second-technique threshold by FLC
F1, and rewrites heads.npz and the dev scores in training.json.

    .venv-train/bin/python training/tune_techniques.py
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from card_techniques import main as write_card
from common import PACKAGE_MODELS, require_data, write_json
from train_techniques import evaluate, load_ptc

from spinlens.evaluation import fold_of
from spinlens.techniques.component import load_model

THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
GAPS = (0, 2, 3, 5, 8, 12)
SECONDS = (0.3, 0.4, 0.5, 0.6, 0.7, 1.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=PACKAGE_MODELS / "techniques")
    args = parser.parse_args()
    texts, labels = load_ptc(require_data("ptc"))
    dev = {a: t for a, t in texts.items() if fold_of(a) == 0}
    gold = [g for g in labels if g[0] in dev]
    encoder, heads, _version = load_model(args.model)
    encodings = dict(zip(dev, encoder.encode(list(dev.values())), strict=True))
    scored = []
    for threshold in THRESHOLDS:
        for gap in GAPS:
            candidate = replace(heads, threshold=threshold, gap=gap, second_threshold=1.01)
            scores = evaluate(candidate, dev, encodings, gold)
            si, flc = scores["si"]["f1"], scores["flc"]["f1"]
            scored.append((si + flc, threshold, gap))
            print(f"threshold {threshold} gap {gap}: SI F1 {si:.4f} FLC F1 {flc:.4f}", flush=True)
    _merit, threshold, gap = max(scored)
    best = None
    for second in SECONDS:
        candidate = replace(heads, threshold=threshold, gap=gap, second_threshold=second)
        scores = evaluate(candidate, dev, encodings, gold)
        print(f"second {second}: FLC F1 {scores['flc']['f1']:.4f}", flush=True)
        if best is None or scores["flc"]["f1"] > best[1]["flc"]["f1"]:
            best = (candidate, scores)
    assert best is not None
    chosen, scores = best
    chosen.save(args.model / "heads.npz")
    info_path = args.model / "training.json"
    info = json.loads(info_path.read_text(encoding="utf-8"))
    info["dev_onnx_int8"] = {
        "threshold": chosen.threshold,
        "gap": chosen.gap,
        "second_threshold": chosen.second_threshold,
        "scores": scores,
    }
    write_json(info_path, info)
    write_card(args.model)
    print(json.dumps({k: scores[k].get("f1", scores[k].get("micro_f1")) for k in scores}))


if __name__ == "__main__":
    main()
