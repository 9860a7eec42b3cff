"""Measure multilingual-e5-small vectors for the SemEval-2023 heads (research only,
#19); nothing is shipped.

The pruned int8 e5 (build/e5/pruned, through the run-time `spinlens.encoder.Encoder`)
reads each training article once: for genre and frames, its first 510 tokens after the
prefix, mean-pooled and L2-normalised; for paragraph techniques (`--techniques`), the
whole article in the pipeline's chunks, each paragraph the mean of its tokens' vectors.
The vectors are cached under build/semeval23_e5/. On `train_semeval23.py`'s folds, with
its thresholds and scoring: (a) e5 alone (standardised vectors → logistic regression:
multinomial for genre, one per label otherwise), (b) n-grams + e5: the shipped recipe's
out-of-fold probabilities averaged with (a)'s, the weight of e5 chosen per task on the
out-of-fold predictions (the mean of the languages' scores), as the thresholds are.
The n-gram recipe's out-of-fold probabilities are computed once and cached too (its
technique heads only with `--techniques`: they are most of its cost).

    PYTHONPATH=src .venv-train/bin/python training/semeval23_e5.py \
        [--languages en ge] [--techniques en] [--prefix "passage: "] [--c 1]
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from common import REPO, require_data, write_json
from compare_e5 import e5_encoder, sentence_vectors
from convert_e5 import PRUNED_OUT
from e5_pooling import line_spans, span_means
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from train_semeval23 import (
    GENRES,
    LANGUAGES,
    Corpus,
    article_folds,
    cross_validated,
    label_list,
    one_vs_rest,
    out_of_fold,
    paragraphs,
    read_corpus,
)

from spinlens.encoder import Encoder

CACHE = REPO / "build" / "semeval23_e5"
WEIGHTS = np.round(np.arange(0.0, 1.01, 0.1), 1)
Probabilities = dict[tuple[str, ...], np.ndarray]


def cached_vectors(
    name: str, compute: Callable[[], tuple[list[str], np.ndarray]]
) -> dict[str, np.ndarray]:
    """Vectors by id from build/semeval23_e5/NAME.npz, computed (and timed) once."""
    path = CACHE / f"{name}.npz"
    if not path.exists():
        started = time.time()
        ids, vectors = compute()
        CACHE.mkdir(parents=True, exist_ok=True)
        np.savez(path, ids=np.array(ids), vectors=vectors)
        timing = CACHE / "encoding.json"
        seconds = json.loads(timing.read_text()) if timing.exists() else {}
        seconds[name] = {"items": len(ids), "seconds": round(time.time() - started, 1)}
        write_json(timing, seconds)
    stored = np.load(path)
    return dict(zip(stored["ids"].tolist(), stored["vectors"], strict=True))


def first_tokens(
    encoder: Encoder, corpus: Corpus, lang: str, prefix: str, batch: int = 8
) -> tuple[list[str], np.ndarray]:
    """Each article's vector from its first 510 tokens after `prefix`."""
    ids = sorted(k for k in corpus.texts if corpus.language[k] == lang)
    parts = []
    for start in range(0, len(ids), batch):
        texts = [prefix + corpus.texts[k] for k in ids[start : start + batch]]
        parts.append(sentence_vectors(encoder, texts))
        print(f"{lang}: {start + len(texts)}/{len(ids)}", flush=True)
    return ids, np.concatenate(parts)


def paragraph_vectors(encoder: Encoder, corpus: Corpus, lang: str) -> tuple[list[str], np.ndarray]:
    """Each labelled paragraph's vector ("article:number"): the mean of its tokens'
    vectors, from the whole article read as the pipeline reads it (no prefix)."""
    rows = paragraphs(corpus, [k for k in corpus.texts if corpus.language[k] == lang])
    wanted: dict[str, list[str]] = {}
    for key, number, _ in rows:
        wanted.setdefault(key, []).append(number)
    ids: list[str] = []
    parts = []
    for i, (key, numbers) in enumerate(sorted(wanted.items())):
        spans = line_spans(corpus.texts[key])
        encoding = encoder.encode([corpus.texts[key]])[0]
        parts.append(span_means(encoding, [spans[int(n) - 1] for n in numbers]))
        ids += [f"{key}:{n}" for n in numbers]
        print(f"{lang} paragraphs: {i + 1}/{len(wanted)} articles", flush=True)
    return ids, np.concatenate(parts)


def only(corpus: Corpus, languages: set[str]) -> Corpus:
    """The articles and labels of some languages."""
    keep = {k for k, lang in corpus.language.items() if lang in languages}
    return Corpus(
        {k: corpus.texts[k] for k in keep},
        {k: corpus.language[k] for k in keep},
        {
            task: {k: v for k, v in gold.items() if k[0] in keep}
            for task, gold in corpus.gold.items()
        },
    )


def heads_out_of_fold(
    vectors: dict[tuple[str, ...], np.ndarray],
    gold: dict[tuple[str, ...], set[str]],
    labels: tuple[str, ...],
    folds: list[list[str]],
    c: float,
) -> Probabilities:
    """Probabilities of each item from heads on the standardised e5 vectors of the
    other folds' items (all languages given pooled, as the n-gram model pools them):
    multinomial logistic regression for genre, one per label otherwise."""
    oof: Probabilities = {}
    for held in folds:
        out = set(held)
        train = [k for k in gold if k in vectors and k[0] not in out]
        test = [k for k in vectors if k[0] in out]
        scaler = StandardScaler().fit(np.stack([vectors[k] for k in train]))
        x, x_test = (
            scaler.transform(np.stack([vectors[k] for k in keys])) for keys in (train, test)
        )
        if labels == GENRES:
            genre = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
            genre.fit(x, [next(iter(gold[k])) for k in train])
            order = [list(genre.classes_).index(g) for g in GENRES]
            found = genre.predict_proba(x_test)[:, order]
        else:
            head = one_vs_rest(x, [gold[k] for k in train], labels, c, (0.5, {}))
            found = 1.0 / (1.0 + np.exp(-(x_test @ head.weight + head.bias)))
        oof |= dict(zip(test, found, strict=True))
    return oof


def mixed(a: Probabilities, b: Probabilities, weight: float) -> Probabilities:
    """`weight` × a + (1 − weight) × b for every item of a."""
    return {k: weight * a[k] + (1.0 - weight) * b[k] for k in a}


def scores(
    task: str, names: tuple[str, ...], corpus: Corpus, probs: Probabilities
) -> dict[str, dict]:
    """Per-language cross-validated scores of one task's out-of-fold probabilities."""
    return cross_validated({task: probs}, corpus, {task: names})[1][task]


def mean_primary(by_language: dict[str, dict], languages: list[str]) -> float:
    return float(np.mean([by_language[lang]["primary"] for lang in languages]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--languages", nargs="+", default=list(LANGUAGES), choices=LANGUAGES)
    parser.add_argument(
        "--techniques", nargs="*", default=[], choices=LANGUAGES, help="Paragraph heads too."
    )
    parser.add_argument("--prefix", default="passage: ", help='"" for none.')
    parser.add_argument("--c", type=float, default=1.0, help="Inverse regularisation of the heads.")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--pruned", type=Path, default=PRUNED_OUT)
    args = parser.parse_args()
    root = require_data("semeval2023")
    corpus = read_corpus(root)
    frames = label_list(root, "frames_subtask2.txt")
    techniques = label_list(root, "techniques_subtask3.txt")
    folds = article_folds(corpus, args.folds)
    paragraph_labels = techniques if args.techniques else ()
    cached = CACHE / f"ngram-oof-{args.folds}-{len(paragraph_labels)}.pkl"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(pickle.dumps(out_of_fold(corpus, folds, frames, paragraph_labels)))
    ngram = pickle.loads(cached.read_bytes())
    encoder = e5_encoder(args.pruned)
    tag = args.prefix.strip(": ") or "none"
    articles: dict[tuple[str, ...], np.ndarray] = {}
    for lang in args.languages:
        found = cached_vectors(
            f"vectors-{lang}-{tag}", partial(first_tokens, encoder, corpus, lang, args.prefix)
        )
        articles |= {(k,): v for k, v in found.items()}
    tasks = {
        "genre": (GENRES, articles, args.languages),
        "framing": (frames, articles, args.languages),
    }
    if args.techniques:
        parts: dict[tuple[str, ...], np.ndarray] = {}
        for lang in args.techniques:
            found = cached_vectors(
                f"paragraphs-{lang}", partial(paragraph_vectors, encoder, corpus, lang)
            )
            parts |= {tuple(k.split(":")): v for k, v in found.items()}
        tasks["techniques"] = (techniques, parts, args.techniques)
    report: dict[str, dict] = {}
    for task, (names, vectors, languages) in tasks.items():
        part = only(corpus, set(languages))
        e5 = heads_out_of_fold(vectors, part.gold[task], names, folds, args.c)
        base = {k: ngram[task][k] for k in e5}
        tried = {float(w): scores(task, names, part, mixed(e5, base, w)) for w in WEIGHTS}
        best = max(tried, key=lambda w: mean_primary(tried[w], languages))
        report[task] = {
            "ngrams": tried[0.0],  # weight 0 is the n-gram heads alone
            "e5": tried[1.0],
            "ngrams+e5": tried[best],
            "e5_weight": best,
            "languages": languages,
        }
        for lang in languages:
            print(
                task,
                lang,
                *(
                    f"{name} {report[task][name][lang]['primary']:.3f}"
                    for name in ("ngrams", "e5", "ngrams+e5")
                ),
                f"weight {best}",
            )
    out = CACHE / f"report-{'-'.join(args.languages)}-{tag}-c{args.c:g}.json"
    write_json(out, {"prefix": args.prefix, "c": args.c, **report})
    print("→", out)


if __name__ == "__main__":
    main()
