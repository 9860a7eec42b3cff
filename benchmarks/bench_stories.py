"""Story clusters (#22): B-cubed precision and recall on the PolNeAR story set
(benchmarks/stories_labels.tsv: 85 articles labelled by reading, 10 stories of
2 to 7 articles from different outlets and 38 articles of the same days on other
subjects), clustering all 924 PolNeAR train and dev articles.

Needs ../shared/data/polnear. Usage:

    .venv/bin/python benchmarks/bench_stories.py [--encoder]

--encoder also scores the shared encoder's mean-pooled token vectors (first 1,200
characters of each article; slow: one encoder window per article).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path
from unittest import mock

import numpy as np
from _common import require_shared

from spinlens.model import Article
from spinlens.store import Store
from spinlens.stories import cluster

LABELS = Path(__file__).with_name("stories_labels.tsv")
THRESHOLDS = (0.06, 0.08, 0.1, 0.12, 0.14)
ENCODER_THRESHOLDS = (0.85, 0.9, 0.95)


def corpus(data: Path) -> list[Article]:
    meta = {}
    for line in (data / "metadata.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split("\t")
        meta[cells[1]] = (cells[4], cells[5])
    found = []
    for split in ("train", "dev"):
        for path in sorted((data / split / "text").glob("*.txt")):
            source, day = meta[path.stem]
            text = path.read_text(encoding="utf-8")
            found.append(Article.create(path.stem, text, source=source, published=day))
    return found


def labels() -> dict[str, str]:
    rows = LABELS.read_text(encoding="utf-8").splitlines()[1:]
    return {article: story for story, article in (row.split("\t") for row in rows)}


def bcubed(predicted: dict[str, int], gold: dict[str, str]) -> tuple[float, float]:
    """B-cubed precision and recall over the labelled articles."""
    precision = recall = 0.0
    for item in gold:
        same_pred = {other for other in gold if predicted[other] == predicted[item]}
        same_gold = {other for other in gold if gold[other] == gold[item]}
        both = len(same_pred & same_gold)
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    return precision / len(gold), recall / len(gold)


def show(name: str, predicted: dict[str, int], gold: dict[str, str], sizes: list[int]) -> None:
    p, r = bcubed(predicted, gold)
    f = 2 * p * r / (p + r)
    print(
        f"{name}: B-cubed precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}; "
        f"{sum(s > 1 for s in sizes)} stories of 2+, largest {max(sizes)}"
    )


def tfidf_stories(articles: list[Article], gold: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/stories.db")
        store.save(articles)
        for threshold in THRESHOLDS:
            with mock.patch.object(cluster, "THRESHOLD", threshold):
                start = time.perf_counter()
                found = cluster.stories(store.engine, min_articles=1)
                seconds = time.perf_counter() - start
            predicted = {a.id: n for n, s in enumerate(found) for a in s.articles}
            chosen = " (default)" if threshold == cluster.THRESHOLD else ""
            show(
                f"TF-IDF, cosine >= {threshold}{chosen}, {seconds:.2f} s",
                predicted,
                gold,
                [len(s.articles) for s in found],
            )
        store.close()


def encoder_stories(articles: list[Article], gold: dict[str, str]) -> None:
    """The same linking (window, single link) over mean-pooled encoder vectors."""
    from spinlens.encoder import load_encoder

    encoder, _ = load_encoder()
    vectors = []
    for article in articles:
        pooled = encoder.encode([article.text[:1200]])[0].vectors.mean(axis=0)
        vectors.append(pooled / np.linalg.norm(pooled))
    similarity = np.array(vectors) @ np.array(vectors).T
    days = [date.fromisoformat(a.published or "").toordinal() for a in articles]
    for threshold in ENCODER_THRESHOLDS:
        pairs = [
            (i, j)
            for i in range(len(articles))
            for j in range(i + 1, len(articles))
            if abs(days[i] - days[j]) <= cluster.WINDOW_DAYS and similarity[i, j] >= threshold
        ]
        groups = cluster.groups(len(articles), pairs)
        predicted = {articles[i].id: n for n, g in enumerate(groups) for i in g}
        show(
            f"encoder mean-pooled, cosine >= {threshold}", predicted, gold, [len(g) for g in groups]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", action="store_true")
    args = parser.parse_args()
    articles = corpus(require_shared("polnear"))
    gold = labels()
    print(
        f"{len(articles)} articles clustered; {len(gold)} labelled, "
        f"{len(set(gold.values()))} gold stories"
    )
    tfidf_stories(articles, gold)
    if args.encoder:
        encoder_stories(articles, gold)


if __name__ == "__main__":
    main()
