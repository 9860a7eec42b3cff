"""Latency of every corpus view under every filter of the filter bar, over a large store.

Fills the store's corpus index (article_stats, layer_counts, article_facets,
facet_totals, technique_rollup, the full-text rows and the claims index) with
synthetic articles: 40 outlets of uneven size, two years of days, two languages,
0-4 of the 14 PTC techniques, entities and speakers drawn from Zipf-like pools
(some speakers unresolved; the named ones also in the speaker tables, each person
one merged speaker), 3 claims each. No article is analysed: the views read
the index only, and saving 100,000 articles through `Store.save` takes hours once
the duplicate index compares copies. Each request goes through the whole app
(FastAPI's TestClient, in process) with the workspace's 30-second cache of answers
emptied first, so every answer is computed afresh; the corpus cube (`web/cube.py`,
loaded once per store change) and the filter bar's options are kept, and the cube's
load is timed apart. Usage:

    .venv/bin/python benchmarks/bench_views.py [--articles 100000] [--requests 10]
        [--db sqlite:///views-bench.db | --db postgresql+psycopg://...]

Prints a Markdown table of median and 95th-percentile latencies (milliseconds), one
row per view and filter.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections import Counter
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

from bench_claims_view import OUTLETS, WORDS
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select, text

from spinlens.claims.index import claim_index, claim_key
from spinlens.facets import (
    article_facets,
    article_stats,
    facet_totals,
    layer_counts,
    technique_rollup,
)
from spinlens.model import UNRESOLVED
from spinlens.speakers.names import PERSON, key_of, name_words
from spinlens.speakers.tables import speaker_alias, speaker_names, speaker_totals
from spinlens.store import Store, articles
from spinlens.techniques import NAMES as TECHNIQUES
from spinlens.web.app import create_app
from spinlens.web.corpus import corpus_cube

PEOPLE = [f"Person {n:03d}" for n in range(60)] + ["a senior official", "the ministry"]
ENTITIES = [f"Entity {n:03d}" for n in range(300)]
CHUNK = 2_000


def synthetic(n: int, rng: random.Random) -> dict[str, Any]:
    """One article's rows: stats, counts, facets and claims."""
    outlet_weights = [1 / (rank + 1) for rank in range(len(OUTLETS))]
    words = rng.choices(WORDS, k=60)
    body = " ".join(words)
    techniques = Counter(rng.choices(TECHNIQUES, weights=range(14, 0, -1), k=rng.randrange(5)))
    entities = Counter(rng.choices(ENTITIES, weights=[1 / (r + 1) for r in range(300)], k=4))
    speakers = Counter(rng.choices(PEOPLE, weights=[1 / (r + 1) for r in range(62)], k=2))
    day = f"{2024 + n % 2}-{1 + n % 12:02d}-{1 + n % 28:02d}"
    stats = {
        "article_id": f"bench-{n:06d}",
        "doc": n + 1,
        "title": f"Article {n} on {words[0]}",
        "source": rng.choices(OUTLETS, outlet_weights)[0],
        "published": day,
        "day": day,
        "month": day[:7],
        "language": "en" if n % 10 else "de",
        "words": 400 + n % 800,
        "chars": 2400 + 6 * (n % 800),
        "quote_chars": rng.randrange(800),
        "stored_at": "2026-01-01T00:00:00+00:00",
    }
    facets = [
        {"kind": kind, "value": v, "n": k, "label": label(kind, v)}
        for kind, found in (("technique", techniques), ("entity", entities), ("speaker", speakers))
        for v, k in found.items()
    ]
    claims = [
        {"start": 10 * i, "end": 10 * i + 9, "score": round(rng.random(), 3)}
        | {"speaker": rng.choice(PEOPLE[:6]) if i % 2 else None, "claim": f"{words[i]} rose {i}"}
        for i in range(3)
    ]
    return {"stats": stats, "facets": facets, "claims": claims, "body": body}


def label(kind: str, value: str) -> str | None:
    if kind == "speaker":
        return UNRESOLVED if value.islower() else "person"
    return "PERSON" if kind == "entity" else None


def fill(store: Store, count: int) -> float:
    """Index rows for `count` synthetic articles; returns the seconds taken."""
    rng = random.Random(21)
    start = time.perf_counter()
    totals: dict[tuple[str, str], list[Any]] = {}
    rollup: Counter[tuple[str, str, str]] = Counter()
    rollup_articles: Counter[tuple[str, str, str]] = Counter()
    people: dict[str, list[Any]] = {}
    with store.engine.begin() as conn:
        for first in range(0, count, CHUNK):
            made = [synthetic(n, rng) for n in range(first, min(count, first + CHUNK))]
            write_chunk(store, conn, made)
            for a in made:
                s = a["stats"]
                for f in a["facets"]:
                    total = totals.setdefault((f["kind"], f["value"]), [0, 0, f["label"]])
                    total[0] += 1
                    total[1] += f["n"]
                    if f["kind"] == "technique":
                        rollup[(s["source"], s["month"], f["value"])] += f["n"]
                        rollup_articles[(s["source"], s["month"], f["value"])] += 1
                    if f["kind"] == "speaker" and f["label"] == PERSON:
                        person = people.setdefault(f["value"], [0, 0])
                        person[0] += 1
                        person[1] += f["n"]
        conn.execute(
            insert(facet_totals),
            [
                {"kind": k, "value": v, "articles": t[0], "mentions": t[1], "label": t[2]}
                for (k, v), t in totals.items()
            ],
        )
        conn.execute(
            insert(technique_rollup),
            [
                {"source": s, "month": m, "technique": t, "spans": n}
                | {"articles": rollup_articles[(s, m, t)]}
                for (s, m, t), n in rollup.items()
            ],
        )
        write_people(conn, people)
        if not store.is_sqlite:  # the words' own numbering goes on after the bench's
            conn.execute(text(f"ALTER TABLE article_words ALTER doc RESTART WITH {count + 1}"))
    with store.engine.begin() as conn:  # the planner's statistics, as after a long use
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - start


@cache
def speaker_key(name: str) -> str:
    return key_of(name_words(name, PERSON))


def write_people(conn: Any, people: dict[str, list[Any]]) -> None:
    """The merged speakers' alias table and totals: each synthetic person one speaker
    (quoted once per mention)."""
    keys = {name: speaker_key(name) for name in people}
    conn.execute(
        insert(speaker_alias),
        [{"key": key, "speaker": key, "kind": PERSON} for key in keys.values()],
    )
    conn.execute(
        insert(speaker_totals),
        [
            {"speaker": keys[name], "name": name, "kind": PERSON}
            | {"articles": count, "quotes": n, "mentions": n}
            for name, (count, n) in people.items()
        ],
    )


def write_chunk(store: Store, conn: Any, made: list[dict[str, Any]]) -> None:
    stats = [a["stats"] for a in made]
    conn.execute(
        insert(articles),
        [
            {"id": s["article_id"], "sha256": "0" * 64, "pipeline_version": "bench"}
            | {k: s[k] for k in ("title", "source", "published", "language")}
            | {"text": a["body"], "result": json.dumps({"id": s["article_id"]})}
            | {"n_sentences": 1, "n_entities": 0, "stored_at": s["stored_at"]}
            for s, a in zip(stats, made, strict=True)
        ],
    )
    words = (
        "INSERT INTO articles_fts (rowid, id, title, text) VALUES (:doc, :id, :t, :b)"
        if store.is_sqlite
        else "INSERT INTO article_words (doc, article_id, words) "
        "VALUES (:doc, :id, to_tsvector('simple', :t || ' ' || :b))"
    )
    conn.execute(
        text(words),
        [
            {"doc": s["doc"], "id": s["article_id"], "t": s["title"], "b": a["body"]}
            for s, a in zip(stats, made, strict=True)
        ],
    )
    conn.execute(insert(article_stats), stats)
    counts = {"techniques": "technique", "entities": "entity", "quotes": "speaker"}
    conn.execute(
        insert(layer_counts),
        [
            {"layer": layer, "article_id": a["stats"]["article_id"], "n": n}
            for a in made
            for layer, kind in counts.items()
            if (n := sum(f["n"] for f in a["facets"] if f["kind"] == kind))
        ]
        + [{"layer": "claims", "article_id": a["stats"]["article_id"], "n": 3} for a in made],
    )
    conn.execute(
        insert(article_facets),
        [f | {"article_id": a["stats"]["article_id"]} for a in made for f in a["facets"]],
    )
    conn.execute(
        insert(speaker_names),
        [
            {"article_id": a["stats"]["article_id"], "key": speaker_key(f["value"])}
            | {"name": f["value"], "kind": PERSON, "entity_id": None}
            | {"quotes": f["n"], "mentions": f["n"]}
            for a in made
            for f in a["facets"]
            if f["kind"] == "speaker" and f["label"] == PERSON
        ],
    )
    conn.execute(
        insert(claim_index),
        [
            c
            | {"article_id": a["stats"]["article_id"], "key": claim_key(c["claim"])}
            | {k: a["stats"][k] for k in ("title", "source", "published", "day")}
            | {"speaker_entity_id": None, "url": None, "quantities": "[]", "entities": "[]"}
            for a in made
            for c in a["claims"]
        ],
    )


FILTERS = {
    "no filter": {},
    "search": {"q": "harbour"},
    "outlet": {"source": "Outlet 03"},
    "date range": {"date_from": "2024-03-01", "date_to": "2024-05-31"},
    "language": {"language": "de"},
    "technique": {"technique": "Loaded_Language"},
    "speaker": {"speaker": "Person 002"},
    "entity": {"entity": "Entity 005"},
    "min score": {"min_score": "0.9"},
    "all of them": {"q": "harbour", "source": "Outlet 01", "date_from": "2024-01-01"}
    | {"language": "en", "technique": "Doubt", "entity": "Entity 001", "min_score": "0.5"},
}
VIEWS = {
    "article list": "/articles",
    "articles API": "/api/articles",
    "article list, best match first": "/articles?sort=relevance",
    "articles API, best match first": "/api/articles?sort=relevance",
    "dashboard": "/dashboard",
    "aggregates API": "/api/aggregates",
    "chart CSV (over time)": "/api/aggregates?format=csv&chart=over_time",
    "claims page": "/claims",
    "claims API": "/api/claims",
    "outlet page": f"/outlets/{quote('Outlet 02')}",
    "outlet API": f"/api/outlets/{quote('Outlet 02')}",
    "entity page": f"/entities/{quote('Entity 001')}",
    "entity API": f"/api/entities/{quote('Entity 001')}",
    "speaker page": f"/speakers/{speaker_key('Person 001')}",
    "speaker API": f"/api/speakers/{speaker_key('Person 001')}",
    "chart PNG (per source)": "/dashboard/per_source.png",
}


KEPT = ("cube", "options")
"""Cached entries kept between requests: the corpus cube and the filter bar's
options (store-wide, whatever the filters); every answer is computed afresh."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--db", help="store URL; a temporary SQLite file when empty")
    parser.add_argument("--views", help="comma-separated names of VIEWS to time (default all)")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory(prefix="spinlens-views-bench-")
    store = Store(args.db or f"sqlite:///{folder.name}/views.db")
    with store.engine.connect() as conn:
        have = conn.execute(select(func.count()).select_from(article_stats)).scalar()
    if not have:
        print(f"indexed {args.articles:,} synthetic articles in {fill(store, args.articles):.0f} s")
    views = args.views.split(",") if args.views else list(VIEWS)
    app = create_app(store, token=None)
    start = time.perf_counter()
    corpus_cube(app.state.ws)
    print(f"corpus cube loaded in {time.perf_counter() - start:.1f} s\n")
    print("| view | filter | median (ms) | p95 (ms) |\n|---|---|---:|---:|")
    with TestClient(app) as client:
        for view in views:
            for name, params in FILTERS.items():
                path = VIEWS[view]
                path += ("&" if "?" in path else "?") + urlencode(params) if params else ""
                timings = []
                for _ in range(args.requests):
                    for key in [k for k in app.state.ws.cache.values if k not in KEPT]:
                        app.state.ws.cache.drop(key)
                    start = time.perf_counter()
                    response = client.get(path)
                    timings.append(1000 * (time.perf_counter() - start))
                    assert response.status_code == 200, (path, response.text[:300])
                p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
                print(f"| {view} | {name} | {statistics.median(timings):.1f} | {p95:.1f} |")
    store.close()
    folder.cleanup()


if __name__ == "__main__":
    main()
