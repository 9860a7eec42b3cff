"""Exact copies and busy keys in the duplicate index: copies of one text are grouped,
never compared, and still give every pair; a save compares a bounded number of
candidates whatever the store holds."""

from __future__ import annotations

import itertools

import pytest
from test_duplicates import ORIGINAL, paragraphs

from spinlens.duplicates import align, candidates, index
from spinlens.duplicates.fingerprint import shingled
from spinlens.duplicates.index import earlier_first
from spinlens.duplicates.outlets import outlet_copies
from spinlens.duplicates.report import pair_records, pairs_with
from spinlens.model import Article
from spinlens.store import Store
from spinlens.stories.cluster import stories


@pytest.fixture
def compared(monkeypatch) -> list[int]:
    """Counts the pairs of texts the index aligns."""
    calls = [0]

    def counted(*texts: object) -> align.Match | None:
        calls[0] += 1
        return align.compare(*texts)  # type: ignore[arg-type]

    monkeypatch.setattr(index, "compare", counted)
    return calls


def copies_corpus() -> list[Article]:
    """An original with two exact copies (one dated earlier), a near-duplicate of it,
    an article lifting one of its paragraphs, and one unrelated."""
    host = paragraphs(3)
    lifted = "\n\n".join([*host[:2], paragraphs(1)[4], *host[2:]])
    texts = {
        "orig": (ORIGINAL, "2016-03-02"),
        "same-early": (ORIGINAL, "2016-03-01"),
        "same-late": (ORIGINAL, "2016-03-04"),
        "near": ("A new headline\n\n" + ORIGINAL, "2016-03-03"),
        "lift": (lifted, "2016-03-05"),
        "other": ("\n\n".join(paragraphs(2)), None),
    }
    return [Article.create(i, t, source=i, published=day) for i, (t, day) in texts.items()]


def every_pair(articles: list[Article]) -> list[dict]:
    """The pairs found by aligning every two articles, by (a, b)."""
    found = []
    for x, y in itertools.combinations(articles, 2):
        if not earlier_first((x.id, x.published), (y.id, y.published)):
            x, y = y, x
        if match := align.compare(shingled(x.text), shingled(y.text)):
            found.append({"a": x.id, "b": y.id, **match.to_dict()})
    return sorted(found, key=lambda p: (p["a"], p["b"]))


def saved_pairs(tmp_path, articles: list[Article], batch: int) -> list[dict]:
    store = Store(f"sqlite:///{tmp_path / 'copies.db'}")
    for i in range(0, len(articles), batch):
        store.save(articles[i : i + batch])
    found = list(pair_records(store.engine))
    store.close()
    return found


@pytest.mark.parametrize("order", [[0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0], [2, 4, 0, 5, 1, 3]])
@pytest.mark.parametrize("batch", [1, 3, 6])
def test_grouped_copies_give_the_pairs_of_aligning_every_two(tmp_path, order, batch) -> None:
    articles = [copies_corpus()[i] for i in order]
    pairs = saved_pairs(tmp_path, articles, batch)
    assert pairs == every_pair(articles)
    same = next(p for p in pairs if {p["a"], p["b"]} == {"orig", "same-early"})
    assert same["a"] == "same-early" and same["similarity"] == 1.0


def test_copies_of_one_text_are_not_compared(tmp_path, compared) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.save(copies_corpus())
    assert compared[0] == 3  # orig's text with near and lift, near with lift (not 10)
    stored = list(pair_records(store.engine))
    store.close()
    assert len(stored) == len(every_pair(copies_corpus()))


def test_a_group_outlives_its_representative(tmp_path) -> None:
    articles = copies_corpus()
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.save(articles)
    changed = Article.create("orig", "\n\n".join(paragraphs(7)), source="orig")
    store.save([changed])  # the representative leaves: a copy takes its place
    now = [changed if a.id == "orig" else a for a in articles]
    assert list(pair_records(store.engine)) == every_pair(now)
    later = Article.create("same-early", ORIGINAL, source="x", published="2016-03-09")
    store.save([later])  # saved again with a new date: the same text, oriented anew
    now = [later if a.id == "same-early" else a for a in now]
    assert list(pair_records(store.engine)) == every_pair(now)
    assert {p["b"] for p in pairs_with(store.engine, "same-late")} >= {"same-early", "lift"}
    (story,) = [s for s in stories(store.engine) if "near" in {a.id for a in s.articles}]
    assert {"same-early", "same-late", "near"} <= {a.id for a in story.articles}
    store.close()


def test_three_thousand_identical_copies_are_never_compared(tmp_path, compared) -> None:
    text = " ".join(paragraphs(4, n=1, words=60))
    copies = [Article.create(f"copy-{n:04d}", text, source="wire") for n in range(3000)]
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    for i in range(0, len(copies), 500):
        store.save(copies[i : i + 500])
    store.save([Article.create("quoting", "\n\n".join([*paragraphs(5)[:2], text]), source="x")])
    assert compared[0] == 1  # the text of the copies with the article quoting it
    mine = pairs_with(store.engine, "copy-0042")
    store.close()
    assert len(mine) == 3000 and {p["kind"] for p in mine[:2999]} == {"near-duplicate"}
    assert mine[-1]["b"] == "quoting" and mine[-1]["kind"] == "shared-passage"


def test_a_save_compares_at_most_the_cap_of_near_copies(tmp_path, compared, monkeypatch) -> None:
    monkeypatch.setattr(candidates, "MAX_POSTINGS", 8)
    monkeypatch.setattr(candidates, "MAX_COMPARED", 5)
    base = "\n\n".join(paragraphs(6, n=2, words=40))
    near = [Article.create(f"near-{n:03d}", f"{base}\n\n(ref {n})") for n in range(200)]
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    for i in range(0, len(near), 50):
        store.save(near[i : i + 50])
    pairs = list(pair_records(store.engine))
    store.close()
    assert compared[0] <= 200 * 5  # not the 19,900 pairs of 200 texts
    assert compared[0] == len(pairs) and all(p["kind"] == "near-duplicate" for p in pairs)


def test_who_copies_whom_counts_the_pairs_of_copies(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.save(copies_corpus())
    first = outlet_copies(store.engine, "same-early")
    store.close()
    assert first is not None and first.copies_from == []
    assert {f.later for f in first.copied_by} == {"orig", "same-late", "near", "lift"}
    assert all(f.pairs == 1 for f in first.copied_by)
    assert {(f.earlier, f.later) for f in first.order_unknown} == set()
