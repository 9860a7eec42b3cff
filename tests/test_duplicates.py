"""Copies across outlets: fingerprints, passage alignment, the index kept in the
store (order- and batch-independent, surviving a restart) and `spinlens duplicates`."""

from __future__ import annotations

import csv
import io
import json
import random

import pytest
from click.testing import CliRunner
from test_postgres import postgres_url  # noqa: F401 - the server fixture

from spinlens.cli import main
from spinlens.duplicates import align
from spinlens.duplicates.align import Match
from spinlens.duplicates.fingerprint import Fingerprint, shingled
from spinlens.duplicates.fingerprint import fingerprint as fingerprint_of
from spinlens.duplicates.report import pair_records, pairs_with
from spinlens.model import Article
from spinlens.store import Store
from spinlens.stories.cluster import stories

SYLLABLES = ["ka", "ro", "mi", "tel", "van", "sor", "du", "pe", "lin", "gra", "bo", "zet"]


def paragraphs(seed: int, n: int = 6, words: int = 45) -> list[str]:
    """Made-up prose: n paragraphs of invented words, different for each seed."""
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choices(SYLLABLES, k=rng.randint(1, 3))) for _ in range(400)]
    return [" ".join(rng.choices(vocabulary, k=words)).capitalize() + "." for _ in range(n)]


def compare(text_a: str, text_b: str) -> Match | None:
    return align.compare(shingled(text_a), shingled(text_b))


def fingerprint(text: str) -> Fingerprint:
    return fingerprint_of(shingled(text))


def overlap(found: dict[str, int], true: tuple[int, int]) -> float:
    shared = min(found["end"], true[1]) - max(found["start"], true[0])
    return max(0, shared) / (true[1] - true[0])


ORIGINAL = "\n\n".join(paragraphs(1))
OTHER = "\n\n".join(paragraphs(2))


def test_exact_copy_is_a_near_duplicate_with_offsets_into_each_text() -> None:
    copy = "Breaking: a new headline\n\n" + ORIGINAL
    match = compare(ORIGINAL, copy)
    assert match is not None and match.kind == "near-duplicate"
    assert match.similarity > 0.95
    (passage,) = match.passages
    a, b = passage["a"], passage["b"]
    assert ORIGINAL[a["start"] : a["end"]] == copy[b["start"] : b["end"]]
    assert (a["start"], a["end"]) == (0, len(ORIGINAL) - 1)  # the last word, not the stop


def test_edited_copy_is_still_a_near_duplicate() -> None:
    paras = paragraphs(1)
    edited = [p.replace(p.split()[10], "changed", 1) for p in paras]
    rewrite = "\n\n".join([edited[0], edited[2], edited[1], *edited[4:], "Subscribe to us."])
    match = compare(ORIGINAL, rewrite)
    assert match is not None and match.kind == "near-duplicate"
    assert len(match.passages) >= 2  # the moved paragraph is found too
    assert 0.6 < match.similarity < 0.95


def test_a_pasted_paragraph_is_a_shared_passage_with_its_offsets() -> None:
    lifted = paragraphs(1)[3]
    host = paragraphs(2)
    text = "\n\n".join([*host[:3], lifted, *host[3:]])
    start = text.index(lifted)
    match = compare(ORIGINAL, text)
    assert match is not None and match.kind == "shared-passage"
    (passage,) = match.passages
    assert overlap(passage["b"], (start, start + len(lifted))) >= 0.95
    source = ORIGINAL.index(lifted)
    assert overlap(passage["a"], (source, source + len(lifted))) >= 0.95


def test_unrelated_and_short_texts_share_nothing() -> None:
    assert compare(ORIGINAL, OTHER) is None
    assert compare("Too short.", "Too short.") is None
    assert fingerprint("Too short.").index_keys() == []


def test_fingerprints_are_stable_and_a_copy_shares_them() -> None:
    first, again = fingerprint(ORIGINAL), fingerprint(ORIGINAL)
    assert first == again and len(first.bands) == 16 and first.anchors
    copy = fingerprint("New headline\n\n" + ORIGINAL)
    assert set(first.bands) & set(copy.bands)
    assert not set(first.index_keys()) & set(fingerprint(OTHER).index_keys())


def corpus() -> list[Article]:
    """An original, a later copy under a new headline, an article lifting one of its
    paragraphs, and one unrelated."""
    host = paragraphs(3)
    lifted = "\n\n".join([*host[:2], paragraphs(1)[4], *host[2:]])
    texts = {
        "orig": (ORIGINAL, "2016-03-01"),
        "copy": ("Headline of the copy\n\n" + ORIGINAL, "2016-03-02"),
        "lift": (lifted, "2016-03-05"),
        "other": (OTHER, "2016-03-01"),
    }
    return [Article.create(i, t, source=i, published=day) for i, (t, day) in texts.items()]


def stored_pairs(url: str) -> list[dict]:
    store = Store(url)
    try:
        return list(pair_records(store.engine))
    finally:
        store.close()


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]])
@pytest.mark.parametrize("batch", [1, 2, 4])
def test_the_same_pairs_whatever_the_order_and_batches(tmp_path, order, batch) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    store = Store(url)
    articles = [corpus()[i] for i in order]
    for i in range(0, len(articles), batch):
        store.save(articles[i : i + batch])
    store.close()
    pairs = stored_pairs(url)  # a restart loses nothing
    assert [(p["a"], p["b"], p["kind"]) for p in pairs] == [
        ("copy", "lift", "shared-passage"),  # the copy carries the lifted paragraph too
        ("orig", "copy", "near-duplicate"),
        ("orig", "lift", "shared-passage"),
    ]
    reference = tmp_path / "ref.db"
    one = Store(f"sqlite:///{reference}")
    one.save(corpus())
    one.close()
    assert pairs == stored_pairs(f"sqlite:///{reference}")


def test_saving_an_article_again_replaces_its_pairs(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.save(corpus())
    assert {p["b"] for p in pairs_with(store.engine, "orig")} == {"copy", "lift"}
    store.save([Article.create("copy", "\n\n".join(paragraphs(9)), source="copy")])
    assert {p["b"] for p in pairs_with(store.engine, "orig")} == {"lift"}
    store.save([Article.create("copy", ORIGINAL, source="copy", published="2016-01-01")])
    (pair,) = [p for p in pairs_with(store.engine, "orig") if p["kind"] == "near-duplicate"]
    assert (pair["a"], pair["b"], pair["similarity"]) == ("copy", "orig", 1.0)  # now earlier
    store.close()


def command_records(tmp_path, articles: list[Article], command: str) -> tuple[str, list[dict]]:
    """A store holding the articles, and the JSON Lines records `command` writes."""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    store = Store(url)
    store.save(articles)
    store.close()
    result = CliRunner().invoke(main, [command, "--db", url])
    assert result.exit_code == 0, result.output
    return url, [json.loads(line) for line in result.stdout.splitlines()]


def test_duplicates_command_writes_jsonl_and_csv(tmp_path) -> None:
    url, records = command_records(tmp_path, corpus(), "duplicates")
    runner = CliRunner()
    assert [set(r) for r in records] == [{"a", "b", "kind", "similarity", "passages"}] * 3
    lift = next(r for r in records if r["a"] == "orig" and r["b"] == "lift")
    (passage,) = lift["passages"]
    assert set(passage) == {"a", "b"} and set(passage["a"]) == {"start", "end"}
    near = runner.invoke(main, ["duplicates", "--db", url, "--min-similarity", "0.9"])
    assert [json.loads(line)["b"] for line in near.stdout.splitlines()] == ["copy"]
    out = tmp_path / "pairs.csv"
    result = runner.invoke(main, ["duplicates", "--db", url, "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["a"], r["b"]) for r in rows] == [
        ("copy", "lift"),
        ("orig", "copy"),
        ("orig", "lift"),
    ]
    assert json.loads(rows[2]["passages"]) == lift["passages"]


def test_postgresql_holds_the_same_pairs_and_stories(tmp_path, postgres_url) -> None:  # noqa: F811
    lite = Store(f"sqlite:///{tmp_path / 'x.db'}")
    lite.save(corpus())
    shared = Store(postgres_url)
    for article in corpus()[::-1]:
        shared.save([article])
    try:
        assert list(pair_records(shared.engine)) == list(pair_records(lite.engine))
        assert [s.to_dict() for s in stories(shared.engine)] == [
            s.to_dict() for s in stories(lite.engine)
        ]
    finally:
        shared.close()
        lite.close()
