"""Copies across outlets (#22): pair precision and recall on a test set built from
real articles (duplicate_set.py), the duplicate index's share of the pipeline's
time, and the index at scale (synthetic shingle sets) on SQLite.

Needs ../shared/data (PolNeAR train, PTC unlabeled). Usage:

    .venv/bin/python benchmarks/bench_duplicates.py quality [--pipeline-seconds 0.9]
    .venv/bin/python benchmarks/bench_duplicates.py scale [--sets 1000000] [--add 1000] [--runs 3]
    .venv/bin/python benchmarks/bench_duplicates.py copies [--texts 30] [--copies 3000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import numpy as np
from _common import require_shared
from duplicate_set import TestSet, build, read_originals

from spinlens.duplicates import index as duplicate_index
from spinlens.duplicates.align import Match
from spinlens.duplicates.fingerprint import Shingled, fingerprint, shingled
from spinlens.duplicates.report import pair_records
from spinlens.model import Article
from spinlens.store import Store
from spinlens.stories import terms as story_index
from spinlens.stories.terms import stop_words

BATCH = 32
MIN_OVERLAP = 0.8


def stored_pairs(articles: list[Article], url: str) -> tuple[list[dict], float, float]:
    """Save the articles in batches; the pairs found and the wall and CPU seconds it
    took."""
    store = Store(url)
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(articles), BATCH):
        store.save(articles[i : i + BATCH])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    pairs = list(pair_records(store.engine))
    store.close()
    return pairs, seconds, cpu


def iou(found: dict[str, int], true: tuple[int, int]) -> float:
    shared = min(found["end"], true[1]) - max(found["start"], true[0])
    union = max(found["end"], true[1]) - min(found["start"], true[0])
    return max(0, shared) / union


def passage_found(pair: dict, spans: dict[str, tuple[int, int]]) -> bool:
    """Whether a passage of the pair overlaps the lifted one by MIN_OVERLAP on both sides."""
    return any(
        min(iou(p["a"], spans[pair["a"]]), iou(p["b"], spans[pair["b"]])) >= MIN_OVERLAP
        for p in pair["passages"]
    )


def scores(found: int, predicted: int, true: int) -> str:
    precision = found / predicted if predicted else 1.0
    recall = found / true
    return f"precision {precision:.3f} ({found}/{predicted}), recall {recall:.3f} ({found}/{true})"


def evaluate(test: TestSet, pairs: list[dict]) -> None:
    near = [p for p in pairs if p["kind"] == "near-duplicate"]
    shared = [p for p in pairs if p["kind"] == "shared-passage"]
    near_hits = [p for p in near if frozenset((p["a"], p["b"])) in test.near]
    shared_hits = [
        p
        for p in shared
        if (key := frozenset((p["a"], p["b"]))) in test.shared
        and passage_found(p, test.shared[key])
    ]
    print(f"near-duplicates: {scores(len(near_hits), len(near), len(test.near))}")
    print(f"shared passages: {scores(len(shared_hits), len(shared), len(test.shared))}")
    found = {frozenset((p["a"], p["b"])) for p in near_hits + shared_hits}
    for kind in sorted(set(test.kinds.values())):
        pairs_of_kind = [k for k, v in test.kinds.items() if v == kind]
        hits = sum(k in found for k in pairs_of_kind)
        print(f"  {kind:12} {hits}/{len(pairs_of_kind)} found")
    ordered = [p for p in near_hits + shared_hits if "~" in p["b"]]
    print(f"`a` is the original (earlier) in {len(ordered)}/{len(near_hits) + len(shared_hits)}")
    wrong = [p for p in pairs if frozenset((p["a"], p["b"])) not in found][:10]
    for p in wrong:
        print(f"  not in the truth: {p['a']} {p['b']} {p['kind']} {p['similarity']}")


def quality(args: argparse.Namespace) -> None:
    data = require_shared("polnear")
    originals = read_originals(data.parent)
    with tempfile.TemporaryDirectory() as tmp:
        # the set is built from originals that share no passage among themselves
        natural, _, _ = stored_pairs(
            [Article.create(o.id, o.text) for o in originals], f"sqlite:///{tmp}/natural.db"
        )
        involved = {p["a"] for p in natural} | {p["b"] for p in natural}
        print(
            f"{len(originals)} originals; {len(natural)} pairs among them, "
            f"{len(involved)} articles set aside"
        )
        test = build([o for o in originals if o.id not in involved])
        print(
            f"test set: {len(test.articles)} articles stored, {len(test.near)} near-duplicate "
            f"pairs, {len(test.shared)} lifted passages"
        )
        pairs, seconds, cpu = stored_pairs(test.articles, f"sqlite:///{tmp}/with.db")
        evaluate(test, pairs)
        with (
            mock.patch.object(duplicate_index, "update"),
            mock.patch.object(story_index, "update"),
        ):
            _, bare, bare_cpu = stored_pairs(test.articles, f"sqlite:///{tmp}/without.db")
    n = len(test.articles)
    per_article = (cpu - bare_cpu) / n
    print(
        f"store.save: {seconds:.2f} s ({cpu:.2f} CPU-s) with the duplicate and story indexes, "
        f"{bare:.2f} s ({bare_cpu:.2f} CPU-s) without ({n} articles, batches of {BATCH})"
    )
    print(
        f"indexing cost: {per_article * 1000:.1f} CPU-ms per article = "
        f"{per_article / args.pipeline_seconds:.2%} of the pipeline's "
        f"{args.pipeline_seconds} s per article"
    )


def synthetic_index(path: Path, sets: int, keys_per_set: int, seed: int) -> None:
    """`sets` synthetic shingle sets in the index: random 64-bit keys, about
    `keys_per_set` each, loaded in key order (as a bulk load would)."""
    Store(f"sqlite:///{path}").close()
    rng = np.random.default_rng(seed)
    total = sets * keys_per_set
    keys = np.sort(rng.integers(-(2**63), 2**63 - 1, size=total, dtype=np.int64))
    docs = rng.integers(1, sets + 1, size=total, dtype=np.int64)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")  # a fixture: no crash safety needed
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-262144")
    conn.executemany(
        "INSERT INTO dup_docs (doc, article_id, content, fingerprint) VALUES (?, ?, ?, x'')",
        ((d, f"synthetic-{d:07d}", d) for d in range(1, sets + 1)),
    )
    step = 1_000_000
    for i in range(0, total, step):
        conn.executemany(
            "INSERT OR IGNORE INTO dup_keys (key, doc) VALUES (?, ?)",
            zip(keys[i : i + step].tolist(), docs[i : i + step].tolist(), strict=True),
        )
    conn.commit()
    conn.close()


def timed(function: Callable[..., None], spent: list[float]) -> Callable[..., None]:
    """The function, adding the wall and CPU seconds each call takes to spent[0] and
    spent[1] (the CPU time tells more on a busy machine)."""

    def run(*args: object) -> None:
        start, cpu = time.perf_counter(), time.process_time()
        function(*args)
        spent[0] += time.perf_counter() - start
        spent[1] += time.process_time() - cpu

    return run


def added(path: Path, adding: list[Article]) -> tuple[float, list[float], int]:
    """Save the articles into the index at `path` in batches: the seconds in all,
    the wall and CPU seconds in the duplicate and story index steps, and the pairs."""
    store = Store(f"sqlite:///{path}")
    spent = [0.0, 0.0]
    with (
        mock.patch.object(duplicate_index, "update", timed(duplicate_index.update, spent)),
        mock.patch.object(story_index, "update", timed(story_index.update, spent)),
    ):
        start = time.perf_counter()
        for i in range(0, len(adding), BATCH):
            store.save(adding[i : i + BATCH])
        seconds = time.perf_counter() - start
    pairs = sum(1 for _ in pair_records(store.engine))
    store.close()
    return seconds, spent, pairs


def lookup_times(path: Path, adding: list[Article]) -> list[float]:
    store = Store(f"sqlite:///{path}")
    lookups = []
    with store.engine.connect() as conn:
        for article in adding[:200]:
            print_ = fingerprint(shingled(article.text))
            start = time.perf_counter()
            duplicate_index.candidates(conn, print_, -1)
            lookups.append(time.perf_counter() - start)
    store.close()
    return lookups


def scale(args: argparse.Namespace) -> None:
    data = require_shared("polnear")
    originals = read_originals(data.parent)
    rng = random.Random(22)
    test = build(originals)
    adding = rng.sample(test.articles, min(args.add, len(test.articles)))
    keys = statistics.mean(len(fingerprint(shingled(a.text)).index_keys()) for a in adding[:200])
    stop_words()  # spaCy's, loaded once (the pipeline has loaded spaCy already)
    with tempfile.TemporaryDirectory() as tmp:
        fixture = (args.keep or Path(tmp)) / f"scale-{args.sets}.db"
        start = time.perf_counter()
        if not fixture.exists():
            synthetic_index(fixture, args.sets, round(keys), 22)
        print(
            f"{args.sets:,} synthetic shingle sets ({round(keys)} keys each, the mean of "
            f"real articles) ready in {time.perf_counter() - start:.0f} s, "
            f"{fixture.stat().st_size / 1e9:.2f} GB"
        )
        path = Path(tmp) / "scale.db"
        runs = []
        for _ in range(args.runs):
            shutil.copyfile(fixture, path)
            seconds, spent, pairs = added(path, adding)
            runs.append((spent[0], spent[1], seconds))
            print(
                f"adding {len(adding)} articles (store.save, batches of {BATCH}): "
                f"{seconds:.2f} s in all, {spent[0]:.2f} s of it in the duplicate and story "
                f"indexes ({spent[1]:.2f} CPU-s); {pairs} pairs found"
            )
        lookups = lookup_times(path, adding)
    wall, cpu, whole = (statistics.median(run[k] for run in runs) for k in range(3))
    print(
        f"median of {len(runs)} runs: index steps {wall:.2f} s ({cpu:.2f} CPU-s), "
        f"the whole store.save {whole:.2f} s"
    )
    print(
        f"lookup (candidates of one article): median {statistics.median(lookups) * 1000:.1f} ms, "
        f"max {max(lookups) * 1000:.1f} ms over {len(lookups)}"
    )


def copies(args: argparse.Namespace) -> None:
    """Copies of a few real articles, each with a line of its own (as bench_serve.py
    makes its store), saved in batches of 500: the alignments and time per copy."""
    data = require_shared("polnear")
    bases = read_originals(data.parent)[: args.texts]
    made = [
        Article.create(f"bench-{n:06d}", f"{bases[n % len(bases)].text}\n\n(outlet, ref {n})")
        for n in range(args.copies)
    ]
    stop_words()
    compared = [0]
    align = duplicate_index.compare

    def counted(*texts: Shingled) -> Match | None:
        compared[0] += 1
        return align(*texts)

    with (
        tempfile.TemporaryDirectory() as tmp,
        mock.patch.object(duplicate_index, "compare", counted),
    ):
        store = Store(f"sqlite:///{tmp}/copies.db")
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(made), 500):
            store.save(made[i : i + 500])
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        store.close()
    print(
        f"{len(made):,} copies of {len(bases)} texts: {compared[0]:,} alignments, {seconds:.1f} s "
        f"({cpu:.1f} CPU-s, {cpu / len(made) * 1000:.0f} CPU-ms per copy)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    q = commands.add_parser("quality")
    q.add_argument(
        "--pipeline-seconds",
        type=float,
        default=0.9,
        help="the full pipeline's CPU seconds per article (docs/benchmarks.md)",
    )
    s = commands.add_parser("scale")
    s.add_argument("--sets", type=int, default=1_000_000)
    s.add_argument("--add", type=int, default=1000)
    s.add_argument("--keep", type=Path, help="folder keeping the synthetic index between runs")
    s.add_argument("--runs", type=int, default=3, help="times the articles are added (median)")
    c = commands.add_parser("copies")
    c.add_argument("--texts", type=int, default=30)
    c.add_argument("--copies", type=int, default=3000)
    args = parser.parse_args()
    {"quality": quality, "scale": scale, "copies": copies}[args.command](args)


if __name__ == "__main__":
    main()
