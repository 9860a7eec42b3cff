"""Story clusters: articles on one event across outlets and days, linked by their
story vectors when saved, apart from other events and from the same event weeks
later; the same stories whatever the order of saving; `spinlens stories`."""

from __future__ import annotations

import csv
import io
import json
import random

import numpy as np
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select
from test_duplicates import command_records
from test_postgres import postgres_url  # noqa: F401

from spinlens.cli import main
from spinlens.model import Article, Technique
from spinlens.store import Store
from spinlens.stories.cluster import stories, story_of
from spinlens.stories.index import VECTOR_THRESHOLD, story_members
from spinlens.stories.terms import MAX_TERMS, term_counts
from spinlens.stories.vector import FIELD, LEAD_CHARS, decode, encode, lead_vector
from spinlens.web.app import create_app

LETTERS = "bcdfgklmnprstvz"
DIM = 16


def vocabulary(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(LETTERS, k=3)) + "a" + rng.choice(LETTERS) for _ in range(n)]


GENERAL = vocabulary(0, 40)
"""Words every article uses (campaign talk)."""


def report(event: int, seed: int) -> str:
    """An article on `event`: a fifth of its words from the event's own vocabulary."""
    rng = random.Random(seed)
    own = vocabulary(100 + event, 25)
    return " ".join(
        rng.choice(own) if rng.random() < 0.2 else rng.choice(GENERAL) for _ in range(250)
    )


def event_vector(event: int, seed: int) -> np.ndarray:
    """A unit vector near the event's own axis (cosine about 0.99 to it)."""
    noise = np.random.default_rng(1000 + seed).standard_normal(DIM)
    vector = np.eye(DIM)[event] + 0.05 * noise / np.linalg.norm(noise)
    return vector / np.linalg.norm(vector)


CORPUS = [
    ("wire-1", 1, "2016-02-01", "Wire"),
    ("post-1", 1, "2016-02-02", "Post"),
    ("daily-1", 1, "2016-02-04", "Daily"),  # linked to wire-1 through post-1 only
    ("wire-2", 2, "2016-02-02", "Wire"),
    ("post-2", 2, "2016-02-02", "Post"),
    ("daily-1-later", 1, "2016-03-01", "Daily"),  # the same event a month later
    ("alone", 3, "2016-02-02", "Post"),
]


def articles(order: list[int] | None = None) -> list[Article]:
    made = []
    for n, (i, event, day, source) in enumerate(CORPUS):
        article = Article.create(i, report(event, n), source=source, published=day)
        article.story_vector = encode(event_vector(event, n))
        made.append(article)
    return [made[i] for i in order] if order else made


def members(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(story_members.c.article_id, story_members.c.story)).all())


def test_term_counts_skip_stop_words_numbers_and_short_words() -> None:
    counts = term_counts("The Senate voted 52 to 48; the senate's vote was a big one. Senate!")
    assert counts == {"senate": 3, "big": 1, "vote": 1, "voted": 1}
    assert list(counts)[:2] == ["senate", "big"]  # most frequent first, then by letter
    assert len(term_counts(" ".join(vocabulary(5, 400)))) == MAX_TERMS


def test_the_lead_vector_pools_the_tokens_before_the_cut_and_travels_as_text() -> None:
    vectors = np.array([[3.0, 0.0], [0.0, 1.0], [100.0, 100.0]], np.float32)
    offsets = np.array([[0, 5], [6, 10], [LEAD_CHARS, LEAD_CHARS + 4]])
    pooled = lead_vector(vectors, offsets, np.zeros(2))
    assert pooled is not None and pooled.dtype == np.float16
    assert np.allclose(pooled, [0.9487, 0.3162], atol=1e-3)  # (1.5, 0.5), unit length
    assert lead_vector(vectors[:0], offsets[:0], np.zeros(2)) is None
    centred = lead_vector(vectors, offsets, np.array([1.5, 0.0]))
    assert centred is not None and np.allclose(centred, [0.0, 1.0])
    decoded = decode(encode(pooled))
    assert decoded is not None and np.array_equal(decoded, pooled)
    assert decode("not base64!") is None and decode(None) is None and decode("AA==") is None


def test_stories_are_stored_on_save_and_keep_events_and_weeks_apart(tmp_path) -> None:
    assert float(event_vector(1, 0) @ event_vector(1, 1)) >= VECTOR_THRESHOLD
    assert float(event_vector(1, 0) @ event_vector(2, 3)) < VECTOR_THRESHOLD
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.save(articles())
    found = [s.to_dict() for s in stories(store.engine)]
    assert [s["articles"] for s in found] == [["wire-1", "post-1", "daily-1"], ["post-2", "wire-2"]]
    first = found[0]
    assert first["sources"] == ["Daily", "Post", "Wire"]
    assert first["first_seen"] == {"article": "wire-1", "source": "Wire", "published": "2016-02-01"}
    assert first["story"].startswith("s-") and len(first["label"].split(", ")) == 4
    singles = stories(store.engine, min_articles=1)
    assert sorted(len(s.articles) for s in singles) == [1, 1, 2, 3]
    story = story_of(store.engine, "post-1")
    assert story is not None and story.to_dict() == first
    assert [a.id for a in story_of(store.engine, "alone").articles] == ["alone"]  # type: ignore[union-attr]
    stored = members(store)
    store.close()
    for n, order in enumerate(([6, 5, 4, 3, 2, 1, 0], [3, 0, 6, 1, 5, 2, 4])):
        other = Store(f"sqlite:///{tmp_path / f'{n}.db'}")
        for article in articles(order):  # one at a time, in another order
            other.save([article])
        assert [s.to_dict() for s in stories(other.engine)] == found
        assert members(other) == stored
        other.close()


def test_saving_an_article_again_splits_or_joins_its_story(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    made = articles()
    store.save(made)
    bridge = made[1]  # post-1, 02-02: the link between wire-1 (02-01) and daily-1 (02-04)
    bridge.story_vector = encode(event_vector(3, 99))  # now on the event of "alone"
    store.save([bridge])
    found = {tuple(s.to_dict()["articles"]) for s in stories(store.engine)}
    assert found == {("alone", "post-1"), ("post-2", "wire-2")}
    assert story_of(store.engine, "daily-1").id != story_of(store.engine, "wire-1").id  # type: ignore[union-attr]
    bridge.story_vector = encode(event_vector(1, 1))
    store.save([bridge])
    assert stories(store.engine)[0].to_dict()["articles"] == ["wire-1", "post-1", "daily-1"]
    store.close()


def test_near_duplicates_join_a_story_without_vectors(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    text = report(1, 0)
    store.save([Article.create("a", text), Article.create("b", "New headline\n\n" + text)])
    assert [s.to_dict()["articles"] for s in stories(store.engine)] == [["a", "b"]]
    store.close()


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]])
def test_exact_copies_and_their_near_duplicates_share_a_story_in_any_order(tmp_path, order) -> None:
    """Exact copies are one group of the duplicate index (pairs read off it, not
    stored): weeks apart and without vectors, they still join one story."""
    text = report(1, 0)
    made = [
        Article.create("a", text, published="2016-02-01"),
        Article.create("b", text, published="2016-03-01"),
        Article.create("c", text, published="2016-04-01"),
        Article.create("d", "New headline\n\n" + text, published="2016-05-01"),
    ]
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    for n in order:
        store.save([made[n]])
    assert [s.to_dict()["articles"] for s in stories(store.engine)] == [["a", "b", "c", "d"]]
    store.close()


def test_the_fastest_growing_story_comes_first_when_asked(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    late = Article.create("late", report(4, 50), published="2016-03-02")
    late.story_vector = encode(event_vector(1, 50))  # joins daily-1-later
    store.save([*articles(), late])
    largest = stories(store.engine)
    assert [len(s.articles) for s in largest] == [3, 2, 2]
    growing = stories(store.engine, order="growing")
    assert growing[0].to_dict()["articles"] == ["daily-1-later", "late"]
    assert [s.growth for s in growing] == [2, 0, 0]
    store.close()
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = CliRunner().invoke(main, ["stories", "--db", url, "--order", "growing"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout.splitlines()[0])
    assert first["articles"] == ["daily-1-later", "late"]


def test_stories_command_writes_jsonl_and_csv(tmp_path) -> None:
    url, records = command_records(tmp_path, articles(), "stories")
    runner = CliRunner()
    assert [set(r) for r in records] == [
        {"story", "label", "articles", "sources", "first_seen"}
    ] * 2
    out = tmp_path / "stories.csv"
    args = ["stories", "--db", url, "--format", "csv", "-o", str(out), "--min-articles", "3"]
    assert runner.invoke(main, args).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [json.loads(r["articles"]) for r in rows] == [records[0]["articles"]]
    assert json.loads(rows[0]["first_seen"])["article"] == "wire-1"


def test_the_pipeline_links_a_retold_story_and_not_an_unrelated_one(tmp_path, pipeline) -> None:
    story = (
        "Senate passes flood relief bill after all-night session\n\n"
        "The Senate passed a $12 billion flood relief bill early on Friday after an "
        "all-night session, sending the measure to the House. Senators from the flooded "
        "river states said the money would rebuild levees and homes. The vote was 71 to 28."
    )
    retold = story.replace("Senate passes", "Senators approve").replace("early on", "on")
    unrelated = (
        "Local bakery wins national bread award\n\n"
        "A family bakery in a small mountain town won the national sourdough prize on "
        "Saturday. The owners said they would use the prize money to buy a new oven and "
        "hire two apprentices from the town's cooking school."
    )
    made = [
        Article.create("wire", story, published="2016-05-06"),
        Article.create("paper", retold, published="2016-05-07"),
        Article.create("bakery", unrelated, published="2016-05-06"),
    ]
    analysed = pipeline(made)
    wire, paper, bakery = (decode(a.story_vector) for a in analysed)
    assert wire is not None and paper is not None and bakery is not None
    cosine = [float(wire.astype(float) @ v.astype(float)) for v in (paper, bakery)]
    assert cosine[0] >= VECTOR_THRESHOLD > cosine[1]
    result = json.loads(json.dumps(analysed[0].to_dict()))
    assert result[FIELD] == Article.from_dict(result).story_vector == analysed[0].story_vector
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.save(analysed)
    assert [s.to_dict()["articles"] for s in stories(store.engine)] == [["wire", "paper"]]
    store.close()


def test_the_workspace_lists_stories_in_both_orders_and_shows_an_articles_story(
    tmp_path,
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    late = Article.create("late", report(4, 50), published="2016-03-02", source="<b>Late</b>")
    late.story_vector = encode(event_vector(1, 50))
    made = articles()
    for article, labels in (
        (made[0], ["Loaded_Language", "Doubt"]),
        (made[2], ["Loaded_Language"]),
    ):
        article.layers["techniques"] = [Technique(n, n + 5, x, 0.9) for n, x in enumerate(labels)]
    made[1].layers["techniques"] = [Technique(9, 20, "Loaded_Language", 0.9)]
    store.save([*made, late])
    with TestClient(create_app(store, token=None, pipeline_factory=lambda: None)) as client:
        largest = client.get("/api/stories").json()
        assert [len(s["articles"]) for s in largest] == [3, 2, 2]
        growing = client.get("/api/stories", params={"order": "growing"}).json()
        assert growing[0]["articles"] == ["daily-1-later", "late"] and growing[0]["growth"] == 2
        assert set(growing[0]) == {"story", "label", "articles", "sources", "first_seen", "growth"}
        assert client.get("/api/stories", params={"order": "newest"}).status_code == 422
        page = client.get("/stories", params={"order": "growing"}).text
        assert '<b aria-current="true">fastest-growing first</b>' in page
        assert page.index('href="/articles/late"') < page.index('href="/articles/wire-1"')
        assert "<b>Late</b>" not in page and "&lt;b&gt;Late&lt;/b&gt;" in page
        article = client.get("/articles/post-1").text
        versions = article[article.index('id="same-story"') :]
        assert 'href="/articles/wire-1"' in versions and 'href="/articles/daily-1"' in versions
        assert "In every version: techniques Loaded language</p>" in versions
        start = versions.index('href="/articles/wire-1"')
        wire = versions[start : versions.index("</tr>", start)]
        assert 'Doubt (1) <em class="only"' in wire and "Loaded language (1) <em" not in wire
        assert "The same story elsewhere" not in client.get("/articles/alone").text
    store.close()


def test_postgresql_holds_the_same_stories(tmp_path, postgres_url) -> None:  # noqa: F811
    lite = Store(f"sqlite:///{tmp_path / 'x.db'}")
    lite.save(articles())
    shared = Store(postgres_url)
    try:
        for article in articles([6, 5, 4, 3, 2, 1, 0]):
            shared.save([article])
        assert members(shared) == members(lite)
        assert [s.to_dict() for s in stories(shared.engine, order="growing")] == [
            s.to_dict() for s in stories(lite.engine, order="growing")
        ]
    finally:
        shared.close()
        lite.close()
