"""Reads under analysis load: GET /api/articles latency while many clients post
25 KB analyses to `spinlens serve` at once.

`spinlens serve` runs in a child process on 127.0.0.1 (a free port, loopback only)
over a fresh store. After one warm-up analysis (the models load), `--clients`
threads each post distinct `--kb` KB articles to POST /api/analyze, one after
another, and stop by themselves when the `--seconds` window ends or after
`--rounds` posts (a 503 is waited out as its Retry-After says, within the window).
Meanwhile one reader times GET /api/articles every 0.1 s. The texts are PTC
unlabeled articles (../shared/data) joined to size, else a built-in story. Usage:

    .venv/bin/python benchmarks/bench_serve_load.py [--clients 50] [--kb 25]
        [--seconds 90] [--rounds 5] [--articles 500]

Prints the analyses done and refused and the reads' median, p95 and worst (ms).
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter

from _common import SHARED_DATA
from bench_serve import serve

from spinlens.model import Article
from spinlens.store import Store

STORY = (
    "The port of Veldhaven stayed shut for another day, said Marta Kolar of the union. "
    "Transport minister Daniel Okafor told parliament that 1,200 containers were stuck "
    'and called the strike "a disgrace that costs the country millions every week". '
)


def texts(kb: int) -> list[str]:
    """Source texts of about `kb` KB each."""
    folder = SHARED_DATA / "ptc" / "unlabeled"
    sources = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[:60]]
    sources = sources or [STORY * 40]
    out = []
    for start in range(len(sources)):
        text = ""
        for n in range(start, start + len(sources)):
            if len(text.encode()) >= kb * 1000:
                break
            text += sources[n % len(sources)] + "\n\n"
        out.append(text.encode()[: kb * 1000].decode(errors="ignore"))
    return out


def post(port: int, body: dict, timeout: float) -> tuple[int, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"content-type": "application/json"}
        conn.request("POST", "/api/analyze", json.dumps(body), headers)
        response = conn.getresponse()
        response.read()
        return response.status, dict(response.headers)
    finally:
        conn.close()


def client(port: int, n: int, sources: list[str], end: float, rounds: int, tally: Counter) -> None:
    """Post articles one after another until the window ends (bounded by `rounds`)."""
    for r in range(rounds):
        if time.monotonic() >= end:
            return
        text = f"Report {n}-{r}\n\n{sources[(n + r) % len(sources)]}"
        try:
            status, headers = post(port, {"id": f"load-{n}-{r}", "text": text}, 900)
        except OSError:
            tally["connection lost"] += 1
            return
        tally[str(status)] += 1
        if status == 503:
            time.sleep(
                min(float(headers.get("retry-after", "5")), max(0.0, end - time.monotonic()))
            )


def reader(port: int, end: float, timings: list[float]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    while time.monotonic() < end:
        start = time.perf_counter()
        conn.request("GET", "/api/articles?per_page=20")
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"GET /api/articles: {response.status}")
        timings.append(1000 * (time.perf_counter() - start))
        time.sleep(0.1)
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--kb", type=int, default=25)
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--articles", type=int, default=500, help="stored before the load")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory(prefix="spinlens-bench-")
    url = f"sqlite:///{folder.name}/load.db"
    sources = texts(args.kb)
    store = Store(url)
    store.save(
        [Article.create(f"stored-{n}", sources[n % len(sources)]) for n in range(args.articles)]
    )
    store.close()
    stop, port = serve(url)
    try:
        start = time.perf_counter()
        status, _ = post(port, {"id": "warm-up", "text": STORY}, 900)
        print(f"warm-up analysis (models load): {status} in {time.perf_counter() - start:.1f} s")
        tally: Counter[str] = Counter()
        timings: list[float] = []
        end = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=client, args=(port, n, sources, end, args.rounds, tally), daemon=True
            )
            for n in range(args.clients)
        ]
        threads.append(threading.Thread(target=reader, args=(port, end, timings), daemon=True))
        for thread in threads:
            thread.start()
        threads[-1].join()
    finally:
        stop()
        folder.cleanup()
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else max(timings)
    print(
        f"{args.clients} clients × {args.kb} KB for {args.seconds:.0f} s: "
        f"analyses {dict(tally)} (unfinished ones cut off by the server's stop)"
    )
    print(
        f"GET /api/articles: {len(timings)} reads, median {statistics.median(timings):.0f} ms, "
        f"p95 {p95:.0f} ms, worst {max(timings):.0f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
