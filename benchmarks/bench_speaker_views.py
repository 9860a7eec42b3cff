"""Latency of the speaker views (#21) over a store of N synthetic articles, and the
cost of keeping the speaker tables as they are saved.

Each article quotes 4 of 600 people (6 first names × 100 family names; one in five
named by the family name alone, which merges only where one person has it) and
mentions 4 more, with a technique mark on each quote, 40 outlets and two years of
dates. Saved in batches of 500 with the duplicate and story indexes left out (their
cost is measured in § Copies and stories). Then each view is requested through
FastAPI's in-process test client (no network); "uncached" rows empty the workspace's
cache of answers before each request but keep the corpus cube (loaded once per store
change, timed apart) and the filter options, as a running workspace keeps them.
Needs no shared data. Usage:

    .venv/bin/python benchmarks/bench_speaker_views.py [--articles 20000] [--requests 20]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from unittest import mock
from urllib.parse import urlencode

from _common import REPO
from fastapi.testclient import TestClient

sys.path.insert(0, str(REPO / "tests"))
from speaker_articles import named  # noqa: E402

from spinlens.duplicates import index as duplicate_index  # noqa: E402
from spinlens.speakers import index as speaker_index  # noqa: E402
from spinlens.store import Store  # noqa: E402
from spinlens.stories import terms as story_index  # noqa: E402
from spinlens.web.app import create_app  # noqa: E402
from spinlens.web.corpus import corpus_cube  # noqa: E402

KEPT = ("cube", "options")
"""Cached entries the uncached rows keep: store-wide, whatever the filters."""
FIRST = ["Anna", "Ben", "Carla", "Dev", "Ella", "Femi"]
PEOPLE = [f"{first} Family{n:03d}" for first in FIRST for n in range(100)]


def article(n: int, rng: random.Random) -> object:
    people = rng.sample(PEOPLE, 8)
    entities = {
        f"E{k}": ("PERSON", [name] + ([name.split()[1]] if rng.random() < 0.2 else []))
        for k, name in enumerate(people)
    }
    quoted = {f"E{k}": f"Words {k} of {n}," for k in range(4)}
    text = " ".join(f'"Words {k} of {n}," {p} said.' for k, p in enumerate(people[:4]))
    text += " " + " ".join(f"{p} listened. {p.split()[1]} left." for p in people[4:])
    day = f"{2024 + n % 2}-{1 + n % 12:02d}-{1 + n % 28:02d}"
    return named(f"a{n:06d}", text, entities, quoted, source=f"Outlet {n % 40:02d}", published=day)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(21)
    folder = tempfile.TemporaryDirectory(prefix="spinlens-speakers-")
    store = Store(f"sqlite:///{folder.name}/speakers.db")
    spent = []
    update = speaker_index.update

    def timed(*given: object) -> None:
        start = time.perf_counter()
        update(*given)  # type: ignore[arg-type]
        spent.append(time.perf_counter() - start)

    with (
        mock.patch.object(duplicate_index, "update", lambda *_: None),
        mock.patch.object(story_index, "update", lambda *_: None),
        mock.patch.object(speaker_index, "update", timed),
    ):
        for first in range(0, args.articles, 500):
            batch = [article(n, rng) for n in range(first, min(first + 500, args.articles))]
            store.save(batch)  # type: ignore[arg-type]
    per = 1000 * sum(spent) / args.articles
    print(f"speaker step: {per:.2f} ms per article; last batch {spent[-1]:.2f} s")
    app = create_app(store, token=None)
    ws = app.state.ws
    start = time.perf_counter()
    corpus_cube(ws)
    print(f"corpus cube loaded in {time.perf_counter() - start:.1f} s")
    with TestClient(app) as client:
        top = client.get("/api/speakers", params={"per_page": 3}).json()["items"]
        keys, names = [s["speaker"] for s in top], [s["name"] for s in top]
        cases = {
            "speakers page": ["/speakers", "/speakers?kind=person&page=3"],
            "speakers API, name search": ["/api/speakers?q=family01", "/api/speakers?quoted=true"],
            "speaker API, no filter (uncached)": [f"/api/speakers/{k}" for k in keys],
            "speaker API, date filter (uncached)": [
                f"/api/speakers/{keys[i % len(keys)]}?date_from=2024-01-{1 + i % 28:02d}"
                for i in range(args.requests)
            ],
            "speaker page, outlet filter (uncached)": [
                f"/speakers/{keys[i % len(keys)]}?source=Outlet+{i % 40:02d}"
                for i in range(args.requests)
            ],
            "speaker page (cached)": [f"/speakers/{k}" for k in keys],
            "corpus, merged speaker filter": [f"/?{urlencode({'speaker': n})}" for n in names],
            "dashboard (uncached)": ["/dashboard"],
        }
        print(f"\n{args.articles:,} articles, {args.requests} requests per row\n")
        print("| request | median (ms) | max (ms) |\n|---|---:|---:|")
        for name, paths in cases.items():
            timings = []
            for i in range(args.requests):
                if "(uncached)" in name:
                    for key in [k for k in ws.cache.values if k not in KEPT]:
                        ws.cache.drop(key)
                start = time.perf_counter()
                assert client.get(paths[i % len(paths)]).status_code == 200
                timings.append(1000 * (time.perf_counter() - start))
            print(f"| {name} | {statistics.median(timings):.1f} | {max(timings):.1f} |")
    store.close()
    folder.cleanup()


if __name__ == "__main__":
    main()
