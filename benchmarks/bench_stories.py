"""Story clusters (#22): B-cubed precision and recall on the PolNeAR story set
(benchmarks/stories_labels.tsv: 85 articles labelled by reading, 10 stories of
2 to 7 articles from different outlets and 38 articles of the same days on other
subjects), clustering all 924 PolNeAR train and dev articles.

Linking rules compared (all single link within two days): TF-IDF of content words
(IDF over the corpus), word counts alone (`terms.word_cosine`), story vectors alone
(centred lead, raw lead, centred whole text) and vectors with words. Each rule's
thresholds are chosen two ways: on the whole set (optimistic) and by 5-fold
cross-validation over the stories (chosen on four folds, scored on the fifth). Then
the shipped rule runs through `Store.save` and `stories()` as the workspace does.

Needs ../shared/data/polnear. Usage:

    .venv/bin/python benchmarks/bench_stories.py [--cache /tmp/story-vectors.npz]
    .venv/bin/python benchmarks/bench_stories.py --scale 1000000

The encoder pass over the 924 articles (about 4 minutes on 2 cores) is kept in
--cache when given. --scale N (no shared data needed) stores N synthetic vectors over
two years, then times saving 1,000 new articles of the last two days (batches of 100)
and lookups (a window's vectors read and compared) on 20 days across the two years,
each first read and read again.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from unittest import mock

import numpy as np
from _common import require_shared
from sqlalchemy import Connection

from spinlens.model import Article
from spinlens.store import Store
from spinlens.stories import index
from spinlens.stories.cluster import stories
from spinlens.stories.terms import term_counts, word_cosine
from spinlens.stories.vector import DTYPE, center, encode, lead_mean

LABELS = Path(__file__).with_name("stories_labels.tsv")
FOLDS = 5
QUANTILES = (0.9, 0.95, 0.97, 0.98, 0.99, 0.993, 0.995, 0.997, 0.998, 0.999, 0.9995)
WORD_GRID = (0.1, 0.13, 0.16, 0.19, 0.22, 0.25, 0.28)
VARIANTS = {
    "lead": "vectors: lead (1,200 characters), centred",
    "lead600": "vectors: 600 characters, centred",
    "lead2000": "vectors: 2,000 characters, centred",
    "whole": "vectors: whole text, centred",
}


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


def f1(scores: tuple[float, float]) -> float:
    p, r = scores
    return 2 * p * r / (p + r) if p + r else 0.0


def encoder_means(articles: list[Article], cache: str | None) -> dict[str, np.ndarray]:
    """Per article, the mean token vector of the lead (`lead_mean`: the shipped one), of
    the first 600 and 2,000 characters and of the whole text, from one pass of the
    shared encoder over the whole text (as the pipeline reads it)."""
    if cache and Path(cache).exists():
        return dict(np.load(cache))
    from spinlens.encoder import load_encoder

    encoder, _ = load_encoder()
    found: dict[str, list[np.ndarray]] = {"lead": [], "lead600": [], "lead2000": [], "whole": []}
    for article in articles:
        encoding = encoder.encode([article.text])[0]
        starts = encoding.offsets[:, 0]
        found["lead"].append(lead_mean(encoding.vectors, encoding.offsets))
        found["lead600"].append(encoding.vectors[starts < 600].mean(axis=0))
        found["lead2000"].append(encoding.vectors[starts < 2000].mean(axis=0))
        found["whole"].append(encoding.vectors.mean(axis=0))
    means = {name: np.array(vectors) for name, vectors in found.items()}
    if cache:
        np.savez(cache, **means)
    return means


def cosines(vectors: np.ndarray) -> np.ndarray:
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return unit @ unit.T


def term_cosines(terms: list[dict[str, int]], idf: bool) -> np.ndarray:
    """Cosines of 1 + log(count) weights (`terms.word_cosine`), times log(articles /
    articles with the word) with `idf` (the previous rule: IDF over the corpus)."""
    df: dict[str, int] = {}
    for counts in terms:
        for term in counts:
            df[term] = df.get(term, 0) + 1
    column = {term: i for i, term in enumerate(sorted(df))}
    matrix = np.zeros((len(terms), len(column)), np.float32)
    for row, counts in enumerate(terms):
        for term, count in counts.items():
            weight = math.log(len(terms) / df[term]) if idf else 1.0
            matrix[row, column[term]] = (1 + math.log(count)) * weight
    return cosines(matrix)


class Scorer:
    """Single-link clusters of the corpus under a link mask, scored on labelled ids."""

    def __init__(self, articles: list[Article], gold: dict[str, str]):
        self.ids = [a.id for a in articles]
        days = np.array([date.fromisoformat(a.published or "").toordinal() for a in articles])
        self.near = np.abs(days[:, None] - days[None, :]) <= index.WINDOW_DAYS
        np.fill_diagonal(self.near, False)
        self.gold = gold

    def clusters(self, links: np.ndarray) -> dict[str, int]:
        rows, cols = np.nonzero(np.triu(links & self.near, 1))
        groups = index.groups(len(self.ids), list(zip(rows.tolist(), cols.tolist(), strict=True)))
        return {self.ids[i]: n for n, group in enumerate(groups) for i in group}

    def score(
        self, predicted: dict[str, int], stories_: set[str] | None = None
    ) -> tuple[float, float]:
        gold = {a: s for a, s in self.gold.items() if stories_ is None or s in stories_}
        return bcubed(predicted, gold)

    def cross_validated(self, candidates: dict[object, dict[str, int]]) -> tuple[float, float]:
        """Thresholds chosen on four folds of stories, scored on the fifth; mean P, R."""
        names = sorted(set(self.gold.values()))
        folds = [set(names[i::FOLDS]) for i in range(FOLDS)]
        scores = []
        for test in folds:
            train = set(names) - test
            best = max(candidates, key=lambda k: f1(self.score(candidates[k], train)))
            scores.append(self.score(candidates[best], test))
        return float(np.mean([p for p, _ in scores])), float(np.mean([r for _, r in scores]))


def grid(similarity: np.ndarray, near: np.ndarray) -> list[float]:
    return sorted({round(float(q), 3) for q in np.quantile(similarity[near], QUANTILES)})


def report(name: str, scorer: Scorer, candidates: dict[object, dict[str, int]]) -> None:
    best = max(candidates, key=lambda k: f1(scorer.score(candidates[k])))
    p, r = scorer.score(candidates[best])
    cp, cr = scorer.cross_validated(candidates)
    print(
        f"| {name} | {best} | {p:.3f} | {r:.3f} | {f1((p, r)):.3f} "
        f"| {cp:.3f} | {cr:.3f} | {f1((cp, cr)):.3f} |"
    )


def compare_rules(articles: list[Article], gold: dict[str, str], means: dict) -> None:
    scorer = Scorer(articles, gold)
    terms = [term_counts(a.text) for a in articles]
    assert abs(term_cosines(terms[:2], False)[0, 1] - word_cosine(*terms[:2])) < 1e-6
    words = term_cosines(terms, idf=False)
    unlabelled = np.array([a.id not in gold for a in articles])
    assert np.allclose(means["lead"][unlabelled].mean(axis=0), center(), atol=1e-4)
    similarity: dict[str, np.ndarray] = {
        "TF-IDF (corpus IDF)": term_cosines(terms, idf=True),
        "words (1 + log count)": words,
        "vectors: lead, raw": cosines(means["lead"]),
    }
    for name, title in VARIANTS.items():  # centred on the unlabelled articles' mean
        similarity[title] = cosines(means[name] - means[name][unlabelled].mean(axis=0))
    print("| rule | chosen on the whole set | P | R | F1 | CV P | CV R | CV F1 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, sim in similarity.items():
        thresholds = grid(sim, scorer.near)
        report(name, scorer, {t: scorer.clusters(sim >= t) for t in thresholds})
    for name in ("vectors: lead, raw", *VARIANTS.values()):
        combined = {
            (v, w): scorer.clusters((similarity[name] >= v) & (words >= w))
            for v in grid(similarity[name], scorer.near)
            for w in WORD_GRID
        }
        report(f"{name} and words", scorer, combined)


@contextmanager
def timed_index() -> Iterator[list[float]]:
    """The seconds spent in the story index step of every save, while open."""
    update, spent = index.update, [0.0]

    def timed(conn: Connection, saved: list[index.Saved]) -> None:
        start = time.perf_counter()
        update(conn, saved)
        spent[0] += time.perf_counter() - start

    with mock.patch.object(index, "update", timed):
        yield spent


def shipped(articles: list[Article], gold: dict[str, str], means: dict) -> None:
    """The shipped rule through the store: vectors in the JSON result, saved in batches."""
    for article, lead in zip(articles, means["lead"], strict=True):
        pooled = lead - center()
        article.story_vector = encode(pooled / np.linalg.norm(pooled))
    with tempfile.TemporaryDirectory() as tmp, timed_index() as spent:
        store = Store(f"sqlite:///{tmp}/stories.db")
        start = time.perf_counter()
        for i in range(0, len(articles), 32):
            store.save(articles[i : i + 32])
        saving = time.perf_counter() - start
        start = time.perf_counter()
        found = stories(store.engine, min_articles=1)
        read = time.perf_counter() - start
        store.close()
    predicted = {a.id: n for n, s in enumerate(found) for a in s.articles}
    p, r = bcubed(predicted, gold)
    sizes = [len(s.articles) for s in found]
    print(
        f"\nshipped (vector >= {index.VECTOR_THRESHOLD} and words >= {index.WORDS_THRESHOLD}, "
        f"or near-duplicates), through Store.save: B-cubed P {p:.3f}, R {r:.3f}, "
        f"F1 {f1((p, r)):.3f}; {sum(s > 1 for s in sizes)} stories of 2+, largest {max(sizes)}"
    )
    print(
        f"save of {len(articles)} articles in batches of 32: {saving:.2f} s, of which the "
        f"story index step {spent[0]:.2f} s ({1000 * spent[0] / len(articles):.1f} ms per "
        f"article); stories() over the store {read:.2f} s"
    )


def scale(n: int, dim: int = 384, days: int = 730) -> None:
    rng = np.random.default_rng(0)
    first = date(2016, 1, 1).toordinal()

    def unit(rows: int) -> np.ndarray:
        vectors = rng.standard_normal((rows, dim))
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(DTYPE)

    def day(i: int) -> str:
        return date.fromordinal(first + i % days).isoformat()

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/scale.db")
        start = time.perf_counter()
        for lo in range(0, n, 50_000):
            rows = [
                {"article_id": f"old-{lo + i}", "day": day(lo + i), "vector": v.tobytes()}
                for i, v in enumerate(unit(min(50_000, n - lo)))
            ]
            with store.engine.begin() as conn:
                conn.execute(index.story_vectors.insert(), rows)
        print(f"{n:,} synthetic vectors stored in {time.perf_counter() - start:.0f} s")
        new = []
        for i, vector in enumerate(unit(1000)):
            article = Article.create(f"new-{i}", f"Report {i} on the day's events.")
            article.published, article.story_vector = day(days - 1 - i % 2), encode(vector)
            new.append(article)
        start = time.perf_counter()
        with timed_index() as spent:
            for lo in range(0, len(new), 100):
                store.save(new[lo : lo + 100])
        saving = time.perf_counter() - start
        lookups: list[list[float]] = [[], []]
        with store.engine.connect() as conn:
            for i, vector in enumerate(unit(20)):
                for times in lookups:  # a day's window first read, then read again
                    start = time.perf_counter()
                    index.vector_links(conn, [index.Saved("probe", day(37 * i), vector)])
                    times.append(1000 * (time.perf_counter() - start))
        store.close()
    print(f"adding 1,000 articles: {saving:.2f} s in all, the story index step {spent[0]:.2f} s")
    for name, times in zip(("first", "again"), lookups, strict=True):
        print(
            f"a lookup on 20 days, {name}: median {np.median(times):.0f} ms, "
            f"most {max(times):.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", help="npz file keeping the encoder means between runs")
    parser.add_argument("--scale", type=int, help="time N synthetic vectors instead")
    args = parser.parse_args()
    if args.scale:
        scale(args.scale)
        return
    articles = corpus(require_shared("polnear"))
    gold = labels()
    print(
        f"{len(articles)} articles clustered; {len(gold)} labelled, "
        f"{len(set(gold.values()))} gold stories\n"
    )
    means = encoder_means(articles, args.cache)
    compare_rules(articles, gold, means)
    shipped(articles, gold, means)


if __name__ == "__main__":
    main()
