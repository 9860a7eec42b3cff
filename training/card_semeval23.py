"""Write the SemEval-2023 model's card (MODEL_CARD.md) from its training.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from common import PACKAGE_MODELS

CARD = """# Model card: spinlens SemEval-2023 model (`semeval23`) — RESEARCH USE ONLY

Genre (opinion, reporting, satire), frames (14) and persuasion techniques (23, per
paragraph) of news articles in any language, in the taxonomy of SemEval-2023 Task 3.
**Loads only when the user opts in** (`spinlens analyze --research-models`,
`research_models = true` in the config, or `SPINLENS_RESEARCH_MODELS=1`); the default
pipeline never uses it. Layers `genre`, `frames` and `persuasion`.

## Licence: research only
Trained on the SemEval-2023 Task 3 release, whose terms read: "It may only be used in
the context of this shared task, and only for scientific research purposes. The dataset
may not be redistributed or shared in part or full with any third party." The weights
are derived from that data: use them for scientific research only. The package ships
no text of the corpus; the vocabulary file lists character n-grams (2–5 characters)
seen in at least two training articles.

## Model
- Features (`vocabulary.txt`, `idf.npy`): TF-IDF over the character n-grams of
  {n_sizes} lengths of each lower-cased word padded with spaces, and over the words and
  pairs of adjacent words of each line; the {vocabulary:,} most frequent of the training
  articles, sublinear term frequency, unit length (`spinlens.persuasion.features`).
  No translation and no pretrained weights: no multilingual encoder is installable
  from the package registries (docs/decisions.md).
- Heads (`heads.npz`, float16 weights, numpy at run time): genre — multinomial
  logistic regression (C {c_genre}, balanced classes) on the article; frames — one
  logistic regression per frame (C {c_frames}, balanced); techniques — one logistic
  regression per technique (C {c_tech}, balanced) on each paragraph (a non-blank line).
- Thresholds on the probability, chosen on out-of-fold predictions: per training
  language the one with that language's best micro-F1, for other languages the one
  best over all languages. Frames: {t_frames}. Techniques: {t_tech}.
- Spans: a technique found in a paragraph is placed on the paragraph's sentences that
  reach the threshold on their own, else on the whole paragraph.
- One model for every language: the six training languages are pooled. Other
  languages (es, gr, ka, …) get best-effort output; scripts unseen in training
  (Georgian, Arabic, Persian) share few n-grams with it and mostly get the priors.

## Training data
SemEval-2023 Task 3 training folders (`../shared/data/semeval2023/<lang>/train/`,
articles {articles}); the official development sets are held out. Retrain:
`.venv-train/bin/python training/train_semeval23.py` ({seconds} s on 2 cores, with
cross-validation).

## Evaluation: {folds}-fold cross-validation on the training data, per language
Folds by article; each language's thresholds were chosen on the same out-of-fold
predictions (two numbers per language), which flatters the figures a little.
Baseline: the organisers' kind of baseline (word TF-IDF and a linear SVM, one model per
language) on the same folds. Scores as `spinlens eval semeval23`
and `../shared/eval/semeval23_score.py` compute them.

| lang | genre macro-F1 | baseline | frames micro-F1 | baseline | techniques micro-F1 | baseline |
|---|---|---|---|---|---|---|
{rows}

For reference, the release's baselines on the official development sets (macro-F1 as
the release README gives them): genre en 0.252, it 0.446, ru 0.343; frames en 0.605,
it 0.431, ru 0.216; techniques en 0.161, it 0.389, ru 0.253.

Run-time agreement: the saved model (float16 weights) and the trained one differ by at
most {agreement:.1e} in genre probability on 50 articles.

## Caveats
- English genre labels are few and uneven (315 opinion, 34 reporting, 10 satire); the
  genre of English articles is weak (see the table). Satire is rarely recognised.
- Frames and genre read the whole article; one long quoted passage can dominate them.
- Character n-grams carry topic as well as wording: names of countries, armies and
  groups pull paragraphs towards Flag_Waving and Appeal_to_Fear-Prejudice. On the
  sample statement of an Iraqi armed group's leader, 13 of 29 marked passages are
  Flag_Waving, most of them paragraphs that name Iraq and America. Read the marks as
  "worth a look", never as a verdict, and compare outlets on the same topic.
- Spans outside English were annotated loosely in the release; only paragraph labels are
  learnt, so spans are sentences or paragraphs, never phrases.
"""


def thresholds(cuts: dict[str, float]) -> str:
    return ", ".join(f"{lang} {cut}" for lang, cut in cuts.items())


def write_card(folder: Path) -> None:
    info = json.loads((folder / "training.json").read_text(encoding="utf-8"))
    cv, base = info["cross_validation"], info["baseline"]
    rows = "\n".join(
        f"| {lang} | "
        + " | ".join(
            f"{cv[task][lang]['primary']:.3f} | {base[task][lang]['primary']:.3f}"
            for task in ("genre", "framing", "techniques")
        )
        + " |"
        for lang in cv["genre"]
    )
    card = CARD.format(
        n_sizes=", ".join(str(n) for n in info["features"]["ngram_sizes"]),
        vocabulary=info["features"]["vocabulary"],
        c_genre=info["c"]["genre"],
        c_frames=info["c"]["frames"],
        c_tech=info["c"]["techniques"],
        t_frames=thresholds(info["thresholds"]["frames"]),
        t_tech=thresholds(info["thresholds"]["techniques"]),
        articles=", ".join(f"{k} {v}" for k, v in info["articles"].items()),
        seconds=info["seconds"],
        folds=info["folds"],
        rows=rows,
        agreement=info.get("runtime_agreement_max_abs_diff", float("nan")),
    )
    (folder / "MODEL_CARD.md").write_text(card, encoding="utf-8")


if __name__ == "__main__":
    write_card(Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE_MODELS / "semeval23")
