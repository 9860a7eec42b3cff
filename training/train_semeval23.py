"""Train the SemEval-2023 Task 3 model (research use only) on ../shared/data/semeval2023.

One multilingual model for all languages: TF-IDF over character n-grams of words
(`spinlens.persuasion.features`, no translation, no pretrained weights: none
multilingual is installable) and linear heads fitted by scikit-learn —
genre (multinomial logistic regression), frames and paragraph techniques (one
logistic regression per label). Training pools the six languages' train folders.

Five-fold cross-validation per language (folds by article, every language split
the same way) gives out-of-fold probabilities; they set each multi-label head's
threshold and give the reported scores, per language, next to a baseline in the
organisers' style (word TF-IDF and a linear SVM, one model per language) on the
same folds. The shipped model is then fitted on all of it and written to
src/spinlens/models/semeval23/ with training.json and MODEL_CARD.md.

    .venv-train/bin/python training/train_semeval23.py [--folds 5]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from card_semeval23 import write_card
from common import PACKAGE_MODELS, require_data, write_json
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.svm import LinearSVC

from spinlens.evaluation.semeval23 import GOLD_FILES, KEY_COLUMNS, read_labels, score
from spinlens.persuasion.features import NgramFeatures, ngrams
from spinlens.persuasion.heads import LinearHead, PersuasionModel

LANGUAGES = ("en", "fr", "ge", "it", "po", "ru")
GENRES = ("opinion", "reporting", "satire")
MAX_FEATURES = 250_000
C_GENRE, C_FRAMES, C_TECHNIQUES = 10.0, 4.0, 1.0
THRESHOLDS = np.round(np.arange(0.2, 0.91, 0.05), 2)
Cutoffs = tuple[float, dict[str, float]]
"""A head's threshold: the default, and one per training language."""


@dataclass
class Corpus:
    """The training articles of every language and their labels."""

    texts: dict[str, str] = field(default_factory=dict)
    language: dict[str, str] = field(default_factory=dict)
    gold: dict[str, dict[tuple[str, ...], set[str]]] = field(default_factory=dict)


def read_corpus(root: Path) -> Corpus:
    corpus = Corpus(gold={task: {} for task in GOLD_FILES})
    for lang in LANGUAGES:
        split = root / lang / "train"
        for path in sorted((split / "articles").glob("article*.txt")):
            key = path.stem.removeprefix("article")
            corpus.texts[key] = path.read_text(encoding="utf-8")
            corpus.language[key] = lang
        for task, name in GOLD_FILES.items():
            corpus.gold[task] |= read_labels(split / name, KEY_COLUMNS[task])
    return corpus


def label_list(root: Path, name: str) -> tuple[str, ...]:
    return tuple(
        x.strip() for x in (root / name).read_text(encoding="utf-8").split("\n") if x.strip()
    )


def paragraphs(corpus: Corpus, ids: list[str]) -> list[tuple[str, str, str]]:
    """(article id, paragraph number, text) of every labelled paragraph of the articles."""
    wanted = set(ids)
    out = []
    for key, number in corpus.gold["techniques"]:
        if key in wanted:
            out.append((key, number, corpus.texts[key].split("\n")[int(number) - 1]))
    return out


def fit_model(
    corpus: Corpus,
    ids: list[str],
    frames: tuple[str, ...],
    techniques: tuple[str, ...],
    thresholds: tuple[Cutoffs, Cutoffs] = ((0.5, {}), (0.5, {})),
    version: str = "fold",
) -> PersuasionModel:
    """Features and heads fitted on the given articles."""
    vectorizer = TfidfVectorizer(
        analyzer=ngrams,
        sublinear_tf=True,
        min_df=2,
        max_features=MAX_FEATURES,
        dtype=np.float32,
    )
    vectorizer.fit([corpus.texts[k] for k in ids])
    features = NgramFeatures(
        {g: int(i) for g, i in vectorizer.vocabulary_.items()}, vectorizer.idf_.astype(np.float32)
    )
    genre_ids = [k for k in ids if (k,) in corpus.gold["genre"]]
    genre = LogisticRegression(C=C_GENRE, class_weight="balanced", max_iter=3000).fit(
        vectorizer.transform([corpus.texts[k] for k in genre_ids]),
        [next(iter(corpus.gold["genre"][(k,)])) for k in genre_ids],
    )
    order = [list(genre.classes_).index(g) for g in GENRES]
    genre_head = LinearHead(GENRES, genre.coef_.T[:, order], genre.intercept_[order], np.zeros(3))
    frame_ids = [k for k in ids if (k,) in corpus.gold["framing"]]
    frame_head = one_vs_rest(
        vectorizer.transform([corpus.texts[k] for k in frame_ids]),
        [corpus.gold["framing"][(k,)] for k in frame_ids],
        frames,
        C_FRAMES,
        thresholds[0],
    )
    rows = paragraphs(corpus, ids)
    technique_head = one_vs_rest(
        vectorizer.transform([text for _, _, text in rows]),
        [corpus.gold["techniques"][(k, n)] for k, n, _ in rows],
        techniques,
        C_TECHNIQUES,
        thresholds[1],
    )
    return PersuasionModel(features, genre_head, frame_head, technique_head, version)


def one_vs_rest(
    x,
    targets: list[set[str]],
    labels: tuple[str, ...],
    c: float,  # type: ignore[no-untyped-def]
    cutoffs: Cutoffs,
) -> LinearHead:
    weight = np.zeros((x.shape[1], len(labels)), np.float32)
    bias = np.full(len(labels), -10.0, np.float32)
    for j, label in enumerate(labels):
        y = np.array([label in t for t in targets])
        if y.sum() >= 2:
            model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced").fit(x, y)
            weight[:, j], bias[j] = model.coef_[0], model.intercept_[0]
    default, by_language = cutoffs
    return LinearHead(
        labels, weight, bias, np.full(len(labels), default, np.float32), dict(by_language)
    )


def probabilities(model: PersuasionModel, corpus: Corpus, ids: list[str]):  # type: ignore[no-untyped-def]
    """Run-time probabilities: genre and frames per article, techniques per paragraph."""
    out: dict[str, dict[tuple[str, ...], np.ndarray]] = {task: {} for task in GOLD_FILES}
    for key in ids:
        whole = model.features.weights(model.features.counts(corpus.texts[key]))
        out["genre"][(key,)] = model.genre.softmax(*whole)
        out["framing"][(key,)] = model.frames.sigmoid(*whole)
    for key, number, text in paragraphs(corpus, ids):
        part = model.features.weights(model.features.counts(text))
        out["techniques"][(key, number)] = model.techniques.sigmoid(*part)
    return out


def tune(
    probs: dict[tuple[str, ...], np.ndarray], gold, labels: tuple[str, ...], corpus: Corpus
) -> Cutoffs:  # type: ignore[no-untyped-def]
    """The thresholds with the best out-of-fold micro-F1: over all languages (the
    default), and for each training language alone."""

    def best(keys: list[tuple[str, ...]]) -> float:
        part = {k: gold[k] for k in keys}

        def f1(cut: float) -> float:
            return float(
                score("x", part, decide({k: probs[k] for k in keys}, labels, cut))["micro_f1"]
            )

        return float(max(THRESHOLDS, key=f1))

    by_language = {
        lang: best([k for k in gold if corpus.language[k[0]] == lang]) for lang in LANGUAGES
    }
    return best(list(gold)), by_language


def decide(probs: dict[tuple[str, ...], np.ndarray], labels: tuple[str, ...], cut: float):  # type: ignore[no-untyped-def]
    return {key: {labels[j] for j in np.flatnonzero(p >= cut)} for key, p in probs.items()}


def decide_by_language(probs, gold, labels, cutoffs: Cutoffs, corpus: Corpus):  # type: ignore[no-untyped-def]
    """Labels of the gold items, each at its language's threshold."""
    by_language = cutoffs[1]
    return {k: decide({k: probs[k]}, labels, by_language[corpus.language[k[0]]])[k] for k in gold}


def per_language(task: str, corpus: Corpus, predicted) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """Scores of each language's items, as `spinlens eval semeval23` reports them."""
    out = {}
    for lang in LANGUAGES:
        gold = {k: v for k, v in corpus.gold[task].items() if corpus.language[k[0]] == lang}
        result = score(task, gold, {k: predicted[k] for k in gold})
        out[lang] = {
            x: result[x]
            for x in ("primary", "micro_f1", "macro_f1", "micro_precision", "micro_recall")
        }
    return out


def baseline(
    corpus: Corpus, folds: list[list[str]], frames: tuple[str, ...], techniques: tuple[str, ...]
) -> dict[str, dict[tuple[str, ...], set[str]]]:
    """Out-of-fold predictions of the organisers' kind of baseline: word TF-IDF and a
    linear SVM (one per label for the multi-label tasks), one model per language."""
    predicted: dict[str, dict[tuple[str, ...], set[str]]] = {task: {} for task in GOLD_FILES}
    for lang in LANGUAGES:
        for held in folds:
            test = [k for k in held if corpus.language[k] == lang]
            train = [k for k in corpus.texts if corpus.language[k] == lang and k not in set(held)]
            vectorizer = TfidfVectorizer().fit([corpus.texts[k] for k in train])
            for task, labels in (("genre", GENRES), ("framing", frames)):
                items = [k for k in train if (k,) in corpus.gold[task]]
                x = vectorizer.transform([corpus.texts[k] for k in items])
                y = [corpus.gold[task][(k,)] for k in items]
                x_test = vectorizer.transform([corpus.texts[k] for k in test])
                for key, got in zip(
                    test, svm_labels(x, y, x_test, labels, task == "genre"), strict=True
                ):
                    predicted[task][(key,)] = got
            rows, test_rows = paragraphs(corpus, train), paragraphs(corpus, test)
            found = svm_labels(
                vectorizer.transform([t for _, _, t in rows]),
                [corpus.gold["techniques"][(k, n)] for k, n, _ in rows],
                vectorizer.transform([t for _, _, t in test_rows]),
                techniques,
                False,
            )
            for (key, number, _), got in zip(test_rows, found, strict=True):
                predicted["techniques"][(key, number)] = got
    return predicted


def svm_labels(
    x, y: list[set[str]], x_test, labels: tuple[str, ...], single: bool
) -> list[set[str]]:  # type: ignore[no-untyped-def]
    if single:
        model = LinearSVC().fit(x, [next(iter(t)) for t in y])
        return [{str(p)} for p in model.predict(x_test)]
    out: list[set[str]] = [set() for _ in range(x_test.shape[0])]
    for label in labels:
        target = np.array([label in t for t in y])
        if 0 < target.sum() < len(target):
            for i in np.flatnonzero(LinearSVC().fit(x, target).predict(x_test)):
                out[i].add(label)
    return out


def article_folds(corpus: Corpus, n: int) -> list[list[str]]:
    """n folds of article ids, each language split the same way."""
    folds: list[list[str]] = [[] for _ in range(n)]
    for lang in LANGUAGES:
        ids = np.array(sorted(k for k in corpus.texts if corpus.language[k] == lang))
        for i, (_, test) in enumerate(KFold(n, shuffle=True, random_state=0).split(ids)):
            folds[i] += list(ids[test])
    return folds


def out_of_fold(
    corpus: Corpus, folds: list[list[str]], frames: tuple[str, ...], techniques: tuple[str, ...]
) -> dict[str, dict[tuple[str, ...], np.ndarray]]:
    """Probabilities of every item from the model of the folds that do not hold it."""
    started = time.time()
    oof: dict[str, dict[tuple[str, ...], np.ndarray]] = {task: {} for task in GOLD_FILES}
    for i, held in enumerate(folds):
        train = [k for k in corpus.texts if k not in set(held)]
        model = fit_model(corpus, train, frames, techniques)
        for task, probs in probabilities(model, corpus, held).items():
            oof[task] |= probs
        print(f"fold {i + 1}/{len(folds)} {time.time() - started:.0f} s", flush=True)
    return oof


def cross_validated(
    oof: dict[str, dict[tuple[str, ...], np.ndarray]],
    corpus: Corpus,
    labels: dict[str, tuple[str, ...]],
) -> tuple[dict[str, Cutoffs], dict[str, dict[str, dict]]]:
    """Each task's thresholds (multi-label tasks) and per-language scores of its
    out-of-fold probabilities: genre by the likeliest class, the others at their
    language's threshold."""
    cuts: dict[str, Cutoffs] = {}
    cv: dict[str, dict[str, dict]] = {}
    for task, names in labels.items():
        gold = corpus.gold[task]
        if task == "genre":
            predicted = {k: {names[int(oof[task][k].argmax())]} for k in gold}
        else:
            cuts[task] = tune(oof[task], gold, names, corpus)
            predicted = decide_by_language(oof[task], gold, names, cuts[task], corpus)
        cv[task] = per_language(task, corpus, predicted)
    return cuts, cv


def agreement(model: PersuasionModel, corpus: Corpus) -> float:
    """Largest difference between genre probabilities of the shipped model as saved
    and loaded at run time, and as trained (float16 weights), on 50 articles."""
    from spinlens.persuasion.heads import load_semeval23

    shipped = load_semeval23(PACKAGE_MODELS / "semeval23")
    keys = sorted(corpus.texts)[:50]
    diff = 0.0
    for key in keys:
        a = model.genre.softmax(*model.features.weights(model.features.counts(corpus.texts[key])))
        b = shipped.genre.softmax(
            *shipped.features.weights(shipped.features.counts(corpus.texts[key]))
        )
        diff = max(diff, float(np.abs(a - b).max()))
    return diff


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    root = require_data("semeval2023")
    started = time.time()
    corpus = read_corpus(root)
    frames = label_list(root, "frames_subtask2.txt")
    techniques = label_list(root, "techniques_subtask3.txt")
    folds = article_folds(corpus, args.folds)
    oof = out_of_fold(corpus, folds, frames, techniques)
    found, cv = cross_validated(
        oof, corpus, {"genre": GENRES, "framing": frames, "techniques": techniques}
    )
    cuts = (found["framing"], found["techniques"])
    base = baseline(corpus, folds, frames, techniques)
    baselines = {task: per_language(task, corpus, base[task]) for task in GOLD_FILES}
    print(f"cross-validation done {time.time() - started:.0f} s", flush=True)
    model = fit_model(
        corpus, sorted(corpus.texts), frames, techniques, cuts, "semeval23-ngram-linear"
    )
    out = PACKAGE_MODELS / "semeval23"
    model.save(out)
    summary = {
        "name": "semeval23-ngram-linear",
        "data": "SemEval-2023 Task 3 training folders of en, fr, ge, it, po, ru",
        "licence": "research-only",
        "articles": {
            lang: sum(1 for v in corpus.language.values() if v == lang) for lang in LANGUAGES
        },
        "features": {
            "ngram_sizes": [2, 3, 4, 5],
            "words": "words and pairs of adjacent words in a line",
            "max_features": MAX_FEATURES,
            "vocabulary": len(model.features.vocabulary),
        },
        "c": {"genre": C_GENRE, "frames": C_FRAMES, "techniques": C_TECHNIQUES},
        "thresholds": {
            "frames": {"default": cuts[0][0], **cuts[0][1]},
            "techniques": {"default": cuts[1][0], **cuts[1][1]},
        },
        "folds": args.folds,
        "cross_validation": cv,
        "baseline": baselines,
        "seconds": round(time.time() - started),
    }
    write_json(out / "training.json", summary)
    summary["runtime_agreement_max_abs_diff"] = agreement(model, corpus)
    write_json(out / "training.json", summary)
    write_card(out)
    for task in GOLD_FILES:
        print(
            task,
            {
                lang: (cv[task][lang]["primary"], baselines[task][lang]["primary"])
                for lang in LANGUAGES
            },
        )


if __name__ == "__main__":
    main()
