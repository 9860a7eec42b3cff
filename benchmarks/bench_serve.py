"""Latency of the web workspace (`spinlens serve`) over a store of N articles.

Builds the store quickly: the 165 PTC unlabeled texts (../shared/data/ptc/unlabeled)
are analysed once by the real pipeline, then replicated with Store.save under new
ids, 40 outlets of uneven size, two years of dates and synthetic quotes and claims
(sentences with quotation marks or numbers), so that every page has every layer to
show. Without the shared data the built-in demo stories are replicated instead.
Then `spinlens serve` runs in a child process on 127.0.0.1 (a free port, loopback
only) and each page is requested over one keep-alive HTTP connection. Usage:

    .venv/bin/python benchmarks/bench_serve.py [--articles 10000] [--requests 30]
        [--db sqlite:///bench.db]   # reuse (or keep) a generated store

Prints a Markdown table of median and 90th-percentile latencies (milliseconds).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from _common import SHARED_DATA

from spinlens.model import Article
from spinlens.store import Store

NAMES = ["Karin Holm", "Daniel Okafor", "Marta Kolar", "Lena Vos", "Ada Brandt", "Tom Ruiz"]
OUTLETS = [f"Outlet {n:02d}" for n in range(40)]
QUOTED = re.compile(r"[\"“]([^\"”]{20,400})[\"”]")
NUMBER = re.compile(r"\d")


def base_articles(use_techniques: bool) -> list[Article]:
    """Analysed source articles: the PTC texts through the pipeline."""
    folder = SHARED_DATA / "ptc" / "unlabeled"
    if not folder.is_dir():
        print(f"skipped: {folder} not found (this benchmark needs ../shared/data)")
        sys.exit(0)
    from spinlens.pipeline.factory import build_pipeline

    pipeline = build_pipeline(without=() if use_techniques else ("techniques",))
    texts = sorted(folder.glob("*.txt"))
    start = time.perf_counter()
    articles = [Article.create(p.stem, p.read_text(encoding="utf-8")) for p in texts]
    for i in range(0, len(articles), 16):
        pipeline(articles[i : i + 16])
    took = time.perf_counter() - start
    print(f"analysed {len(articles)} PTC texts in {took:.0f} s", file=sys.stderr)
    return [a for a in articles if not a.errors]


def quotes_and_claims(article: Article, rng: random.Random) -> tuple[list, list]:
    """Plausible quote and claim layers (the real components are still to come)."""
    people = [
        e.text for e in article.layers.get("entities", []) if getattr(e, "label", "") == "PERSON"
    ]
    quotes, claims = [], []
    for match in QUOTED.finditer(article.text):
        name = rng.choice(people or NAMES)
        quotes.append(
            {
                "content": {"start": match.start(1), "end": match.end(1)},
                "cue": None,
                "source": None,
                "speaker": {"name": name, "entity_id": None},
                "kind": "direct",
                "score": round(rng.uniform(0.6, 0.99), 2),
            }
        )
    for sentence in article.layers.get("sentences", []):
        passage = article.text[sentence.start : sentence.end]
        if NUMBER.search(passage) and len(claims) < 8:
            claims.append(
                {"start": sentence.start, "end": sentence.end, "score": round(rng.random(), 2)}
                | {"speaker": speaker(people, rng), "entities": []}
                | {"quantities": NUMBER.findall(passage)[:3]}
            )
    return quotes, claims


def speaker(people: list[str], rng: random.Random) -> dict[str, str | None] | None:
    """Half the claims are someone's statement."""
    return {"name": rng.choice(people or NAMES), "entity_id": None} if rng.random() < 0.5 else None


def replicate(bases: list[Article], numbers: range, store: Store) -> float:
    """Store copies `bench-<n>` of the analysed bases; returns the seconds taken."""
    rng = random.Random(numbers.start)
    layers = [quotes_and_claims(a, rng) for a in bases]
    weights = [1 / (rank + 1) for rank in range(len(OUTLETS))]  # a few big outlets
    start, batch = time.perf_counter(), []
    for n in numbers:
        k = n % len(bases)
        copy = Article.from_dict(bases[k].to_dict())
        copy.id = f"bench-{n:06d}"
        copy.source = rng.choices(OUTLETS, weights)[0]
        copy.published = f"{2024 + n % 2}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        copy.title = copy.title or copy.text.split("\n", 1)[0][:120]
        copy.text += f"\n\n({copy.source}, {copy.published}, ref {n})"  # unique, offsets kept
        copy.set_layer("quotes", layers[k][0])
        copy.set_layer("claims", layers[k][1])
        batch.append(copy)
        if len(batch) == 500:
            store.save(batch)
            batch = []
    store.save(batch)
    return time.perf_counter() - start


def top_values(store: Store, kind: str) -> list[str]:
    """The three most frequent speakers or entities (filter values worth timing)."""
    from sqlalchemy import select

    from spinlens.facets import facet_totals as totals

    query = select(totals.c.value).where(totals.c.kind == kind).order_by(totals.c.articles.desc())
    with store.engine.connect() as conn:
        return list(conn.execute(query.limit(3)).scalars()) or ["nobody"]


def top_speakers(store: Store) -> list[str]:
    """The three most quoted merged speakers (their keys)."""
    from sqlalchemy import select

    from spinlens.speakers.tables import speaker_totals as totals

    query = select(totals.c.speaker).order_by(totals.c.quotes.desc()).limit(3)
    with store.engine.connect() as conn:
        return list(conn.execute(query).scalars()) or ["nobody"]


def serve(url: str) -> tuple[Callable[[], None], int]:
    """`spinlens serve` over the store in a child process, on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = Path(sys.executable).parent / "spinlens"
    argv = [str(command), "serve", "--db", url, "--host", "127.0.0.1", "--port", str(port)]
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if child.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("spinlens serve did not start") from None
            time.sleep(0.1)

    def stop() -> None:
        child.terminate()
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:  # requests still in flight keep it up
            child.kill()
            child.wait()

    return stop, port


def measure(
    conn: http.client.HTTPConnection, paths: list[str], n: int
) -> tuple[float, list[float]]:
    """First (cold) latency and n timed latencies in ms, cycling through `paths`."""
    timings = []
    for i in range(n + 1):
        path = paths[i % len(paths)]
        start = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        timings.append(1000 * (time.perf_counter() - start))
        if response.status != 200:
            raise SystemExit(f"GET {path}: {response.status} {body[:300]!r}")
    return timings[0], timings[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--db", help="store URL; generated when empty")
    parser.add_argument("--without-techniques", action="store_true", help="faster set-up")
    parser.add_argument("--bases", help="JSON Lines cache of the analysed source articles")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory(prefix="spinlens-bench-")
    url = args.db or f"sqlite:///{folder.name}/bench.db"
    store = Store(url)
    if store.count() < args.articles:
        cache = Path(args.bases) if args.bases else None
        if cache and cache.exists():
            lines = cache.read_text(encoding="utf-8").splitlines()
            bases = [Article.from_dict(json.loads(line)) for line in lines]
        else:
            bases = base_articles(not args.without_techniques)
            if cache:
                cache.write_text("".join(json.dumps(a.to_dict()) + "\n" for a in bases))
        took = replicate(bases, range(store.count(), args.articles), store)
        print(f"stored {args.articles:,} articles in {took:.0f} s", file=sys.stderr)
    total = store.count()
    speakers, entities = top_values(store, "speaker"), top_values(store, "entity")
    merged = top_speakers(store)
    store.close()
    rng = random.Random(1)
    ids = [f"bench-{rng.randrange(args.articles):06d}" for _ in range(50)]
    cases = {
        "corpus page (newest first)": ["/"],
        "corpus, technique filter": ["/?technique=Loaded_Language", "/?technique=Doubt"],
        "corpus, source + date range": [
            "/?source=Outlet+03&date_from=2024-03-01&date_to=2024-09-30"
        ],
        "corpus, speaker filter": [f"/?{urlencode({'speaker': n})}" for n in speakers],
        "corpus, entity filter": [f"/?{urlencode({'entity': n})}" for n in entities],
        "corpus, full-text search": ["/?q=police", "/?q=government", "/?q=president"],
        "corpus, search + filter, by date": ["/?q=police&technique=Doubt&sort=date"],
        "corpus, page 100 sorted by techniques": ["/?sort=techniques&page=100"],
        "article page": [f"/articles/{i}" for i in ids],
        "API list (JSON)": ["/api/articles?per_page=50&technique=Loaded_Language"],
        "dashboard (cached after the first)": ["/dashboard"],
        "claims page (best first)": ["/claims"],
        "claims API, source + min score": ["/api/claims?source=Outlet+03&min_score=0.5"],
        "claims API, speaker + date range": [
            f"/api/claims?{urlencode({'speaker': n, 'date_from': '2024-03-01'})}" for n in speakers
        ],
        "claims API, words": ["/api/claims?q=percent", "/api/claims?q=police"],
        "claims API, page 100": ["/api/claims?page=100"],
        "claims API, grouped": ["/api/claims?group=true"],
        "speakers page": ["/speakers", "/speakers?kind=person&page=2"],
        "speakers API, name search": ["/api/speakers?q=an", "/api/speakers?quoted=true"],
        "speaker page (cached after the first)": [f"/speakers/{k}" for k in merged],
        "speaker API (cached after the first)": [f"/api/speakers/{k}" for k in merged],
        "corpus, merged speaker filter": [f"/?{urlencode({'speaker': n})}" for n in merged],
    }
    stop, port = serve(url)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    print(f"\n{total:,} stored articles, {args.requests} requests per row\n")
    print("| request | first (ms) | median (ms) | p90 (ms) |\n|---|---:|---:|---:|")
    try:
        for name, paths in cases.items():
            first, timings = measure(conn, paths, args.requests)
            p90 = statistics.quantiles(timings, n=10)[-1]
            print(f"| {name} | {first:.0f} | {statistics.median(timings):.1f} | {p90:.1f} |")
    finally:
        conn.close()
        stop()
        folder.cleanup()


if __name__ == "__main__":
    main()
