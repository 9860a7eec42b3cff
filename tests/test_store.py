"""The store and batch analysis: round-trip, idempotency, replacement, search, export,
and failure isolation inside a batch."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence

import pyarrow.parquet as pq
import pytest

from spinlens.batch import FailFast, Summary, analyze_stream
from spinlens.export import columns, export
from spinlens.model import Article
from spinlens.pipeline import Pipeline
from spinlens.readers import ReadError
from spinlens.store import Store

TEXTS = {
    "harbour": "Dockworkers in Veldhaven vow to keep the port closed, Marta Kolar said.",
    "tram": "The council in Brenmoor approved the tram line; protesters weren't convinced.",
    "bank": 'The central bank kept rates at 3.25 percent, calling it "prudent".',
    "email": "The minister's e-mail to C++ developers (and others) leaked on Monday!",
}


class Counter:
    """A component that counts the articles it is asked to analyse."""

    name, version = "counter", "1"

    def __init__(self, fail_on: str | None = None):
        self.seen: list[str] = []
        self.fail_on = fail_on

    def __call__(self, articles: Sequence[Article]) -> None:
        if self.fail_on and any(self.fail_on in a.text for a in articles):
            raise RuntimeError("component exploded")
        self.seen.extend(a.id for a in articles)


def reads(texts: dict[str, str] = TEXTS) -> list[Article]:
    """Fresh articles, as a reader would yield them on every run."""
    return [Article.create(i, t, title=f"Title of {i}", source="Wire") for i, t in texts.items()]


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    yield store
    store.close()


@pytest.fixture
def counting(pipeline):
    counter = Counter()
    return Pipeline([*pipeline.components, counter]), counter


def run(items, pipe, store, **kwargs):
    summary = Summary()
    return list(analyze_stream(items, pipe, store, summary, **kwargs)), summary


def test_save_and_get_round_trip(store, analysed):
    store.save(analysed)
    assert store.count() == len(analysed)
    for article in analysed:
        again = store.get(article.id)
        assert again is not None
        assert again.to_dict() == article.to_dict()
    assert store.get("no-such-id") is None
    assert [a.id for a in store] == sorted(a.id for a in analysed)
    assert set(store.get_many(["emoji", "wire", "missing"])) == {"emoji", "wire"}


def test_second_run_is_all_duplicates(store, counting):
    pipe, counter = counting
    first, summary1 = run(reads(), pipe, store, batch_size=3)
    assert (summary1.read, summary1.analysed, summary1.duplicates, summary1.failed) == (4, 4, 0, 0)
    assert counter.seen == list(TEXTS)
    counter.seen.clear()
    second, summary2 = run(reads(), pipe, store, batch_size=3)
    assert (summary2.read, summary2.analysed, summary2.duplicates, summary2.failed) == (4, 0, 4, 0)
    assert counter.seen == []  # nothing analysed again
    assert [a.to_dict() for a in second] == [a.to_dict() for a in first]
    assert [a.id for a in second] == list(TEXTS)  # input order
    assert store.count() == 4


def test_changed_content_is_reanalysed_and_replaced(store, counting):
    pipe, counter = counting
    run(reads(), pipe, store)
    counter.seen.clear()
    changed = dict(TEXTS, tram="The council in Brenmoor scrapped the tram line after a storm.")
    results, summary = run(reads(changed), pipe, store)
    assert (summary.analysed, summary.duplicates) == (1, 3)
    assert counter.seen == ["tram"]
    assert store.count() == 4
    assert store.get("tram").text == changed["tram"]
    assert results[1].text == changed["tram"]
    assert [h.id for h in store.search("storm")] == ["tram"]
    assert store.search("protesters") == []


def test_new_pipeline_version_reanalyses(store, pipeline):
    run(reads(), pipeline, store)
    other = Pipeline([*pipeline.components, Counter()])
    _, summary = run(reads(), other, store)
    assert (summary.analysed, summary.duplicates) == (4, 0)
    assert {a.pipeline["version"] for a in store} == {other.version}


def test_same_id_twice_in_one_batch_is_one_search_hit(store, pipeline):
    items = [Article.create("dup", "Old text about quayside cranes."), *reads()]
    items.append(Article.create("dup", "New text about quayside ferries."))
    run(items, pipeline, store)
    assert store.get("dup").text == "New text about quayside ferries."
    hits = store.search("quayside")
    assert [h.id for h in hits] == ["dup"]
    assert "ferries" in hits[0].snippet


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Veldhaven", ["harbour"]),
        ("veldhaven", ["harbour"]),
        ("Kolar said.", ["harbour"]),
        ("weren't", ["tram"]),
        ("(and others)", ["email"]),
        ("e-mail", ["email"]),
        ("C++", ["email"]),
        ("minister's", ["email"]),
        ('"prudent"', ["bank"]),
        ("3.25", ["bank"]),
        ("Monday!", ["email"]),
        ("a:b [x] {y} ^z", []),
        ("Brenm*", ["tram"]),
        ("port OR rates", ["bank", "harbour"]),
    ],
)
def test_search(store, analysed, query, expected):
    store.save([Article.from_dict(a.to_dict()) for a in _with_texts(analysed)])
    hits = store.search(query)
    assert sorted(h.id for h in hits) == expected
    for hit in hits:
        assert hit.title == f"Title of {hit.id}" and hit.source == "Wire"
        assert "[" in hit.snippet


def _with_texts(analysed):
    """Stored rows need no analysis for search: plain articles with a pipeline."""
    out = []
    for article in reads():
        article.pipeline = analysed[0].pipeline
        out.append(article)
    return out


def test_search_covers_titles_and_limit(store, analysed):
    store.save(_with_texts(analysed))
    assert len(store.search("Title")) == 4  # every title matches
    assert len(store.search("Title", limit=2)) == 2


def test_export_formats(tmp_path, store, pipeline):
    analysed_out, _ = run(reads(), pipeline, store)
    by_id = {a.id: a.to_dict() for a in analysed_out}

    assert export(store, "jsonl", str(tmp_path / "out.jsonl")) == 4
    lines = (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    assert {o["id"]: o for o in map(json.loads, lines)} == by_id

    assert export(store, "csv", str(tmp_path / "out.csv")) == 4
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4
    assert list(rows[0]) == columns()
    for row in rows:
        assert row["text"] == TEXTS[row["id"]]
        assert int(row["n_entities"]) == len(by_id[row["id"]]["entities"])
        assert json.loads(row["sentences"]) == by_id[row["id"]]["sentences"]

    assert export(store, "parquet", str(tmp_path / "out.parquet")) == 4
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.num_rows == 4
    assert table.column_names == columns()
    records = {r["id"]: r for r in table.to_pylist()}
    assert {i: r["text"] for i, r in records.items()} == TEXTS
    assert {i: r["n_sentences"] for i, r in records.items()} == {
        i: len(o["sentences"]) for i, o in by_id.items()
    }


def test_export_of_an_empty_store(tmp_path, store):
    assert export(store, "csv", str(tmp_path / "e.csv")) == 0
    assert (tmp_path / "e.csv").read_text().strip() == ",".join(columns())
    assert export(store, "parquet", str(tmp_path / "e.parquet")) == 0
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 0


def test_failing_article_does_not_lose_the_batch(store, pipeline):
    bomb = Counter(fail_on="BOOM")
    pipe = Pipeline([*pipeline.components, bomb])
    texts = dict(TEXTS, bad="This article goes BOOM in Veldhaven.")
    items = [*reads(texts), ReadError("broken.txt", "empty document")]
    results, summary = run(items, pipe, store, batch_size=10)
    assert [type(r).__name__ for r in results] == ["Article"] * 4 + ["ReadError"] * 2
    assert results[4] == ReadError("bad", "counter: RuntimeError: component exploded")
    assert (summary.read, summary.analysed, summary.failed) == (6, 4, 2)
    assert [f.source for f in summary.failures] == ["bad", "broken.txt"]
    assert store.count() == 4 and store.get("bad") is None
    assert sorted(bomb.seen) == sorted(TEXTS)
    # a re-run retries the failed article (it was not stored) and skips the rest
    _, again = run(reads(texts), pipe, store)
    assert (again.analysed, again.duplicates, again.failed) == (0, 4, 1)


def test_fail_fast_stops_at_the_first_failure(store, pipeline):
    items = [reads()[0], ReadError("bad.png", "binary content"), reads()[1]]
    summary = Summary()
    seen = []
    with pytest.raises(FailFast) as stopped:
        for result in analyze_stream(items, pipeline, store, summary, fail_fast=True):
            seen.append(result)
    assert stopped.value.error == ReadError("bad.png", "binary content")
    assert [a.id for a in seen] == ["harbour"]


def test_without_a_store_everything_is_analysed(pipeline):
    results, summary = run(reads(), pipeline, None)
    _, again = run(reads(), pipeline, None)
    assert summary.analysed == again.analysed == 4
    assert all(r.layers["sentences"] for r in results)
