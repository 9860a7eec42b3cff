"""Latency of the corpus claims view (`GET /api/claims`, `/claims`) over a large store.

Fills the store's claims index (`spinlens.claims.index.update`) with synthetic claims
(N articles × 5: 40 outlets of uneven size, two years of days, half the claims with one
of six speakers, sentences drawn from a pool so that some recur across articles), without
analysing or saving articles: the view reads the index only, and saving 100,000
replicated articles through `Store.save` takes hours once the duplicate index compares
the copies. Requests go through the whole app (FastAPI's TestClient, in process).
Usage:

    .venv/bin/python benchmarks/bench_claims_view.py [--articles 100000] [--requests 20]
        [--db sqlite:///claims-bench.db]

Prints a Markdown table of median and 95th-percentile latencies (milliseconds).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from urllib.parse import urlencode

from fastapi.testclient import TestClient

from spinlens.claims.index import claim_index, update
from spinlens.store import Store
from spinlens.web.app import create_app

NAMES = ["Karin Holm", "Daniel Okafor", "Marta Kolar", "Lena Vos", "Ada Brandt", "Tom Ruiz"]
OUTLETS = [f"Outlet {n:02d}" for n in range(40)]
WORDS = [
    "police",
    "government",
    "minister",
    "percent",
    "budget",
    "strike",
    "harbour",
    "council",
    "tax",
    "vote",
]
CLAIMS_PER_ARTICLE = 5
CHUNK = 2_000


def sentence(n: int) -> str:
    rng = random.Random(n)
    return f"The {' '.join(rng.choices(WORDS, k=8))} rose {n % 97} percent in {2000 + n % 24}."


def fill(store: Store, articles: int) -> float:
    """Claims rows for `articles` articles, through the claims index's own update from
    minimal JSON results; returns the seconds taken."""
    rng = random.Random(1)
    weights = [1 / (rank + 1) for rank in range(len(OUTLETS))]
    pool = articles  # as many sentences as articles: each recurs about 5 times
    start, results = time.perf_counter(), []
    with store.engine.begin() as conn:
        for n in range(articles):
            sentences = [sentence(rng.randrange(pool)) for _ in range(CLAIMS_PER_ARTICLE)]
            text, claims = "", []
            for said in sentences:
                speaker = {"name": rng.choice(NAMES)} if rng.random() < 0.5 else None
                claims.append(
                    {"start": len(text), "end": len(text) + len(said), "speaker": speaker}
                    | {"score": round(rng.random(), 3)}
                )
                text += said + " "
            results.append(
                {
                    "id": f"bench-{n:06d}",
                    "text": text,
                    "title": f"Article {n}",
                    "source": rng.choices(OUTLETS, weights)[0],
                    "published": f"{2024 + n % 2}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                    "claims": claims,
                }
            )
            if len(results) == CHUNK:
                update(conn, results)
                results = []
        update(conn, results)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--db", help="store URL; a temporary SQLite file when empty")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory(prefix="spinlens-claims-bench-")
    store = Store(args.db or f"sqlite:///{folder.name}/claims.db")
    with store.engine.connect() as conn:
        have = conn.execute(claim_index.select().limit(1)).first()
    if have is None:
        took = fill(store, args.articles)
        rows = args.articles * CLAIMS_PER_ARTICLE
        print(f"indexed {rows:,} claims in {took:.0f} s")
    speaker = urlencode({"speaker": NAMES[2], "date_from": "2024-03-01", "date_to": "2024-09-30"})
    cases = {
        "API, best first": "/api/claims",
        "API, source + min score": "/api/claims?source=Outlet+03&min_score=0.5",
        "API, speaker + date range": f"/api/claims?{speaker}",
        "API, words": "/api/claims?q=harbour+strike",
        "API, page 100": "/api/claims?page=100",
        "API, grouped": "/api/claims?group=true",
        "API, grouped, source": "/api/claims?group=true&source=Outlet+03",
        "page /claims": "/claims",
        "page /claims, every filter": "/claims?source=Outlet+03&speaker=Lena+Vos"
        "&date_from=2024-01-01&min_score=0.2&q=tax",
    }
    print("\n| request | median (ms) | p95 (ms) |\n|---|---:|---:|")
    with TestClient(create_app(store, token=None)) as client:
        for name, path in cases.items():
            timings = []
            for _ in range(args.requests + 1):
                start = time.perf_counter()
                response = client.get(path)
                timings.append(1000 * (time.perf_counter() - start))
                assert response.status_code == 200, (path, response.text[:200])
            timings = timings[1:]  # the first warms the caches
            p95 = statistics.quantiles(timings, n=20)[-1]
            print(f"| {name} | {statistics.median(timings):.1f} | {p95:.1f} |")
    store.close()
    folder.cleanup()


if __name__ == "__main__":
    main()
