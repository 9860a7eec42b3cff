"""Write the claim model's card (MODEL_CARD.md) from its training.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from common import PACKAGE_MODELS, recorded

CARD = """# Model card: spinlens check-worthiness model (`claims`)

Scores English sentences by how much they deserve fact-checking (checkable facts:
numbers, events, dates, causal and comparative statements). Default component of
`spinlens analyze` (layer `claims`) and the model behind `spinlens claims score`.

## Model
- Reads the shared encoder's pass: the article's token vectors after the first
  {branch} of the 6 layers of the techniques encoder (all-MiniLM-L6-v2 fine-tuned on PTC;
  its `branch_state` output, read once per article for every head, side names made
  neutral as every head reads them). No second encoder runs over the article.
- Top layers (`top.onnx`, {size_mb:.1f} MB): copies of that encoder's remaining
  {top} layers, fine-tuned here for check-worthiness; exported to ONNX and quantised to
  int8 per channel. A sentence's first {max_tokens} tokens run through them alone.
- Head (`head.npz`, numpy): a linear layer on the mean of the top layers' output,
  then Platt scaling (P = sigmoid({platt_a:.3f} · logit {platt_b:+.3f})) fitted on the
  out-of-fold scores, so that `score` is a calibrated probability. A sentence is a claim
  (label 1, listed in the `claims` layer) when its probability is ≥ {threshold}, the
  threshold that maximised out-of-fold F1.
- Run time: onnxruntime + tokenizers + numpy, no torch. Each sentence runs through the
  top layers alone (dynamic quantisation scales a batch together), so a sentence's
  score never depends on other sentences' top-layer input. In an article its vectors
  come from the article's encoding (its chunk and a little context on each side);
  `spinlens claims score` and `spinlens eval claims` read each sentence alone, as its
  own text.

## Training data and terms
- ClaimBuster two-class set (`../shared/data/checkworthy/claimbuster/train.json`,
  {cb} sentences from US presidential debates 1960–2016; Arslan et al., ICWSM 2020): the
  shipped model is trained on all of it, {epochs} epoch(s), batch {batch}, learning rate
  {lr}, positives weighted by the class ratio; the encoder below the branch point is
  not trained (it is the techniques model's). No speaker features: the model reads the
  sentence only, so that it carries over from debates to news.
- CLEF CheckThat! 2019 Task 1 (`../shared/data/checkworthy/clef2019/train.csv`,
  {clef} sentences, 19 debates and speeches) is used for evaluation only: its labels are
  narrower than ClaimBuster's (a claim the fact-checkers of one outlet chose to check).
- Licence caveat: both sets come from the repository `utaresearch/claimbuster-spotter`,
  released under GPL-3.0; no separate data licence is given, and the CLEF sets are copies
  of the CheckThat! lab data, whose own terms are not included. Whether the GPL reaches
  weights trained on the data is unsettled; users redistributing the model should check.
- Retrain: `make train-env`, then `.venv-train/bin/python training/train_claims.py`
  (~{minutes} min on 2 CPU cores: {folds} cross-validation models and the final one),
  then `.venv-train/bin/python training/card_claims.py`. Retrain it whenever the
  techniques encoder changes: the top layers read its vectors.

## Scores (cross-validated; int8 ONNX as shipped)
{folds}-fold stratified cross-validation on ClaimBuster (seed 0); each fold's Platt
calibration and threshold are fitted on the other folds. The fold models are trained
without the ClaimBuster sentences that also occur in CLEF 2019 (ClaimBuster holds the
three 2016 presidential debates), so that every CLEF debate is unseen by them.

| measure | score |
|---|---|
| ClaimBuster F1, check-worthy class | **{cb_f1:.4f}** (P {cb_p:.4f}, R {cb_r:.4f}) |
| ClaimBuster F1 per fold | {per_fold} |
| ClaimBuster ROC AUC | {cb_auc:.4f} |
| calibration error (ECE, 10 bins) before → after Platt scaling | {ece_raw:.4f} → {ece_cal:.4f} |
| CLEF 2019 MAP, 19 unseen debates, sentences alone (median of fold models) | **{clef_map:.4f}** |
| CLEF 2019 MAP per fold model | {clef_maps} |
| CLEF 2019 MAP, each debate read as one article, as in the pipeline (median) | {clef_context:.4f} |
| CLEF 2019 MAP over the {unseen} debates not in ClaimBuster at all | {clef_unseen:.4f} |

For reference, the best system at CheckThat! 2019 reached MAP 0.166 on its test set.
`spinlens eval claims --claimbuster FILE | --clef FILE` scores the shipped model on a
gold file as `../shared/eval/checkworthy_score.py` does.

## Stability and side swaps
A claim here is a sentence listed in the `claims` layer (at or above the threshold).

{stability}

{neutrality}

## Known failure modes
- Trained on spoken debate sentences: news sentences that report what someone said
  ("He added that …") and opinions phrased as facts ("The Americans want to …") often
  score high; short headlines are judged less reliably.
- The score says whether a sentence asserts something checkable and important-sounding,
  not whether it is false.
- English only; long sentences are judged on their first {max_tokens} tokens.
- Trained on sentences read alone, used on sentences read in their article: on CLEF's
  debates read as articles the ranking is somewhat worse (MAP {clef_context:.3f}
  against {clef_map:.3f} with each sentence alone).
- The debates are US politics 1960–2016: topics, names and numbers of other regions are
  judged by wording alone.
"""


def main(folder: Path = PACKAGE_MODELS / "claims") -> None:
    info = json.loads((folder / "training.json").read_text(encoding="utf-8"))
    metrics, settings = info["metrics"], info["settings"]
    cv = metrics["claimbuster_cv"]
    text = CARD.format(
        size_mb=(folder / "top.onnx").stat().st_size / 1e6,
        branch=settings["branch_layers"],
        top=6 - settings["branch_layers"],
        max_tokens=settings["max_tokens"],
        platt_a=info["calibration"]["platt_a"],
        platt_b=info["calibration"]["platt_b"],
        threshold=info["calibration"]["threshold"],
        cb=info["data"]["claimbuster_sentences"],
        clef=info["data"]["clef2019_sentences"],
        epochs=settings["epochs"],
        batch=settings["batch_size"],
        lr=settings["lr"],
        folds=settings["folds"],
        minutes=round(info["train_seconds"] / 60),
        cb_f1=cv["f1"],
        cb_p=cv["precision"],
        cb_r=cv["recall"],
        cb_auc=cv["roc_auc"],
        per_fold=", ".join(f"{f:.3f}" for f in metrics["claimbuster_cv_f1_per_fold"]),
        ece_raw=metrics["ece_raw"],
        ece_cal=metrics["ece_calibrated"],
        clef_map=metrics["clef2019_map_median"],
        clef_maps=", ".join(f"{m:.3f}" for m in metrics["clef2019_map_per_fold_model"]),
        clef_context=metrics["clef2019_in_context_map_median"],
        unseen=19 - len(info["data"]["overlapping_debates"]),
        clef_unseen=metrics["clef2019_map_debates_not_in_claimbuster_median"],
        stability=recorded(info, "stability", "benchmarks/bench_stability.py --layer claims"),
        neutrality=recorded(info, "neutrality", "benchmarks/bench_neutrality.py --layer claims"),
    )
    (folder / "MODEL_CARD.md").write_text(text, encoding="utf-8")
    print("wrote", folder / "MODEL_CARD.md")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE_MODELS / "claims")
